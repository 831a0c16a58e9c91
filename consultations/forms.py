"""Forms of the consultations app: a consultation, and a survey export's upload and columns."""

from django import forms

from commissioning.fields import GovukDateField, GovukMessagesMixin, govuk_formfield, govuk_messages
from commissioning.forms import RowsFormSet, rows_formset
from commissioning.models import Option

from .importer import FIELD_KEYS, RESPONSE_FIELDS, SUFFIXES, ImportFileError, open_table
from .models import Consultation, ConsultationEvent, OptionPreference, Theme, YouSaidWeDid


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


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ResponseUploadForm(GovukMessagesMixin, forms.Form):
    tool = forms.CharField(
        label="Survey tool",
        max_length=100,
        help_text="For example SmartSurvey or Citizen Space: the columns you choose are remembered for "
        "the next file from the same tool",
        error_messages={"required": "Enter the survey tool the file comes from"},
    )
    file = forms.FileField(
        label="Survey export (CSV or Excel .xlsx)",
        error_messages={"required": "Choose the CSV or Excel file to upload"},
    )

    def clean_tool(self):
        return " ".join(self.cleaned_data["tool"].split())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("The file must be a CSV file or an Excel workbook (.xlsx)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 50 MB")
        try:
            self.header, _ = open_table(upload.file, upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        finally:
            upload.seek(0)
        return upload


class ColumnMappingForm(GovukMessagesMixin, forms.Form):
    """Which column holds each answer: a select per field, offering the file's headers."""

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [(h, h) for h in header if h]
        for key, label, required in RESPONSE_FIELDS:
            self.fields[key] = forms.ChoiceField(
                label=label if required else f"{label} (optional)",
                choices=choices,
                required=required,
                error_messages={"required": f"Select the column that holds the {label.lower()}"},
            )
            govuk_messages(self.fields[key], key)  # added after the mixin's pass: word them too

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for key, label, _ in RESPONSE_FIELDS:
            column = cleaned.get(key)
            if column and column in used:
                self.add_error(key, f"The column '{column}' is already chosen for the {used[column].lower()}")
            elif column:
                used[column] = label
        return cleaned

    def mapping(self) -> dict:
        return {key: self.cleaned_data[key] for key in FIELD_KEYS if self.cleaned_data.get(key)}


class ConsultationEventForm(GovukMessagesMixin, forms.ModelForm):
    held_on = GovukDateField(label="Date held (optional)", required=False)

    class Meta:
        model = ConsultationEvent
        formfield_callback = govuk_formfield
        fields = ["title", "held_on", "audience", "attendees"]
        labels = {
            "title": "Event",
            "audience": "Held with (optional)",
            "attendees": "How many took part (optional)",
        }
        widgets = {
            "attendees": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        }


class BaseConsultationEventFormSet(RowsFormSet):
    heading = "Events"
    legend = "Event"


ConsultationEventFormSet = rows_formset(
    Consultation, ConsultationEvent, form=ConsultationEventForm, formset=BaseConsultationEventFormSet
)


class OptionPreferenceForm(GovukMessagesMixin, forms.ModelForm):
    """How many respondents favoured one of the case's options, as the officer counted them.
    Where responses are imported, the consultation page computes the preferences from them."""

    class Meta:
        model = OptionPreference
        formfield_callback = govuk_formfield
        fields = ["option", "respondents", "note"]
        labels = {
            "option": "Option",
            "respondents": "How many preferred it (optional)",
            "note": "Note (optional)",
        }
        widgets = {
            "respondents": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = Option.objects.filter(appraisal__case=case) if case is not None else Option.objects.none()
        self.fields["option"].queryset = options.select_related("appraisal").order_by("appraisal", "order")


class BaseOptionPreferenceFormSet(RowsFormSet):
    heading = "Preferences for the options"
    legend = "Preference"

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "case": getattr(self.instance, "case", None)}


OptionPreferenceFormSet = rows_formset(
    Consultation, OptionPreference, form=OptionPreferenceForm, formset=BaseOptionPreferenceFormSet
)


URL_INVALID = "Enter the web address in the correct format, like https://www.example.gov.uk"


class YouSaidWeDidForm(GovukMessagesMixin, forms.ModelForm):
    """One row of "We asked, you said, we did": "you said" is computed, so it is not on the form."""

    class Meta:
        model = YouSaidWeDid
        formfield_callback = govuk_formfield
        fields = ["we_asked", "question", "theme", "we_did", "decision", "order"]
        labels = {
            "we_asked": "We asked",
            "question": "Which question it is about",
            "theme": "Theme it is about (optional)",
            "we_did": "We did",
            "decision": "Decision whose reasons it cites (optional)",
            "order": "Position in the list",
        }
        help_texts = {
            "question": "What people said is worked out from their answers to this question",
            "theme": "What people said is how many comments were tagged with the theme, with up to two "
            "quotes chosen from them",
            "order": "Rows are listed lowest number first",
        }
        widgets = {
            "question": forms.RadioSelect,
            "we_asked": forms.Textarea(attrs={"rows": 3}),
            "we_did": forms.Textarea(attrs={"rows": 4}),
            "order": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        }
        error_messages = {
            "we_asked": {"required": "Enter what the council asked"},
            "we_did": {"required": "Enter what the council did"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from commissioning.models import Decision

        # Only the consultation's own case's decisions are offered; anything else is refused.
        case_id = self.instance.consultation.case_id
        self.fields["decision"].queryset = Decision.objects.filter(case_id=case_id).in_order()
        self.fields["decision"].empty_label = "No decision linked"
        # And only its own themes: another consultation's is refused next to the field.
        self.fields["theme"].queryset = Theme.objects.filter(consultation_id=self.instance.consultation_id)
        self.fields["theme"].empty_label = "No theme"
        self.fields["theme"].error_messages["invalid_choice"] = "Choose a theme of this consultation"


class GunningForm(GovukMessagesMixin, forms.ModelForm):
    """The Gunning principles the officer confirms, the weeks judged adequate, and the links."""

    class Meta:
        model = Consultation
        formfield_callback = govuk_formfield
        fields = [
            "formative_confirmed",
            "formative_note",
            "information_confirmed",
            "information_note",
            "documents_url",
            "adequate_weeks",
            "impact_assessment_url",
            "impact_assessment_document",
        ]
        labels = {
            "formative_confirmed": "The proposals were at a formative stage when consulted on",
            "formative_note": "How you know (optional)",
            "information_confirmed": "People had enough information to give an intelligent response",
            "information_note": "What they were given (optional)",
            "documents_url": "Web address of the consultation documents (optional)",
            "adequate_weeks": "Weeks judged adequate",
            "impact_assessment_url": "Web address of the equality impact assessment (optional)",
            "impact_assessment_document": "Or the case document that is the equality impact assessment",
        }
        help_texts = {
            "adequate_weeks": "The Cabinet Office asks for a proportionate length: 12 weeks unless there "
            "is a reason for another. The length the dates give is worked out and compared with this",
        }
        widgets = {
            "formative_confirmed": forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            "information_confirmed": forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            "formative_note": forms.Textarea(attrs={"rows": 3}),
            "information_note": forms.Textarea(attrs={"rows": 3}),
            "adequate_weeks": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
        }
        error_messages = {
            "documents_url": {"invalid": URL_INVALID},
            "impact_assessment_url": {"invalid": URL_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["impact_assessment_document"].queryset = self.instance.case.documents.order_by(
            "kind", "order", "pk"
        )
        self.fields["impact_assessment_document"].empty_label = "No case document"
        self.fields["impact_assessment_document"].required = False
