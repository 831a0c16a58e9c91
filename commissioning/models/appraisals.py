"""Option appraisals: the long list of delivery models, and the one recommended."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .cases import Case
from .organisations import Area
from .services import MONEY, non_negative


class OptionAppraisalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class OptionAppraisal(models.Model):
    Status = OptionAppraisalStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appraisals")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    recommended_option = models.ForeignKey(
        "Option", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommendation_reasons = models.TextField(
        blank=True, help_text="Why the recommended option was chosen; one reason a paragraph"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OptionAppraisalStatus.values), name="appraisal_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.recommended_option_id and self.pk and self.recommended_option.appraisal_id != self.pk:
            raise ValidationError(
                {"recommended_option": "The recommended option must be one of this appraisal's"}
            )

    @property
    def reasons(self) -> list[str]:
        return [p.strip() for p in self.recommendation_reasons.split("\n\n") if p.strip()]


class Option(models.Model):
    """One delivery model in the long list; sub-options hang off a parent (seed 002)."""

    appraisal = models.ForeignKey(OptionAppraisal, on_delete=models.CASCADE, related_name="options")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_options"
    )
    label = models.CharField(max_length=20, help_text="As the paper labels it: A, B, (a), i")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    min_providers = models.PositiveSmallIntegerField(null=True, blank=True)
    max_providers = models.PositiveSmallIntegerField(null=True, blank=True)
    advantages = models.TextField(blank=True)
    disadvantages = models.TextField(blank=True)
    estimated_annual_cost = models.DecimalField(**MONEY, null=True, blank=True, validators=[non_negative])
    reason_not_chosen = models.TextField(blank=True, help_text="For other options considered")
    order = models.PositiveSmallIntegerField(default=0, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["appraisal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_providers__isnull=True)
                | models.Q(max_providers__isnull=True)
                | models.Q(min_providers__lte=models.F("max_providers")),
                name="option_provider_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_annual_cost__isnull=True)
                | models.Q(estimated_annual_cost__gte=0),
                name="option_cost_not_negative",
            ),
        ]

    def __str__(self):
        return f"Option {self.label}: {self.name}" if self.parent_id is None else f"{self.label}. {self.name}"

    def clean(self):
        if (
            self.min_providers is not None
            and self.max_providers is not None
            and self.min_providers > self.max_providers
        ):
            raise ValidationError(
                {
                    "min_providers": f"The minimum number of providers ({self.min_providers}) cannot be more "
                    f"than the maximum ({self.max_providers})"
                }
            )

    @property
    def providers_label(self) -> str:
        low, high = self.min_providers, self.max_providers
        if low is None and high is None:
            return ""
        if low == high or high is None:
            n = low
            return f"{n} service provider" + ("" if n == 1 else "s")
        if low is None:
            return f"up to {high} service providers"
        return f"{low}-{high} service providers"

    @property
    def is_recommended(self) -> bool:
        return self.appraisal.recommended_option_id == self.pk

    def coverage_areas(self) -> list[Area]:
        """Every district the option covers, through its lots."""
        seen = {}
        for lot in self.lots.all():
            for area in lot.areas.all():
                seen[area.pk] = area
        return list(seen.values())


class OptionLot(models.Model):
    """A contract an option would let, and the districts it covers (Option B's North and South)."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="lots")
    name = models.CharField(max_length=200)
    areas = models.ManyToManyField(Area, related_name="option_lots")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["option", "order", "pk"]

    def __str__(self):
        return self.name
