"""The dates that matter in every agreement's life, worked out from its terms (never typed).

For each agreement that has not ended:

- an extension option still open (available or proposed) must be decided by the option's start
  less the agreement's notice period (``extension_notice_months``; the start itself when none is
  recorded);
- recommissioning must start the lead commissioner's procurement lead time
  (``Organisation.procurement_lead_months``) before the current end;
- where a provider is a voluntary or community organisation, the Best Value statutory guidance
  (2015) expects at least three months' notice before its funding is reduced or ended: the
  current end less three months;
- the grant or contract ends on its current end (the initial term and every agreed option).

Recommissioning and the notice are not needed where another agreement already follows this one
(its ``successors``, through ``predecessor``). An agreement ending within 12 months with nothing
following it is a funding cliff edge.

Everything here reads one prefetched queryset (``agreements``), so a page that lists key dates
runs the same number of queries whatever the number of agreements.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Prefetch

from commissioning.models import Organisation
from commissioning.periods import add_months

from .models import Contract, ContractTermOption, KeyDateKind, ReminderLead, TermOptionStatus, agreed_end

# The Best Value statutory guidance: "at least three months' notice" to a voluntary or community
# organisation before reducing or ending its funding.
VCS_NOTICE_MONTHS = 3
CLIFF_EDGE_MONTHS = 12
OPEN_OPTION_STATUSES = frozenset({TermOptionStatus.AVAILABLE, TermOptionStatus.PROPOSED})
# Providers the guidance counts as voluntary or community organisations: charities, and
# consortia with a charity among their members.
VCS_KINDS = frozenset({Organisation.Kind.CHARITY})

# How long before a key date each reminder goes (ReminderLead), longest first.
REMINDER_LEADS = (
    (ReminderLead.THREE_MONTHS, lambda day: add_months(day, -3)),
    (ReminderLead.ONE_MONTH, lambda day: add_months(day, -1)),
    (ReminderLead.ONE_WEEK, lambda day: day - timedelta(days=7)),
)


@dataclass(frozen=True)
class KeyDate:
    date: date
    kind: str  # KeyDateKind
    agreement: Contract = field(compare=False)
    organisation: Organisation = field(compare=False)  # the lead commissioner, who acts on it
    description: str = field(compare=False)
    cliff_edge: bool = field(default=False, compare=False)

    @property
    def kind_label(self) -> str:
        return KeyDateKind(self.kind).label

    @property
    def key(self) -> tuple:
        return (self.date, self.kind, self.agreement.pk)

    def reminder_due(self, today: date) -> str | None:
        """The latest reminder (ReminderLead) whose day has come, while the date is still ahead."""
        if today > self.date:
            return None
        due = None
        for lead, day_of in REMINDER_LEADS:
            if day_of(self.date) <= today:
                due = lead
        return due


def agreements(user):
    """The agreements the user may see, with everything the key dates read fetched up front."""
    return prefetched(Contract.objects.visible_to(user))


def prefetched(contracts):
    """Agreements not ended, with everything the key dates read fetched up front."""
    return (
        contracts.exclude(status=Contract.Status.ENDED)
        .select_related("lead_commissioner")
        .prefetch_related(
            Prefetch("term_options", queryset=ContractTermOption.objects.order_by("order", "pk")),
            "providers__members",
            Prefetch("successors", queryset=Contract.objects.only("pk", "predecessor_id")),
        )
    )


def is_vcs(organisation: Organisation) -> bool:
    if organisation.kind in VCS_KINDS:
        return True
    return organisation.kind == Organisation.Kind.CONSORTIUM and any(
        member.kind in VCS_KINDS for member in organisation.members.all()
    )


def _fmt(day: date) -> str:
    return f"{day:%-d %B %Y}"


def dates_of(agreement: Contract, today: date) -> list[KeyDate]:
    """Every key date of one agreement (past ones included), in date order."""
    periods = agreement.periods()
    end = agreement.current_end
    if end is None:
        return []
    lead = agreement.lead_commissioner
    found = []

    def add(day, kind, description, **extra):
        found.append(KeyDate(day, str(kind), agreement, lead, description, **extra))

    notice = agreement.extension_notice_months
    for period in periods:
        option = period.option
        if option is None or option.status not in OPEN_OPTION_STATUSES or period.start is None:
            continue
        due = add_months(period.start, -notice) if notice else period.start
        notice_text = f"{notice} months' notice" if notice else "no notice period recorded"
        add(
            due,
            KeyDateKind.OPTION_DECISION,
            f"Decide the {option.months}-month {option.get_kind_display().lower()} from "
            f"{_fmt(period.start)} ({notice_text}; {option.get_status_display().lower()})",
        )

    followed = bool(agreement.successors.all())
    if not followed:
        months = lead.procurement_lead_months
        add(
            add_months(end, -months),
            KeyDateKind.RECOMMISSIONING,
            f"Start recommissioning: {months} months before the agreement ends on {_fmt(end)}",
        )
        vcs = [p.label for p in agreement.providers.all() if is_vcs(p)]
        if vcs:
            add(
                add_months(end, -VCS_NOTICE_MONTHS),
                KeyDateKind.VCS_NOTICE,
                f"Last day to give {', '.join(vcs)} three months' notice of reducing or ending "
                f"funding (Best Value statutory guidance) before {_fmt(end)}",
            )

    cliff = not followed and today <= end <= add_months(today, CLIFF_EDGE_MONTHS)
    grant = agreement.kind == Contract.Kind.GRANT
    noun = "grant" if grant else "contract"
    later = agreement.latest_end
    more = f"; up to {_fmt(later)} if every open option is taken" if later and later != end else ""
    following = "another agreement follows" if followed else "nothing follows it yet"
    add(
        end,
        KeyDateKind.GRANT_END if grant else KeyDateKind.CONTRACT_END,
        f"The {noun} ends ({following}{more})",
        cliff_edge=cliff,
    )
    return sorted(found, key=lambda d: (d.date, d.kind))


def key_dates(contracts, today: date, *, kinds=(), start=None, stop=None) -> list[KeyDate]:
    """The key dates of the agreements, soonest first, filtered by kind and by a date range."""
    found = []
    for agreement in contracts:
        for key_date in dates_of(agreement, today):
            if kinds and key_date.kind not in kinds:
                continue
            if (start and key_date.date < start) or (stop and key_date.date > stop):
                continue
            found.append(key_date)
    return sorted(found, key=lambda d: (d.date, d.kind, d.agreement.reference))


def cliff_edges(contracts, today: date) -> list[KeyDate]:
    """Agreements ending within 12 months with no agreement following them: their end dates."""
    return [d for d in key_dates(contracts, today) if d.cliff_edge]


class _Option(NamedTuple):
    months: int
    status: str


class _Terms:
    """An agreement's terms for ``Contract.periods``: its own code, without a model instance each
    (building a thousand instances is most of the dashboard's time at national scale)."""

    initial_end = Contract.initial_end
    initial_months = Contract.initial_months
    periods = Contract.periods

    def __init__(self, starts_on, ends_on, initial_term_months, extension_notice_months):
        self.starts_on, self.ends_on = starts_on, ends_on
        self.initial_term_months = initial_term_months
        self.extension_notice_months = extension_notice_months


def _bounds(agreement: _Terms, options: list, lead_months: int) -> tuple[list[date], list[date]]:
    """(certain, possible) key dates of one agreement, from its terms and ``options`` alone.

    Certain: option decisions and the end, which every agreement with an end has. Possible: the
    recommissioning start and the VCS notice, which depend on what follows the agreement and on
    its providers, so may not be among its key dates. Every key date is in one list or the other.
    """
    periods = agreement.periods(options)
    end = agreed_end(periods)
    if end is None:
        return [], []
    notice = agreement.extension_notice_months
    certain = [end]
    for period in periods:
        option = period.option
        if option is not None and option.status in OPEN_OPTION_STATUSES and period.start is not None:
            certain.append(add_months(period.start, -notice) if notice else period.start)
    return certain, [add_months(end, -lead_months), add_months(end, -VCS_NOTICE_MONTHS)]


def upcoming(user, today: date, limit: int = 5, candidates: list[int] | None = None) -> list[KeyDate]:
    """The next few key dates (the dashboard's panel).

    Working out every agreement's key dates reads its providers, their members and its successors:
    over a second for a council with a thousand agreements. So ``candidates`` first picks the
    agreements that can have one of the next ``limit`` dates (``candidate_pks``: the dashboard keeps
    that list), and
    only those are read in full: the same dates as ``key_dates`` over them all.
    """
    if candidates is None:
        candidates = candidate_pks(user, today, limit)
    return key_dates(prefetched(Contract.objects.filter(pk__in=candidates)), today, start=today)[:limit]


def candidate_pks(user, today: date, limit: int = 5) -> list[int]:
    """The pks of the agreements that can have one of the next ``limit`` key dates.

    The terms and options alone (two light queries of plain values) give each agreement's certain
    and possible dates (``_bounds``); the ``limit``-th soonest certain date to come is a cut-off
    no shown date can be after, and the candidates are the agreements with a date between today
    and it. The same queries at any scale.
    """
    visible = Contract.objects.visible_to(user).exclude(status=Contract.Status.ENDED).order_by()
    options = defaultdict(list)
    for contract_id, months, status in (
        ContractTermOption.objects.filter(contract__in=visible.values("pk"))
        .order_by("order", "pk")
        .values_list("contract_id", "months", "status")
    ):
        options[contract_id].append(_Option(months, status))
    bounds = {}
    for pk, starts_on, ends_on, term, notice, lead_months in visible.values_list(
        "pk",
        "starts_on",
        "ends_on",
        "initial_term_months",
        "extension_notice_months",
        "lead_commissioner__procurement_lead_months",
    ):
        bounds[pk] = _bounds(_Terms(starts_on, ends_on, term, notice), options[pk], lead_months)
    soonest = sorted(day for certain, _ in bounds.values() for day in certain if day >= today)
    cutoff = soonest[limit - 1] if len(soonest) >= limit else date.max
    return sorted(
        pk
        for pk, (certain, possible) in bounds.items()
        if any(today <= day <= cutoff for day in (*certain, *possible))
    )
