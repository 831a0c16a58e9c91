"""What the signed-in officer's dashboard lists: one function per panel, each a fixed number of queries.

Every panel is scoped by Case.objects.visible_to / Contract.objects.visible_to, so an officer
never sees another organisation's work. ``today`` is a parameter so tests can pin it.
"""

from datetime import date, timedelta

from django.db.models import Prefetch

from commissioning.periods import add_months
from contracts.models import Contract, ContractTermOption

from .models import ApprovalStep, Case, Milestone

# Contracts are listed this far ahead: a recommissioning case takes 12-18 months (seed 003's
# timeline runs from August 2019 to April 2020 for the decision, tender and award alone).
CONTRACT_HORIZON_MONTHS = 18
MILESTONE_HORIZON_DAYS = 30
# The key dates panel shows the next few; the key dates page has the rest.
KEY_DATES_SHOWN = 5

# Which approval steps each role acts on.


def open_cases(user):
    """Visible cases still in progress: not closed, completed or withdrawn."""
    return (
        Case.objects.visible_to(user)
        .exclude(stage=Case.Stage.CLOSED)
        .exclude(status__in=[Case.Status.COMPLETED, Case.Status.WITHDRAWN])
    )


def open_cases_by_stage(user) -> list[dict]:
    """[{"stage": "Options", "cases": [...]}, ...] in the order of the commissioning cycle."""
    cases = list(open_cases(user).select_related("lead_commissioner").order_by("title"))
    groups = []
    for value, label in Case.Stage.choices:
        in_stage = [case for case in cases if case.stage == value]
        if in_stage:
            groups.append({"stage": label, "value": value, "cases": in_stage})
    return groups


def contracts_ending(user, today: date) -> list[Contract]:
    """Live contracts whose initial term ends between today and 18 months on, soonest first.

    The initial end is the recorded end date, or else start + initial term (Contract.initial_end),
    so contracts without an end date are checked in Python after one query.
    """
    horizon = add_months(today, CONTRACT_HORIZON_MONTHS)
    candidates = (
        Contract.objects.visible_to(user)
        .filter(status=Contract.Status.LIVE)
        .exclude(ends_on__lt=today)
        .exclude(ends_on__gt=horizon)
        .select_related("lead_commissioner", "case")
        .prefetch_related(
            Prefetch("term_options", queryset=ContractTermOption.objects.order_by("order", "pk")),
            "value_lines",
            "lots",
            "tender_notices",
            "providers",
        )
    )
    ending = [c for c in candidates if c.initial_end and today <= c.initial_end <= horizon]
    for contract in ending:
        contract.months_remaining = contract.months_left(today)
    return sorted(ending, key=lambda c: (c.initial_end, c.reference))


def milestones_due(user, today: date) -> dict[str, list[Milestone]]:
    """Open milestones of open cases: overdue ones, and those due in the next 30 days."""
    milestones = list(
        Milestone.objects.filter(
            case__in=open_cases(user),
            completed_on__isnull=True,
            due_on__lte=today + timedelta(days=MILESTONE_HORIZON_DAYS),
        )
        .select_related("case")
        .order_by("due_on", "pk")
    )
    statuses = [(m, m.status(today, case_closed=m.case.has_moved_on)) for m in milestones]
    return {
        "overdue": [m for m, status in statuses if status == "overdue"],
        "due": [m for m, status in statuses if status == "due"],
    }


def approvals_waiting(user) -> list[ApprovalStep]:
    """Steps the user can act on now (their role, their organisation's cases, not their own
    submissions, every earlier step done): the model's own rule, so the two never drift."""
    return list(ApprovalStep.objects.waiting_for(user))
