"""Register tables: GOV.UK-styled django-tables2 tables and the columns they share.

Every column renders for people (£1,234,567, 30 September 2023) and exports the raw value
(Decimal, date) so the CSV and Excel downloads carry numbers and dates, not display text.
"""

from datetime import date

import django_tables2 as tables
from django.db.models import Case as CaseExpression
from django.db.models import IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import utils as tables_utils

from commissioning import money
from commissioning.models import Case, FundingContribution, Organisation, RiskLevel, Service


def govuk_date(value: date) -> str:
    """GOV.UK style: 1 October 2019 (no leading zero, month in full)."""
    return f"{value.day} {value:%B %Y}"


def _remembered_signatures(signature):
    """django-tables2 reads a render method's signature (``inspect.signature``) for every cell it
    renders, to know which arguments to pass: a third of a register's rendering time. A function's
    signature does not change, so each is read once (a bound method's under its function)."""
    known = {}

    def remembered(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__func__"))
        try:
            return known[key]
        except KeyError:
            if len(known) > 4096:  # functions made per call (lambdas in a loop) would pile up
                known.clear()
            known[key] = found = signature(fn)
            return found
        except TypeError:  # unhashable callable
            return signature(fn)

    return remembered


tables_utils.signature = _remembered_signatures(tables_utils.signature)

# linkify'd cells carry the GOV.UK link style.
LINK = {"a": {"class": "govuk-link"}}


class GovukTable(tables.Table):
    """A table rendered with GOV.UK classes, sortable headers and GOV.UK pagination."""

    caption = ""

    class Meta:
        template_name = "django_tables2/govuk_table.html"
        # Registers are wide: 16px text keeps ten columns readable inside the page width.
        attrs = {"class": "govuk-table govuk-!-font-size-16"}
        empty_text = "No rows match these filters."


class MoneyColumn(tables.Column):
    """Pounds: £1,234,567 on screen, the Decimal itself in exports."""

    numeric = True
    money = True

    def render(self, value):
        return money.format_money(value)

    def value(self, value):
        return value


class PercentColumn(tables.Column):
    """A share: 28% on screen, the number 28 in exports."""

    numeric = True

    def render(self, value):
        return money.format_percent(value)

    def value(self, value):
        return value


class NumberColumn(tables.Column):
    numeric = True

    def render(self, value):
        return f"{value:,}"

    def value(self, value):
        return value


class DateColumn(tables.Column):
    """30 September 2023 on screen, a real date in exports."""

    def render(self, value):
        return govuk_date(value)

    def value(self, value):
        return value


class ListColumn(tables.Column):
    """A to-many relation or list, joined with commas; reads prefetched rows only."""

    def __init__(self, *args, item=str, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)
        self.item = item

    def render(self, value):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(self.item(i) for i in items)

    def value(self, value):
        return self.render(value)


def order_by_choices(queryset, field: str, choices, is_descending: bool):
    """Order by a field's place in its choices (the cycle's order), not alphabetically."""
    rank = CaseExpression(
        *(When(**{field: v}, then=Value(i)) for i, v in enumerate(choices)),
        default=Value(len(choices)),
        output_field=IntegerField(),
    )
    key = f"{field}_rank"
    queryset = queryset.annotate(**{key: rank}).order_by(f"-{key}" if is_descending else key, "pk")
    return queryset, True


class CaseTable(GovukTable):
    reference = tables.Column(linkify=True, attrs=LINK, order_by=("reference",))
    title = tables.Column(order_by=("title", "reference"))
    lead_commissioner = tables.Column(
        "Lead commissioner",
        accessor="lead_commissioner__name",
        order_by=("lead_commissioner__name", "reference"),
    )
    partners = ListColumn("Partners", item=lambda o: o.label)
    stage = tables.Column()
    status = tables.Column(order_by=("status", "reference"))
    current_risk = tables.Column("Risk")
    contract_ends = DateColumn("Contract ends", order_by=("contract_ends", "reference"))
    officer = tables.Column("Officer", order_by=("officer__last_name", "officer__first_name", "reference"))

    class Meta(GovukTable.Meta):
        model = Case
        fields = ()
        sequence = (
            "reference",
            "title",
            "lead_commissioner",
            "partners",
            "stage",
            "status",
            "current_risk",
            "contract_ends",
            "officer",
        )

    def render_officer(self, value):
        return value.get_full_name() or value.get_username()

    def value_officer(self, value):
        return self.render_officer(value)

    def order_stage(self, queryset, is_descending):
        return order_by_choices(queryset, "stage", Case.Stage.values, is_descending)

    def order_current_risk(self, queryset, is_descending):
        return order_by_choices(queryset, "current_risk", RiskLevel.values, is_descending)


class ServiceTable(GovukTable):
    name = tables.Column("Service", linkify=True, attrs=LINK, order_by=("name", "pk"))
    service_type = tables.Column("Type", order_by=("service_type", "name"))
    commissioner = tables.Column(
        "Commissioner", accessor="commissioner__name", order_by=("commissioner__name", "name")
    )
    providers = ListColumn("Providers")
    areas = ListColumn("Areas")
    risk_levels = ListColumn("Risk levels", accessor="risk_levels")
    tiers = tables.Column("Tiers", accessor="tiers_label", order_by=("tier_from", "tier_to", "name"))
    accommodation_units = NumberColumn("Units", order_by=("accommodation_units", "name"))
    latest_year = tables.Column("Latest year", order_by=("latest_year", "name"))
    latest_year_total = MoneyColumn("Funding that year", order_by=("latest_year_total", "name"))

    class Meta(GovukTable.Meta):
        model = Service
        fields = ()


class OrganisationTable(GovukTable):
    name = tables.Column(order_by=("name",))
    short_name = tables.Column("Short name", order_by=("short_name", "name"))
    kind = tables.Column("Type", order_by=("kind", "name"))
    role = tables.Column("Role", accessor="is_commissioner", orderable=False)
    members = ListColumn("Members", item=lambda o: o.label)
    # Providers are shared reference data: any officer may change them (the view drops the
    # column for everyone else).
    change = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(GovukTable.Meta):
        model = Organisation
        fields = ()

    def render_role(self, value):
        return "Commissioner" if value else "Provider"

    def render_change(self, record):
        if record.is_commissioner:
            return ""
        return format_html(
            '<a class="govuk-link" href="{}">Change<span class="govuk-visually-hidden"> {}</span></a>',
            reverse("commissioning:provider-update", args=[record.pk]),
            record.name,
        )

    def value_role(self, value):
        return self.render_role(value)


class FundingTable(GovukTable):
    financial_year = tables.Column("Year", order_by=("financial_year", "service__name", "pk"))
    service = tables.Column(
        "Service",
        accessor="service__name",
        linkify=lambda record: record.service.get_absolute_url(),
        attrs=LINK,
    )
    service_type = tables.Column("Type", accessor="service__service_type")
    funder = tables.Column("Funder", order_by=("commissioner__name", "funder_description", "pk"))
    budget_holder = tables.Column("Budget holder", accessor="budget_holder__name")
    kind = tables.Column("Kind", order_by=("kind", "pk"))
    amount = MoneyColumn("Amount", order_by=("amount", "pk"))
    share = PercentColumn("Share", accessor="share", orderable=False)
    ring_fenced_area = tables.Column("Ring-fenced to", accessor="ring_fenced_area__name")
    grant_ends_on = DateColumn("Grant ends", order_by=("grant_ends_on", "pk"))

    class Meta(GovukTable.Meta):
        model = FundingContribution
        fields = ()
