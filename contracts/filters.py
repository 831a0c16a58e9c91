"""The contracts register filter."""

import django_filters
from django.db.models import Q

from commissioning.filters import (
    DateBetweenFilter,
    GovukFilterSet,
    Kept,
    areas_in,
    date_bounds,
    organisations_in,
    search_filter,
)
from commissioning.models import Service

from .models import Contract, Lot


def visible_contracts(user):
    return Contract.objects.visible_to(user) if user is not None else Contract.objects.none()


@Kept
def contract_commissioners(user):
    """Leads and partners of the user's contracts."""
    contracts = visible_contracts(user)
    partners = Contract.commissioners.through.objects.filter(contract__in=contracts).values("organisation")
    return organisations_in(contracts.values("lead_commissioner"), partners)


@Kept
def contract_providers(user):
    """Providers of the user's contracts or of their lots."""
    contracts = visible_contracts(user)
    return organisations_in(
        Contract.providers.through.objects.filter(contract__in=contracts).values("organisation"),
        Lot.providers.through.objects.filter(lot__contract__in=contracts).values("organisation"),
        providers=True,
    )


@Kept
def contract_areas(user):
    """Areas of the user's contracts' lots or services."""
    contracts = visible_contracts(user)
    return areas_in(
        Lot.areas.through.objects.filter(lot__contract__in=contracts).values("area"),
        Service.areas.through.objects.filter(service__contracts__in=contracts).values("area"),
    )


def ending_between(contracts, value):
    """Contracts whose initial term ends in the range, including an end worked out from the term.

    A recorded end is compared in the database; a contract with only a start and a term (its end
    needs month arithmetic) is worked out here, in one extra query whatever the number of rows.
    """
    term_only = Contract.objects.filter(ends_on=None, starts_on__isnull=False, initial_term_months__gt=0)
    computed = [
        c.pk
        for c in term_only.only("pk", "starts_on", "ends_on", "initial_term_months")
        if (not value.start or c.initial_end >= value.start)
        and (not value.stop or c.initial_end <= value.stop)
    ]
    return contracts.filter(date_bounds("ends_on", value) | Q(pk__in=computed))


class ContractFilter(GovukFilterSet):
    search_fields = ("reference", "title", "brand_name", "framework_name")

    q = search_filter()
    commissioner = django_filters.ModelChoiceFilter(
        label="Commissioner", queryset=contract_commissioners, method="filter_commissioner", empty_label="Any"
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=contract_providers,
        method="filter_provider",
        empty_label="Any",
    )
    area = django_filters.ModelChoiceFilter(
        label="Area", queryset=contract_areas, method="filter_area", empty_label="Any"
    )
    service_type = django_filters.ChoiceFilter(
        label="Service type", choices=Service.Type.choices, method="filter_service_type", empty_label="Any"
    )
    status = django_filters.ChoiceFilter(label="Status", choices=Contract.Status.choices, empty_label="Any")
    route = django_filters.ChoiceFilter(
        label="Procurement route",
        field_name="procurement_route",
        choices=[c for c in Contract.Route.choices if c[0]],
        empty_label="Any",
    )
    ends = DateBetweenFilter(label="Initial term ends between", method="filter_ends")

    class Meta:
        model = Contract
        fields = ()

    def filter_commissioner(self, queryset, name, value):
        partnered = Contract.objects.filter(commissioners=value).values("pk")
        return queryset.filter(Q(lead_commissioner=value) | Q(pk__in=partnered))

    def filter_provider(self, queryset, name, value):
        # A provider of the contract itself or of one of its lots.
        held = Contract.objects.filter(Q(providers=value) | Q(lots__providers=value)).values("pk")
        return queryset.filter(pk__in=held)

    def filter_area(self, queryset, name, value):
        covered = Contract.objects.filter(Q(lots__areas=value) | Q(services__areas=value)).values("pk")
        return queryset.filter(pk__in=covered)

    def filter_service_type(self, queryset, name, value):
        return queryset.filter(pk__in=Contract.objects.filter(services__service_type=value).values("pk"))

    def filter_ends(self, queryset, name, value):
        return ending_between(queryset, value)
