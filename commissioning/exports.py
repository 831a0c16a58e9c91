"""CSV and Excel downloads of a register: exactly the rows the current filter shows, every page.

A small exporter of our own rather than django-tables2's ``TableExport``: that needs tablib,
and we want money as real numbers in Excel and as "1234.50" in CSV, which it does not do.
"""

import csv
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_columns(table):
    return [c for c in table.columns.iterall() if c.visible and not c.column.exclude_from_export]


def export_rows(table):
    """The header row, then one row per record (all of them, ignoring pagination)."""
    columns = export_columns(table)
    yield [str(c.header) for c in columns]
    for row in table.rows:
        yield [row.get_cell_value(c.name) for c in columns]


def is_money(column) -> bool:
    return getattr(column.column, "money", False)


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


def csv_response(table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    money_flags = [is_money(c) for c in export_columns(table)]
    writer = csv.writer(response)
    rows = export_rows(table)
    writer.writerow(next(rows))
    for row in rows:
        writer.writerow([csv_cell(v, m) for v, m in zip(row, money_flags, strict=True)])
    return response


def xlsx_response(table, filename: str, title: str = "Register") -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    columns = export_columns(table)
    money_flags = [is_money(c) for c in columns]
    widths = [10] * len(columns)
    for r, row in enumerate(export_rows(table), start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            cell.value = value
            if isinstance(value, str):
                # Text stays text: never let a value starting "=" become a formula.
                cell.data_type = "s"
            elif isinstance(value, Decimal) and money_flags[c - 1]:
                cell.number_format = '"£"#,##0.00'
            elif isinstance(value, date):
                cell.number_format = "d mmmm yyyy"
            widths[c - 1] = min(60, max(widths[c - 1], len(str(value or "")) + 2))
            if r == 1:
                cell.font = Font(bold=True)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class RegisterExportMixin:
    """Answers ``?export=csv`` or ``?export=xlsx`` with the filtered, sorted table as a file."""

    export_param = "export"
    export_name = "register"

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get(self.export_param)
        if fmt in ("csv", "xlsx"):
            table = context["table"]
            filename = f"{self.export_name}-{date.today():%Y-%m-%d}"
            if fmt == "csv":
                return csv_response(table, filename)
            return xlsx_response(table, filename, title=self.export_name.replace("-", " ").capitalize())
        return super().render_to_response(context, **response_kwargs)
