"""Building admin add/change POSTs by hand: a form's fields plus each inline's management form."""


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """Management form and ``prefix-N-field`` keys for each row (existing rows first, with ``id``)."""
    data = management(prefix, len(rows), initial)
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def errors_in(response) -> str:
    """Every error message the admin page shows, form and inlines, for assertion messages."""
    context = response.context
    messages = [str(context["adminform"].form.errors)] if context and "adminform" in context else []
    for inline in (context or {}).get("inline_admin_formsets", []):
        messages.append(str(inline.formset.errors))
        messages.append(str(inline.formset.non_form_errors()))
    return " ".join(messages)
