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
    status = tables.Column(order_by=("status", "reference"))
    starts_on = DateColumn("Starts", order_by=("starts_on", "reference"))
    # Ordering by the recorded end; an end worked out from the term alone sorts with the blanks.
    initial_end = DateColumn("Ends", order_by=("ends_on", "reference"))
    term_summary = tables.Column("Term", orderable=False)
    latest_end = DateColumn("Latest end", orderable=False)
    annual_value = MoneyColumn("Annual value", order_by=("annual_value", "reference"))
    total_value = MoneyColumn("Total value", orderable=False)

    class Meta(GovukTable.Meta):
        model = Contract
        fields = ()
