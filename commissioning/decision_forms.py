"""Forms for decisions: the record itself, its resolution points, delegations and members' questions.

Dates are typed as day, month and year; money in pounds. What follows from rules (the call-in
deadline, the day it takes effect, the forward plan's clear days) is never typed: the decision
page computes it.
"""

from django import forms

from commissioning.fields import (
    GovukDateField,
    GovukMessagesMixin,
    MoneyField,
    NotPublishedField,
    check_not_published,
    govuk_formfield,
)
from commissioning.forms import RowsFormSet, govuk_checkbox, rows_formset
from commissioning.models import Decision, Delegation, MeetingBody, MemberQuestion, ResolutionPoint
from commissioning.models.decisions import DECISION_UNPUBLISHED_FACTS

YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]


class YesNoUnknownField(forms.TypedChoiceField):
    """Yes, no, or not known (a source that does not say): stored as True, False or None."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO_UNKNOWN,
            coerce=lambda value: value == "true",
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        return {True: "true", False: "false"}.get(value, "")


class DecisionForm(GovukMessagesMixin, forms.ModelForm):
    meeting_date = GovukDateField(label="Meeting date (optional)", required=False)
    decided_on = GovukDateField(label="Date decided (optional)", required=False)
    forward_plan_published_on = GovukDateField(
        label="First published on the forward plan (optional)", required=False
    )
    published_on = GovukDateField(label="Decision published on (optional)", required=False)
    value = MoneyField(
        label="Value decided (optional)",
        required=False,
        help_text="The spending or saving, to compare with the key decision threshold",
    )
    is_key_decision = YesNoUnknownField(label="Is it a key decision?")
    not_published = NotPublishedField(facts=DECISION_UNPUBLISHED_FACTS)
    subject_to_call_in = YesNoUnknownField(label="Is it subject to call-in?")

    class Meta:
        model = Decision
        formfield_callback = govuk_formfield
        fields = [
            "reference",
            "title",
            "maker",
            "maker_name",
            "status",
            "meeting_date",
            "decided_on",
            "summary",
            "reasons",
            "appraisal",
            "alternatives",
            "interests",
            "dispensations",
            "is_key_decision",
            "key_reason",
            "wards",
            "value",
            "forward_plan_published_on",
            "urgency",
            "urgency_reason",
            "published_on",
            "subject_to_call_in",
            "called_in",
            "call_in_note",
            "uses_delegation",
            "not_published",
        ]
        labels = {
            "reference": "Reference (optional)",
            "title": "Title",
            "maker": "Decision maker",
            "maker_name": "Decided by, the person (optional)",
            "status": "Status",
            "summary": "What is to be decided (optional)",
            "reasons": "Reasons for the decision (optional)",
            "appraisal": "Option appraisal (optional)",
            "alternatives": "Alternative options considered and rejected (optional)",
            "interests": "Interests declared (optional)",
            "dispensations": "Dispensations (optional)",
            "key_reason": "Why it is a key decision (optional)",
            "wards": "Wards or divisions affected (optional)",
            "urgency": "General exception or special urgency",
            "urgency_reason": "Reason for the exception or urgency (optional)",
            "called_in": "It was called in",
            "call_in_note": "Note on call-in (optional)",
            "uses_delegation": "Taken under a delegation (optional)",
        }
        widgets = {
            "status": forms.RadioSelect,
            "key_reason": forms.RadioSelect,
            "urgency": forms.RadioSelect,
            "called_in": govuk_checkbox(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "alternatives": forms.Textarea(attrs={"rows": 4}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "dispensations": forms.Textarea(attrs={"rows": 2}),
            "urgency_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        authority_id = self.instance.authority_id or case.lead_commissioner_id
        self.fields["maker"].queryset = MeetingBody.objects.filter(organisation_id=authority_id)
        self.fields["maker"].required = False
        self.fields["maker"].label = "Decision maker (optional)"
        self.fields["maker"].help_text = "One of the authority's meeting bodies, Cabinet Members or officers"
        self.fields["appraisal"].queryset = case.appraisals.all()
        # A delegation made by an earlier decision of the same case.
        self.fields["uses_delegation"].queryset = (
            Delegation.objects.filter(decision__case=case, stage=Delegation.Stage.RESOLVED)
            .exclude(decision=self.instance.pk)
            .select_related("decision")
        )
        self.fields["uses_delegation"].label_from_instance = lambda d: (
            f"{d.delegate}: {d.power[:80]} ({d.decision})"
        )

    def clean(self):
        cleaned = super().clean()
        check_not_published(self, DECISION_UNPUBLISHED_FACTS)
        return cleaned


class ResolutionPointForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = ResolutionPoint
        formfield_callback = govuk_formfield
        fields = ["label", "text"]
        labels = {"label": "Number or letter (optional)", "text": "Text"}
        widgets = {
            "label": forms.TextInput(attrs={"class": "govuk-input--width-3"}),
            "text": forms.Textarea(attrs={"rows": 2}),
        }


class DelegationForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = Delegation
        formfield_callback = govuk_formfield
        fields = ["stage", "power", "delegate", "in_consultation_with"]
        labels = {
            "stage": "Proposed or resolved",
            "power": "What is delegated",
            "delegate": "Delegated to (the post)",
            "in_consultation_with": "In consultation with (optional)",
        }
        widgets = {"stage": forms.RadioSelect, "power": forms.Textarea(attrs={"rows": 2})}


class MemberQuestionForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = MemberQuestion
        formfield_callback = govuk_formfield
        fields = ["member", "member_role", "question", "answer", "answered_by"]
        labels = {
            "member": "Member",
            "member_role": "Taking part as (optional)",
            "question": "Question",
            "answer": "Answer (optional)",
            "answered_by": "Answered by (optional)",
        }
        widgets = {"question": forms.Textarea(attrs={"rows": 2}), "answer": forms.Textarea(attrs={"rows": 3})}


def _rows(model, form, legend, heading):
    base = type(f"{model.__name__}RowsFormSet", (RowsFormSet,), {"legend": legend, "heading": heading})
    return rows_formset(Decision, model, form=form, formset=base)


ResolutionFormSet = _rows(
    ResolutionPoint, ResolutionPointForm, "Point", "What was resolved (or is recommended)"
)
DelegationFormSet = _rows(Delegation, DelegationForm, "Delegation", "Delegations")
MemberQuestionFormSet = _rows(MemberQuestion, MemberQuestionForm, "Question", "Questions from members")
