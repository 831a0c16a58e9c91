"""Reading a case file: YAML with every value's key path and line, so each error can name both.

``Item`` wraps one mapping of the file. Its readers (``text``, ``date``, ``money`` ...) return the
value in the form the models take, or record an error and return the default, so one pass over
the file finds every mistake in it rather than stopping at the first.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from commissioning import money

TRUE_WORDS = {"true", "yes"}
FALSE_WORDS = {"false", "no"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self):
        if self.path:
            where = f"{self.path} (line {self.line})" if self.line else self.path
        else:
            where = f"line {self.line}" if self.line else ""
        return f"{where}: {self.message}" if where else self.message


class CaseFileInvalid(Exception):
    """The file has mistakes; nothing was saved. ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def parse(text: str) -> CommentedMap:
    """The file's top-level mapping, or CaseFileInvalid naming the line YAML could not read."""
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise CaseFileInvalid([Problem("", line, f"this is not valid YAML: {error.problem}")]) from None
    if not isinstance(data, CommentedMap):
        raise CaseFileInvalid([Problem("", 1, "a case file is a set of keys such as format:, case:")])
    return data


def _line_of_key(data, key) -> int | None:
    try:
        return data.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _line_of_index(data, index) -> int | None:
    try:
        return data.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def describe(value) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


class Item:
    """One mapping of the file: its path ("decisions[2]"), its line, and typed readers.

    Positions in paths count from 1, as a person counts: ``decisions[2]`` is the second decision.
    """

    def __init__(self, data, path: str, line: int | None, problems: list[Problem]):
        self.data = data if isinstance(data, dict) else {}
        self.path = path
        self.line = line
        self.problems = problems
        self.ok = True  # False once a value of this item (not of its children) is wrong

    # Errors.
    def key_path(self, key) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def key_line(self, key) -> int | None:
        # "uplift.percent": the line of "uplift:" is near enough.
        first = key.split(".")[0] if isinstance(key, str) else key
        return _line_of_key(self.data, first) or self.line

    def error(self, key, message, *, index=None, blocks=True):
        """Record a problem at ``key`` (the item itself when empty). ``blocks``: the row cannot be
        written without this value; a wrong name in a list of links (a partner, an area) does
        not stop the row, so the rest of the file is still checked."""
        path = self.key_path(key) if key else self.path
        line = self.key_line(key) if key else self.line
        if index is not None:
            path = f"{path}[{index + 1}]"
            line = _line_of_index(self.data.get(key), index) or line
        self.problems.append(Problem(path, line, message))
        self.ok = self.ok and not blocks

    def has(self, key) -> bool:
        return key in self.data and self.data[key] is not None

    def check_keys(self, allowed, what: str, required=()):
        """Refuse keys this kind of entry does not have (a typo would otherwise be lost)."""
        for key in self.data:
            if key not in allowed:
                self.error(key, f"unknown key '{key}' for {what}; the keys are: {', '.join(allowed)}")
        for key in required:
            if not self.has(key):
                self.error("", f"enter the {key} of {what} ('{key}:' is missing)")

    # Readers. Each returns ``default`` when the key is absent, and records a problem (returning
    # the default) when its value is wrong.
    def raw(self, key, default=None):
        return self.data.get(key, default) if self.has(key) else default

    def text(self, key, default="", max_length=None) -> str:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, date):
            value = value.isoformat()  # a reference or label that YAML took for a date
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(key, "enter text")
            return default
        value = str(value)
        if max_length and len(value) > max_length:
            self.error(key, f"must be {max_length} characters or fewer; this is {len(value)}")
            return default
        return value

    def integer(self, key, default=None, minimum=0):
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"enter a whole number, like 12; not {describe(value)}")
            return default
        if minimum is not None and value < minimum:
            self.error(key, f"must be {minimum} or more")
            return default
        return int(value)

    def boolean(self, key, default=None):
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        self.error(key, f"enter true or false; not {describe(value)}")
        return default

    def date(self, key, default=None):
        value = self.raw(key)
        if value is None:
            return default
        return self.as_date(key, value, default)

    def as_date(self, key, value, default=None, index=None):
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(
            key, f"enter a date as year-month-day, like 2011-10-13; not {describe(value)}", index=index
        )
        return default

    def money(self, key, default=None) -> Decimal | None:
        """Pounds as written: "231,300", "231300.00" or "£231,300", read by ``money.to_decimal``.
        Never a float: 0.1 cannot be held exactly in one, so a file's decimals must be quoted."""
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, float) or isinstance(value, bool):
            self.error(key, f'write amounts in quotes, like "231,300" or "231300.00"; not {value}')
            return default
        try:
            amount = money.to_decimal(value)
        except ValidationError as error:
            self.error(key, error.messages[0])
            return default
        if amount < 0:
            self.error(key, "enter an amount of £0 or more")
            return default
        return amount

    def percent(self, key, default=None) -> Decimal | None:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool):
            self.error(key, 'enter a percentage, like 2 or "2.5"')
            return default
        try:
            # A float is read as it was written (2.5 is "2.5"), not as its binary value.
            number = Decimal(str(value).strip().removesuffix("%"))
        except InvalidOperation:
            self.error(key, f'enter a percentage, like 2 or "2.5"; not {describe(value)}')
            return default
        return number

    def figure(self, key, default=None) -> Decimal | None:
        """A published figure (a count, a rate, a percentage): 8400, "8,400" or 11.2. A number
        with a point is read as it was written (11.2 is "11.2"), not as its binary value."""
        value = self.raw(key)
        if value is None:
            return default
        text = "" if isinstance(value, bool) else str(value).strip().replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(key, f'enter a number, like 8400, "8,400" or 11.2; not {describe(value)}')
            return default
        return number

    def choice(self, key, choices, default="", what="value"):
        """One of a model's choices, by its stored value (county_council, refuge ...)."""
        value = self.raw(key)
        if value is None:
            return default
        values = [c for c in choices if c != ""]
        if value not in values:
            self.error(key, f"{describe(value)} is not a {what}; choose one of: {', '.join(values)}")
            return default
        return value

    def strings(self, key) -> list[str]:
        """A list of names or lines. One name alone may be written without the list."""
        value = self.raw(key)
        if value is None:
            return []
        if isinstance(value, str | int):
            return [str(value)]
        if not isinstance(value, list):
            self.error(key, "enter a list, one entry a line starting with '- '")
            return []
        result = []
        for index, entry in enumerate(value):
            if isinstance(entry, str | int) and not isinstance(entry, bool):
                result.append(str(entry))
            else:
                self.error(key, "enter text", index=index)
        return result

    def items(self, key, what: str) -> list["Item"]:
        """A list of entries, each a set of keys."""
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"enter a list of {what}, each starting with '- '")
            return []
        result = []
        for index, entry in enumerate(value):
            path = f"{self.key_path(key)}[{index + 1}]"
            line = _line_of_index(value, index)
            if not isinstance(entry, dict):
                self.problems.append(Problem(path, line, f"enter the keys of {what}, like 'name: ...'"))
                continue
            result.append(Item(entry, path, line, self.problems))
        return result

    def mapping(self, key, what: str) -> "Item | None":
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, f"enter the keys of {what} on the lines below it, indented")
            return None
        return Item(value, self.key_path(key), self.key_line(key), self.problems)

    def line_of(self, key, index) -> int | None:
        return _line_of_index(self.data.get(key), index) or self.key_line(key)


__all__ = ["CaseFileInvalid", "CommentedMap", "CommentedSeq", "Item", "Problem", "parse"]
