"""One function per data ``source`` named in commissioning/paper_types.py.

Each takes the loaded ``PaperData`` and returns a plain dict for its template partial
(templates/commissioning/papers/sections/<source>.html), or None when the case holds
nothing for it. Every figure is computed here from the rows through commissioning.money;
nothing is typed into a paper twice. Values are already formatted strings, so templates
never compute and the whole context can be hashed.
"""

from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils import timezone
from django.utils.safestring import mark_safe

from commissioning import money
from commissioning.models import Area
from commissioning.scoring import score_table

from .data import PaperData, long_date
from .text import markdown_to_html

ZERO = Decimal("0")
ROUNDING_LABELS = {
    "penny": "to the penny",
    "pound": "to the nearest £1",
    "ten": "to the nearest £10",
    "hundred": "to the nearest £100",
    "thousand": "to the nearest £1,000",
}
# Larger areas first in a referrals table: Pan-Staffordshire before Staffordshire.
AREA_RANK = {
    Area.Kind.SUB_REGION: 0,
    Area.Kind.COUNTY: 1,
    Area.Kind.CITY: 2,
    Area.Kind.LOCALITY: 3,
    Area.Kind.DISTRICT: 4,
}


def _sum(contributions) -> Decimal:
    return sum((c.amount for c in contributions), ZERO)


def _unique(values) -> list[str]:
    return list(OrderedDict.fromkeys(v for v in values if v))


def _join(items: list[str]) -> str:
    """A, B and C."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _option_name(option) -> str:
    """ "Option B" for a lettered option, the label itself for "(a)" or "i"."""
    label = option.label.strip()
    if option.parent_id is None and label.isalnum():
        return f"Option {label}"
    return label


def _years(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}"


# --- services and money -------------------------------------------------------------------


def current_services(data: PaperData):
    """Seed 000's table: service, budget holder, this year's amount, partners and their amounts."""
    rows, own_total, partner_total = [], ZERO, ZERO
    for service in data.services:
        contributions = data.contributions(service)
        own = [c for c in contributions if data.is_own(c)]
        partners = [c for c in contributions if not data.is_own(c)]
        if not contributions:
            continue
        own_total += _sum(own)
        partner_total += _sum(partners)
        rows.append(
            {
                "service": service.name,
                "budget_holder": ", ".join(
                    _unique(c.budget_holder.name if c.budget_holder else "" for c in own)
                ),
                "amount": money.format_money(_sum(own)) if own else "",
                "partners": [f"{c.funder} {money.format_money(c.amount)}" for c in partners],
            }
        )
    units = []
    for service in data.services:
        if service.accommodation_units:
            sentence = f"{service.name} provides {service.accommodation_units} units of accommodation"
            if service.units_under_agreement:
                sentence += f", {service.units_under_agreement} of them held under agreement"
                if service.units_note:
                    sentence += f" ({service.units_note})"
            units.append(sentence + ".")
    if not rows and not units:
        return None
    return {
        "caption": data.caption(f"Current services and budgets {data.year}") if rows else "",
        "budget_column": f"{data.authority.label} budget",
        "year": data.year,
        "rows": rows,
        "own_total": money.format_money(own_total),
        "partner_total": money.format_money(partner_total) if partner_total else "",
        "show_total": len(rows) > 1,
        "units": units,
    }


def _pool_sentences(data: PaperData, short: bool = False) -> list[str]:
    """Seed 002: "The total annual contract price is £826,000, of which £231,300 (28%) is funded by ..."."""
    fmt = money.format_short if short else money.format_money
    pooled = [s for s in data.services if s.pooled_budget is not None]
    sentences = []
    for service in pooled:
        own = _sum(c for c in data.contributions(service) if data.is_own(c))
        if not own:
            continue
        share = money.format_percent(money.percentage(own, service.pooled_budget))
        where = f" for {service.name}" if len(pooled) > 1 else ""
        sentences.append(
            f"The total annual contract price{where} is {fmt(service.pooled_budget)}, of which {fmt(own)} "
            f"({share}) is funded by {data.authority.name}."
        )
    return sentences


def _uplift_sentences(data: PaperData) -> list[str]:
    """Seed 001: £670,450 raised by the 2% MTFS assumption is £683,860 (rounded to £10)."""
    sentences = []
    for service in data.services:
        for c in data.contributions(service):
            if not data.is_own(c) or c.uplift_percent is None:
                continue
            sentences.append(
                f"Funding from {c.funder} for {service.name} is maintained at the current level of "
                f"{money.format_money(c.amount)} per annum ({c.financial_year}). Increased in line with the "
                f"inflation assumption of {money.format_percent(c.uplift_percent)} and rounded "
                f"{ROUNDING_LABELS[c.uplift_rounding]}, {money.format_money(c.uplifted_amount)} will be "
                f"available for {c.uplifted_year}."
            )
    return sentences


def _change_sentences(data: PaperData, short: bool = False) -> list[str]:
    """Seed 003: £385k this year falling to £340k next year is a reduction of 11.7%."""
    fmt = money.format_short if short else money.format_money
    next_year = money.next_financial_year(data.year)
    sentences = []
    for service in data.services:
        now, then = _sum(data.contributions(service)), _sum(data.contributions(service, next_year))
        if not now or not then or now == then:
            continue
        change = money.change_percent(now, then)
        word = "a reduction" if change < 0 else "an increase"
        sentences.append(
            f"The current value of {service.name} is {fmt(now)} per annum ({data.year}); the funding "
            f"available for {next_year} is {fmt(then)} per annum, "
            f"{word} of {money.format_percent(abs(change))}."
        )
    return sentences


def _term_sentences(data: PaperData, short: bool = False) -> list[str]:
    """Seed 003: £340k a year over 2 + 1 + 1 + 1 years is £1.7m."""
    fmt = money.format_short if short else money.format_money
    sentences = []
    for contract in data.contracts:
        if contract.status != contract.Status.PLANNED or contract.total_value is None:
            continue
        years = Decimal(contract.full_term_months) / Decimal(12)
        sentences.append(
            f"Total budget over a {_years(years)}-year period ({contract.term_summary} years at "
            f"{fmt(contract.annual_value)} per annum) is {fmt(contract.total_value)}."
        )
    return sentences


def funding(data: PaperData):
    """Resource implications: shares of pooled budgets, uplifts, reductions, totals."""
    sentences = _pool_sentences(data) + _uplift_sentences(data) + _change_sentences(data)
    own = partner = ZERO
    funded = 0
    for service in data.services:
        contributions = data.contributions(service)
        funded += bool(contributions)
        own += _sum(c for c in contributions if data.is_own(c))
        partner += _sum(c for c in contributions if not data.is_own(c))
    if funded > 1 and own:
        sentence = f"In {data.year} {data.authority.name} funds these services with {money.format_money(own)}"
        if partner:
            both = money.format_money(own + partner)
            sentence += f" and partners contribute {money.format_money(partner)}, {both} in all"
        sentences.append(sentence + ".")
    sentences += _term_sentences(data)
    return {"sentences": sentences} if sentences else None


def budget(data: PaperData):
    """A committee paper's budget box (seed 003): £340k pa within the budget, £1.7m over 5 years."""
    sentences = []
    for service in data.services:
        own = [c for c in data.contributions(service) if data.is_own(c)]
        if own:
            holders = _join(_unique(c.budget_holder.name if c.budget_holder else "" for c in own))
            where = f" within the {holders} commissioning budget" if holders else ""
            sentences.append(f"{money.format_short(_sum(own))} pa currently{where} ({service.name}).")
    sentences += _term_sentences(data, short=True)
    sentences += _change_sentences(data, short=True)
    sentences += _pool_sentences(data, short=True)
    return {"sentences": sentences} if sentences else None


# --- demand ---------------------------------------------------------------------------------


def referrals(data: PaperData):
    """Seed 001's table: referrals per service, by period and area."""
    counts = [r for s in data.services for r in s.referral_counts.all()]
    if not counts:
        return None
    periods = _unique(
        r.period_label
        for r in sorted(
            counts,
            key=lambda r: (
                not (r.period_start or r.period_end),
                r.period_start or r.period_end or date.min,
                r.pk,
            ),
        )
    )
    areas = sorted({r.area for r in counts}, key=lambda a: (AREA_RANK.get(a.kind, 9), a.name))
    columns = [
        (p, a) for p in periods for a in areas if any(r.period_label == p and r.area == a for r in counts)
    ]
    rows = []
    for service in data.services:
        found = {(r.period_label, r.area_id): r.count for r in service.referral_counts.all()}
        if not found:
            continue
        cells = [found.get((p, a.pk)) for p, a in columns]
        rows.append({"service": service.name, "cells": [f"{n:,}" if n is not None else "" for n in cells]})
    groups = [{"label": p, "span": sum(1 for q, _ in columns if q == p)} for p in periods]
    return {
        "caption": data.caption("Referrals to the current services"),
        "groups": [g for g in groups if g["span"]],
        "areas": [a.name for _, a in columns],
        "rows": rows,
    }


# --- options ----------------------------------------------------------------------------------


def _options(data: PaperData):
    appraisal = data.appraisal
    if appraisal is None:
        return None, []
    return appraisal, list(appraisal.options.all())


def _coverage(option) -> list[str]:
    return [
        f"{lot.name} contract for services in {', '.join(a.name for a in lot.areas.all())}"
        for lot in option.lots.all()
    ]


def options(data: PaperData):
    """The long list with sub-options, then seed 000's table of providers and coverage."""
    appraisal, all_options = _options(data)
    if not all_options:
        return None
    top = [o for o in all_options if o.parent_id is None]
    items = []
    for option in top:
        items.append(
            {
                "name": _option_name(option),
                "title": option.name,
                "description": option.description,
                "advantages": option.advantages,
                "disadvantages": option.disadvantages,
                "recommended": option.pk == appraisal.recommended_option_id,
                "sub_options": [
                    {"name": _option_name(s), "title": s.name}
                    for s in all_options
                    if s.parent_id == option.pk
                ],
            }
        )
    table_options = [o for o in top if o.lots.all() or o.min_providers or o.max_providers]
    show_cost = any(o.estimated_annual_cost is not None for o in table_options)
    rows = [
        {
            "name": _option_name(o) + (" (recommended)" if o.pk == appraisal.recommended_option_id else ""),
            "providers": o.providers_label,
            "coverage": _coverage(o),
            "cost": money.format_money(o.estimated_annual_cost)
            if o.estimated_annual_cost is not None
            else "",
        }
        for o in table_options
    ]
    caption = data.caption("Options, service providers and geographical coverage") if rows else ""
    return {
        "items": items,
        "caption": caption,
        "rows": rows,
        "show_cost": show_cost,
        "scores": _scores(data, appraisal),
    }


def _scores(data: PaperData, appraisal):
    """The weighted scores of the short list, where the appraisal has been scored (issue 4's
    scoring rule, commissioning.scoring); a fixed four queries whatever the appraisal's size."""
    table = score_table(appraisal)
    if not table.criteria or not any(row.complete for row in table.rows):
        return None
    return {
        "caption": data.caption("Weighted scores of the short-listed options"),
        "criteria": [{"name": c.name, "weight": c.weight} for c in table.criteria],
        "rows": [
            {
                "name": _option_name(row.option),
                "title": row.option.name,
                "means": [cell.mean_label for cell in row.cells],
                "total": f"{row.total}",
                "rank": row.rank or "",
                "support": "" if row.support is None else row.support,
                "flags": len(row.flagged),
            }
            for row in table.ranked
        ],
        "flag_count": table.flag_count,
    }


def recommended_option(data: PaperData):
    """Which option is recommended, and the reasons recorded on the appraisal."""
    appraisal, all_options = _options(data)
    option = next((o for o in all_options if appraisal and o.pk == appraisal.recommended_option_id), None)
    if option is None:
        return None
    return {
        "sentence": f"{_option_name(option)} is recommended ({option.name})"
        + (" for the following reasons:" if appraisal.reasons else "."),
        "reasons": appraisal.reasons,
    }


def other_options(data: PaperData):
    """The options not recommended, each with why, where the appraisal records it."""
    appraisal, all_options = _options(data)
    others = [
        o
        for o in all_options
        if o.parent_id is None and appraisal and o.pk != appraisal.recommended_option_id
    ]
    if not others or not appraisal.recommended_option_id:
        return None
    reasoned = [
        {"name": _option_name(o), "title": o.name, "reason": o.reason_not_chosen}
        for o in others
        if o.reason_not_chosen
    ]
    return {
        "reasoned": reasoned,
        "also": _join([_option_name(o) for o in others]),
    }


# --- consultation and timeline ------------------------------------------------------------------


def consultation_state(consultation, as_of) -> str:
    """Where a consultation stands on ``as_of``: "over", "running", "planned" or "unknown"
    (no dates and no responses: a paper asking to consult may not know when it will run)."""
    starts, ends = consultation.starts_on, consultation.ends_on
    if ends is not None and ends < as_of:
        return "over"
    if starts is not None and starts > as_of:
        return "planned"
    if starts is not None or ends is not None:
        return "running"  # responses counted before the end are interim figures
    return "over" if consultation.response_count is not None else "unknown"


# What each sentence says in each state; "unknown" commits to no tense.
CONSULTATION_VERBS = {
    #           (its span,  channels,               impact assessment)
    "over": ("ran", "It was carried out through", "went"),
    "running": ("runs", "It is carried out through", "goes"),
    "planned": ("will run", "It will be carried out through", "will go"),
    "unknown": ("is", "It uses", "goes"),
}


def _events_sentence(events, as_of, state: str) -> str:
    """'Two consultation events have been held with ...' when every event is past, 'will be
    held' when every one is to come; an undated event takes its consultation's state."""

    def when(event):
        if event.held_on is not None:
            return "past" if event.held_on < as_of else "future"
        return {"over": "past", "planned": "future"}.get(state, "")

    times = {when(e) for e in events}
    count = apnumber(len(events))
    noun = "consultation event" if len(events) == 1 else "consultation events"
    if times == {"past"}:
        sentence = f"{count.capitalize()} {noun} {'has' if len(events) == 1 else 'have'} been held"
    elif times == {"future"}:
        sentence = f"{count.capitalize()} {noun} will be held"
    else:
        sentence = f"The consultation includes {count} {noun}"
    audiences = _unique(e.audience for e in events)
    if audiences:
        sentence += f" with {_join(audiences)}"
    return sentence + "."


def consultations(data: PaperData):
    """Responses, events, channels and the options people preferred."""
    options_by_pk = {o.pk: o for a in data.case.appraisals.all() for o in a.options.all()}
    items = []
    # Tense follows the meeting the paper goes to: a consultation it reports may be over, running,
    # or still planned (Leicestershire's paper asks to consult).
    as_of = data.paper.meeting_date or timezone.localdate()
    # Imported here: consultations points at commissioning, never the reverse.
    from consultations.analysis import analyse, chosen_quotes, held, theme_counts
    from consultations.charts import preferences_chart, themes_chart

    pks = [c.pk for c in data.case.consultations.all()]
    consultations_held = held(pks) if pks else set()  # none to look for: no query built
    for c in data.case.consultations.all():
        sentences = []
        # Figures computed from the responses where they are held; else as the paper reported them.
        analysis = analyse(c) if c.pk in consultations_held else None
        state = consultation_state(c, as_of)
        span_verb, channels_lead, impact_verb = CONSULTATION_VERBS[state]
        if c.starts_on and c.ends_on:
            span = f"{span_verb} from {long_date(c.starts_on)} to {long_date(c.ends_on)} ({c.weeks} weeks)"
        elif c.minimum_weeks:
            span = f"{span_verb} for a minimum of {c.minimum_weeks} weeks"
        else:
            span = ""
        if span:
            sentences.append(f"The {c.title[0].lower() + c.title[1:]} {span}.")
        if analysis is not None:
            total = analysis["total"]
            verb = "was" if total == 1 else "were"
            sentences.append(f"{total:,} response{'' if total == 1 else 's'} {verb} received.")
        elif c.response_count is not None:
            # Responses not held here (a historical paper): the figure as reported, and said so.
            if c.response_count == 1:
                sentences.append("1 response was reported as received.")
            else:
                sentences.append(f"{c.response_count:,} responses were reported as received.")
        events = list(c.events.all())
        if events:
            sentences.append(_events_sentence(events, as_of, state))
        if c.channel_list:
            sentences.append(f"{channels_lead}: {'; '.join(c.channel_list)}.")
        if c.impact_assessment:
            sentences.append(f"An {c.impact_assessment} {impact_verb} with the consultation.")
        preferences = [p for p in c.preferences.all() if p.option_id in options_by_pk]
        counted = [p for p in preferences if p.respondents is not None]
        if analysis is not None:
            preferences = counted = []  # the computed table below stands for them
        if preferences and not counted:
            names = [_option_name(options_by_pk[p.option_id]) for p in preferences]
            plural = (
                "Options " + _join([n.removeprefix("Option ") for n in names]) if len(names) > 1 else names[0]
            )
            sentences.append(f"Feedback from the consultation indicated preferences for {plural}.")
        table = None
        if counted:
            table = {
                "caption": data.caption(f"Options preferred, as reported: {c.title}"),
                "rows": [
                    {
                        "option": _option_name(options_by_pk[p.option_id]),
                        "count": f"{p.respondents:,}",
                        "note": p.note,
                    }
                    for p in counted
                ],
            }
        computed = None
        if analysis is not None:
            preferences_of = analysis["preferences"]
            computed = {
                "by_type": [
                    {"label": r["label"], "count": f"{r['count']:,}", "percentage": f"{r['percentage']}%"}
                    for r in analysis["by_type"]
                ],
                "by_type_caption": data.caption(f"Responses by respondent type: {c.title}"),
                "preferences": [
                    {
                        "option": r["option"],
                        "name": r["name"],
                        "count": f"{r['count']:,}",
                        "percentage": f"{r['percentage']}%",
                    }
                    for r in preferences_of["rows"]
                ],
                "preferences_caption": data.caption(f"Options preferred: {c.title}"),
                "preferences_chart": preferences_chart(analysis, chart_id=f"preferences-chart-{c.pk}"),
                "leader": preferences_of["leader"],
                "answered": f"{preferences_of['answered']:,}",
                "no_preference": f"{preferences_of['no_preference']:,}",
                **_themes_and_quotes(data, c, theme_counts(c), chosen_quotes(c), themes_chart),
            }
        items.append(
            {
                "title": c.title,
                "kind": c.get_kind_display(),
                "computed": computed,
                "sentences": sentences,
                "summary": c.summary,
                "events": [
                    {"title": e.title, "when": long_date(e.held_on), "audience": e.audience} for e in events
                ],
                "table": table,
            }
        )
    return {"items": items} if items else None


def _themes_and_quotes(data: PaperData, consultation, themes, quotes, chart) -> dict:
    """The main themes of the comments, with counts, and the quotes chosen (masked)."""
    out = {"themes": None, "quotes": quotes}
    if themes and themes["main"]:
        tagged = themes["tagged"]
        out["themes"] = {
            "caption": data.caption(f"Main themes in the comments: {consultation.title}"),
            "sentence": (
                f"{tagged:,} comment{'' if tagged == 1 else 's'} {'was' if tagged == 1 else 'were'} "
                f"tagged with themes; shares are of those comments, and one comment may raise several "
                "themes."
            ),
            "rows": [
                {"theme": r["theme"], "count": f"{r['count']:,}", "percentage": f"{r['percentage']}%"}
                for r in themes["main"]
            ],
            "chart": chart({**themes, "rows": themes["main"]}, chart_id=f"themes-chart-{consultation.pk}"),
        }
    return out


def you_said_we_did(data: PaperData):
    """Each consultation's "We asked, you said, we did" rows ("you said" computed, or marked
    reported) and its Gunning checklist: for those with a row or a principle the officer confirmed."""
    # Imported here: consultations points at commissioning, never the reverse.
    from consultations.outcomes import figures_for, gunning_checklist, statement

    items = []
    for c in data.case.consultations.all():
        rows = sorted(c.you_said_we_did.all(), key=lambda r: (r.order, r.pk))
        if not (rows or c.formative_confirmed or c.information_confirmed):
            continue
        figures = figures_for(c)
        items.append(
            {
                "title": c.title,
                "held": figures.held,
                "caption": data.caption(f"We asked, you said, we did: {c.title}") if rows else "",
                "rows": statement(c, rows, figures)["rows"],
                "checklist": gunning_checklist(c, rows),
                "checklist_caption": data.caption(f"The Gunning principles: {c.title}"),
            }
        )
    return {"items": items} if items else None


def milestones(data: PaperData):
    """Seed 003's timeline: dated steps, month-only where the paper gives a month."""
    rows = [
        {
            "when": m.when,
            "title": m.title,
            "body": m.get_body_display() if m.body else "",
            "done": bool(m.completed_on),
        }
        for m in data.case.milestones.all()
    ]
    if not rows:
        return None
    return {"caption": data.caption("Timetable"), "rows": rows}


def risk(data: PaperData):
    case = data.case
    if not (case.current_risk or case.residual_risk or case.risk_note):
        return None
    return {
        "current": case.get_current_risk_display() if case.current_risk else "",
        "residual": case.get_residual_risk_display() if case.residual_risk else "",
        "note": case.risk_note,
    }


# --- need and capacity ---------------------------------------------------------------------------------


def need(data: PaperData):
    """Figures of need the officer chose for papers, and capacity against its benchmark."""
    evidence = [e for e in data.case.evidence.all() if e.in_paper]
    capacity = list(data.case.capacity.all())
    if not evidence and not capacity:
        return None
    content = {}
    if evidence:
        content["evidence"] = {
            "caption": data.caption("Evidence of need"),
            "rows": [
                {"label": e.label, "value": e.shown, "period": e.period, "area": e.area, "source": e.source}
                for e in evidence
            ],
        }
    if capacity:
        content["capacity"] = {
            "caption": data.caption("Capacity against the benchmark"),
            "rows": [
                {
                    "label": f"{c.label} ({c.unit})",
                    "commissioned": c.commissioned,
                    "provided": c.provided,
                    "planned": c.planned,
                    "benchmark": c.benchmark,
                    "shortfall": c.shortfall,
                    "against": c.get_shortfall_against_display().lower(),
                    "source": c.benchmark_source,
                }
                for c in capacity
            ],
        }
    return content


# --- the decision a paper is for ----------------------------------------------------------------------


def decision_record(data: PaperData):
    """The facts a published record of decision opens with: who decided, when, whether it is a key
    decision, the forward plan, call-in and when it takes effect. Computed dates only."""
    decision = data.decision
    if decision is None:
        return None
    key = "Not recorded"
    if decision.is_key_decision:
        key = "Yes" + (f": {decision.get_key_reason_display().lower()}" if decision.key_reason else "")
    elif decision.is_key_decision is False:
        key = "No"
    rows = [
        ("Decision maker", ", ".join(filter(None, [str(decision.maker or ""), decision.maker_name]))),
        ("Date of decision", long_date(decision.decided_on or decision.meeting_date)),
        ("Reference", decision.reference),
        ("Key decision", key),
    ]
    if decision.wards:
        rows.append(("Wards or divisions affected", decision.wards))
    if decision.forward_plan_published_on:
        rows.append(("First on the forward plan", long_date(decision.forward_plan_published_on)))
    if decision.urgency:
        rows.append((decision.get_urgency_display(), decision.urgency_reason))
    if decision.published_on:
        rows.append(("Decision published", long_date(decision.published_on)))
    if decision.subject_to_call_in is False:
        rows.append(("Call-in", "Not subject to call-in"))
    elif decision.call_in_deadline:
        rows.append(("Call-in deadline", long_date(decision.call_in_deadline)))
    if decision.called_in:
        rows.append(("Called in", decision.call_in_note or "Yes"))
    elif decision.takes_effect_on:
        rows.append(("Takes effect", long_date(decision.takes_effect_on)))
    return {"rows": [{"label": label, "value": value} for label, value in rows if value]}


def resolution(data: PaperData):
    decision = data.decision
    points = list(decision.resolution.all()) if decision else []
    if not points:
        return None
    return {"points": [{"label": p.label, "text": p.text} for p in points], "status": decision.status}


def decision_reasons(data: PaperData):
    decision = data.decision
    if decision is None or not decision.reasons.strip():
        return None
    return {"paragraphs": [p.strip() for p in decision.reasons.split("\n\n") if p.strip()]}


def decision_alternatives(data: PaperData):
    """The options considered and rejected: the appraisal's, with why, then any text of the record."""
    decision = data.decision
    if decision is None:
        return None
    options = []
    if decision.appraisal is not None:
        options = [{"name": str(o), "why": o.why_not_chosen} for o in decision.appraisal.other_options()]
    text = decision.alternatives.strip()
    if not options and not text:
        return None
    return {"options": options, "text": text}


def decision_interests(data: PaperData):
    decision = data.decision
    if decision is None:
        return None
    return {
        "interests": decision.interests.strip() or "None declared.",
        "dispensations": decision.dispensations.strip(),
    }


def delegations(data: PaperData):
    """Delegations as resolved; where the report proposed otherwise, that too, since they differ."""
    decision = data.decision
    rows = list(decision.delegations.all()) if decision else []
    resolved = [d for d in rows if d.stage == "resolved"]
    proposed = [d for d in rows if d.stage == "proposed"]
    if not rows:
        return None

    def shape(d):
        return {"power": d.power, "delegate": d.delegate, "with": d.in_consultation_with}

    differs = {(d.power, d.delegate) for d in proposed} != {(d.power, d.delegate) for d in resolved}
    return {
        "resolved": [shape(d) for d in resolved],
        "proposed": [shape(d) for d in proposed] if differs and proposed else [],
    }


def member_questions(data: PaperData):
    decision = data.decision
    questions = list(decision.questions.all()) if decision else []
    if not questions:
        return None
    return {
        "questions": [
            {
                "member": q.member,
                "role": q.member_role,
                "question": q.question,
                "answer": q.answer,
                "answered_by": q.answered_by,
            }
            for q in questions
        ]
    }


def pcc_approval(data: PaperData):
    """The decision maker's approval on a PCC decision notice: the words, a signature line, a date."""
    decision = data.decision
    if decision is None:
        return None
    approved = decision.status in ("approved", "approved_with_changes")
    return {
        "maker": decision.maker_name or str(decision.maker or ""),
        "role": str(decision.maker or ""),
        "date": long_date(decision.decided_on) if approved else "",
        "approved": approved,
    }


def part_two(data: PaperData):
    return {
        "note": "Part 2 of this decision notice holds confidential facts and advice; it is not published."
    }


# --- comments, lists and people -------------------------------------------------------------------


def approval_comments(data: PaperData):
    """Seed 000: "Constitutional Comments (SHB 13/10/11)" and the comment, from the approval steps."""
    comments = [
        {
            "heading": step.heading or step.get_kind_display(),
            "signature": step.signature,
            "comment": step.comment,
        }
        for step in data.steps
        if step.kind in ("legal", "finance") and step.decided_on
    ]
    return {"comments": comments} if comments else None


def _documents(data: PaperData, kind: str):
    docs = [d for d in data.case.documents.all() if d.kind == kind]
    if not docs:
        return None
    return {"documents": [{"label": d.label, "title": d.title, "url": d.url} for d in docs]}


def background_papers(data: PaperData):
    return _documents(data, "background")


def appendices(data: PaperData):
    return _documents(data, "appendix")


def divisions(data: PaperData):
    paper = data.paper
    if not (paper.electoral_divisions or paper.local_member_interest):
        return None
    return {"divisions": paper.electoral_divisions, "local_member_interest": paper.local_member_interest}


def contacts(data: PaperData):
    people = [
        {"name": c.name, "role": c.role, "job_title": c.job_title, "phone": c.phone, "email": c.email}
        for c in data.case.contacts.all()
    ]
    return {"contacts": people} if people else None


# --- contracts and FOI ---------------------------------------------------------------------------


def _term_label(contract) -> str:
    summary = contract.term_summary
    return f"{summary} years" if summary and "months" not in summary else summary


OPTION_PLURALS = {"extension": "options to extend", "break": "break points"}


def agreements(data: PaperData):
    """The agreement history: for a decision's paper, the agreements that decision made (and those
    they follow); otherwise the arrangements current at the meeting. Each with its route, outcome,
    periods (agreed or open), lots, value to date and maximum value, all computed."""
    decision = data.decision
    if decision is not None:
        chosen = [c for c in data.contracts if c.decision_id == decision.pk]
    else:
        day = data.paper.meeting_date
        chosen = [
            c for c in data.contracts if c.starts_on is not None and (day is None or c.starts_on <= day)
        ]
    if not chosen:
        return None
    rows = []
    for contract in chosen:
        periods = [
            {
                "label": (
                    f"{p.option.get_kind_display()}, {p.option.months} months" if p.option else "Initial term"
                ),
                "dates": f"{long_date(p.start)} to {long_date(p.end)}" if p.start else long_date(p.end),
                "status": p.option.get_status_display() if p.option else "Agreed",
                "value": money.format_money(contract.period_value(p)),
            }
            for p in contract.periods()
        ]
        rows.append(
            {
                "title": contract.title,
                "kind": contract.get_kind_display().split(" (")[0],
                "providers": ", ".join(p.name for p in contract.providers.all()),
                "route": contract.get_procurement_route_display() if contract.procurement_route else "",
                "regulation": contract.route_regulation,
                "outcome": contract.get_outcome_display() if contract.outcome else "",
                "outcome_reason": contract.outcome_reason if contract.procurement_failed else "",
                "periods": periods,
                "lots": [
                    {"name": lot.name, "annual": money.format_money(lot.annual_value)}
                    for lot in contract.lots.all()
                ],
                "value_to_date": money.format_money(contract.value_to_date),
                "maximum_value": money.format_money(contract.maximum_value),
                "stated": [line.as_stated for line in contract.value_lines.all()],
                "caption": data.caption(f"{contract.title}: periods and values"),
            }
        )
    return {"agreements": rows}


def _contract_row(contract) -> dict:
    providers = ", ".join(p.name for p in contract.providers.all())
    return {
        "title": contract.title + (f" ({contract.brand_name})" if contract.brand_name else ""),
        "providers": providers,
        "status": contract.get_status_display(),
        "starts": long_date(contract.starts_on),
        "ends": long_date(contract.initial_end),
        "term": _term_label(contract),
        "annual_value": money.format_money(contract.annual_value)
        if contract.annual_value is not None
        else "",
        "route": contract.framework_name
        or (contract.get_procurement_route_display() if contract.procurement_route else ""),
        "note": contract.term_note,
    }


def contract_terms(data: PaperData):
    """The contracts: current ones with their end dates, planned ones with term and value."""
    contracts = data.contracts
    if not contracts:
        return None
    sentences = []
    for contract in contracts:
        if contract.status == contract.Status.PLANNED and contract.has_term:
            options = list(contract.term_options.all())
            kinds = _unique(OPTION_PLURALS[o.kind] for o in options)
            sentence = (
                f"{contract.title} is planned to start on {long_date(contract.starts_on)} for an initial "
                f"{contract.initial_months} months"
            )
            if options:
                sentence += f" with {_join(kinds)} of {_join([f'{o.months}' for o in options])} months"
                sentence += (
                    f" ({contract.term_summary} years)" if "months" not in contract.term_summary else ""
                )
            if contract.total_value is not None:
                sentence += (
                    f", at {money.format_money(contract.annual_value)} a year: "
                    f"{money.format_money(contract.total_value)} over the full term"
                )
            sentences.append(sentence + ".")
    return {
        "caption": data.caption("Contracts"),
        "rows": [_contract_row(c) for c in contracts],
        "sentences": sentences,
    }


def foi_request(data: PaperData):
    """What the requester asked, as the letter quotes it."""
    request = data.foi_request
    if request is None:
        return None
    return {"reference": request.reference, "questions": [q.question for q in request.questions.all()]}


def foi_answers(data: PaperData):
    """Each question with its answer, then the contracts the request concerns, from the register."""
    request = data.foi_request
    if request is None:
        return None
    contracts = list(request.contracts.all())
    return {
        "answers": [
            {"question": q.question, "answer": mark_safe(markdown_to_html(q.answer))}  # noqa: S308 - sanitised
            for q in request.questions.all()
        ],
        "caption": data.caption(f"The commission this request concerns (FOI {request.reference})")
        if contracts
        else "",
        "rows": [_contract_row(c) for c in contracts],
        "answered": long_date(request.answered_on),
        "working_days": request.working_days_taken,
    }


SOURCES = {
    "current_services": current_services,
    "funding": funding,
    "budget": budget,
    "referrals": referrals,
    "options": options,
    "other_options": other_options,
    "recommended_option": recommended_option,
    "consultations": consultations,
    "you_said_we_did": you_said_we_did,
    "milestones": milestones,
    "risk": risk,
    "approval_comments": approval_comments,
    "decision_record": decision_record,
    "resolution": resolution,
    "decision_reasons": decision_reasons,
    "decision_alternatives": decision_alternatives,
    "decision_interests": decision_interests,
    "delegations": delegations,
    "member_questions": member_questions,
    "pcc_approval": pcc_approval,
    "part_two": part_two,
    "background_papers": background_papers,
    "appendices": appendices,
    "divisions": divisions,
    "contacts": contacts,
    "contract_terms": contract_terms,
    "agreements": agreements,
    "need": need,
    "foi_request": foi_request,
    "foi_answers": foi_answers,
}
