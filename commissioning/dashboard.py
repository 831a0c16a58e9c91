"""What the signed-in officer's dashboard lists: one function per panel, each a fixed number of queries.

Every panel is scoped by Case.objects.visible_to / Contract.objects.visible_to, so an officer
never sees another organisation's work. ``today`` is a parameter so tests can pin it.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from commissioning import choice_lists
from commissioning.periods import add_months
from contracts import keydates
from contracts.models import Contract, ContractTermOption

from .models import ApprovalStep, Case, Milestone

# Contracts are listed this far ahead: a recommissioning case takes 12-18 months (seed 003's
# timeline runs from August 2019 to April 2020 for the decision, tender and award alone).
CONTRACT_HORIZON_MONTHS = 18
MILESTONE_HORIZON_DAYS = 30
# The key dates panel shows the next few; the key dates page has the rest.
KEY_DATES_SHOWN = 5
# Each panel lists the most urgent few and links to the register for the rest, so the page is
# the same size for a council with 600 cases as for one with 6.
PANEL_ROWS = 10
CASES_PER_STAGE = 3
# What the milestones panel reads of each candidate.
MILESTONE_COLUMNS = (
    "title",
    "due_on",
    "precision",
    "completed_on",
    "case__reference",
    "case__title",
    "case__stage",
    "case__status",
)

# Which approval steps each role acts on.


def open_cases(user):
    """Visible cases still in progress: not closed, completed or withdrawn."""
    return (
        Case.objects.visible_to(user)
        .exclude(stage=Case.Stage.CLOSED)
        .exclude(status__in=[Case.Status.COMPLETED, Case.Status.WITHDRAWN])
    )


class Panel(list):
    """The rows a panel shows (the most urgent few), with ``total``: how many there are in all."""

    def __init__(self, rows, total: int):
        super().__init__(rows)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def stage_selection(user) -> dict:
    """Open cases counted by stage, and the pks of each stage's first CASES_PER_STAGE by title."""
    cases = open_cases(user)
    counts = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))
    first = (
        cases.annotate(place=Window(RowNumber(), partition_by=F("stage"), order_by=[F("title"), F("pk")]))
        .filter(place__lte=CASES_PER_STAGE)
        .values_list("pk", flat=True)
    )
    return {"counts": counts, "first": list(first)}


def open_cases_by_stage(user, selected: dict | None = None) -> list[dict]:
    """[{"stage": "Options", "value": "options", "cases": Panel}, ...] in the order of the cycle:
    each stage's count and its first CASES_PER_STAGE cases by title."""
    if selected is None:
        selected = stage_selection(user)
    counts = selected["counts"]
    by_stage = defaultdict(list)
    first = Case.objects.filter(pk__in=selected["first"]).select_related("lead_commissioner")
    for case in first.order_by("title", "pk"):
        by_stage[case.stage].append(case)
    return [
        {"stage": label, "value": value, "cases": Panel(by_stage[value], counts[value])}
        for value, label in Case.Stage.choices
        if counts.get(value)
    ]


def contracts_ending_selection(user, today: date) -> dict:
    """Live contracts whose initial term ends between today and 18 months on, soonest first: the
    pks of the first PANEL_ROWS, and the count of them all.

    The initial end is the recorded end date, or else start + initial term (Contract.initial_end),
    so contracts without an end date are checked in Python.
    """
    horizon = add_months(today, CONTRACT_HORIZON_MONTHS)
    live = Contract.objects.visible_to(user).filter(status=Contract.Status.LIVE)
    recorded = live.filter(ends_on__gte=today, ends_on__lte=horizon).values_list("pk", "ends_on", "reference")
    by_term = [
        (c.pk, c.initial_end, c.reference)
        for c in live.filter(ends_on=None, starts_on__isnull=False, initial_term_months__gt=0).only(
            "pk", "reference", "starts_on", "ends_on", "initial_term_months"
        )
        if today <= c.initial_end <= horizon
    ]
    ending = sorted([*recorded, *by_term], key=lambda row: (row[1], row[2]))
    return {"total": len(ending), "shown": [pk for pk, _, _ in ending[:PANEL_ROWS]]}


def contracts_ending(user, today: date, selected: dict | None = None) -> Panel:
    """The contracts panel: those of ``contracts_ending_selection``, read in full."""
    if selected is None:
        selected = contracts_ending_selection(user, today)
    contracts = (
        Contract.objects.filter(pk__in=selected["shown"])
        .select_related("lead_commissioner", "case")
        .prefetch_related(
            Prefetch("term_options", queryset=ContractTermOption.objects.order_by("order", "pk")),
            "value_lines",
            "lots",
            "tender_notices",
            "providers",
        )
        .in_bulk()
    )
    rows = [contracts[pk] for pk in selected["shown"] if pk in contracts]
    for contract in rows:
        contract.months_remaining = contract.months_left(today)
    return Panel(rows, selected["total"])


def gone_by(today: date) -> Q:
    """Milestones whose last day (``Milestone.last_day``) is before ``today``, in SQL.

    A written month, quarter, season or year starts on its first day (``Milestone.clean``): its
    last day is before today when it starts before the first of this month less its span, plus a
    month. November 2019 (span 1) has gone by on 1 December 2019: 1 November < 1 December.
    """
    first = today.replace(day=1)
    spans = {
        Milestone.Precision.MONTH: 1,
        Milestone.Precision.QUARTER: 3,
        Milestone.Precision.SEASON: 3,
        Milestone.Precision.YEAR: 12,
    }
    q = Q(precision=Milestone.Precision.DAY, due_on__lt=today)
    for precision, span in spans.items():
        q |= Q(precision=precision, due_on__lt=add_months(first, 1 - span))
    return q


def milestone_selection(user, today: date) -> dict:
    """Open milestones of open cases: overdue ones, and those due in the next 30 days; the pks of
    the first PANEL_ROWS of each (soonest first) with their counts.

    Whether one is overdue or lapsed depends on its written date and its case (Milestone.status):
    a date gone by (``gone_by``) is overdue while its case has not moved on (``Case.has_moved_on``),
    and lapsed, so in neither panel, once it has.
    """
    milestones = Milestone.objects.filter(
        case__in=open_cases(user),
        completed_on__isnull=True,
        due_on__lte=today + timedelta(days=MILESTONE_HORIZON_DAYS),
    )
    past = gone_by(today)
    case_current = Q(case__status=Case.Status.ACTIVE) & ~Q(case__stage__in=Case.MOVED_ON_STAGES)
    groups = {"overdue": milestones.filter(past & case_current), "due": milestones.exclude(past)}
    return {
        status: {
            "shown": list(rows.order_by("due_on", "pk").values_list("pk", flat=True)[:PANEL_ROWS]),
            "total": rows.count(),
        }
        for status, rows in groups.items()
    }


def milestones_due(user, today: date, selected: dict | None = None) -> dict[str, Panel]:
    """The overdue and due milestone panels: those of ``milestone_selection``, read in one query."""
    if selected is None:
        selected = milestone_selection(user, today)
    shown = [pk for group in selected.values() for pk in group["shown"]]
    read = Milestone.objects.filter(pk__in=shown).select_related("case").only(*MILESTONE_COLUMNS).in_bulk()
    return {
        status: Panel([read[pk] for pk in group["shown"] if pk in read], group["total"])
        for status, group in selected.items()
    }


def selection(user, today: date) -> dict:
    """What every panel shows but the approvals (which are the user's own), as pks and counts:
    the part of the dashboard that reads every visible case, contract and milestone. The view
    keeps it for the day between changes to the data (commissioning.choice_lists)."""
    return {
        "stages": stage_selection(user),
        "contracts": contracts_ending_selection(user, today),
        "milestones": milestone_selection(user, today),
        "key_dates": keydates.candidate_pks(user, today, KEY_DATES_SHOWN),
    }


def kept_selection(user, today: date) -> dict:
    name = f"dashboard-{today.isoformat()}"
    return choice_lists.get_lists(user, {name: lambda user: selection(user, today)})[name]


def approvals_waiting(user) -> list[ApprovalStep]:
    """Steps the user can act on now (their role, their organisation's cases, not their own
    submissions, every earlier step done): the model's own rule, so the two never drift."""
    return list(ApprovalStep.objects.waiting_for(user))
