"""Reading a survey tool's export (CSV or Excel) into a consultation's responses.

The file is streamed: a CSV through a text wrapper, a workbook with openpyxl's read-only mode.
Rows are numbered as a spreadsheet shows them (the header is row 1). The import is all or
nothing: every row is checked, each error names its row and column, and nothing is saved
unless every row is clean. A response ID already stored, or given twice, is an error.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.db import transaction
from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history

from commissioning.models import Area, Case, Option

from .models import POSTCODE_DISTRICT, Consultation, ImportMapping, Response

# The answers a column can hold: key, label, required.
RESPONSE_FIELDS = [
    ("response_id", "Response ID", True),
    ("respondent_type", "Respondent type", False),
    ("channel", "Channel", False),
    ("received_on", "Date", False),
    ("area", "Area or postcode district", False),
    ("option", "Preferred option", False),
    ("scale", "Scale answer", False),
    ("comment", "Comment", False),
    ("consent_to_quote", "Consent to quote", False),
    ("anonymous", "Anonymous", False),
]
FIELD_KEYS = [key for key, _, _ in RESPONSE_FIELDS]
SCALE_MAX = 10
BATCH = 1000
MAX_ERRORS = 200  # listed; the count says how many more
SUFFIXES = (".csv", ".xlsx")


class ImportFileError(ValueError):
    """The file cannot be read at all (not CSV or Excel, no header row)."""


# Reading the file.
def detect_encoding(binary) -> str:
    """UTF-8 (with or without a byte-order mark) if the whole file decodes as it, else Windows-1252;
    read in chunks, so a large file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    binary.seek(0)
    try:
        while chunk := binary.read(1 << 16):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    binary.seek(0)
    return encoding


def _cell(value) -> str | date:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(text) -> Iterator[list]:
    try:
        reader = csv.reader(text)
        try:
            for row in reader:
                yield [_cell(v) for v in row]
        except csv.Error as error:
            raise ImportFileError(f"Row {reader.line_num + 1} could not be read: {error}") from error
    finally:
        # Leave the caller's file open (a wrapper closes what it wraps when it is collected).
        text.detach()


def open_table(binary, name: str) -> tuple[list[str], Iterator[list]]:
    """The header and an iterator over the rows (lists of cells) of a CSV or .xlsx file."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(io.TextIOWrapper(binary, encoding=detect_encoding(binary), newline=""))
    elif suffix == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(binary, read_only=True, data_only=True)
        except Exception as error:  # a zip that is not a workbook, a damaged file
            raise ImportFileError(f"{name} could not be read as an Excel workbook") from error
        rows = ([_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True))
    else:
        raise ImportFileError("The file must be a CSV file or an Excel workbook (.xlsx)")
    try:
        header = [str(h).strip() for h in next(rows)]
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(f"{name} has no header row") from error
    if not any(header):
        raise ImportFileError(f"{name} has no header row")
    return header, rows


# Reading each value.
def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _choices(choices, aliases: dict) -> dict:
    table = {_key(label): value for value, label in choices if value}
    table |= {_key(value): value for value, _ in choices if value}
    table |= {_key(alias): value for alias, value in aliases.items()}
    return table


RESPONDENT_TYPES = _choices(
    Response.RespondentType.choices,
    {
        "public": "public",
        "resident": "public",
        "member of public": "public",
        "survivor": "survivor",
        "service user": "survivor",
        "victim": "survivor",
        "provider organisation": "provider",
        "partner": "partner",
        "partner organisation": "partner",
        "councillor": "member",
        "elected member": "member",
    },
)
CHANNELS = _choices(
    Response.Channel.choices,
    {
        "online": "online",
        "web": "online",
        "web survey": "online",
        "paper": "paper",
        "hard copy": "paper",
        "hard copy survey": "paper",
        "email": "email",
        "consultation event": "event",
    },
)
YES = {"yes", "y", "true", "1", "agree", "i agree", "consent", "consented"}
NO = {"no", "n", "false", "0", "", "do not agree", "disagree"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*[0-9][A-Z]{2}$")


def parse_date(value) -> date:
    if isinstance(value, date):
        return value
    text = value.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-", value) else value
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    # "01/12/2026 14:05" from a survey tool: the date part.
    head = value.split(" ")[0]
    if head != value:
        return parse_date(head)
    raise ValueError(f"'{value}' is not a date (use 2026-12-01 or 01/12/2026)")


class Vocabulary:
    """What this consultation's values can be: the case's options, the areas."""

    def __init__(self, consultation: Consultation):
        self.options = {}
        for option in Option.objects.filter(appraisal__case_id=consultation.case_id).order_by("pk"):
            label = option.label.strip().strip("()")
            for name in (option.name, str(option), f"Option {label}", label):
                self.options.setdefault(_key(name), option)
        # The shared areas and the lead commissioner's own, never another organisation's; a
        # shared area wins a name both have (owned areas come first, shared ones overwrite them).
        lead_id = Case.objects.filter(pk=consultation.case_id).values("lead_commissioner_id")
        areas = Area.objects.filter(Q(owner=None) | Q(owner_id__in=lead_id)).order_by(
            F("owner_id").desc(nulls_last=True)
        )
        self.areas = {_key(a.name): a for a in areas}

    def option(self, value: str):
        option = self.options.get(_key(value))
        if option is None:
            raise ValueError(f"'{value}' is not one of this case's options")
        return option

    def area(self, value: str) -> tuple:
        """(area, postcode district): a named area, or a postcode's district (a full postcode is
        cut to its district here and never stored)."""
        if area := self.areas.get(_key(value)):
            return area, ""
        code = value.upper().strip()
        if re.fullmatch(POSTCODE_DISTRICT, code):
            return None, code
        if match := FULL_POSTCODE.match(code):
            return None, match[1]
        raise ValueError(f"'{value}' is neither an area nor a postcode district (like NG5)")


def _choice(table: dict, what: str):
    def read(value: str) -> str:
        if not value:
            return ""
        try:
            return table[_key(value)]
        except KeyError:
            raise ValueError(f"'{value}' is not a {what}") from None

    return read


def _flag(value: str) -> bool:
    text = _key(str(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"'{value}' is not yes or no")


def _scale(value) -> int | None:
    if value == "":
        return None
    text = str(value)
    if not re.fullmatch(r"\d{1,2}", text) or int(text) > SCALE_MAX:
        raise ValueError(f"'{value}' is not a whole number from 0 to {SCALE_MAX}")
    return int(text)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return f"Row {self.row}, column '{self.column}': {self.message}"
        return f"Row {self.row}: {self.message}"


@dataclass
class ReadRow:
    number: int
    values: dict  # field -> what will be stored (display form)
    response: Response | None
    errors: list[RowError] = field(default_factory=list)


class Reader:
    """Turns rows into unsaved Responses of ``consultation`` by a mapping of field -> header."""

    def __init__(self, consultation: Consultation, header: list[str], mapping: dict):
        self.consultation = consultation
        self.vocabulary = Vocabulary(consultation)
        self.mapping = {key: column for key, column in mapping.items() if column and key in FIELD_KEYS}
        missing = [column for column in self.mapping.values() if column not in header]
        if missing:
            raise ImportFileError(f"The file has no column '{missing[0]}'")
        if "response_id" not in self.mapping:
            raise ImportFileError("Choose the column that holds each response's ID")
        self.index = {key: header.index(column) for key, column in self.mapping.items()}
        self.readers = {
            "respondent_type": _choice(RESPONDENT_TYPES, "respondent type"),
            "channel": _choice(CHANNELS, "channel"),
            "received_on": lambda v: parse_date(v) if v else None,
            "option": lambda v: self.vocabulary.option(v) if v else None,
            "area": lambda v: self.vocabulary.area(v) if v else (None, ""),
            "scale": _scale,
            "consent_to_quote": _flag,
            "anonymous": _flag,
        }

    def read(self, number: int, cells: list) -> ReadRow:
        values, errors = {}, []
        for key, position in self.index.items():
            raw = cells[position] if position < len(cells) else ""
            if key in ("response_id", "comment"):
                values[key] = str(raw).strip() if not isinstance(raw, date) else raw.isoformat()
                continue
            try:
                values[key] = self.readers[key](raw)
            except ValueError as error:
                errors.append(RowError(number, self.mapping[key], str(error)))
        if not values.get("response_id"):
            errors.append(RowError(number, self.mapping["response_id"], "no response ID"))
        elif len(values["response_id"]) > 100:
            errors.append(
                RowError(number, self.mapping["response_id"], "a response ID of over 100 characters")
            )
        if errors:
            return ReadRow(number, values, None, errors)
        area, district = values.pop("area", (None, ""))
        response = Response(consultation=self.consultation, area=area, postcode_district=district, **values)
        values["area"] = area.name if area else district
        return ReadRow(number, values, response)


def preview(consultation, binary, name, mapping, rows: int = 10) -> tuple[list[str], list[ReadRow]]:
    header, table = open_table(binary, name)
    reader = Reader(consultation, header, mapping)
    shown = []
    for number, cells in enumerate(table, start=2):
        if len(shown) == rows:
            break
        if any(cells):
            shown.append(reader.read(number, cells))
    return header, shown


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def import_responses(
    consultation, binary, name: str, mapping: dict, *, tool: str = "", by=None
) -> ImportResult:
    """Read every row, save in batches inside one transaction, and roll it all back if any row has
    an error; a clean import remembers the mapping for ``tool``."""
    result = ImportResult()
    header, table = open_table(binary, name)
    reader = Reader(consultation, header, mapping)
    id_column = reader.mapping["response_id"]
    stored = set(consultation.responses.values_list("response_id", flat=True))
    seen: dict[str, int] = {}
    batch: list[Response] = []

    def fail(error: RowError):
        result.error_count += 1
        if len(result.errors) < MAX_ERRORS:
            result.errors.append(error)

    with transaction.atomic():
        for number, cells in enumerate(table, start=2):
            if not any(cells):
                continue  # a blank line at the end of a file
            row = reader.read(number, cells)
            for error in row.errors:
                fail(error)
            response_id = row.values.get("response_id")
            if response_id in stored:
                fail(RowError(number, id_column, f"response '{response_id}' is already imported"))
                continue
            if response_id in seen:
                fail(
                    RowError(
                        number, id_column, f"response '{response_id}' is also on row {seen[response_id]}"
                    )
                )
                continue
            if response_id:
                seen[response_id] = number
            if row.response is None or result.error_count:
                continue  # keep reading, to report every error; nothing more will be saved
            batch.append(row.response)
            if len(batch) == BATCH:
                bulk_create_with_history(batch, Response, batch_size=BATCH, default_user=by)
                result.imported += len(batch)
                batch = []
        if batch and not result.error_count:
            bulk_create_with_history(batch, Response, batch_size=BATCH, default_user=by)
            result.imported += len(batch)
        if result.error_count:
            result.imported = 0
            transaction.set_rollback(True)
        elif tool:
            ImportMapping.objects.update_or_create(
                consultation=consultation, tool=tool, defaults={"columns": reader.mapping}
            )
    return result


def guess_mapping(header: list[str]) -> dict:
    """A first guess from the headers' words, for a tool not seen before."""
    words = {
        "response_id": ("response id", "id", "reference", "respondent id", "response number"),
        "respondent_type": ("respondent type", "type", "are you", "responding as", "capacity"),
        "channel": ("channel", "how", "method", "source"),
        "received_on": ("date", "submitted", "received", "completed"),
        "area": ("area", "district", "postcode", "where"),
        "option": ("option", "prefer", "preferred"),
        "scale": ("scale", "rating", "score", "agree"),
        "comment": ("comment", "comments", "anything else", "other", "views"),
        "consent_to_quote": ("consent", "quote"),
        "anonymous": ("anonymous", "anonymity"),
    }
    guess, taken = {}, set()
    for key, hints in words.items():
        for column in header:
            if column in taken:
                continue
            text = _key(column)
            if text in hints or any(h in text.split() or (" " in h and h in text) for h in hints):
                guess[key] = column
                taken.add(column)
                break
    return guess
