"""Form fields for what officers type: money in pounds, dates as day, month and year, and whole
numbers (ages, tiers, units, weeks, counts).

They render through the GOV.UK templates of commissioning.forms_renderer and speak in the GOV.UK
Design System's error style ("Enter a real date", "Start date must include a month").
"""

import functools
import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from . import money

# Dates officers type are about services that exist now or are planned: a year outside this
# range is a slip ("0201" for "2021"), though Python and the database would store it.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def field_subject(label, name: str = "") -> str:
    """What an error message calls a field: its label without "(optional)" or any other aside
    in brackets at the end ("Minimum age (optional)" -> "Minimum age")."""
    text = str(label or name.replace("_", " ").capitalize())
    return re.sub(r"\s*\([^()]*\)\s*$", "", text.replace("(optional)", "")).strip()


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class MoneyInput(forms.TextInput):
    """A text box with a "£" prefix. Text, not type=number: officers type "£1,234.50"."""

    prefix = "£"
    suffix = ""

    def __init__(self, attrs=None):
        defaults = {"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # Show a stored amount the way it was written: 231300 -> "231,300", 1234.5 -> "1,234.50".
        if isinstance(value, Decimal):
            return money.format_money(value).replace("£", "")
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """Pounds and pence as Decimal: accepts "£1,234.50", "1234.5" and "1,234"."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": money.INVALID_AMOUNT,
        "max_decimal_places": money.TOO_MANY_PLACES,
    }

    def __init__(self, *, max_digits=money.MAX_DIGITS, decimal_places=money.DECIMAL_PLACES, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return money.to_decimal(value)
        except ValidationError as error:
            # Keep money.py's wording, which names the format to use.
            raise ValidationError(error.messages[0], code=error.code or "invalid") from None

    def widget_attrs(self, widget):
        # DecimalField would add step/min/max for a number input; ours is a text box.
        return forms.Field.widget_attrs(self, widget)


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input)."""

    template_name = "govuk/forms/widgets/date_input.html"
    use_fieldset = True
    parts = (("Day", 2), ("Month", 2), ("Year", 4))

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["has_error"] = widget["attrs"].get("aria-invalid") == "true"
        for sub, (label, width) in zip(widget["subwidgets"], self.parts, strict=True):
            sub["label"] = label
            sub["width"] = width
        return context

    def id_for_label(self, id_):
        # The label of the group is a legend; the error summary links to the day box.
        return f"{id_}_0" if id_ else id_


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages.

    Pass ``label`` so messages can name the date ("Start date must include a month").
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter a date",
        "invalid": "Enter a real date",
        "year": "Year must include 4 numbers",
        "year_range": f"Year must be between {EARLIEST_YEAR} and {LATEST_YEAR}",
        "digits": "Enter the date using the digits 0 to 9",
    }

    def __init__(self, **kwargs):
        parts = (forms.CharField(required=False),) * 3
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def clean(self, value):
        day, month, year = (str(part).strip() if part is not None else "" for part in (value or [None] * 3))
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        subject = field_subject(self.label) or "The date"
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{subject} must include a {' and a '.join(missing)}", code="incomplete")
        if money.typed_with_other_digits(day + month + year):
            raise ValidationError(self.error_messages["digits"], code="digits")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        # A 20-digit day or month would overflow date() (OverflowError, not ValueError).
        if len(day) > 2 or len(month) > 2:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            raise ValidationError(self.error_messages["year_range"], code="year_range")
        try:
            cleaned = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        self.validate(cleaned)
        self.run_validators(cleaned)
        return cleaned

    def validate(self, value):
        # MultiValueField.validate is a no-op; required-ness is handled in clean().
        pass

    def compress(self, data_list):
        day, month, year = data_list
        return date(int(year), int(month), int(day))

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)


@functools.cache
def django_defaults() -> dict[str, set[str]]:
    """Django's own message for each error code of its form fields, to tell them from ours.
    Read on first use: translating them needs the app registry ready."""
    found: dict[str, set[str]] = {}
    classes = [forms.Field]
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        if cls.__module__.startswith("django."):
            for code, message in vars(cls).get("default_error_messages", {}).items():
                found.setdefault(code, set()).add(str(message))
    return found


def _limit(field, validator_class):
    limits = [v.limit_value for v in field.validators if isinstance(v, validator_class)]
    limits = [limit() if callable(limit) else limit for limit in limits]
    if not limits:
        return None
    return min(limits) if validator_class is MaxValueValidator else max(limits)


def _number(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


class Wording(str):
    """A message that is already complete: Django's ``message % params`` leaves it as it is, so a
    label with a "%" in it ("Inflation uplift, %") cannot break the formatting."""

    def __mod__(self, params):
        return str(self)


def govuk_messages(field: forms.Field, name: str = "") -> None:
    """Give a field GOV.UK messages that name it in place of Django's defaults ("This field is
    required.", "Ensure this value has at most 200 characters (it has 1000).", "Enter a valid URL."):
    "Enter the title", "Title must be 200 characters or fewer". A message a field sets itself is
    kept: only Django's own wording, or none, is replaced."""
    subject = field_subject(field.label, name)
    lower = lower_first(subject)

    def say(code, message):
        current = field.error_messages.get(code)
        if current is None or str(current) in django_defaults().get(code, ()):
            field.error_messages[code] = Wording(message)

    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        # A value not on offer (a hand-made request, or a list that changed meanwhile).
        message = Wording(f"Select {lower} from the list")
        field.error_messages.update(invalid_choice=message, invalid_pk_value=message)
        say("invalid_list", message)
    if str(field.error_messages.get("required")) in django_defaults()["required"]:
        if subject.endswith("?"):
            field.error_messages["required"] = f"Answer “{subject}”"
        else:
            verb = "Select" if isinstance(field.widget, CHOICE_WIDGETS) else "Enter"
            field.error_messages["required"] = f"{verb} the {lower}"
    # What the model's own validation says of an empty value ("This field cannot be blank.").
    field.error_messages.setdefault("blank", field.error_messages["required"])
    field.error_messages.setdefault("null", field.error_messages["required"])
    say("null_characters_not_allowed", f"{subject} must not include null characters")
    if isinstance(field, forms.CharField):
        if field.max_length is not None:
            say("max_length", f"{subject} must be {field.max_length:,} characters or fewer")
        if field.min_length is not None:
            say("min_length", f"{subject} must be {field.min_length:,} characters or more")
    if isinstance(field, forms.EmailField):
        say("invalid", "Enter an email address in the correct format, like name@example.com")
    elif isinstance(field, forms.URLField):
        say("invalid", f"Enter the {lower} in the correct format, like https://www.example.com")
    elif isinstance(field, forms.SlugField):
        letters = "letters" if field.allow_unicode else "letters a to z"
        say("invalid", f"{subject} must only include {letters}, numbers, hyphens and underscores")
    elif isinstance(field, forms.IntegerField):
        say("invalid", f"{subject} must be a whole number")
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        say("invalid", f"{subject} must be a number")
    elif isinstance(field, forms.DateField):
        say("invalid", f"{subject} must be a real date")
    if isinstance(field, forms.DecimalField) and field.max_digits is not None:
        places = field.decimal_places or 0
        below = f"{subject} must be less than {10 ** (field.max_digits - places):,}"
        say("max_digits", below)
        say("max_whole_digits", below)
        say(
            "max_decimal_places",
            f"{subject} must be a whole number"
            if not places
            else f"{subject} can have at most {places} decimal place{'s' if places > 1 else ''}",
        )
    if (high := _limit(field, MaxValueValidator)) is not None:
        say("max_value", f"{subject} must be {_number(high)} or less")
    if (low := _limit(field, MinValueValidator)) is not None:
        say("min_value", f"{subject} must be {_number(low)} or more")
    if getattr(field, "step_size", None):
        say("step_size", f"{subject} must be a multiple of {_number(field.step_size)}")


def govuk_unique_message(form, error: ValidationError) -> ValidationError:
    """Model validation's "Case with this Reference already exists." as GOV.UK says it, with the
    value: "There is already a case with reference notts-2011"."""
    # Only Django's own wording: a form that words the message itself keeps it.
    django_wording = (
        str(models.Field.default_error_messages["unique"]),
        "%(model_name)s with this %(field_labels)s already exists.",
    )
    if error.code not in ("unique", "unique_together") or str(error.message) not in django_wording:
        return error
    model = error.params.get("model_class") or form._meta.model
    noun = str(model._meta.verbose_name)
    article = "an" if noun[:1].lower() in "aeio" else "a"  # "a user", "an option"
    parts = []
    for name in error.params.get("unique_check", ()):
        field = form.fields.get(name)
        # As typed: the form has taken the field's value out of cleaned_data with the error.
        value = form[name].value() if field is not None else None
        if value in (None, "") or isinstance(value, list | tuple):
            continue
        subject = lower_first(field_subject(field.label, name))
        # A choice's value is a key or a code: name the field alone.
        chosen = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        parts.append(f"this {subject}" if chosen else f"{subject} {value}")
    if not parts:
        return ValidationError(f"There is already {article} {noun} like this", code=error.code)
    return ValidationError(f"There is already {article} {noun} with {' and '.join(parts)}", code=error.code)


class GovukMessagesMixin:
    """GOV.UK wording for every message of the form's fields, naming the field ("Enter the title",
    "Select the service type", "Title must be 200 characters or fewer"; see govuk_messages),
    and for a model form's check that a value is not already taken. Fields that set their own
    message keep it."""

    CHOICE_WIDGETS = CHOICE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            govuk_messages(field, name)

    def _post_clean(self):
        super()._post_clean()
        # Model validation (unique fields and unique constraints) has added its errors.
        for errors in (self._errors or {}).values():
            data = getattr(errors, "data", None)
            if data is None:
                continue
            for index, error in enumerate(data):
                if isinstance(error, ValidationError):
                    data[index] = govuk_unique_message(self, error)


class WholeNumberField(forms.IntegerField):
    """A count, age, tier or number of months typed in a text box: "12" or "1,200".

    Refuses what int() would quietly read ("1_000", "١٢", " 12.0") and numbers beyond
    ``min_value``/``max_value``, naming the field: "Minimum age must be 25 or less".
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        subject = field_subject(self.label) or "The number"
        if money.typed_with_other_digits(text):
            raise ValidationError(f"Enter the {lower_first(subject)} using the digits 0 to 9", code="digits")
        match = re.fullmatch(rf"(-?)({money.DIGITS_IN_THREES})", text, re.ASCII)
        if not match:
            raise ValidationError(f"{subject} must be a whole number", code="invalid")
        digits = match[2].replace(",", "").lstrip("0") or "0"
        # Past 18 digits the figure is over every column's limit, whatever it is exactly (and
        # int() refuses strings past 4,300 digits).
        if len(digits) > 18:
            digits = "9" * 19
        return int(match[1] + digits)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        subject = field_subject(self.label) or "The number"
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(f"{subject} must be {self.max_value:,} or less", code="max_value")
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(f"{subject} must be {self.min_value:,} or more", code="min_value")


def whole_number_bounds(db_field: models.IntegerField) -> tuple[int, int]:
    """The tightest of the model field's own limits and its column's size on any database.

    The column sizes are PostgreSQL's (smallint, integer); SQLite stores anything, so without
    them a value SQLite accepts would fail on PostgreSQL.
    """
    low, high = BaseDatabaseOperations.integer_field_ranges[db_field.get_internal_type()]
    for validator in db_field.validators:
        if isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
        elif isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
    return low, high


class RecordChoicesField(forms.ModelMultipleChoiceField):
    """Check boxes of records (partners, areas, providers) that refuse a key no row can have.

    Django looks the ticked keys up with ``pk__in``; SQLite cannot take a number past 2**63 as a
    parameter (OverflowError, a server error), where an exact lookup would simply match nothing.
    """

    default_error_messages = {
        "invalid_choice": "Select only from the choices shown",
        "invalid_pk_value": "Select only from the choices shown",
    }

    def clean(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            low, high = BaseDatabaseOperations.integer_field_ranges[key.get_internal_type()]
            for item in value:
                text = str(item).strip()
                if not re.fullmatch(r"-?\d+", text, re.ASCII):
                    continue  # Django refuses what is not a number itself
                if len(text.lstrip("-")) > 19 or not low <= int(text) <= high:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


def govuk_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` for model forms: whole numbers get WholeNumberField and the
    model's limits, so an out-of-range number is a message on the field, never a database error;
    many-to-many check boxes get RecordChoicesField."""
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        low, high = whole_number_bounds(db_field)
        kwargs = {"form_class": WholeNumberField, "min_value": low, "max_value": high, **kwargs}
    elif isinstance(db_field, models.ManyToManyField):
        kwargs = {"form_class": RecordChoicesField, **kwargs}
    widget = kwargs.get("widget")
    radios = widget is forms.RadioSelect or isinstance(widget, forms.RadioSelect)
    if db_field.choices and radios and not db_field.blank and "choices" not in kwargs:
        # Radios for a required choice: no "- Select an option -" button to press.
        kwargs["choices"] = db_field.get_choices(include_blank=False)
    return db_field.formfield(**kwargs)


class FigureField(forms.DecimalField):
    """A published figure (a count, a rate, a percentage) as the source writes it: "8,400", "11.2".

    Commas between thousands are allowed; digits other than 0 to 9, exponents and words are not.
    Messages name the field in GOV.UK's style.
    """

    widget = forms.TextInput

    def __init__(self, *, max_digits=16, decimal_places=2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        subject = str(self.label or "The value").replace("(optional)", "").strip()
        self.error_messages.update(
            invalid=f"Enter {subject.lower()} as a number, like 8,400 or 11.2",
            max_digits=f"{subject} must be less than {10 ** (max_digits - decimal_places):,}",
            max_whole_digits=f"{subject} must be less than {10 ** (max_digits - decimal_places):,}",
            max_decimal_places=f"{subject} can have at most {decimal_places} decimal places",
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", "")
        if not re.fullmatch(r"-?[0-9]{1,40}(\.[0-9]{1,40})?", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "spellcheck": "false"}


class NotPublishedField(forms.MultipleChoiceField):
    """Which of a record's facts its sources do not publish: printed as nothing, shown on pages as
    "Not published", and never filled in with a guess or £0. Offered as check boxes."""

    def __init__(self, *, facts: dict[str, str], **kwargs):
        super().__init__(
            choices=list(facts.items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label="Facts the sources do not publish (optional)",
            help_text="Tick a fact the sources leave out: it then reads “Not published”, not “Not recorded”",
            **kwargs,
        )


def check_not_published(form, facts: dict[str, str]) -> None:
    """A fact marked not published is left empty: put the error next to the fact's own field."""
    marked = form.cleaned_data.get("not_published") or []
    for name in marked:
        value = form.cleaned_data.get(name)
        if value not in (None, "", [], ()):
            form.add_error(name, f"Leave {facts[name].lower()} empty: it is marked as not published")
