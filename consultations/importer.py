"""Reading a survey tool's export (CSV or Excel) into a consultation's responses.

The file is streamed: a CSV through a text wrapper, a workbook with openpyxl's read-only mode.
Rows are numbered as a spreadsheet shows them (the header is row 1). The import is all or
nothing: every row is checked, each error names its row and column, and nothing is saved
unless every row is clean. A response ID already stored, or given twice, is an error.
"""

import codecs
import csv
import io
import pickle
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

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
BATCH = 2000  # rows inserted at a time
IN_LIST = 500  # response IDs named in one query (SQLite allows 999 parameters in old versions)
PROGRESS_EVERY = 5000  # rows checked between reports of progress
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


CACHE_LIMIT = 10_000  # distinct values remembered per column (types, options, dates repeat)


def _cached(read):
    """``read`` remembering what each distinct value read as (or the error it gave): a survey's
    columns repeat the same few answers, so each is worked out once, not once a row."""
    cache: dict = {}

    def cached(raw):
        try:
            ok, value = cache[raw]
        except KeyError:
            try:
                ok, value = True, read(raw)
            except ValueError as error:
                ok, value = False, str(error)
            if len(cache) < CACHE_LIMIT:
                cache[raw] = ok, value
        if not ok:
            raise ValueError(value)
        return value

    return cached


class Reader:
    """Turns rows into the values of Responses of ``consultation`` by a mapping of field -> header."""

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
        readers = {
            "respondent_type": _choice(RESPONDENT_TYPES, "respondent type"),
            "channel": _choice(CHANNELS, "channel"),
            "received_on": lambda v: parse_date(v) if v else None,
            "option": lambda v: self.vocabulary.option(v) if v else None,
            "area": lambda v: self.vocabulary.area(v) if v else (None, ""),
            "scale": _scale,
            "consent_to_quote": _flag,
            "anonymous": _flag,
        }
        self.readers = {key: _cached(read) for key, read in readers.items()}
        # (field, column header, position in the row, reader or None for text kept as written)
        self.columns = [
            (key, self.mapping[key], position, self.readers.get(key)) for key, position in self.index.items()
        ]

    def values(self, number: int, cells: list) -> tuple[dict, list[RowError]]:
        """The row's values by field (``area`` as an (area, postcode district) pair), and its errors."""
        values, errors = {}, []
        width = len(cells)
        for key, column, position, read in self.columns:
            raw = cells[position] if position < width else ""
            if read is None:
                values[key] = raw.isoformat() if isinstance(raw, date) else str(raw).strip()
                continue
            try:
                values[key] = read(raw)
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        response_id = values.get("response_id")
        if not response_id:
            errors.append(RowError(number, self.mapping["response_id"], "no response ID"))
        elif len(response_id) > 100:
            errors.append(
                RowError(number, self.mapping["response_id"], "a response ID of over 100 characters")
            )
        return values, errors

    def read(self, number: int, cells: list) -> ReadRow:
        """The row as the preview shows it: an unsaved Response, or its errors."""
        values, errors = self.values(number, cells)
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
    rows: int = 0  # rows read (blank lines not counted)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def fail(self, error: RowError):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


def count_rows(binary, name: str) -> int | None:
    """About how many rows a file holds below its header, read cheaply for a progress bar: a CSV's
    lines (a comment written over several lines counts more than once), a workbook's stated size."""
    suffix = PurePath(name).suffix.lower()
    binary.seek(0)
    try:
        if suffix == ".csv":
            lines, last = 0, b""
            while chunk := binary.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk
            return max(lines - (1 if last.endswith(b"\n") else 0), 0)
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(binary, read_only=True)
            rows = book.worksheets[0].max_row
            book.close()
            return rows - 1 if rows else None
    except Exception:  # a damaged file: reading it properly says why
        return None
    finally:
        binary.seek(0)
    return None


class _Saver:
    """Inserts checked rows and their history rows with plain SQL, many at a time.

    ``bulk_create`` spends most of an import's time building each row's SQL; here the rows
    are already checked values, so they go in as parameter tuples (``executemany``), and each
    batch's history rows are copied from the rows just inserted (``INSERT ... SELECT``), with
    who and when, as ``bulk_create_with_history`` would record them.
    """

    def __init__(self, consultation, by):
        self.consultation = consultation
        self.fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.name: f.get_default() for f in self.fields}
        self.by = by.pk if by is not None and by.is_authenticated else None
        self.columns = [f.column for f in self.fields]

    def row(self, values: dict) -> tuple:
        """The parameters of one row's INSERT, from ``Reader.values``."""
        values = dict(values)
        area, values["postcode_district"] = values.pop("area", (None, ""))
        values["area"] = area.pk if area else None
        if (option := values.get("option")) is not None:
            values["option"] = option.pk
        values["consultation"] = self.consultation.pk
        return tuple(values[f.name] if f.name in values else self.defaults[f.name] for f in self.fields)

    def save(self, rows: list[tuple]) -> None:
        ops, quote = connection.ops, connection.ops.quote_name
        dated = {i for i, f in enumerate(self.fields) if f.get_internal_type() == "DateField"}
        if dated:
            rows = [
                tuple(ops.adapt_datefield_value(v) if i in dated else v for i, v in enumerate(row))
                for row in rows
            ]
        # Many rows to a statement (as many as the database takes parameters for).
        per_statement = max(
            1, min(BATCH, (connection.features.max_query_params or 30_000) // len(self.fields))
        )
        row_marks = "({})".format(", ".join(["%s"] * len(self.fields)))
        insert = "INSERT INTO {} ({}) VALUES ".format(
            quote(Response._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        )
        # The history rows: every field copied from the row just inserted, and who, when, "+".
        history = Response.history.model
        extra = {
            "history_date": ops.adapt_datetimefield_value(timezone.now()),
            "history_user": self.by,
            "history_type": "+",
            "history_change_reason": None,
        }
        targets, sources, params = [], [], []
        for f in history._meta.concrete_fields:
            if f.name == "history_id":
                continue
            targets.append(quote(f.column))
            if f.name in extra:
                sources.append("%s")
                params.append(extra[f.name])
            else:
                sources.append("r." + quote(Response._meta.get_field(f.name).column))
        position = [f.name for f in self.fields].index("response_id")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: psycopg sends the rows without building a statement of every value.
                columns = ", ".join(quote(f.column) for f in self.fields)
                with cursor.cursor.copy(
                    f"COPY {quote(Response._meta.db_table)} ({columns}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                for start in range(0, len(rows), per_statement):
                    part = rows[start : start + per_statement]
                    cursor.execute(
                        insert + ", ".join([row_marks] * len(part)), [v for row in part for v in row]
                    )
            copy_history = "INSERT INTO {} ({}) SELECT {} FROM {} r WHERE r.{} = %s AND r.{} ".format(
                quote(history._meta.db_table),
                ", ".join(targets),
                ", ".join(sources),
                quote(Response._meta.db_table),
                quote(Response._meta.get_field("consultation").column),
                quote(Response._meta.get_field("response_id").column),
            )
            ids = [row[position] for row in rows]
            if connection.vendor == "postgresql":  # the batch's IDs as one array parameter
                cursor.execute(copy_history + "= ANY(%s)", [*params, self.consultation.pk, ids])
                return
            for start in range(0, len(ids), IN_LIST):
                part = ids[start : start + IN_LIST]
                cursor.execute(
                    copy_history + "IN ({})".format(", ".join(["%s"] * len(part))),
                    [*params, self.consultation.pk, *part],
                )


def import_responses(
    consultation, binary, name: str, mapping: dict, *, tool: str = "", by=None, progress=None
) -> ImportResult:
    """Check every row, then, only when every row is clean, save them all in one transaction; a
    clean import remembers the mapping for ``tool``.

    The file is read once, a row at a time; the checked rows wait in a temporary file (not in
    memory) until the last row is known to be clean. ``progress(rows_read)`` is called every
    PROGRESS_EVERY rows while checking.
    """
    result = ImportResult()
    header, table = open_table(binary, name)
    reader = Reader(consultation, header, mapping)
    saver = _Saver(consultation, by)
    id_column = reader.mapping["response_id"]
    stored = set(consultation.responses.values_list("response_id", flat=True))
    seen: dict[str, int] = {}
    batch: list[tuple] = []
    with tempfile.TemporaryFile() as spool:
        for number, cells in enumerate(table, start=2):
            if not any(cells):
                continue  # a blank line at the end of a file
            result.rows += 1
            if progress is not None and result.rows % PROGRESS_EVERY == 0:
                progress(result.rows)
            values, errors = reader.values(number, cells)
            for error in errors:
                result.fail(error)
            response_id = values.get("response_id")
            if response_id in stored:
                result.fail(RowError(number, id_column, f"response '{response_id}' is already imported"))
                continue
            if response_id in seen:
                message = f"response '{response_id}' is also on row {seen[response_id]}"
                result.fail(RowError(number, id_column, message))
                continue
            if response_id:
                seen[response_id] = number
            if result.error_count:
                continue  # keep reading, to report every error; nothing will be saved
            batch.append(saver.row(values))
            if len(batch) == BATCH:
                pickle.dump(batch, spool, pickle.HIGHEST_PROTOCOL)
                batch = []
        if progress is not None:
            progress(result.rows)
        if not result.ok:
            return result
        del seen, stored
        if batch:
            pickle.dump(batch, spool, pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        with transaction.atomic():
            while True:
                try:
                    rows = pickle.load(spool)
                except EOFError:
                    break
                saver.save(rows)
                result.imported += len(rows)
            if tool:
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
