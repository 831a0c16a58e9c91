"""Option appraisals (HM Treasury Green Book practice): the long list of delivery models,
critical success factors that cut it to a short list, weighted scoring, and the one recommended.

An appraisal is locked while it is with approvers and once approved: every save of it or of a
row under it (options, criteria, scores, lots) is refused until it is sent back or reopened.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .cases import Case
from .organisations import Area
from .services import MONEY, non_negative


class OptionAppraisalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# Statuses in which nothing under the appraisal may change.
LOCKED_STATUSES = frozenset({OptionAppraisalStatus.SUBMITTED, OptionAppraisalStatus.APPROVED})


class AppraisalLocked(ValidationError):
    """Raised when something tries to change an appraisal that is with approvers or approved."""


def lock_message(status: str) -> str:
    if status == OptionAppraisalStatus.APPROVED:
        return "This option appraisal has been approved and is read-only; reopen it to make changes."
    return "This option appraisal is with approvers and cannot be changed until it is sent back."


def refuse_if_locked(appraisal_id) -> None:
    """Refuse a change to a row under an appraisal that is locked (reads its stored status)."""
    if appraisal_id is None:
        return
    status = OptionAppraisal.objects.filter(pk=appraisal_id).values_list("status", flat=True).first()
    if status in LOCKED_STATUSES:
        raise AppraisalLocked(lock_message(status), code="locked")


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

    def save(self, *args, **kwargs):
        # Transitions (submit, decisions, reopen) set _transition; any other save of a locked
        # appraisal is an edit, and edits to an approved appraisal are refused.
        if self.pk and not getattr(self, "_transition", False):
            refuse_if_locked(self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("commissioning:appraisal-detail", args=[self.pk])

    def clean(self):
        if self.pk and not getattr(self, "_transition", False):
            refuse_if_locked(self.pk)
        if self.recommended_option_id and self.pk and self.recommended_option.appraisal_id != self.pk:
            raise ValidationError(
                {"recommended_option": "The recommended option must be one of this appraisal's"}
            )

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def reasons(self) -> list[str]:
        return [p.strip() for p in self.recommendation_reasons.split("\n\n") if p.strip()]

    # Scoring set-up.
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria.all())

    def weights_problem(self) -> str:
        """The message an officer sees when the criteria weights do not add up to 100."""
        criteria = list(self.criteria.all())
        if not criteria:
            return "Add the scoring criteria and their weights"
        total = sum(c.weight for c in criteria)
        if total != 100:
            return f"The criteria weights add up to {total}; they must add up to 100"
        return ""

    def short_list(self) -> list["Option"]:
        return [o for o in self.options.all() if o.shortlisted and o.parent_id is None]

    def other_options(self) -> list["Option"]:
        """Every top-level option but the recommended one (and the parent of a recommended sub-option)."""
        recommended = self.recommended_option
        skip = set()
        if recommended is not None:
            skip = {recommended.pk, recommended.parent_id}
        return [o for o in self.options.all() if o.parent_id is None and o.pk not in skip]

    def submission_problems(self) -> list[str]:
        """Everything that must be put right before the appraisal can go to approvers."""
        from commissioning.scoring import score_table

        problems = []
        options = [o for o in self.options.all() if o.parent_id is None]
        if not options:
            return ["Add the long list of options"]
        bau = [o for o in options if o.is_business_as_usual]
        if not bau:
            problems.append("Mark one option as business as usual (carrying on as now)")
        elif not any(o.shortlisted for o in bau):
            problems.append(f"The short list must include the business-as-usual option ({bau[0]})")
        weights = self.weights_problem()
        if weights:
            problems.append(weights)
        else:
            unscored = [row.option for row in score_table(self).rows if not row.complete]
            if unscored:
                problems.append(
                    "Score every criterion for " + _names([str(o) for o in unscored]) + " before submitting"
                )
        if self.recommended_option_id is None:
            problems.append("Choose the recommended option")
        elif not self.recommended_option.shortlisted:
            problems.append(f"The recommended option ({self.recommended_option}) is not on the short list")
        if not self.reasons:
            problems.append("Give the reasons for recommending the option")
        lacking = [str(o) for o in self.other_options() if not o.why_not_chosen]
        if lacking:
            problems.append("Say why these options were not chosen: " + _names(lacking))
        return problems

    # Workflow. Each transition is atomic, refuses the wrong person, and records who acted.
    def _set_status(self, status, *, by, reason=""):
        self.status = status
        self._transition = True
        self._history_user = by
        if reason:
            self._change_reason = reason
        try:
            self.save(update_fields=["status"])
        finally:
            self._transition = False

    @transaction.atomic
    def submit(self, *, by) -> "ApprovalRequest":  # noqa: F821 (defined in approvals)
        """Send the appraisal to approvers. Only the lead commissioner's officers submit, only a
        draft, and only once the short list, weights, scores and reasons are complete."""
        from commissioning.models.approvals import ApprovalRequest
        from commissioning.permissions import require_case_editor

        locked = OptionAppraisal.objects.select_for_update().get(pk=self.pk)
        require_case_editor(by, self.case)
        if locked.status != self.Status.DRAFT:
            raise ValidationError(
                f"Only a draft appraisal can be submitted; this one is {locked.get_status_display().lower()}."
            )
        problems = self.submission_problems()
        if problems:
            raise ValidationError(problems)
        request = ApprovalRequest.start(case=self.case, by=by, appraisal=self)
        self._set_status(self.Status.SUBMITTED, by=by)
        return request

    def approval_decided(self, decision: str, *, by, reason="") -> None:
        """Called by the approver's decision step: approved, rejected or sent back to draft."""
        from commissioning.models.approvals import ApprovalStep

        status = {
            ApprovalStep.Decision.APPROVED: self.Status.APPROVED,
            ApprovalStep.Decision.REJECTED: self.Status.REJECTED,
            ApprovalStep.Decision.SENT_BACK: self.Status.DRAFT,
        }[decision]
        self._set_status(status, by=by, reason=reason)

    @transaction.atomic
    def reopen(self, *, by, reason: str) -> None:
        """Reopen an approved (or rejected) appraisal for changes: its own recorded action, with a
        reason. It goes back to draft and must be submitted and approved again."""
        from commissioning.models.approvals import ApprovalRequest
        from commissioning.permissions import require_case_editor

        locked = OptionAppraisal.objects.select_for_update().get(pk=self.pk)
        require_case_editor(by, self.case)
        if locked.status not in (self.Status.APPROVED, self.Status.REJECTED):
            raise ValidationError("Only an approved or rejected appraisal can be reopened.")
        if not reason.strip():
            raise ValidationError("Give the reason for reopening the appraisal.")
        last = self.approval_requests.filter(
            status__in=[ApprovalRequest.Status.APPROVED, ApprovalRequest.Status.REJECTED]
        ).last()
        if last is not None:
            last.record_reopening(by=by, reason=reason.strip())
        self._set_status(self.Status.DRAFT, by=by, reason=f"Reopened: {reason.strip()}")


def _names(names: list[str]) -> str:
    """Join names as a sentence does: A; A and B; A, B and C."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class CriticalSuccessFactor(models.Model):
    """A test every option must pass to reach the short list (Green Book); per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="critical_success_factors")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "order", "pk"]

    def __str__(self):
        return self.name


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
    is_business_as_usual = models.BooleanField(
        "business as usual", default=False, help_text="Carrying on as now: the short list must keep it"
    )
    shortlisted = models.BooleanField(default=True)
    failed_factor = models.ForeignKey(
        CriticalSuccessFactor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="failed_options",
        help_text="The critical success factor that dropped it from the short list",
    )
    drop_reason = models.TextField(blank=True, help_text="Why it fails that factor")

    history = HistoricalRecords()

    class Meta:
        ordering = ["appraisal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shortlisted=True, failed_factor__isnull=True)
                | models.Q(shortlisted=False, failed_factor__isnull=False),
                name="option_dropped_names_factor",
            ),
            models.CheckConstraint(
                condition=models.Q(min_providers__isnull=True)
                | models.Q(max_providers__isnull=True)
                | models.Q(min_providers__lte=models.F("max_providers")),
                name="option_provider_range_ordered",
                violation_error_message=(
                    "An option's minimum number of providers cannot be more than its maximum"
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_annual_cost__isnull=True)
                | models.Q(estimated_annual_cost__gte=0),
                name="option_cost_not_negative",
                violation_error_message="An option's estimated annual cost must be £0 or more",
            ),
        ]

    def __str__(self):
        return f"Option {self.label}: {self.name}" if self.parent_id is None else f"{self.label}. {self.name}"

    def save(self, *args, **kwargs):
        refuse_if_locked(self.appraisal_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_locked(self.appraisal_id)
        return super().delete(*args, **kwargs)

    def clean(self):
        refuse_if_locked(self.appraisal_id)
        errors = {}
        if (
            self.min_providers is not None
            and self.max_providers is not None
            and self.min_providers > self.max_providers
        ):
            errors["min_providers"] = (
                f"The minimum number of providers ({self.min_providers}) cannot be more "
                f"than the maximum ({self.max_providers})"
            )
        if not self.shortlisted:
            if self.failed_factor_id is None:
                errors["failed_factor"] = "Choose the critical success factor the option fails"
            if not self.drop_reason.strip():
                errors["drop_reason"] = "Say why the option fails that critical success factor"
        elif self.failed_factor_id is not None:
            errors["failed_factor"] = (
                "An option on the short list cannot have failed a critical success factor"
            )
        if (
            self.failed_factor_id
            and self.appraisal_id
            and self.failed_factor.case_id != self.appraisal.case_id
        ):
            errors["failed_factor"] = "Choose a critical success factor of this case"
        if errors:
            raise ValidationError(errors)

    @property
    def why_not_chosen(self) -> str:
        """The "other options considered" text: the reason given, or the failed factor."""
        if self.reason_not_chosen.strip():
            return self.reason_not_chosen.strip()
        if not self.shortlisted and self.failed_factor_id and self.drop_reason.strip():
            return (
                f"It fails the critical success factor \u201c{self.failed_factor}\u201d: "
                f"{self.drop_reason.strip()}"
            )
        return ""

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

    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["option", "order", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        appraisal_id = Option.objects.filter(pk=self.option_id).values_list("appraisal_id", flat=True).first()
        refuse_if_locked(appraisal_id)
        super().save(*args, **kwargs)


class Criterion(models.Model):
    """A scoring criterion and its weight; an appraisal's weights add up to 100."""

    appraisal = models.ForeignKey(OptionAppraisal, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["appraisal", "order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_to_100"
            ),
            models.UniqueConstraint(fields=["appraisal", "name"], name="criterion_name_unique_per_appraisal"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"

    def save(self, *args, **kwargs):
        refuse_if_locked(self.appraisal_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_locked(self.appraisal_id)
        return super().delete(*args, **kwargs)

    def clean(self):
        refuse_if_locked(self.appraisal_id)


class Score(models.Model):
    """One scorer's mark, 0 to 5, for one short-listed option against one criterion."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(5)])
    rationale = models.TextField(blank=True)
    dissent = models.TextField(
        blank=True, help_text="Where the scorer disagrees with the moderated view, why (kept on record)"
    )
    scored_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["option", "criterion", "scorer_id"]
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion", "scorer"], name="score_unique_per_scorer"),
            models.CheckConstraint(condition=models.Q(score__lte=5), name="score_0_to_5"),
        ]

    def __str__(self):
        return f"{self.option.label} / {self.criterion.name}: {self.score}"

    def save(self, *args, **kwargs):
        refuse_if_locked(self.criterion.appraisal_id)
        super().save(*args, **kwargs)

    def clean(self):
        refuse_if_locked(self.option.appraisal_id if self.option_id else None)
        errors = {}
        if self.option_id and self.criterion_id and self.option.appraisal_id != self.criterion.appraisal_id:
            errors["criterion"] = "Choose a criterion of this option's appraisal"
        if self.option_id and not self.option.shortlisted:
            errors["option"] = "Only options on the short list are scored"
        if errors:
            raise ValidationError(errors)
