"""The forms papers need: a section's Markdown text, and the type and decision of a new paper."""

from django import forms

from commissioning.fields import GovukMessagesMixin
from commissioning.models import Decision, PaperType


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
