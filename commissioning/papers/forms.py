"""The forms papers need: a section's Markdown text, and the type and decision of a new paper."""

from django import forms

from commissioning.fields import GovukDateField, GovukMessagesMixin
from commissioning.models import Decision, DecisionPaper, PaperType


class SectionTextForm(forms.Form):
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown: a blank line starts a new numbered paragraph; start lines with “1.” for a "
        "numbered or lettered list, “-” for bullets, and wrap words in **two asterisks** for bold.",
    )


class PaperCreateForm(GovukMessagesMixin, forms.Form):
    paper_type = forms.ModelChoiceField(
        label="Type of paper",
        queryset=PaperType.objects.order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    decision = forms.ModelChoiceField(
        label="For which decision? (optional)",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="None: a paper about the case as a whole",
        help_text="A decision may have several papers: a scrutiny report, a cabinet report, its record",
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["decision"].queryset = case.decisions.in_order()
        if not self.fields["decision"].queryset.exists():
            del self.fields["decision"]


class PaperDetailsForm(GovukMessagesMixin, forms.ModelForm):
    """What the paper's front page and signature say: the meeting, whose report it is, who signs
    it, its reference and the wards or divisions it affects."""

    meeting_date = GovukDateField(label="Date of the meeting (optional)", required=False)

    class Meta:
        model = DecisionPaper
        fields = [
            "meeting",
            "meeting_date",
            "report_of",
            "signed_by",
            "reference",
            "electoral_divisions",
            "local_member_interest",
        ]
        labels = {
            "meeting": "Meeting (optional)",
            "report_of": "Report of (optional)",
            "signed_by": "Signed by (optional)",
            "reference": "Reference (optional)",
            "electoral_divisions": "Wards or electoral divisions affected (optional)",
            "local_member_interest": "Local members' interest (optional)",
        }
        help_texts = {
            "meeting": "For example, Cabinet or People Scrutiny Committee",
            "report_of": "For example, Report of the Cabinet Member for Communities",
            "signed_by": "The name and job title under the recommendations",
            "reference": "For example, a forward plan or FOI reference",
            "electoral_divisions": "For example, All",
        }
