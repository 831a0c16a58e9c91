"""The consultations register table."""

import django_tables2 as tables

from commissioning.tables import LINK, DateColumn, GovukTable, NumberColumn

from .models import Consultation


class ConsultationTable(GovukTable):
    title = tables.Column(linkify=True, attrs=LINK, order_by=("title", "pk"))
    case = tables.Column(
        "Case",
        accessor="case__reference",
        linkify=lambda record: record.case.get_absolute_url(),
        attrs=LINK,
        order_by=("case__reference", "starts_on", "pk"),
    )
    lead_commissioner = tables.Column(
        "Lead commissioner",
        accessor="case__lead_commissioner__name",
        order_by=("case__lead_commissioner__name", "starts_on", "pk"),
    )
    kind = tables.Column("Kind", order_by=("kind", "starts_on", "pk"))
    starts_on = DateColumn("Starts", order_by=("starts_on", "pk"))
    ends_on = DateColumn("Ends", order_by=("ends_on", "pk"))
    weeks = NumberColumn("Weeks", orderable=False)
    minimum_weeks = NumberColumn("Minimum weeks", order_by=("minimum_weeks", "pk"))
    response_count = NumberColumn("Responses", order_by=("response_count", "pk"))

    class Meta(GovukTable.Meta):
        model = Consultation
        fields = ()
