"""Everything the case page shows, fetched in a fixed number of queries.

``case_queryset(user)`` prefetches every related row; ``funding_tables(case)`` and friends then
work only from the prefetched rows, so a case with 50 services costs the same queries as one.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch

from consultations.models import Consultation
from contracts.models import Contract, ContractTermOption

from . import money
from .models import (
    Case,
    Decision,
    DecisionPaper,
    FundingContribution,
    Milestone,
    Option,
    OptionAppraisal,
    Service,
)


def case_queryset(user):
    """Cases the user may see, with every row the case page needs prefetched."""
    contributions = FundingContribution.objects.select_related(
        "commissioner", "budget_holder", "ring_fenced_area"
    ).order_by("financial_year", "commissioner__name", "pk")
    services = Service.objects.prefetch_related(
        # Prefetching from the service sets contribution.service to this very instance, so
        # share() finds the pool without a query per row.
        Prefetch("contributions", queryset=contributions),
        "areas",
        "providers",
    ).order_by("name")
    options = Option.objects.prefetch_related("lots__areas").order_by("order", "pk")
    appraisals = OptionAppraisal.objects.prefetch_related(Prefetch("options", queryset=options))
    # Responses held are counted (the page shows that count, else the one the paper reported).
    consultations = (
        Consultation.objects.prefetch_related("events", "preferences__option")
        .annotate(responses_held=Count("responses"))
        .order_by("starts_on", "pk")
    )
    contracts = Contract.objects.prefetch_related(
        Prefetch("term_options", queryset=ContractTermOption.objects.order_by("order", "pk")),
        "value_lines",
        "lots",
        "tender_notices",
        "providers",
    ).order_by("starts_on", "reference")
    return (
        Case.objects.visible_to(user)
        .select_related("lead_commissioner", "officer")
        .prefetch_related(
            "partners",
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch("services", queryset=services),
            Prefetch("appraisals", queryset=appraisals),
            Prefetch("consultations", queryset=consultations),
            Prefetch("contracts", queryset=contracts),
            Prefetch("papers", queryset=DecisionPaper.objects.select_related("paper_type")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("maker").in_order(),
            ),
            "evidence",
            "capacity",
            "contacts",
            "documents",
        )
    )


@dataclass
class FundingRow:
    contribution: FundingContribution
    share: Decimal | None
    uplifted_amount: Decimal | None
    uplifted_year: str


@dataclass
class FundingYear:
    """One financial year of one service: each contributor, the total and the pool shares are of."""

    year: str
    rows: list[FundingRow] = field(default_factory=list)
    total: Decimal = Decimal("0")
    pool: Decimal | None = None
    pool_declared: bool = False

    @property
    def total_share(self) -> Decimal | None:
        return money.percentage(self.total, self.pool)

    @property
    def has_uplift(self) -> bool:
        return any(row.uplifted_amount is not None for row in self.rows)

    @property
    def uplifted_total(self) -> Decimal | None:
        if not self.has_uplift:
            return None
        return sum(
            (row.uplifted_amount if row.uplifted_amount is not None else Decimal("0") for row in self.rows),
            Decimal("0"),
        )


def funding_years(service: Service) -> list[FundingYear]:
    years: dict[str, FundingYear] = {}
    for contribution in service.contributions.all():
        year = years.setdefault(contribution.financial_year, FundingYear(year=contribution.financial_year))
        year.rows.append(
            FundingRow(
                contribution=contribution,
                share=contribution.share(),
                uplifted_amount=contribution.uplifted_amount,
                uplifted_year=contribution.uplifted_year,
            )
        )
        year.total += contribution.amount
    for year in years.values():
        year.pool = service.pool_for(year.year)
        year.pool_declared = service.pooled_budget is not None
    return [years[key] for key in sorted(years)]


def services_with_funding(case: Case) -> list[dict]:
    return [{"service": service, "years": funding_years(service)} for service in case.services.all()]


def milestone_timeline(case: Case, today: date) -> list[dict]:
    moved_on = case.has_moved_on
    return [{"milestone": m, "status": m.status(today, case_closed=moved_on)} for m in case.milestones.all()]


def appraisals_with_options(case: Case) -> list[dict]:
    """Each appraisal's options as a tree: top-level options with their sub-options."""
    result = []
    for appraisal in case.appraisals.all():
        options = list(appraisal.options.all())
        children: dict[int, list[Option]] = {}
        for option in options:
            if option.parent_id:
                children.setdefault(option.parent_id, []).append(option)
        result.append(
            {
                "appraisal": appraisal,
                "options": [
                    {"option": o, "sub_options": children.get(o.pk, [])} for o in options if not o.parent_id
                ],
            }
        )
    return result
