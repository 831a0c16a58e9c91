"""Everything a paper shows, loaded in a fixed number of queries.

``load_paper_data`` fetches the paper and its case with every related row a section can
need (services, funding, referrals, options, consultations, contracts, FOI requests,
approvals) through ``select_related``/``prefetch_related``, so a paper with 50 services runs
the same queries as one with 1. The section functions then only read Python objects.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Prefetch

from commissioning import money
from commissioning.models import (
    ApprovalStep,
    Case,
    Decision,
    DecisionPaper,
    FundingContribution,
    Organisation,
)


def long_date(day: date | None) -> str:
    """27 July 2011, as papers write dates."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


@dataclass
class PaperData:
    paper: DecisionPaper
    case: Case
    authority: Organisation
    year: str
    steps: list = field(default_factory=list)
    decision: object = None  # the paper's decision, with its points, delegations and questions
    tables: int = 0

    def caption(self, text: str) -> str:
        """Tables are numbered through the whole paper: "Table 3: Referrals"."""
        self.tables += 1
        return f"Table {self.tables}: {text}"

    # Shapes the sections share.
    @property
    def services(self) -> list:
        # Creation order is the order the paper lists them in (the seed tables' order).
        return sorted(self.case.services.all(), key=lambda s: s.pk)

    def contributions(self, service, year: str | None = None) -> list:
        return list(self._contributions_by_year.get((service.pk, year or self.year), ()))

    @cached_property
    def _contributions_by_year(self) -> dict:
        """(service pk, year): its contributions in the prefetched order. The sections ask for
        them a few hundred times on a paper of 70 services; each ``.all()`` built a manager."""
        grouped = {}
        for service in self.case.services.all():
            for contribution in service.contributions.all():
                grouped.setdefault((service.pk, contribution.financial_year), []).append(contribution)
        return grouped

    def is_own(self, contribution) -> bool:
        return contribution.commissioner_id == self.authority.pk

    @property
    def appraisal(self):
        """The case's appraisal a paper reports: the approved one, else the latest."""
        appraisals = list(self.case.appraisals.all())
        if not appraisals:
            return None
        approved = [a for a in appraisals if a.status == a.Status.APPROVED]
        return (approved or appraisals)[-1]

    @property
    def contracts(self) -> list:
        return list(self.case.contracts.all())

    @property
    def foi_request(self):
        requests = list(self.case.foi_requests.all())
        matching = [r for r in requests if self.paper.reference and r.reference == self.paper.reference]
        return (matching or requests or [None])[0]


CASE_PREFETCHES = [
    "services",
    Prefetch(
        "services__contributions",
        queryset=FundingContribution.objects.select_related("commissioner", "budget_holder").order_by(
            "financial_year", "commissioner__name", "pk"
        ),
    ),
    "services__referral_counts__area",
    "milestones",
    "evidence",
    "capacity",
    "contacts",
    "documents",
    "appraisals",
    "appraisals__options",
    "appraisals__options__lots__areas",
    "consultations__events",
    "consultations__preferences",
    "consultations__impact_assessment_document",
    "consultations__you_said_we_did__decision",
    "consultations__you_said_we_did__theme",
    "contracts__term_options",
    "contracts__value_lines",
    "contracts__lots",
    "contracts__tender_notices",
    "contracts__providers",
    "foi_requests__questions",
    "foi_requests__contracts__providers",
    "foi_requests__contracts__term_options",
    "foi_requests__contracts__value_lines",
    "foi_requests__contracts__lots",
    "foi_requests__contracts__tender_notices",
]


def current_year(paper: DecisionPaper, case: Case, day: date | None) -> str:
    """The financial year the paper speaks of as "current".

    The year of the meeting (or of the letter) when funding is recorded for it, else the
    latest recorded year before it; with no date, the latest year up to today's.
    """
    years = sorted({c.financial_year for s in case.services.all() for c in s.contributions.all()})
    target = money.financial_year_of(day or date.today())
    if not years:
        return target
    earlier = [y for y in years if y <= target]
    return earlier[-1] if earlier else years[0]


def load_paper_data(paper: DecisionPaper) -> PaperData:
    case = (
        Case.objects.select_related("lead_commissioner")
        .prefetch_related(*CASE_PREFETCHES)
        .get(pk=paper.case_id)
    )
    if paper.pk:
        steps = list(
            ApprovalStep.objects.filter(request__paper=paper)
            .filter(request__status__in=["pending", "approved"])
            .select_related("request")
            .order_by("request__submitted_at", "request__pk", "order", "pk")
        )
    else:
        steps = []
    authority = paper.authority or case.lead_commissioner
    decision = None
    if paper.decision_id:
        decision = (
            Decision.objects.select_related("maker", "authority", "appraisal", "case__lead_commissioner")
            .prefetch_related("resolution", "delegations", "questions", "appraisal__options")
            .get(pk=paper.decision_id)
        )
    data = PaperData(paper=paper, case=case, authority=authority, year="", steps=steps, decision=decision)
    foi = data.foi_request
    day = paper.meeting_date or (foi.answered_on or foi.received_on if foi else None)
    data.year = current_year(paper, case, day)
    return data
