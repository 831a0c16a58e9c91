"""Named approvals: finance and legal comments and the approver's decision.

A submission (``ApprovalRequest``) of an appraisal or a paper holds one ``ApprovalStep``
per required step. Steps with the same ``order`` may run in parallel; a lower order
must be complete before a higher one opens.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .appraisals import OptionAppraisal
from .cases import Case


class ApprovalRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for decisions"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SENT_BACK = "sent_back", "Sent back"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ApprovalRequest(models.Model):
    Status = ApprovalRequestStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_requests")
    appraisal = models.ForeignKey(
        OptionAppraisal, on_delete=models.CASCADE, null=True, blank=True, related_name="approval_requests"
    )
    paper = models.ForeignKey(
        "DecisionPaper", on_delete=models.CASCADE, null=True, blank=True, related_name="approval_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApprovalRequestStatus.values),
                name="approval_request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(appraisal__isnull=False, paper__isnull=True)
                | models.Q(appraisal__isnull=True, paper__isnull=False),
                name="approval_request_one_subject",
            ),
        ]

    def __str__(self):
        return f"Approval of {self.appraisal or self.paper}"


class ApprovalStepKind(models.TextChoices):
    FINANCE = "finance", "Financial comments"
    LEGAL = "legal", "Legal comments"
    DECISION = "decision", "Approver's decision"


class ApprovalStepDecision(models.TextChoices):
    PENDING = "", "Waiting"
    COMMENTED = "commented", "Commented"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SENT_BACK = "sent_back", "Sent back"


class ApprovalStep(models.Model):
    Kind = ApprovalStepKind

    Decision = ApprovalStepDecision

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Steps with the same order run in parallel")
    heading = models.CharField(
        max_length=100, blank=True, help_text='How the paper heads the comment: "Constitutional Comments"'
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_name = models.CharField(max_length=200, blank=True)
    initials = models.CharField(max_length=6, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ApprovalStepKind.values), name="approval_step_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=ApprovalStepDecision.values),
                name="approval_step_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.initials or 'waiting'})"

    @property
    def signature(self) -> str:
        """Initials and date as papers print them: "DD 17/10/11"."""
        if not self.decided_on:
            return ""
        return f"{self.initials} {self.decided_on:%d/%m/%y}".strip()
