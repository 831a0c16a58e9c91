"""What came of a consultation: "We asked, you said, we did", and the Gunning principles.

"You said" is computed here, never typed: from the responses held (consultations/analysis.py),
or, where none are held (the seed cases are historical papers), from the figures the paper
reported, marked "reported". ``you_said(item, figures)`` is the one place that decides what a
row shows; a new kind of question (themes) is a new branch there.

Every value returned is a plain string, list or dict, so pages, the one-page PDF and the paper
section show the same words and a paper's data hash can fingerprint them.
"""

from dataclasses import dataclass, field
from functools import cached_property

from .analysis import analyse, comment_count, scale_summary, theme_counts, theme_quotes
from .models import Consultation, YouSaidWeDid

SCALE_RANGE = "0 to 10"  # what the importer accepts (importer.SCALE_MAX)
QUOTES_PER_THEME = 2  # enough to give a theme a voice, few enough for the one-page summary


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def weeks_and_days(days: int) -> str:
    """85 -> "12 weeks and 1 day"; 84 -> "12 weeks"; 6 -> "6 days"."""
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(f"{weeks} week{'' if weeks == 1 else 's'}")
    if rest or not weeks:
        parts.append(f"{rest} day{'' if rest == 1 else 's'}")
    return " and ".join(parts)


@dataclass
class Figures:
    """Everything "you said" can draw on for one consultation, gathered once for all its rows."""

    consultation: Consultation
    analysis: dict | None = None  # None: no responses held
    scale: dict | None = None
    comments: int = 0
    reported: list = field(default_factory=list)  # OptionPreference rows, as the paper gave them

    @property
    def held(self) -> bool:
        return self.analysis is not None

    @cached_property
    def themes(self) -> dict | None:
        """The code frame's counts (``theme_counts``), by theme pk, and each theme's chosen quotes:
        gathered the first time a row about a theme asks, once for all the rows."""
        counts = theme_counts(self.consultation) if self.held else None
        if counts is None:
            return None
        return {
            "tagged": counts["tagged"],
            "untagged": counts["untagged"],
            "rows": {r["pk"]: r for r in counts["rows"]},
            "quotes": theme_quotes(self.consultation, QUOTES_PER_THEME),
        }


_UNSET = object()


def figures_for(consultation: Consultation, analysis=_UNSET) -> Figures:
    """``analysis``: ``analyse(consultation)`` where the caller has it already."""
    if analysis is _UNSET:
        analysis = analyse(consultation)
    if analysis is None:
        preferences = consultation.preferences.select_related("option").order_by("option__order", "pk")
        return Figures(consultation, reported=list(preferences))
    return Figures(
        consultation, analysis, scale=scale_summary(consultation), comments=comment_count(consultation)
    )


def _option_name(option) -> str:
    label = option.label.strip()
    return f"Option {label}" if option.parent_id is None and label.isalnum() else label


def _said(lines, rows=(), *, held=True, reported=False, quotes=()) -> dict:
    return {
        "lines": list(lines),
        "rows": list(rows),
        "held": held,
        "reported": reported,
        "quotes": list(quotes),
    }


def _reported_preferences(figures: Figures) -> dict:
    preferences = figures.reported
    if not preferences:
        return _said(["No figures are held or reported for this question."], held=False)
    counted = [p for p in preferences if p.respondents is not None]
    if not counted:
        names = [_option_name(p.option) for p in preferences]
        joined = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        return _said([f"Feedback indicated preferences for {joined} (reported)."], held=False, reported=True)
    top = max(p.respondents for p in counted)
    leaders = [_option_name(p.option) for p in counted if p.respondents == top]
    if top == 0:
        lead = []
    elif len(leaders) == 1:
        lead = [f"{leaders[0]} was preferred by most ({top:,}, reported)."]
    else:
        lead = [f"{', '.join(leaders[:-1])} and {leaders[-1]} tied, with {top:,} each (reported)."]
    rows = [
        {"label": _option_name(p.option), "count": f"{p.respondents:,}", "percentage": ""} for p in counted
    ]
    return _said(
        lead + ["Figures as the paper reported them, not computed."], rows, held=False, reported=True
    )


def _preferences(figures: Figures) -> dict:
    if not figures.held:
        return _reported_preferences(figures)
    preferences = figures.analysis["preferences"]
    lines = []
    if preferences["leader"]:
        lines.append(preferences["leader"])
    answered, none = preferences["answered"], preferences["no_preference"]
    share = f"Shares are of the {answered:,} responses that chose an option"
    lines.append(share + (f"; {none:,} chose none." if none else "."))
    rows = [
        {
            "label": f"{r['option']}: {r['name']}",
            "count": f"{r['count']:,}",
            "percentage": f"{r['percentage']}%",
        }
        for r in preferences["rows"]
    ]
    return _said(lines, rows)


def _scale(figures: Figures) -> dict:
    if not figures.held:
        return _said(["No figures are held or reported for the scale question."], held=False)
    scale = figures.scale
    if scale is None:
        return _said(["Nobody answered the scale question."])
    answered = scale["answered"]
    lines = [
        f"{answered:,} response{'' if answered == 1 else 's'} answered on a scale of {SCALE_RANGE}: "
        f"the mean answer was {scale['mean']}."
    ]
    rows = [
        {"label": r["label"], "count": f"{r['count']:,}", "percentage": f"{r['percentage']}%"}
        for r in scale["distribution"]
    ]
    return _said(lines, rows)


def _comments(figures: Figures) -> dict:
    if not figures.held:
        return _said(["No comments are held or reported."], held=False)
    total, count = figures.analysis["total"], figures.comments
    return _said([f"{count:,} of the {total:,} responses included a comment."])


def _theme(figures: Figures, theme) -> dict:
    """How many of the comments tagged with any theme raised this one (the share the paper's
    themes table gives), and up to QUOTES_PER_THEME chosen quotes from them, masked."""
    if not figures.held:
        return _said(["No comments are held to count for this theme."], held=False)
    themes = figures.themes
    row = themes["rows"].get(theme.pk) if themes else None
    if row is None:
        return _said([f"No comments are counted for {theme.name}."], held=False)
    tagged, untagged = themes["tagged"], themes["untagged"]
    if not tagged:
        return _said([f"No comments have been tagged with themes yet, so none are counted for {theme.name}."])
    lines = [
        f"{row['count']:,} of {tagged:,} comment{'' if tagged == 1 else 's'} tagged with themes "
        f"({row['percentage']}%) raised {theme.name}."
    ]
    if untagged > 0:
        lines.append(
            f"{untagged:,} other comment{' was' if untagged == 1 else 's were'} not tagged with any theme."
        )
    return _said(lines, quotes=themes["quotes"].get(theme.pk, []))


def _received(count: int) -> str:
    return f"{count:,} response{'' if count == 1 else 's'} {'was' if count == 1 else 'were'} received"


def _responses(figures: Figures) -> dict:
    if figures.held:
        return _said([f"{_received(figures.analysis['total'])}."])
    count = figures.consultation.response_count
    if count is None:
        return _said(["No figures are held or reported."], held=False)
    return _said([f"{_received(count)} (reported)."], held=False, reported=True)


def you_said(item: YouSaidWeDid, figures: Figures | None = None) -> dict:
    """What people said to the row's question or theme, computed: lines of text; for a question
    with answers to count, rows of label, count and share; for a theme, quotes (text and by).
    ``figures``: gathered once per consultation by ``figures_for`` (gathered here when not given)."""
    figures = figures or figures_for(item.consultation)
    if item.theme_id:
        return _theme(figures, item.theme)
    question = item.question
    if question == YouSaidWeDid.Question.PREFERENCE:
        return _preferences(figures)
    if question == YouSaidWeDid.Question.SCALE:
        return _scale(figures)
    if question == YouSaidWeDid.Question.COMMENTS:
        return _comments(figures)
    return _responses(figures)


def _decision_name(decision) -> str:
    name = decision.reference or decision.title
    return f"{name} ({long_date(decision.day)})" if decision.day else name


def _about(row: YouSaidWeDid) -> str:
    if row.theme_id:
        return f"Theme: {row.theme.name}"
    return row.get_question_display() if row.question else ""


def rows_of(consultation: Consultation) -> list[YouSaidWeDid]:
    return list(
        YouSaidWeDid.objects.filter(consultation=consultation)
        .select_related("decision", "theme")
        .order_by("order", "pk")
    )


def statement(consultation: Consultation, rows=None, figures: Figures | None = None) -> dict:
    """The three columns, row by row, with each row's decision: for the page, the PDF and the paper."""
    rows = rows_of(consultation) if rows is None else rows
    figures = figures or figures_for(consultation)
    return {
        "held": figures.held,
        "rows": [
            {
                "pk": row.pk,
                "we_asked": row.we_asked,
                "question": _about(row),
                "theme": row.theme.name if row.theme_id else "",
                "you_said": you_said(row, figures),
                "we_did": row.we_did,
                "decision": _decision_name(row.decision) if row.decision_id else "",
            }
            for row in rows
        ],
    }


# The Gunning principles.
MET, NOT_MET, CHECK, UNCONFIRMED, UNKNOWN = "met", "not_met", "check", "unconfirmed", "unknown"
STATUS_LABELS = {
    MET: "Met",
    NOT_MET: "Not met",
    CHECK: "Check",
    UNCONFIRMED: "Not confirmed",
    UNKNOWN: "Cannot tell",
}


def _principle(number, title, status, details=(), warnings=(), link=None) -> dict:
    return {
        "number": number,
        "title": title,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "details": [d for d in details if d],
        "warnings": list(warnings),
        "link": link,
    }


def adequate_time(consultation: Consultation) -> dict | None:
    """Days and weeks from the start to the end date against the weeks judged adequate.
    None when either date is missing."""
    starts, ends = consultation.starts_on, consultation.ends_on
    if not (starts and ends):
        return None
    days = (ends - starts).days
    needed = consultation.adequate_weeks * 7
    return {
        "days": days,
        "weeks": days // 7,
        "extra_days": days % 7,
        "length": weeks_and_days(days),
        "needed_days": needed,
        "met": days >= needed,
        "short_by": weeks_and_days(needed - days) if days < needed else "",
    }


def impact_assessment_link(consultation: Consultation) -> dict | None:
    """The equality impact assessment: a case document, a link, or only its title."""
    document = consultation.impact_assessment_document
    title = consultation.impact_assessment
    if document is not None:
        return {"href": document.url, "text": str(document)}
    if consultation.impact_assessment_url:
        return {"href": consultation.impact_assessment_url, "text": title or "Equality impact assessment"}
    if title:
        return {"href": "", "text": title}
    return None


def gunning_checklist(consultation: Consultation, rows=None) -> dict:
    """The four Gunning principles, each with its status, what it rests on and any warning."""
    rows = rows_of(consultation) if rows is None else rows
    decisions = {row.decision.pk: row.decision for row in rows if row.decision_id}
    decisions = sorted(decisions.values(), key=lambda d: (d.day is None, d.day, d.pk))

    # 1. Formative stage: the officer confirms; a decision taken before the consultation ended warns.
    warnings = [
        f"The consultation ends on {long_date(consultation.ends_on)}, after decision "
        f"{decision.reference or decision.title} was taken on {long_date(decision.day)}."
        for decision in decisions
        if consultation.ends_on and decision.day and consultation.ends_on > decision.day
    ]
    status = CHECK if warnings else (MET if consultation.formative_confirmed else UNCONFIRMED)
    formative = _principle(
        1,
        "Proposals at a formative stage",
        status,
        [
            "Confirmed by the officer." if consultation.formative_confirmed else "",
            consultation.formative_note,
        ],
        warnings,
    )

    # 2. Enough information: the officer confirms, with a link to the documents.
    link = (
        {"href": consultation.documents_url, "text": "Consultation documents"}
        if consultation.documents_url
        else None
    )
    information = _principle(
        2,
        "Enough information to respond",
        MET if consultation.information_confirmed else UNCONFIRMED,
        [
            "Confirmed by the officer." if consultation.information_confirmed else "",
            consultation.information_note,
        ],
        link=link,
    )

    # 3. Adequate time: computed from the dates.
    time = adequate_time(consultation)
    adequate = f"{consultation.adequate_weeks} week{'' if consultation.adequate_weeks == 1 else 's'}"
    if time is None:
        timing = _principle(3, "Adequate time", UNKNOWN, [f"Dates not recorded; {adequate} judged adequate."])
    else:
        span = (
            f"Ran {time['length']} ({time['days']:,} days), from {long_date(consultation.starts_on)} "
            f"to {long_date(consultation.ends_on)}, against {adequate} ({time['needed_days']:,} days) "
            "judged adequate."
        )
        timing = _principle(
            3,
            "Adequate time",
            MET if time["met"] else NOT_MET,
            [span, "" if time["met"] else f"{time['short_by'].capitalize()} short."],
        )

    # 4. Conscientious consideration: a "we did" row cites a decision that gives its reasons.
    with_reasons = [d for d in decisions if d.reasons.strip()]
    if with_reasons:
        considered = _principle(
            4,
            "Conscientious consideration",
            MET,
            [
                f"The reasons of decision {_decision_name(d)} are cited by a “we did” row."
                for d in with_reasons
            ],
        )
    elif decisions:
        considered = _principle(
            4,
            "Conscientious consideration",
            NOT_MET,
            [f"Decision {_decision_name(d)} records no reasons." for d in decisions],
        )
    else:
        considered = _principle(
            4,
            "Conscientious consideration",
            NOT_MET,
            ["No “we did” row links the decision whose reasons show the responses were considered."],
        )
    return {
        "principles": [formative, information, timing, considered],
        "impact_assessment": impact_assessment_link(consultation),
    }
