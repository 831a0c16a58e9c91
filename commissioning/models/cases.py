"""The commissioning case: one commissioning or recommissioning exercise, start to finish."""

from datetime import date

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


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases the user's organisation leads or is a partner in; everything for a superuser."""
        if user.is_superuser:
            return self
        org = user_organisation_id(user)
        if org is None:
            return self.none()
        partner_cases = Case.partners.through.objects.filter(organisation_id=org).values("case_id")
        return self.filter(models.Q(lead_commissioner_id=org) | models.Q(pk__in=partner_cases))


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


class Milestone(models.Model):
    Body = MilestoneBody

    Precision = MilestonePrecision

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    body = models.CharField("meeting body", max_length=20, choices=Body.choices, blank=True)
    due_on = models.DateField()
    precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text='Month only: the paper gives a month ("Tender live – November 2019")',
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
        if self.precision == self.Precision.MONTH:
            return self.due_on.strftime("%B %Y")
        return f"{self.due_on.day} {self.due_on.strftime('%B %Y')}"

    def status(self, today: date | None = None) -> str:
        """done, overdue or due."""
        today = today or date.today()
        if self.completed_on:
            return "done"
        if self.due_on < today:
            return "overdue"
        return "due"


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
