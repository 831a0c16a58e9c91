"""The two forms papers need: a section's Markdown text, and the type of a new paper."""

from django import forms

from commissioning.fields import GovukMessagesMixin
from commissioning.models import PaperType


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
