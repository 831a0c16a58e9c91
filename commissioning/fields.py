"""Form fields for what officers type: money in pounds, dates as day, month and year, and whole
numbers (ages, tiers, units, weeks, counts).

They render through the GOV.UK templates of commissioning.forms_renderer and speak in the GOV.UK
Design System's error style ("Enter a real date", "Start date must include a month").
"""

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


class GovukMessagesMixin:
    """Replaces Django's "This field is required." with GOV.UK wording that names the field:
    "Enter the title", "Select the service type". Fields that set their own message keep it."""

    CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
                # A value not on offer (a hand-made request, or a list that changed meanwhile).
                label = str(field.label or name.replace("_", " ")).replace("(optional)", "").strip()
                message = f"Select {label[:1].lower() + label[1:]} from the list"
                field.error_messages.update(invalid_choice=message, invalid_pk_value=message)
            if field.error_messages.get("required") != default:
                continue
            label = field_subject(field.label, name)
            if label.endswith("?"):
                field.error_messages["required"] = f"Answer “{label}”"
                continue
            verb = "Select" if isinstance(field.widget, self.CHOICE_WIDGETS) else "Enter"
            field.error_messages["required"] = f"{verb} the {lower_first(label)}"


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
