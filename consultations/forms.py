"""Create and edit form for a consultation on a case."""

from django import forms

from commissioning.fields import GovukDateField, GovukMessagesMixin, govuk_formfield

from .models import Consultation


class ConsultationForm(GovukMessagesMixin, forms.ModelForm):
    starts_on = GovukDateField(label="Start date (optional)", required=False)
    ends_on = GovukDateField(label="End date (optional)", required=False)

    class Meta:
        model = Consultation
        formfield_callback = govuk_formfield
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "minimum_weeks",
            "channels",
            "response_count",
            "impact_assessment",
            "summary",
        ]
        labels = {
            "title": "Title",
            "kind": "Kind of consultation",
            "minimum_weeks": "Minimum length in weeks (optional)",
            "channels": "How people could respond (optional)",
            "response_count": "Responses received (optional)",
            "impact_assessment": "Equality impact assessment (optional)",
            "summary": "Summary (optional)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "minimum_weeks": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "response_count": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
            ),
            "channels": forms.Textarea(attrs={"rows": 4}),
        }
