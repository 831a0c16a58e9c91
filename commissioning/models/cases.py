"""The commissioning case: one commissioning or recommissioning exercise, start to finish."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .organisations import Organisation
from .services import Service


def user_organisation_id(user):
    profile = getattr(user, "profile", None)
    return profile.organisation_id if profile else None


def visible_case_ids(org):
    """The pks of the cases ``org`` leads or is a partner in, as a UNION of two indexed lookups.

    ``lead = org OR pk IN (partners)`` reads the same, but PostgreSQL cannot use an index for an OR
    across two tables and scans every case (and every funding row behind them); each branch of a
    UNION uses its own index.
    """
    led = Case.objects.filter(lead_commissioner_id=org).values("pk")
    partnered = Case.partners.through.objects.filter(organisation_id=org).values("case_id")
    return led.union(partnered)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases the user's organisation leads or is a partner in; everything for a superuser."""
        if user.is_superuser:
            return self
        org = user_organisation_id(user)
        if org is None:
            return self.none()
        return self.filter(pk__in=visible_case_ids(org))


class RiskLevel(models.TextChoices):
    LOW = "low", "LOW"
    MEDIUM = "medium", "MEDIUM"
    HIGH = "high", "HIGH"


class CaseStage(models.TextChoices):
    REVIEW = "review", "Review and need"
    OPTIONS = "options", "Options"
    CONSULTATION = "consultation", "Consultation"
    DECISION = "decision", "Decision"
    PROCUREMENT = "procurement", "Procurement"
    MOBILISATION = "mobilisation", "Mobilisation"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class ApprovalOrder(models.TextChoices):
    PARALLEL = "parallel", "Finance and legal comment at the same time, then the approver decides"
    SEQUENCE = "sequence", "Finance, then legal, then the approver, one after another"


class CaseStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Case(models.Model):
    Stage = CaseStage

    Status = CaseStatus

    reference = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Stable short reference used in addresses and commands, e.g. notts-2011",
    )
    title = models.CharField(max_length=300)
    lead_commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_cases")
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_cases",
        help_text="Partner commissioners pooling money",
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="cases", help_text="Services in scope"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REVIEW)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    summary = models.TextField(blank=True, help_text="Why this case exists and what it must decide")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    current_risk = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    residual_risk = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_note = models.TextField(blank=True)
    approval_order = models.CharField(
        "approval steps",
        max_length=10,
        choices=ApprovalOrder.choices,
        default=ApprovalOrder.PARALLEL,
        help_text="Whether finance and legal comment in parallel or one after the other",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # m2m_fields: adding or removing a partner or a service in scope is recorded too.
    history = HistoricalRecords(m2m_fields=[partners, services])
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "reference"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=CaseStage.values), name="case_stage_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(current_risk__in=["", *RiskLevel.values]), name="case_current_risk_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(residual_risk__in=["", *RiskLevel.values]), name="case_residual_risk_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(approval_order__in=ApprovalOrder.values), name="case_approval_order_valid"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.reference})"

    def get_absolute_url(self):
        return reverse("commissioning:case-detail", args=[self.reference])

    # Stages after the decision: a milestone gone by without a date of completion is then history.
    MOVED_ON_STAGES = frozenset(
        {CaseStage.PROCUREMENT, CaseStage.MOBILISATION, CaseStage.LIVE, CaseStage.CLOSED}
    )

    @property
    def has_moved_on(self) -> bool:
        """Decided and beyond, or no longer active (completed, withdrawn, on hold)."""
        return self.status != self.Status.ACTIVE or self.stage in self.MOVED_ON_STAGES


class MilestoneBody(models.TextChoices):
    NONE = "", "No meeting"
    DMT = "dmt", "Departmental Management Team"
    SCRUTINY = "scrutiny", "Scrutiny committee"
    CABINET = "cabinet", "Cabinet"
    CABINET_MEMBER = "cabinet_member", "Cabinet member"
    BOARD = "board", "Board"
    PCC = "pcc", "Police and Crime Commissioner"
    EQUALITIES = "equalities", "Equalities group"


class MilestonePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    QUARTER = "quarter", "Quarter of the year only"
    SEASON = "season", "Season only (spring, summer, autumn, winter)"
    YEAR = "year", "Year only"


SEASONS = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}
QUARTERS = {1: "January to March", 4: "April to June", 7: "July to September", 10: "October to December"}


class Milestone(models.Model):
    Body = MilestoneBody

    Precision = MilestonePrecision

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="The decision this step leads to or follows from",
    )
    title = models.CharField(max_length=200)
    body = models.CharField("meeting body", max_length=20, choices=Body.choices, blank=True)
    due_on = models.DateField(
        help_text="For a month, quarter, season or year, its first day: the page shows it as written"
    )
    precision = models.CharField(
        max_length=7,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text='As the source gives it: "Tender live – November 2019", "summer 2025", "2026-27 Q1"',
    )
    completed_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__in=MilestoneBody.values), name="milestone_body_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(precision__in=MilestonePrecision.values), name="milestone_precision_valid"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.when})"

    @property
    def when(self) -> str:
        """The date as written: "14 November 2019", "November 2019", "Summer 2025", "2025"."""
        day = self.due_on
        if self.precision == self.Precision.MONTH:
            return day.strftime("%B %Y")
        if self.precision == self.Precision.QUARTER:
            return f"{QUARTERS.get(day.month, day.strftime('%B'))} {day.year}"
        if self.precision == self.Precision.SEASON:
            return f"{SEASONS.get(day.month, day.strftime('%B'))} {day.year}"
        if self.precision == self.Precision.YEAR:
            return str(day.year)
        return f"{day.day} {day.strftime('%B %Y')}"

    @property
    def last_day(self) -> date:
        """The last day the written date can mean (November 2019: 30 November 2019)."""
        day = self.due_on
        months = {
            self.Precision.MONTH: 1,
            self.Precision.QUARTER: 3,
            self.Precision.SEASON: 3,
            self.Precision.YEAR: 12,
        }
        span = months.get(self.precision)
        if span is None:
            return day
        month = day.month - 1 + span
        return date(day.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)

    def status(self, today: date | None = None, *, case_closed: bool = False) -> str:
        """done, due, overdue, or lapsed: a date gone by in a case that has moved on (decided,
        completed or withdrawn) is history, not a red warning."""
        today = today or date.today()
        if self.completed_on:
            return "done"
        if self.last_day < today:
            return "lapsed" if case_closed else "overdue"
        return "due"

    def clean(self):
        expected_months = {
            self.Precision.QUARTER: set(QUARTERS),
            self.Precision.SEASON: set(SEASONS),
            self.Precision.YEAR: {1},
        }.get(self.precision)
        if self.due_on and self.precision != self.Precision.DAY and self.due_on.day != 1:
            raise ValidationError({"due_on": "For a month, quarter, season or year, enter its first day"})
        if self.due_on and expected_months and self.due_on.month not in expected_months:
            raise ValidationError(
                {"due_on": f"Enter the first day of the {self.get_precision_display().split(' ')[0].lower()}"}
            )


class CaseContact(models.Model):
    """An officer to contact about the case, as the paper lists them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100, blank=True, help_text="e.g. Report author, Lead officer")
    job_title = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class CaseDocumentKind(models.TextChoices):
    BACKGROUND = "background", "Background paper"
    APPENDIX = "appendix", "Appendix"


class CaseDocument(models.Model):
    """A background paper or appendix the decision paper lists."""

    Kind = CaseDocumentKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=50, blank=True, help_text="e.g. Appendix 1")
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CaseDocumentKind.values), name="case_document_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    def clean(self):
        if not self.title.strip():
            raise ValidationError({"title": "Enter the document's title"})
