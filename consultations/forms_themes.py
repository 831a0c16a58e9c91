"""Forms for a consultation's code frame (its themes) and for tagging comments with them."""

from django import forms

from commissioning.fields import GovukMessagesMixin, govuk_formfield, govuk_messages

from .models import Theme


class ThemeForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = Theme
        formfield_callback = govuk_formfield
        fields = ["name", "description", "order"]
        labels = {
            "name": "Theme",
            "description": "Description (optional)",
            "order": "Position in the code frame",
        }
        help_texts = {
            "description": "What comments tagged with this theme say, so that officers tag alike",
            "order": "Themes are listed from the lowest number",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "order": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Theme.objects.filter(consultation_id=self.instance.consultation_id, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"There is already a theme called “{name}” in this code frame")
        return name


class TaggingForm(forms.Form):
    """A set of checkboxes for each response on the page: its themes, all saved together."""

    def __init__(self, *args, responses, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = list(responses)
        choices = [(str(t.pk), t.name) for t in themes]
        for response in self.responses:
            name = self.field_name(response)
            self.fields[name] = forms.MultipleChoiceField(
                label=f"Themes of response {response.response_id}",
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(t.pk) for t in response.themes.all()],
            )
            govuk_messages(self.fields[name], name)
            self.fields[name].error_messages["invalid_choice"] = (
                f"Select themes for response {response.response_id} from the list"
            )

    @staticmethod
    def field_name(response) -> str:
        return f"themes-{response.pk}"

    def bound_rows(self):
        """(response, its checkboxes) in page order, for the template."""
        return [(r, self[self.field_name(r)]) for r in self.responses]

    def chosen(self) -> dict[int, set[int]]:
        """Each response's themes as ticked: response pk to theme pks."""
        return {r.pk: {int(v) for v in self.cleaned_data[self.field_name(r)]} for r in self.responses}
