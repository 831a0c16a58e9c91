"""GOV.UK Design System markup for every Django form, through Django's own form rendering API.

``FORM_RENDERER`` points at :class:`GovukFormRenderer`. ``{{ form }}`` then renders each field as a
GOV.UK form group (label, hint, error message, input) from ``templates/govuk/forms/``; the page puts
``{% govuk_error_summary form %}`` (``govuk_forms`` tag library) at the top of its content.

The GOV.UK wrapper packages on PyPI pin Django below 6 or are unmaintained, so this stays small
and ours.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# widget_type (Django's widget class name without "Input"/"Widget") -> GOV.UK field template.
FIELD_TEMPLATES = {
    "radioselect": "radios",
    "checkboxselectmultiple": "checkboxes",
    "checkbox": "checkbox",
    "select": "select",
    "selectmultiple": "select",
    "nullbooleanselect": "select",
    "textarea": "textarea",
    "govukdate": "date",
    "clearablefile": "file",
    "file": "file",
}

# The GOV.UK class each kind of control carries, and its error modifier.
WIDGET_CLASSES = {
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "input": ("govuk-input", "govuk-input--error"),
}


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK template, element ids and input classes."""

    @property
    def govuk_template(self) -> str:
        if self.is_hidden:
            return "govuk/forms/fields/hidden.html"
        name = FIELD_TEMPLATES.get(self.widget_type, "input")
        return f"govuk/forms/fields/{name}.html"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext"

    @property
    def anchor_id(self) -> str:
        """The element the error summary links to: the first input of the field."""
        widget = self.field.widget
        if isinstance(widget, forms.MultiWidget | forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def fieldset_describedby(self) -> str:
        """aria-describedby for a fieldset (radios, checkboxes, a date): hint then error."""
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # The browser's own "required" bubbles would hide the GOV.UK error summary.
        attrs.pop("required", None)
        kind = self._control_kind(widget)
        if kind:
            base, error = WIDGET_CLASSES[kind]
            classes = [base, widget.attrs.get("class", ""), attrs.get("class", "")]
            if self.errors:
                classes.append(error)
            attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    def _control_kind(self, widget) -> str | None:
        # Choice widgets and the date input are styled per option in their own templates.
        if widget.is_hidden or isinstance(
            widget,
            forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.MultiWidget,
        ):
            return None
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(widget, forms.FileInput):
            return "file"
        return "input"


class GovukFormRenderer(TemplatesSetting):
    """Django's form renderer with GOV.UK templates.

    TemplatesSetting so the project's templates/ folder (and its tag libraries) is searched.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField
