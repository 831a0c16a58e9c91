"""A service's page: what it is, who it is for, and its funding by financial year with shares."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.views.generic import DetailView

from commissioning import money
from commissioning.models import Case, Decision, FundingContribution, Service


@dataclass
class FundingYear:
    """One financial year of a service's funding: the contributions, their total and the pool."""

    year: str
    contributions: list
    total: Decimal
    pool: Decimal
    pool_declared: bool

    @property
    def total_share(self) -> Decimal | None:
        return money.percentage(self.total, self.pool)


def funding_by_year(service: Service) -> list[FundingYear]:
    """Group the service's (prefetched) contributions by year, oldest first."""
    years: dict[str, list] = {}
    for contribution in service.contributions.all():
        years.setdefault(contribution.financial_year, []).append(contribution)
    return [
        FundingYear(
            year=year,
            contributions=rows,
            total=service.total_for(year),
            pool=service.pool_for(year),
            pool_declared=service.pooled_budget is not None,
        )
        for year, rows in sorted(years.items())
    ]


class ServiceDetailView(DetailView):
    model = Service

    def get_queryset(self):
        user = self.request.user
        contributions = FundingContribution.objects.select_related(
            "commissioner", "budget_holder", "ring_fenced_area"
        ).order_by("financial_year", "commissioner__name", "pk")
        return (
            Service.objects.visible_to(user)
            .select_related("commissioner")
            .prefetch_related(
                "providers",
                "areas",
                Prefetch("contributions", queryset=contributions),
                # Only the cases this user may open.
                Prefetch(
                    "cases",
                    queryset=Case.objects.visible_to(user).order_by("reference"),
                    to_attr="visible_cases",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        from contracts.models import Contract

        user, service = self.request.user, self.object
        # The service over the years: every decision and agreement about it the user may see.
        decisions = (
            Decision.objects.visible_to(user)
            .filter(case__services=service)
            .select_related("case", "maker")
            .in_order()
        )
        contracts = (
            Contract.objects.visible_to(user).filter(services=service).order_by("starts_on", "reference")
        )
        return super().get_context_data(
            funding_years=funding_by_year(service),
            decisions=list(decisions.distinct()),
            contracts=list(contracts.distinct()),
            **kwargs,
        )
