"""The key dates page's filter and the form that snoozes a key date's reminders."""

from django import forms

from commissioning.fields import GovukMessagesMixin
from commissioning.filters import DateRangeField, IsoDateInput, IsoDateRangeWidget

from .models import KeyDateKind


class KeyDateFilterForm(GovukMessagesMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of date", choices=[("", "Any"), *KeyDateKind.choices], required=False
    )
    dates = DateRangeField(label="Dates between", required=False, help_text="Without a start: from today")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["dates"].widget
        if isinstance(widget, IsoDateRangeWidget):
            for inner in widget.widgets:
                inner.attrs["class"] = "govuk-input govuk-date-input__input"


class SnoozeForm(GovukMessagesMixin, forms.Form):
    kind = forms.ChoiceField(choices=KeyDateKind.choices, widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput(), input_formats=["%Y-%m-%d"])
    reason = forms.CharField(
        label="Why stop these reminders?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the reminders for this date are stopped"},
    )
    until = forms.DateField(
        label="Until (optional)",
        required=False,
        widget=IsoDateInput(),
        help_text="Leave empty to stop every reminder for this date",
        error_messages={"invalid": "Enter a real date, like 2026-06-30"},
    )
