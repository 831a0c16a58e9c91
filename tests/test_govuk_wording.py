"""Every error message a form shows is in GOV.UK wording, never one of Django's defaults.

Each page of tests/urlwalk.py with a form of its own (``form_pages()``) is fetched as a user who
may use it and its form read as a browser would submit it. It is then sent back with every text
box emptied, and with each field in turn given a few bad values: forty 9s, 1,000 characters,
"abc", "-1", 31 February 2024 in a date's boxes, a choice no list offers, and another record's
value where the field must be unique. Every message the answer shows (the error summary's items
and the lines next to the fields) is compared with Django's own default messages, read from
Django itself: its form fields, validators, model fields, formsets and model validation. Each
submission is rolled back, so the next starts from the same world.
"""

import inspect
import os
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import forms as auth_forms
from django.core import validators
from django.db import models, transaction
from django.db.models import UniqueConstraint
from django.db.models.constraints import BaseConstraint
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseModelFormSet

from tests.module_data import built_once
from tests.test_fuzz_forms import ROW_FIELD
from tests.urlwalk import build_world, fetch_form, form_pages

# The words come from the forms, not the database (a taken reference is looked up the same way on
# both): CI runs this walk once, in the SQLite pass, to keep its two passes within its time.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="error wording does not depend on the database: CI checks it in the SQLite pass",
)

TEXT_VALUES = ["9" * 40, "x" * 1000, "abc", "-1"]
HIDDEN_VALUES = ["abc", "9" * 40]
NOT_A_CHOICE = "999999"
CHOICE_TYPES = ("select-one", "select-multiple", "radio", "checkbox")
DATE_PART = re.compile(r"(?P<date>.+)_(?P<part>[012])")


# Django's default messages.
def _texts(message) -> list[str]:
    """A message as text; both forms of one that depends on a number ("at most 1 character")."""
    kwargs = getattr(message, "_kw", None) or {}
    if "singular" in kwargs and "plural" in kwargs:
        return [str(kwargs["singular"]), str(kwargs["plural"])]
    return [str(message)]


def _subclasses(base):
    for cls in base.__subclasses__():
        yield cls
        yield from _subclasses(cls)


def _django_classes(base):
    return [cls for cls in (base, *_subclasses(base)) if cls.__module__.startswith("django.")]


def django_default_messages() -> set[str]:
    """Every default message Django's forms and models can show an officer."""

    messages = []
    for base in (forms.Field, models.Field):
        for cls in _django_classes(base):
            for message in vars(cls).get("default_error_messages", {}).values():
                messages += _texts(message)
    # Validator classes and the instances Django makes of them (validate_slug, validate_email).
    for _name, validator in inspect.getmembers(validators):
        if message := getattr(validator, "message", None):
            messages += _texts(message)
        if isinstance(getattr(validator, "messages", None), dict):
            for message in validator.messages.values():
                messages += _texts(message)
    for cls in (BaseFormSet, BaseModelFormSet):
        for message in vars(cls).get("default_error_messages", {}).values():
            messages += _texts(message)
    messages += _texts(BaseConstraint.default_violation_error_message)
    # The account pages' forms (sign-in, passwords): their messages are a dict on the class.
    for _name, cls in inspect.getmembers(auth_forms, inspect.isclass):
        if isinstance(vars(cls).get("error_messages"), dict):
            for message in cls.error_messages.values():
                messages += _texts(message)
    # Model validation's messages, written inline in Model.unique_error_message and
    # BaseModelFormSet.get_*_error_message.
    messages += [
        "%(model_name)s with this %(field_label)s already exists.",
        "%(model_name)s with this %(field_labels)s already exists.",
        "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s.",
        "Please correct the duplicate data for %(field)s.",
        "Please correct the duplicate data for %(field)s, which must be unique.",
        "Please correct the duplicate data for %(field_name)s which must be unique for the %(lookup)s "
        "in %(date_field)s.",
        "Please correct the duplicate values below.",
        "The inline value did not match the parent instance.",
        "Select a valid choice. That choice is not one of the available choices.",
    ]
    return {m for m in messages if m.strip()}


PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sdrif]|\{\w*\}")


def as_pattern(message: str) -> re.Pattern:
    """A default message as a regex matching it whatever fills its placeholders, with or without
    its full stop."""
    texts = PLACEHOLDER.split(message.strip().rstrip("."))
    return re.compile(".+?".join(re.escape(text) for text in texts) + r"\.?", re.DOTALL)


# Fragments of Django's wording that no GOV.UK message uses, whatever follows them.
DJANGO_FRAGMENTS = re.compile(
    r"Enter a valid|Ensure this value|Ensure that there are|Select a valid choice|This field is required"
    r"|is not a valid|ManagementForm data|with this .+ already exists|Please correct the duplicate",
)


@pytest.fixture(scope="module")
def default_patterns():
    return [as_pattern(message) for message in sorted(django_default_messages())]


def is_django_default(message: str, patterns) -> bool:
    text = message.strip()
    return bool(DJANGO_FRAGMENTS.search(text)) or any(p.fullmatch(text) for p in patterns)


# Reading the messages a page shows.
class _ErrorParser(HTMLParser):
    """The error summary's items and the error lines next to the fields, as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.messages: list[str] = []
        self._depth = 0  # inside a message element: how deep
        self._hidden = 0
        self._text = ""
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        # A page drawn by Django's own templates lists a field's errors in <ul class="errorlist">.
        if "govuk-error-summary__list" in classes or "errorlist" in classes:
            self._in_summary = True
        if self._depth:
            self._depth += 1
            if "govuk-visually-hidden" in classes:
                self._hidden = self._depth
            if tag == "br":
                self._depth -= 1
                self._flush()
            return
        if "govuk-error-message" in classes or (self._in_summary and tag == "li"):
            self._depth = 1
            self._text = ""

    def handle_startendtag(self, tag, attrs):
        if self._depth and tag == "br":
            self._flush()

    def handle_data(self, data):
        if self._depth and not self._hidden:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self._in_summary and not self._depth:
            self._in_summary = False
        if not self._depth:
            return
        if self._hidden == self._depth:
            self._hidden = 0
        self._depth -= 1
        if not self._depth:
            self._flush()

    def _flush(self):
        text = " ".join(self._text.split())
        if text:
            self.messages.append(text)
        self._text = ""


def shown_errors(html: str) -> list[str]:
    parser = _ErrorParser()
    parser.feed(html)
    parser.close()
    return parser.messages


# Values that must be unique: another record's, to put in a field of the same name.
def unique_values() -> dict[str, list[str]]:
    """Field name -> a stored value of each model's text field of that name that is unique, alone
    or with others."""
    values: dict[str, list[str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith(("commissioning", "contracts", "consultations")):
            continue
        names = {f.name for f in model._meta.fields if f.unique and not f.primary_key}
        for together in model._meta.unique_together:
            names.update(together)
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                names.update(constraint.fields)
        for name in sorted(names):
            field = model._meta.get_field(name)
            if not isinstance(field, models.CharField | models.EmailField):
                continue
            # One of each model's: a contract's reference on the contract page, a case's on the case's.
            stored = model._base_manager.exclude(**{name: ""}).values_list(name, flat=True).first()
            if stored is not None and str(stored) not in values.setdefault(name, []):
                values[name].append(str(stored))
    return values


@pytest.fixture(scope="module")
def seeded_world(django_db_setup, django_db_blocker):
    def build():
        world = build_world()
        return world, unique_values()

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def world(seeded_world, db):
    return seeded_world


def fields_to_try(form) -> list[str]:
    """Every field but the CSRF token; of a formset's rows only the first: the others are the same
    fields again, with the same messages."""
    first: dict[str, int] = {}
    for name in form.fields:
        if match := ROW_FIELD.fullmatch(name):
            first[match["formset"]] = min(first.get(match["formset"], 10**9), int(match["row"]))
    names = []
    for name in form.fields:
        match = ROW_FIELD.fullmatch(name)
        if name != "csrfmiddlewaretoken" and (not match or int(match["row"]) == first[match["formset"]]):
            names.append(name)
    return names


def bad_values(form) -> list[tuple[str, dict]]:
    """(what was sent, the fields it changes) for each bad value of each field."""
    sends: list[tuple[str, dict]] = []
    dates = set()
    for name in fields_to_try(form):
        field = form.fields[name]
        if match := DATE_PART.fullmatch(name):
            dates.add(match["date"])
        if field.type in CHOICE_TYPES:
            values = [NOT_A_CHOICE]
        elif field.type == "hidden":
            values = HIDDEN_VALUES
        else:
            values = TEXT_VALUES
        sends += [(f"{name}={value[:20]!r}", {name: [value]}) for value in values]
    for name in sorted(dates):
        parts = {f"{name}_{i}": [value] for i, value in enumerate(("31", "02", "2024"))}
        if all(part in form.fields for part in parts):
            sends.append((f"{name}=31/02/2024", parts))
    return sends


def duplicate_values(form, as_sent: dict, unique: dict) -> list[tuple[str, dict]]:
    """Another record's value in each field whose name is that of a unique field."""
    sends = []
    for name in fields_to_try(form):
        if form.fields[name].type in CHOICE_TYPES + ("hidden",):
            continue
        own = as_sent.get(name, [""])[0]
        for value in unique.get(name.rsplit("-", 1)[-1], []):
            if value != own:
                sends.append((f"{name}={value!r} (another record's)", {name: [value]}))
    return sends


def send(client, url: str, method: str, data: dict) -> list[str]:
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    return shown_errors(response.content.decode())


@pytest.mark.parametrize(("name", "method"), sorted(form_pages().items()))
def test_every_error_message_is_in_govuk_wording(world, client, default_patterns, name, method):
    world, unique = world
    url, form = fetch_form(client, world, name, method)
    as_sent = form.data()
    emptied = {f.name: [""] for f in form.text_fields()}
    sends = [("every text box empty", emptied)]
    sends += bad_values(form) + duplicate_values(form, as_sent, unique)
    found = set()
    for what, changed in sends:
        messages = send(client, url, method, as_sent | changed)
        for message in messages:
            if is_django_default(message, default_patterns):
                found.add(f"{name}: {what}: {message[:200]}")
    assert not found, "Django's default wording shown:\n" + "\n".join(sorted(found))


def test_the_default_messages_are_recognised(default_patterns):
    """The list is read from Django: its best-known messages are on it, GOV.UK's are not."""
    for message in [
        "This field is required.",
        "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        "Case with this Reference already exists.",
        "Ensure that there are no more than 14 digits in total.",
        "Ensure this value has at most 50 characters (it has 51).",
        "Select a valid choice. 999999 is not one of the available choices.",
        "Enter a whole number.",
        "ManagementForm data is missing or has been tampered with. Missing fields: x. You may need to "
        "file a bug report if the issue persists.",
    ]:
        assert is_django_default(message, default_patterns), message
    for message in [
        "Enter the reference",
        "Reference must be 50 characters or fewer",
        "There is already a case with reference notts-2011",
        "Select the stage from the list",
        "Enter a real date",
    ]:
        assert not is_django_default(message, default_patterns), message


def test_error_messages_are_read_from_a_real_page(world, client):
    """Reading no message at all would pass any wording: the pages' markup is what the parser reads."""
    world, _unique = world
    url, form = fetch_form(client, world, "commissioning:case-create", "post")
    messages = send(client, url, "post", form.data() | {"reference": [""]})
    assert messages.count("Enter the reference") == 2  # in the summary and next to the field


def test_error_lines_are_read_from_the_page():
    html = (
        '<div class="govuk-error-summary"><ul class="govuk-list govuk-error-summary__list">'
        '<li><a href="#id_title">Enter the title</a></li><li>Rows: Too many</li></ul></div>'
        '<p id="id_title_error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> Enter the title<br><span class='govuk-visually-hidden'>Error:</span> Second</p>"
    )
    assert shown_errors(html) == ["Enter the title", "Rows: Too many", "Enter the title", "Second"]
