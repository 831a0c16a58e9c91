"""CSV and Excel downloads of a register: exactly the rows the current filter shows, every page.

A register's export is a list of columns read from ``values()`` rows (or, where a figure is a
model's computation, from model rows fetched in chunks), never the on-screen table cell by cell:
the funding register of a county runs to 40,000 rows. CSV is streamed as the rows come from the
database (a server-side cursor on PostgreSQL), so its size costs neither memory nor a worker
timeout. Excel is written by the task worker in openpyxl's write-only mode from the same rows
(commissioning/export_jobs.py), with progress on the export's page and a link when it is ready.

Money is "1234.50" in CSV and a real number formatted as pounds in Excel; dates are ISO in CSV
and real dates in Excel; every figure comes from the same ``money`` helpers as the pages.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django_tables2 import RequestConfig
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from commissioning import money
from commissioning.models import Case, FundingContribution, Organisation, RiskLevel, Service
from commissioning.models.services import MONEY, risk_levels, tiers_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the database at a time (and model rows whose related rows are fetched together).
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how to read its value from a row."""

    header: str
    value: Callable[[Any], Any]
    money: bool = False


def field(header: str, key: str, *, money: bool = False) -> Column:
    """A column that is a ``values()`` key as it is."""
    return Column(header, lambda row: row[key], money=money)


def choice(header: str, key: str, choices) -> Column:
    """A column holding a choice, exported as its label (as the page shows it)."""
    labels = dict(choices)
    return Column(header, lambda row: labels.get(row[key], row[key]))


def labels_by_owner(relation, owners, label: str = "name") -> dict[int, str]:
    """{owner pk: "A, B"} for a many-to-many relation (``Case.partners``), in one query for
    every owner; ``owners`` is a queryset of the owners (a subquery). ``label`` "label" reads an
    organisation's short name when it has one (``Organisation.label``), else its name. Labels
    come in the target's own ordering, as the pages list them."""
    m2m = relation.field
    owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    ordering = [f"{target}__{name}" for name in m2m.related_model._meta.ordering]
    names = [f"{target}__name", *([f"{target}__short_name"] if label == "label" else [])]
    rows = (
        relation.through.objects.filter(**{f"{owner}__in": owners.values("pk")})
        .order_by(*ordering, "pk")
        .values_list(f"{owner}_id", *names)
    )
    labels = defaultdict(list)
    for pk, name, *short in rows:
        labels[pk].append((short[0] if short else "") or name)
    return {pk: ", ".join(items) for pk, items in labels.items()}


class Export:
    """A register's export: the columns, and the rows of a filtered, sorted queryset.

    Subclasses set ``columns`` and, for plain registers, ``fields`` (the ``values()`` keys the
    columns read); ``prepare`` may gather to-many labels in a fixed number of queries first.
    """

    columns: list[Column] = []
    fields: tuple[str, ...] = ()

    def __init__(self, queryset):
        self.queryset = queryset

    def prepare(self):
        """Fetch what the rows need besides their own values (to-many labels)."""

    def records(self) -> Iterator:
        return self.queryset.prefetch_related(None).values(*self.fields).iterator(chunk_size=CHUNK_SIZE)

    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def rows(self) -> Iterator[list]:
        self.prepare()
        for record in self.records():
            yield [c.value(record) for c in self.columns]


def csv_cell(value, money: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Money always with its pence ("1234.50"); other figures as they are ("28").
        return f"{value:.2f}" if money else format(value.normalize(), "f")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file whose write() hands back the line, for csv.writer in a streamed response."""

    def write(self, value):
        return value


def csv_lines(export: Export) -> Iterator[str]:
    writer = csv.writer(Echo())
    money_flags = [c.money for c in export.columns]
    yield writer.writerow(export.header())
    for row in export.rows():
        yield writer.writerow([csv_cell(v, m) for v, m in zip(row, money_flags, strict=True)])


def csv_response(export: Export, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(sheet, value, money: bool):
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text stays text: never let a value starting "=" become a formula.
        cell.data_type = "s"
    elif isinstance(value, Decimal) and money:
        cell.number_format = '"£"#,##0.00'
    elif isinstance(value, date):
        cell.number_format = "d mmmm yyyy"
    return cell


# How often the worker records how far it has got (a row count update per this many rows).
PROGRESS_EVERY = 500


def write_xlsx(export: Export, file, title: str = "Register", progress: Callable[[int], None] | None = None):
    """Write the rows to ``file`` as a workbook in openpyxl's write-only mode (rows are not kept
    in memory). ``progress(rows written)`` is called every PROGRESS_EVERY rows and at the end.
    Returns the number of rows written (the header not counted)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on sheet names
    header = export.header()
    # Write-only sheets take widths before rows: wide enough for the header, money and dates.
    for c, column in enumerate(export.columns, start=1):
        width = max(len(column.header) + 2, 16 if column.money else 12)
        sheet.column_dimensions[get_column_letter(c)].width = min(60, width)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    money_flags = [c.money for c in export.columns]
    written = 0
    for row in export.rows():
        sheet.append([xlsx_cell(sheet, v, m) for v, m in zip(row, money_flags, strict=True)])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(file)
    if progress:
        progress(written)
    return written


class RegisterExportMixin:
    """Downloads of the filtered, sorted rows: ``?export=csv`` streams a CSV file in the request;
    a POST of ``export=xlsx`` (the "Download Excel" button) asks the worker for a workbook and
    sends the user to the export's page (commissioning/export_jobs.py).

    The view's ``export_class`` reads the rows; the table is still built, unpaginated, so the
    download is sorted exactly as the page (its ``?sort=`` included) but never rendered.
    """

    export_param = "export"
    export_name = "register"
    export_class: type[Export] | None = None

    @property
    def export_format(self) -> str | None:
        fmt = self.request.GET.get(self.export_param)
        return fmt if fmt == "csv" else None

    def get_table_pagination(self, table):
        if self.export_format:
            return False
        return super().get_table_pagination(table)

    def export_queryset(self):
        """The rows the register shows for this request, every page, in its order: what the
        worker exports. Filters as FilterView.get does; sorts as the table does."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table.data.data

    def post(self, request, *args, **kwargs):
        if request.POST.get(self.export_param) != "xlsx":
            return HttpResponseNotAllowed(["GET"])
        from commissioning.export_jobs import start_export

        job = start_export(request, title=self.register_title or self.export_name.capitalize())
        return redirect(job)

    def render_to_response(self, context, **response_kwargs):
        if self.export_format == "csv":
            export = self.export_class(context["table"].data.data)
            return csv_response(export, f"{self.export_name}-{date.today():%Y-%m-%d}")
        return super().render_to_response(context, **response_kwargs)


# The commissioning registers' exports. Each lists the table's columns in the table's order.


def officer_name(row) -> str:
    """User.get_full_name() or the username, from values() keys; blank without an officer."""
    if row["officer__username"] is None:
        return ""
    full = f"{row['officer__first_name']} {row['officer__last_name']}".strip()
    return full or row["officer__username"]


class CaseExport(Export):
    fields = (
        "pk",
        "reference",
        "title",
        "lead_commissioner__name",
        "stage",
        "status",
        "current_risk",
        "contract_ends",
        "officer__first_name",
        "officer__last_name",
        "officer__username",
    )

    def __init__(self, queryset):
        super().__init__(queryset)
        self.columns = [
            field("Reference", "reference"),
            field("Title", "title"),
            field("Lead commissioner", "lead_commissioner__name"),
            Column("Partners", lambda row: self.partners.get(row["pk"], "")),
            choice("Stage", "stage", Case.Stage.choices),
            choice("Status", "status", Case.Status.choices),
            choice("Risk", "current_risk", RiskLevel.choices),
            field("Contract ends", "contract_ends"),
            Column("Officer", officer_name),
        ]

    def prepare(self):
        self.partners = labels_by_owner(Case.partners, self.queryset, label="label")


RISK_FLAGS = ("risk_standard", "risk_medium", "risk_high")


class ServiceExport(Export):
    fields = (
        "pk",
        "name",
        "service_type",
        "commissioner__name",
        "risk_standard",
        "risk_medium",
        "risk_high",
        "tier_from",
        "tier_to",
        "accommodation_units",
        "latest_year",
        "latest_year_total",
    )

    def __init__(self, queryset):
        super().__init__(queryset)
        self.columns = [
            field("Service", "name"),
            choice("Type", "service_type", Service.Type.choices),
            field("Commissioner", "commissioner__name"),
            Column("Providers", lambda row: self.providers.get(row["pk"], "")),
            Column("Areas", lambda row: self.areas.get(row["pk"], "")),
            Column("Risk levels", lambda row: ", ".join(risk_levels(*(row[f] for f in RISK_FLAGS)))),
            Column("Tiers", lambda row: tiers_label(row["tier_from"], row["tier_to"])),
            field("Units", "accommodation_units"),
            field("Latest year", "latest_year"),
            field("Funding that year", "latest_year_total", money=True),
        ]

    def prepare(self):
        self.providers = labels_by_owner(Service.providers, self.queryset)
        self.areas = labels_by_owner(Service.areas, self.queryset)


class OrganisationExport(Export):
    fields = ("pk", "name", "short_name", "kind")

    def __init__(self, queryset):
        super().__init__(queryset)
        self.columns = [
            field("Name", "name"),
            field("Short name", "short_name"),
            choice("Type", "kind", Organisation.Kind.choices),
            Column(
                "Role",
                lambda row: "Commissioner" if row["kind"] in Organisation.COMMISSIONER_KINDS else "Provider",
            ),
            Column("Members", lambda row: self.members.get(row["pk"], "")),
        ]

    def prepare(self):
        self.members = labels_by_owner(Organisation.members, self.queryset, label="label")


def share(row) -> Decimal | None:
    """FundingContribution.share() from values(): of the declared pool, else the year's total."""
    pool = row["service__pooled_budget"]
    return money.percentage(row["amount"], pool if pool is not None else row["year_total"] or Decimal(0))


class FundingExport(Export):
    fields = (
        "financial_year",
        "service__name",
        "service__service_type",
        "funder_description",
        "commissioner__name",
        "budget_holder__name",
        "kind",
        "amount",
        "service__pooled_budget",
        "year_total",
        "ring_fenced_area__name",
        "grant_ends_on",
    )
    columns = [
        field("Year", "financial_year"),
        field("Service", "service__name"),
        choice("Type", "service__service_type", Service.Type.choices),
        Column("Funder", lambda row: row["funder_description"] or row["commissioner__name"]),
        field("Budget holder", "budget_holder__name"),
        choice("Kind", "kind", FundingContribution.Kind.choices),
        field("Amount", "amount", money=True),
        Column("Share", share),
        field("Ring-fenced to", "ring_fenced_area__name"),
        field("Grant ends", "grant_ends_on"),
    ]

    def records(self):
        # The service's whole pool for the year, every funder's row counted (not only the rows the
        # filter keeps): what Service.pool_for() adds up on the page.
        year_total = (
            FundingContribution.objects.filter(
                service=OuterRef("service"), financial_year=OuterRef("financial_year")
            )
            .order_by()
            .values("service")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        self.queryset = self.queryset.annotate(
            year_total=Subquery(year_total, output_field=DecimalField(**MONEY))
        )
        return super().records()
