"""Registers: cases, services, organisations and funding contributions.

Each is a filtered, sortable, paginated table with CSV and Excel downloads of what the filter
shows. Querysets are scoped to what the user may see and fetch every related row up front,
so a page runs the same number of queries for 1 row as for 50.
"""

from django.db.models import DecimalField, Min, OuterRef, Subquery, Sum
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from commissioning import exports, filters, tables
from commissioning.exports import RegisterExportMixin
from commissioning.models import Case, FundingContribution, Organisation, Service
from commissioning.models.services import MONEY
from commissioning.permissions import is_editor


class RegisterView(RegisterExportMixin, SingleTableMixin, FilterView):
    """A register page; subclasses give the model, table, filter, queryset and words."""

    table_pagination = {"per_page": 25}
    template_name_suffix = "_list"
    register_title = ""
    register_noun = "rows"

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if getattr(table, "page", None):
            count = table.paginator.count
            table.caption = f"{count:,} {self.register_noun if count != 1 else self.register_noun[:-1]}"
        return table

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            register_title=self.register_title, register_noun=self.register_noun, **kwargs
        )


class CaseListView(RegisterView):
    model = Case
    table_class = tables.CaseTable
    filterset_class = filters.CaseFilter
    register_title = "Cases"
    register_noun = "cases"
    export_name = "cases"
    export_class = exports.CaseExport

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("lead_commissioner", "officer")
            .prefetch_related("partners")
            .annotate(contract_ends=Min("contracts__ends_on"))
            .order_by("reference")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create_case=is_editor(self.request.user), **kwargs)


def with_latest_funding(services):
    """Annotate each service with its latest financial year on record and that year's total."""
    contributions = FundingContribution.objects.filter(service=OuterRef("pk")).order_by()
    latest_year = contributions.order_by("-financial_year").values("financial_year")[:1]
    year_total = (
        contributions.filter(financial_year=OuterRef("latest_year"))
        .values("service")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return services.annotate(latest_year=Subquery(latest_year)).annotate(
        latest_year_total=Subquery(year_total, output_field=DecimalField(**MONEY))
    )


class ServiceListView(RegisterView):
    model = Service
    table_class = tables.ServiceTable
    filterset_class = filters.ServiceFilter
    register_title = "Services"
    register_noun = "services"
    export_name = "services"
    export_class = exports.ServiceExport

    def get_queryset(self):
        services = (
            Service.objects.visible_to(self.request.user)
            .select_related("commissioner")
            .prefetch_related("providers", "areas")
            .order_by("name", "pk")
        )
        return with_latest_funding(services)


class OrganisationListView(RegisterView):
    """Every organisation: they are public bodies and providers. Read only."""

    model = Organisation
    table_class = tables.OrganisationTable
    filterset_class = filters.OrganisationFilter
    register_title = "Organisations"
    register_noun = "organisations"
    export_name = "organisations"
    export_class = exports.OrganisationExport

    def get_queryset(self):
        return Organisation.objects.prefetch_related("members").order_by("name")

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_editor(self.request.user):
            kwargs["exclude"] = ("change",)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add_provider=is_editor(self.request.user), **kwargs)


class FundingListView(RegisterView):
    model = FundingContribution
    table_class = tables.FundingTable
    filterset_class = filters.FundingFilter
    register_title = "Funding contributions"
    register_noun = "contributions"
    export_name = "funding"
    export_class = exports.FundingExport
    template_name = "commissioning/funding_list.html"

    def get_queryset(self):
        visible = Service.objects.visible_to(self.request.user).values("pk")
        return (
            FundingContribution.objects.filter(service__in=visible)
            .select_related("service", "commissioner", "budget_holder", "ring_fenced_area")
            # Shares are of the service's pool for the year: its other contributions, prefetched.
            .prefetch_related("service__contributions")
            .order_by("-financial_year", "service__name", "commissioner__name", "pk")
        )
