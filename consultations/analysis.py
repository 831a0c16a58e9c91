"""Every figure computed from a consultation's responses, in one place, for its page and the paper.

Percentages are Decimals rounded half up to one decimal place, so that 2 of 3 is 66.7%. The
preference percentages are of the responses that chose an option; those that did not are
counted apart. Where no responses are held (the seed cases are historical papers), there is
nothing to compute: pages and papers show the figures typed from the paper, marked "reported".
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from commissioning.models import Option

from .models import ChosenQuote, Consultation, Response, ResponseTheme, Theme

ONE_PLACE = Decimal("0.1")


def percentage(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole``, half up to one place (0 of 0 is 0.0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _option_name(option) -> str:
    label = option.label.strip()
    return f"Option {label}" if option.parent_id is None and label.isalnum() else label


def _shares(counts: list[tuple[str, int]], whole: int) -> list[dict]:
    return [
        {"label": label, "count": count, "percentage": percentage(count, whole)} for label, count in counts
    ]


def _grouped(queryset, field: str, labels: dict) -> list[tuple[str, int]]:
    """Counts by a choice field, in the choices' order, "Not stated" last."""
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    stated = [(label, counts[value]) for value, label in labels.items() if value and counts.get(value)]
    return stated + ([(labels[""], counts[""])] if counts.get("") else [])


def _tie_sentence(rows: list[dict]) -> str:
    """Which option most respondents preferred, or that the first place is a tie."""
    if not rows or rows[0]["count"] == 0:
        return ""
    top = rows[0]["count"]
    leaders = [r for r in rows if r["count"] == top]
    if len(leaders) == 1:
        return f"{leaders[0]['option']} was preferred by most ({top:,}, {leaders[0]['percentage']}%)."
    names = ", ".join(r["option"] for r in leaders[:-1]) + f" and {leaders[-1]['option']}"
    return f"{names} tied, with {top:,} each ({leaders[0]['percentage']}%)."


def analyse(consultation: Consultation) -> dict | None:
    """Counts by respondent type, channel and area; preferences with percentages and who
    preferred what (a cross-tabulation by respondent type). None when no responses are held."""
    responses = Response.objects.filter(consultation=consultation)
    # Every option and respondent type in one query; the total and the preferences follow from it.
    cells = list(responses.values_list("option_id", "respondent_type").annotate(n=Count("pk")).order_by())
    total = sum(n for _, _, n in cells)
    if not total:
        return None
    type_labels = dict(Response.RespondentType.choices)
    by_type_counts: dict[str, int] = {}
    by_option: dict[int | None, int] = {}
    for option_id, kind, n in cells:
        by_type_counts[kind] = by_type_counts.get(kind, 0) + n
        by_option[option_id] = by_option.get(option_id, 0) + n
    types = [(value, label) for value, label in type_labels.items() if value and value in by_type_counts]
    types += [("", type_labels[""])] if "" in by_type_counts else []

    # The case's options (top-level ones even where nobody chose them), in the appraisal's order.
    chosen = {pk for pk in by_option if pk is not None}
    options = [
        o
        for o in Option.objects.filter(appraisal__case_id=consultation.case_id).order_by(
            "appraisal__created_at", "appraisal_id", "order", "pk"
        )
        if o.parent_id is None or o.pk in chosen
    ]
    answered = total - by_option.get(None, 0)
    rows = [
        {
            "option": _option_name(o),
            "name": o.name,
            "count": by_option.get(o.pk, 0),
            "percentage": percentage(by_option.get(o.pk, 0), answered),
        }
        for o in options
    ]
    ranked = sorted(rows, key=lambda r: -r["count"])
    crosstab_counts = {(option_id, kind): n for option_id, kind, n in cells}
    crosstab = {
        "columns": [label for _, label in types],
        "rows": [
            {
                "option": _option_name(o),
                "cells": [crosstab_counts.get((o.pk, value), 0) for value, _ in types],
                "total": by_option.get(o.pk, 0),
            }
            for o in options
        ]
        + (
            [
                {
                    "option": "No option chosen",
                    "cells": [crosstab_counts.get((None, value), 0) for value, _ in types],
                    "total": by_option[None],
                }
            ]
            if by_option.get(None)
            else []
        ),
        "totals": [by_type_counts[value] for value, _ in types],
        "total": total,
    }
    areas = list(responses.values_list("area__name", "postcode_district").annotate(n=Count("pk")).order_by())
    area_counts: dict[str, int] = {}
    for name, district, n in areas:
        label = name or district or "Not stated"
        area_counts[label] = area_counts.get(label, 0) + n
    area_rows = sorted(((k, v) for k, v in area_counts.items() if k != "Not stated"), key=lambda kv: kv[0])
    if "Not stated" in area_counts:
        area_rows.append(("Not stated", area_counts["Not stated"]))
    return {
        "total": total,
        "by_type": _shares([(label, by_type_counts[value]) for value, label in types], total),
        "by_channel": _shares(_grouped(responses, "channel", dict(Response.Channel.choices)), total),
        "by_area": _shares(area_rows, total),
        "preferences": {
            "rows": rows,
            "answered": answered,
            "no_preference": total - answered,
            "leader": _tie_sentence(ranked),
        },
        "crosstab": crosstab,
    }


def held(consultations) -> set[int]:
    """The consultations (pks) of those given that hold any responses, in one query."""
    return set(
        Response.objects.filter(consultation__in=consultations)
        .values_list("consultation_id", flat=True)
        .distinct()
    )


def theme_counts(consultation: Consultation) -> dict | None:
    """How many responses were tagged with each theme of the code frame, in the frame's order.

    Each response counts once for each theme it is tagged with, so the counts may add up to more
    than the comments tagged. Percentages are of the comments tagged with any theme (rounded as
    above); ``comments`` is every response with a comment, tagged or not. None with no themes."""
    themes = list(
        Theme.objects.filter(consultation=consultation)
        .annotate(n=Count("tags__response", distinct=True))
        .order_by("order", "name", "pk")
    )
    if not themes:
        return None
    tagged = (
        ResponseTheme.objects.filter(theme__consultation=consultation).values("response").distinct().count()
    )
    comments = Response.objects.filter(consultation=consultation).exclude(comment="").count()
    rows = [
        {
            "pk": t.pk,
            "theme": t.name,
            "description": t.description,
            "count": t.n,
            "percentage": percentage(t.n, tagged),
        }
        for t in themes
    ]
    return {
        "rows": rows,
        "main": sorted((r for r in rows if r["count"]), key=lambda r: -r["count"]),
        "tagged": tagged,
        "comments": comments,
        "untagged": comments - tagged,
    }


def chosen_quotes(consultation: Consultation) -> list[dict]:
    """The comments chosen to quote, masked, with who said them (nothing of an anonymous
    respondent); only those whose respondents consented, even if consent was withdrawn since."""
    quotes = (
        ChosenQuote.objects.filter(response__consultation=consultation, response__consent_to_quote=True)
        .select_related("response__area")
        .order_by("response__pk")
    )
    return [{"text": q.response.masked_comment, "by": q.attribution} for q in quotes]


def theme_quotes(consultation: Consultation, each: int = 2) -> dict[int, list[dict]]:
    """Each theme's (pk's) chosen quotes, as ``chosen_quotes`` gives them (masked, consented
    only): the first ``each`` of the responses tagged with it, oldest first, in one query."""
    tags = (
        ResponseTheme.objects.filter(
            theme__consultation=consultation,
            response__chosen_quote__isnull=False,
            response__consent_to_quote=True,
        )
        .select_related("response__area", "response__chosen_quote")
        .order_by("theme_id", "response__pk")
    )
    quotes: dict[int, list[dict]] = {}
    for tag in tags:
        of_theme = quotes.setdefault(tag.theme_id, [])
        if len(of_theme) < each:
            quote = tag.response.chosen_quote
            of_theme.append({"text": tag.response.masked_comment, "by": quote.attribution})
    return quotes


def scale_summary(consultation: Consultation) -> dict | None:
    """The scale question's answers: how many gave each value (lowest first), their share of
    those who answered, and the mean to one place (half up). None when nobody answered it."""
    counts = dict(
        Response.objects.filter(consultation=consultation, scale__isnull=False)
        .values_list("scale")
        .annotate(n=Count("pk"))
        .order_by()
    )
    answered = sum(counts.values())
    if not answered:
        return None
    total = sum(value * n for value, n in counts.items())
    mean = (Decimal(total) / Decimal(answered)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return {
        "answered": answered,
        "mean": mean,
        "distribution": _shares([(str(value), counts[value]) for value in sorted(counts)], answered),
    }


def comment_count(consultation: Consultation) -> int:
    """Responses with a free comment (blank and whitespace-only comments are not comments)."""
    return Response.objects.filter(consultation=consultation).exclude(comment__regex=r"^\s*$").count()
