"""``{% govuk_error_summary form %}``: the GOV.UK error summary, linking each error to its field."""

import html

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("govuk/forms/error_summary.html")
def govuk_error_summary(*forms):
    """One summary for one or more forms (a form and its formsets' forms), shown only on errors.

    Non-field errors come first and link nowhere; each field error links to the field's first input.
    """
    items = []
    for form in forms:
        if form is None or not form.errors:
            continue
        items.extend({"text": error, "href": ""} for error in form.non_field_errors())
        for field in form:
            items.extend({"text": error, "href": f"#{_anchor(field)}"} for error in field.errors)
        # Errors on hidden fields have no input to link to.
        for field in form.hidden_fields():
            items.extend({"text": f"{field.label}: {error}", "href": ""} for error in field.errors)
    return {"items": items}


def _anchor(field):
    return getattr(field, "anchor_id", None) or field.id_for_label or field.auto_id


def _option_attrs(attrs) -> str:
    """Django's attrs.html in Python: `` name`` for True, `` name="value"`` otherwise, False left out."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _escape(value) -> str:
    """django.utils.html.escape's text (the standard library's, quotes included), without its
    check of every argument for a lazy string: half the time of a list of 600 options."""
    return html.escape(str(value))


@register.simple_tag
def select_options(optgroups):
    """A select widget's options and groups, as its template wrote them: hundreds of options (a
    register's filter choices at national scale) took most of a page's time through the template
    language, each option a dozen lookups; here a few string operations each."""
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{_escape(option["value"])}"{_option_attrs(option["attrs"])}>'
            f"{_escape(option['label'])}</option>"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
