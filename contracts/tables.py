"""The contracts register table."""

import django_tables2 as tables

from commissioning.tables import LINK, DateColumn, GovukTable, ListColumn, MoneyColumn

from .models import Contract


class ContractTable(GovukTable):
    reference = tables.Column(linkify=True, attrs=LINK, order_by=("reference",))
    title = tables.Column(order_by=("title", "reference"))
    lead_commissioner = tables.Column(
        "Lead commissioner",
        accessor="lead_commissioner__name",
        order_by=("lead_commissioner__name", "reference"),
    )
    providers = ListColumn("Providers")
    kind = tables.Column("Agreement", order_by=("kind", "reference"))
    status = tables.Column(order_by=("status", "reference"))
    procurement_route = tables.Column("Route", order_by=("procurement_route", "reference"))
    outcome = tables.Column("Outcome", order_by=("outcome", "reference"))
    starts_on = DateColumn("Starts", order_by=("starts_on", "reference"))
    # Ordering by the recorded end; an end worked out from the term alone sorts with the blanks.
    initial_end = DateColumn("Initial term ends", order_by=("ends_on", "reference"))
    term_summary = tables.Column("Term", orderable=False)
    current_end = DateColumn("Current end", orderable=False)
    latest_end = DateColumn("Latest end", orderable=False)
    annual_value = MoneyColumn("Annual value", order_by=("annual_value", "reference"))
    value_to_date = MoneyColumn("Value to date", orderable=False)
    maximum_value = MoneyColumn("Maximum value", orderable=False)

    class Meta(GovukTable.Meta):
        model = Contract
        fields = ()
