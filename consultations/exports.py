"""The consultations register's export."""

from commissioning.exports import Column, Export, choice, field

from .models import Consultation, weeks_between


class ConsultationExport(Export):
    fields = (
        "title",
        "case__reference",
        "case__lead_commissioner__name",
        "kind",
        "starts_on",
        "ends_on",
        "minimum_weeks",
        "response_count",
    )
    columns = [
        field("Title", "title"),
        field("Case", "case__reference"),
        field("Lead commissioner", "case__lead_commissioner__name"),
        choice("Kind", "kind", Consultation.Kind.choices),
        field("Starts", "starts_on"),
        field("Ends", "ends_on"),
        Column("Weeks", lambda row: weeks_between(row["starts_on"], row["ends_on"])),
        field("Minimum weeks", "minimum_weeks"),
        field("Responses", "response_count"),
    ]
