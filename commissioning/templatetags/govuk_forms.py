"""``{% govuk_error_summary form %}``: the GOV.UK error summary, linking each error to its field."""

from django import template

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
