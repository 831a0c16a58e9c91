"""Form fields for what officers type: money in pounds and dates as day, month and year.

Both render through the GOV.UK templates of commissioning.forms_renderer and speak in the GOV.UK
Design System's error style ("Enter a real date", "Start date must include a month").
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .money import format_money, to_decimal


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
            return format_money(value).replace("£", "")
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """Pounds and pence as Decimal: accepts "£1,234.50", "1234.5" and "1,234"."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": "Enter an amount in pounds, like £1,234.50",
        "max_decimal_places": "Amounts can have at most two decimal places (pence)",
    }

    def __init__(self, *, max_digits=14, decimal_places=2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return to_decimal(value)
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
        subject = self.label or "The date"
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{subject} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
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
            label = str(field.label or name.replace("_", " ")).replace("(optional)", "").strip()
            if label.endswith("?"):
                field.error_messages["required"] = f"Answer “{label}”"
                continue
            label = label[:1].lower() + label[1:]
            verb = "Select" if isinstance(field.widget, self.CHOICE_WIDGETS) else "Enter"
            field.error_messages["required"] = f"{verb} the {label}"
