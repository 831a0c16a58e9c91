"""Services and the money that pays for them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning import money

from .organisations import Area, BudgetHolder, Organisation

MONEY = {"max_digits": money.MAX_DIGITS, "decimal_places": money.DECIMAL_PLACES}
non_negative = MinValueValidator(Decimal("0"), message="Enter an amount of £0 or more")


def visible_service_ids(org):
    """The pks of the services ``org`` commissions or that are in its cases, as a UNION of indexed
    lookups (see visible_case_ids). Filter by it directly (``service_id__in``): wrapped in another
    ``pk__in`` PostgreSQL reads every service to join them back, a third of the funding page."""
    from .cases import Case, visible_case_ids

    own = Service.objects.filter(commissioner_id=org).values("pk")
    in_cases = Case.services.through.objects.filter(case_id__in=visible_case_ids(org)).values("service_id")
    return own.union(in_cases)


class ServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self
        return self.filter(
            pk__in=visible_service_ids(getattr(getattr(user, "profile", None), "organisation_id", None))
        )


def risk_levels(standard: bool, medium: bool, high: bool) -> list[str]:
    """The risk levels a service serves, from its three flags (also read by the export)."""
    return [label for flag, label in ((standard, "standard"), (medium, "medium"), (high, "high")) if flag]


def tiers_label(tier_from: int | None, tier_to: int | None) -> str:
    """ "Tier 2" or "Tiers 1 to 3" (also read by the export)."""
    if not tier_from:
        return ""
    if not tier_to or tier_to == tier_from:
        return f"Tier {tier_from}"
    return f"Tiers {tier_from} to {tier_to}"


class ServiceType(models.TextChoices):
    REFUGE = "refuge", "Refuge and safe accommodation"
    OUTREACH = "outreach", "Outreach and floating support"
    IDVA = "idva", "Independent domestic violence advocacy (IDVA)"
    MARAC = "marac", "MARAC support"
    HELPLINE = "helpline", "Helpline"
    CHILDREN = "children", "Children and young people"
    PERPETRATOR = "perpetrator", "Perpetrator programme"
    THERAPEUTIC = "therapeutic", "Therapeutic support and counselling"
    PREVENTION = "prevention", "Prevention and education"
    LINK_WORKER = "link_worker", "Link workers in statutory services"
    INTEGRATED = "integrated", "Integrated domestic abuse service"


class Service(models.Model):
    """A commissioned service: what it is, who it is for, where, and who delivers it."""

    Type = ServiceType

    commissioner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commissioned_services",
        help_text="The commissioner that manages this service.",
    )
    name = models.CharField(max_length=200)
    service_type = models.CharField(max_length=20, choices=Type.choices)
    description = models.TextField(blank=True)
    for_victims = models.BooleanField("victims and survivors", default=True)
    for_perpetrators = models.BooleanField("perpetrators", default=False)
    for_children = models.BooleanField("children and young people", default=False)
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(25)], help_text="e.g. 13 or 16"
    )
    risk_standard = models.BooleanField("standard risk", default=False)
    risk_medium = models.BooleanField("medium risk", default=False)
    risk_high = models.BooleanField("high risk", default=False)
    tier_from = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    tier_to = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="services")
    accommodation_units = models.PositiveSmallIntegerField(null=True, blank=True)
    units_under_agreement = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Units held under an agreement with landlords (Dorset: 15 of 16)"
    )
    units_note = models.CharField(max_length=300, blank=True)
    delivering_organisations = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many organisations deliver it (e.g. 4 refuges run by 4 organisations)",
    )
    providers = models.ManyToManyField(
        Organisation, blank=True, related_name="provided_services", help_text="Current provider(s)"
    )
    pooled_budget = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text="The whole annual pool this service draws on, where not every partner's contribution is "
        "recorded (e.g. the annual contract price). Shares are taken of this.",
    )

    # Set by a form that saves the pool together with the contributions and checks them as a
    # whole (the service page's contributions formset); alone, a new pool would be judged
    # against the contributions' stored amounts.
    defer_pool_check = False

    history = HistoricalRecords(m2m_fields=[areas, providers])
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Registers list services (and their funding rows) by name: a page is read from the index
        # in name order, not by sorting every visible service.
        indexes = [models.Index(fields=["name", "id"], name="service_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_type__in=ServiceType.values), name="service_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(tier_from__isnull=True)
                | models.Q(tier_to__isnull=True)
                | models.Q(tier_from__lte=models.F("tier_to")),
                name="service_tiers_ordered",
                violation_error_message="The highest tier must be the same as or above the lowest tier",
            ),
            models.CheckConstraint(
                condition=models.Q(pooled_budget__isnull=True) | models.Q(pooled_budget__gte=0),
                name="service_pooled_budget_not_negative",
                violation_error_message="A pooled budget must be £0 or more",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("commissioning:service-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.tier_from and self.tier_to and self.tier_from > self.tier_to:
            errors["tier_to"] = "The highest tier must be the same as or above the lowest tier"
        if (
            self.accommodation_units is not None
            and self.units_under_agreement is not None
            and self.units_under_agreement > self.accommodation_units
        ):
            errors["units_under_agreement"] = "Units under agreement cannot exceed the accommodation units"
        if self.pk and self.pooled_budget is not None and not self.defer_pool_check:
            for year, total in self.totals_by_year().items():
                if total > self.pooled_budget:
                    errors["pooled_budget"] = (
                        f"Contributions for {year} already total {money.format_money(total)}, more than "
                        f"a pool of {money.format_money(self.pooled_budget)}"
                    )
                    break
        if errors:
            raise ValidationError(errors)

    # Figures. They use prefetched contributions when present, so pages stay at fixed queries.
    def _contributions(self):
        return list(self.contributions.all())

    def totals_by_year(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for c in self._contributions():
            totals[c.financial_year] = totals.get(c.financial_year, Decimal("0")) + c.amount
        return dict(sorted(totals.items()))

    def total_for(self, year: str) -> Decimal:
        return self.totals_by_year().get(year, Decimal("0"))

    def pool_for(self, year: str) -> Decimal:
        """What shares are taken of: the declared pool, or else the recorded contributions."""
        return self.pooled_budget if self.pooled_budget is not None else self.total_for(year)

    @property
    def risk_levels(self) -> list[str]:
        return risk_levels(self.risk_standard, self.risk_medium, self.risk_high)

    @property
    def people_served(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.for_victims, "victims"),
                (self.for_perpetrators, "perpetrators"),
                (self.for_children, "children and young people"),
            )
            if flag
        ]

    @property
    def tiers_label(self) -> str:
        return tiers_label(self.tier_from, self.tier_to)


class FundingContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The contributions to the services the user may see (``visible_service_ids``)."""
        if user.is_superuser:
            return self
        return self.filter(
            service_id__in=visible_service_ids(
                getattr(getattr(user, "profile", None), "organisation_id", None)
            )
        )

    def total(self) -> Decimal:
        return self.aggregate(total=Sum("amount"))["total"] or Decimal("0")


class FundingContributionKind(models.TextChoices):
    CORE = "core", "Core budget"
    GRANT = "grant", "Grant"
    RECHARGE = "recharge", "Recharge"
    SPOT_PURCHASE = "spot_purchase", "Spot purchase"


class FundingContribution(models.Model):
    """One commissioner's money for one service in one financial year.

    Shares, uplifts and totals are computed from these rows, never stored.
    """

    Kind = FundingContributionKind

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contributions")
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contributions")
    budget_holder = models.ForeignKey(
        BudgetHolder, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    funder_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the paper names the funder when it is more than one body "
        '("Safer Nottinghamshire Board Partners and the Home Office").',
    )
    financial_year = models.CharField(
        max_length=7, validators=[money.validate_financial_year], help_text="e.g. 2011-12"
    )
    amount = models.DecimalField(**MONEY, validators=[non_negative])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORE)
    ring_fenced_area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ring_fenced_contributions",
        help_text="Where this money may only be spent in one area.",
    )
    grant_ends_on = models.DateField(null=True, blank=True, help_text="For a grant: when it ends")
    uplift_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text="Inflation assumption for the next year (MTFS), e.g. 2.00",
    )
    uplift_rounding = models.CharField(
        max_length=10,
        choices=[
            ("penny", "to the penny"),
            ("pound", "to the nearest £1"),
            ("ten", "to the nearest £10"),
            ("hundred", "to the nearest £100"),
            ("thousand", "to the nearest £1,000"),
        ],
        default="ten",
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()
    objects = FundingContributionQuerySet.as_manager()

    # Set by a form that checks a year's rows together against the pool with the amounts being
    # saved (the service admin's contributions inline); alone, one row would be judged against
    # the other rows' old amounts.
    defer_pool_check = False

    class Meta:
        # Columns of this table only: an ordering through the service and the commissioner
        # would join both tables into every query and prefetch of contributions. Pages and
        # papers that list by name order explicitly.
        ordering = ["financial_year", "pk"]
        indexes = [models.Index(fields=["service", "financial_year"], name="contribution_service_year")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="contribution_amount_not_negative",
                violation_error_message="A contribution must be £0 or more",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FundingContributionKind.values), name="contribution_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.funder} {self.financial_year}: {money.format_money(self.amount)}"

    @property
    def funder(self) -> str:
        return self.funder_description or self.commissioner.name

    def clean(self):
        errors = {}
        if (
            self.budget_holder_id
            and self.commissioner_id
            and self.budget_holder.organisation_id != self.commissioner_id
        ):
            errors["budget_holder"] = "The budget holder must be part of the contributing commissioner"
        if self.grant_ends_on and self.kind != self.Kind.GRANT:
            errors["grant_ends_on"] = "Only a grant has an end date; choose 'Grant' or clear the date"
        if (
            not self.defer_pool_check
            and self.service_id
            and self.amount is not None
            and self.service.pooled_budget is not None
            and self.financial_year
        ):
            others = (
                self.service.contributions.filter(financial_year=self.financial_year)
                .exclude(pk=self.pk)
                .total()
            )
            total = others + self.amount
            if total > self.service.pooled_budget:
                share = money.percentage(total, self.service.pooled_budget)
                errors["amount"] = (
                    f"Contributions for {self.financial_year} would total {money.format_money(total)}, "
                    f"{share}% of the {money.format_money(self.service.pooled_budget)} pool; "
                    "shares cannot exceed 100%"
                )
        if errors:
            raise ValidationError(errors)

    def share(self, places: int = 0) -> Decimal | None:
        """This contribution as a percentage of its service's pool for the year."""
        return money.percentage(self.amount, self.service.pool_for(self.financial_year), places)

    @property
    def uplifted_amount(self) -> Decimal | None:
        """Next year's amount after the inflation assumption, rounded by the stated rule."""
        if self.uplift_percent is None:
            return None
        return money.uplift(self.amount, self.uplift_percent, money.ROUNDING_UNITS[self.uplift_rounding])

    @property
    def uplifted_year(self) -> str:
        return money.next_financial_year(self.financial_year)
