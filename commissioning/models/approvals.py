"""Named approvals: finance and legal comments and the approver's decision.

A submission (``ApprovalRequest``) of an appraisal or a paper holds one ``ApprovalStep``
per required step. Steps with the same ``order`` may run in parallel; a lower order
must be complete before a higher one opens. The case says which (``Case.approval_order``).

Every action is a method with a keyword-only ``by=``; it locks the step and its request
(``select_for_update``) inside one transaction and claims the step with a version check, so
when two people act at once the second is told who got there first and nothing is overwritten.
"""

import functools
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import OperationalError, connection, models, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .appraisals import OptionAppraisal
from .cases import ApprovalOrder, Case
from .organisations import Profile


def person_name(user) -> str:
    """How the product names a person in the record: "A. Officer"."""
    if user is None:
        return "the system"
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        return f"{first[0]}. {last}"
    return user.get_full_name() or user.get_username()


def initials_of(user) -> str:
    profile = getattr(user, "profile", None)
    if profile is not None and profile.initials:
        return profile.initials
    return "".join(part[0] for part in (user.first_name, user.last_name) if part).upper()


class ApprovalConflict(ValidationError):
    """Someone else acted on the step first; nothing of this attempt was saved."""


def retry_when_locked(method):
    """Run a whole action again when SQLite reports the database locked by another writer.

    PostgreSQL queues the second writer behind SELECT ... FOR UPDATE; SQLite has no row locks and
    refuses it outright. Retrying the whole transaction lets the second person see the first
    decision and get the clear "already decided" message instead of a server error. Inside an
    outer transaction nothing can be retried, so the error goes up unchanged.
    """

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        attempts = 5
        for attempt in range(1, attempts + 1):
            try:
                return method(*args, **kwargs)
            except OperationalError as error:
                if "locked" not in str(error) or connection.in_atomic_block or attempt == attempts:
                    raise
                time.sleep(0.05 * attempt)

    return wrapper


class ApprovalRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for decisions"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SENT_BACK = "sent_back", "Sent back"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REOPENED = "reopened", "Approved, then reopened"


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
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="For a paper: the fingerprint of what was submitted, so a paper changed after "
        "approval cannot be marked final on that approval",
    )

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
                violation_error_message=(
                    "An approval request is for either an option appraisal or a "
                    "decision paper: choose one, not both"
                ),
            ),
        ]

    def __str__(self):
        return f"Approval of {self.subject}"

    @property
    def subject(self):
        return self.appraisal or self.paper

    @classmethod
    def start(cls, *, case, by, appraisal=None, paper=None, content_hash="") -> "ApprovalRequest":
        """Open a request for an appraisal or a paper with the case's steps, and tell the people
        the first steps wait for. Papers use this too: ``ApprovalRequest.start(case=, by=, paper=)``;
        when the decision is made the subject's ``approval_decided(decision, by=, reason=)`` is called
        if it has one."""
        if case.approval_requests.filter(
            status=cls.Status.PENDING, appraisal=appraisal, paper=paper
        ).exists():
            raise ValidationError("This is already waiting for approval.")
        request = cls(
            case=case,
            appraisal=appraisal,
            paper=paper,
            submitted_by=by,
            submitted_at=timezone.now(),
            status=cls.Status.PENDING,
            content_hash=content_hash,
        )
        request._history_user = by
        request.save()
        in_sequence = case.approval_order == ApprovalOrder.SEQUENCE
        plan = [
            (ApprovalStep.Kind.FINANCE, 1, "Financial Comments"),
            (ApprovalStep.Kind.LEGAL, 2 if in_sequence else 1, "Constitutional Comments"),
            (ApprovalStep.Kind.DECISION, 3 if in_sequence else 2, "Decision"),
        ]
        for kind, order, heading in plan:
            step = ApprovalStep(request=request, kind=kind, order=order, heading=heading)
            step._history_user = by
            step.save()
        request.notify_open_steps()
        return request

    def open_steps(self) -> list["ApprovalStep"]:
        """Undecided steps of the lowest undecided order: those someone can act on now."""
        if self.status != self.Status.PENDING:
            return []
        waiting = [s for s in self.steps.all() if not s.decision]
        if not waiting:
            return []
        first = min(s.order for s in waiting)
        return [s for s in waiting if s.order == first]

    def notify_open_steps(self) -> None:
        """E-mail the lead organisation's people whose role each open step waits for."""
        for step in self.open_steps():
            step.notify_waiting()

    def record_reopening(self, *, by, reason: str) -> None:
        self.status = self.Status.REOPENED
        self.reopened_by = by
        self.reopened_at = timezone.now()
        self.reopen_reason = reason
        self._history_user = by
        self._change_reason = reason
        self.save(update_fields=["status", "reopened_by", "reopened_at", "reopen_reason"])

    @transaction.atomic
    def withdraw(self, *, by) -> None:
        """The submitter's side takes the subject back before a decision; undecided steps close."""
        locked = ApprovalRequest.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.PENDING:
            raise ValidationError(
                f"This approval is no longer waiting: {locked.get_status_display().lower()}."
            )
        self.status = self.Status.WITHDRAWN
        self._history_user = by
        self.save(update_fields=["status"])

    def subject_url(self) -> str:
        subject = self.subject
        return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""


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


# The Profile role that acts on each kind of step.
ROLE_FOR_STEP = {
    ApprovalStepKind.FINANCE: Profile.Role.FINANCE,
    ApprovalStepKind.LEGAL: Profile.Role.LEGAL,
    ApprovalStepKind.DECISION: Profile.Role.APPROVER,
}
STEP_FOR_ROLE = {role: kind for kind, role in ROLE_FOR_STEP.items()}


class ApprovalStepQuerySet(models.QuerySet):
    def open(self):
        """Undecided steps on pending requests with every earlier step done."""
        earlier_waiting = ApprovalStep.objects.filter(
            request=OuterRef("request"), order__lt=OuterRef("order"), decision=""
        )
        return self.filter(decision="", request__status=ApprovalRequest.Status.PENDING).exclude(
            Exists(earlier_waiting)
        )

    def waiting_for(self, user):
        """The steps this user can act on now: their role, their organisation's cases, not their
        own submissions. This is the dashboard's "waiting for my approval" list."""
        profile = getattr(user, "profile", None) if user.is_authenticated else None
        kind = STEP_FOR_ROLE.get(profile.role) if profile else None
        if kind is None:
            return self.none()
        return (
            self.open()
            .filter(kind=kind, request__case__lead_commissioner_id=profile.organisation_id)
            .exclude(request__submitted_by=user)
            .select_related("request__case", "request__appraisal", "request__paper", "request__submitted_by")
            .order_by("request__submitted_at", "order", "pk")
        )


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
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Goes up with every action, so a stale form cannot overwrite a newer one"
    )

    history = HistoricalRecords()
    objects = ApprovalStepQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("commissioning:approval-step", args=[self.pk])

    @property
    def signature(self) -> str:
        """Initials and date as papers print them: "DD 17/10/11"."""
        if not self.decided_on:
            return ""
        return f"{self.initials} {self.decided_on:%d/%m/%y}".strip()

    @property
    def role(self) -> str:
        return ROLE_FOR_STEP[self.kind]

    @property
    def decided_label(self) -> str:
        """Who decided and when, for "already decided by A. Approver at 14:05 on 3 Oct 2026"."""
        when = timezone.localtime(self.decided_at) if self.decided_at else None
        who = person_name(self.decided_by) if self.decided_by_id else self.officer_name
        return f"{who} at {when:%H:%M} on {when.day} {when:%b %Y}" if when else who

    # Who may act. Returns the reason a user may not, or "" when they may.
    def refusal_for(self, user) -> str:
        request = self.request
        if request.submitted_by_id == user.pk:
            return "You cannot act on your own submission."
        profile = getattr(user, "profile", None)
        if profile is None or profile.role != self.role:
            role = Profile.Role(self.role).label.lower()
            return f"Only a {role} can give the {self.get_kind_display().lower()}."
        if profile.organisation_id != request.case.lead_commissioner_id:
            return f"Only {request.case.lead_commissioner}'s staff act on this case's approvals."
        return ""

    def earlier_steps_waiting(self) -> list["ApprovalStep"]:
        return [s for s in self.request.steps.all() if s.order < self.order and not s.decision]

    def _claim(self, by, version):
        """Lock the step and its request, check the step can still be acted on by ``by``, and
        return the fresh locked copy. Raises ApprovalConflict, PermissionDenied or ValidationError."""
        request = ApprovalRequest.objects.select_for_update().get(pk=self.request_id)
        step = (
            ApprovalStep.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=self.pk)
        )
        step.request = request
        if step.decision:
            raise ApprovalConflict(
                f"This step was already decided by {step.decided_label}; nothing you entered was saved.",
                code="conflict",
            )
        if version is not None and int(version) != step.version:
            raise ApprovalConflict(
                "Someone else changed this step while you had it open; nothing you entered was saved.",
                code="conflict",
            )
        if request.status != ApprovalRequest.Status.PENDING:
            status = request.get_status_display().lower()
            raise ValidationError(f"This approval is no longer waiting: {status}.")
        refusal = step.refusal_for(by)
        if refusal:
            raise PermissionDenied(refusal)
        waiting = step.earlier_steps_waiting()
        if waiting:
            names = " and ".join(s.get_kind_display().lower() for s in waiting)
            raise ValidationError(f"The {names} must be given before the {step.get_kind_display().lower()}.")
        # Optimistic check as well as the row lock: on databases without SELECT ... FOR UPDATE
        # (SQLite) this conditional update is what stops a second writer.
        claimed = ApprovalStep.objects.filter(pk=step.pk, version=step.version, decision="").update(
            version=F("version") + 1
        )
        if not claimed:
            step.refresh_from_db()
            raise ApprovalConflict(
                f"This step was already decided by {step.decided_label}; nothing you entered was saved.",
                code="conflict",
            )
        step.version += 1
        return step

    def _record(self, *, by, decision, text):
        now = timezone.now()
        self.decision = decision
        self.comment = text
        self.decided_by = by
        self.officer_name = by.get_full_name() or by.get_username()
        self.initials = initials_of(by)[:6]
        self.decided_at = now
        self.decided_on = timezone.localdate(now)
        self._history_user = by
        self.save()

    @retry_when_locked
    @transaction.atomic
    def add_comment(self, *, by, text: str, version=None) -> "ApprovalStep":
        """Finance or legal comments: stores the text with the officer's initials and the date."""
        if self.kind == self.Kind.DECISION:
            raise ValidationError("The approver decides this step; it takes a decision, not a comment.")
        step = self._claim(by, version)
        if not text.strip():
            raise ValidationError("Enter your comments")
        step._record(by=by, decision=self.Decision.COMMENTED, text=text.strip())
        request = step.request
        # Decided now, inside the locked transaction: which steps this comment opened (the next
        # order's, once its own order is complete), so each is announced once.
        opened = [s for s in request.open_steps() if s.order > step.order]
        transaction.on_commit(lambda: [s.notify_waiting() for s in opened])
        self.refresh_from_db()
        return step

    @retry_when_locked
    @transaction.atomic
    def decide(self, *, by, decision: str, reason: str = "", version=None) -> "ApprovalStep":
        """The approver approves, rejects, or sends back with a reason. Closes the request and
        tells the subject (appraisal or paper) the outcome; the submitter is e-mailed."""
        if self.kind != self.Kind.DECISION:
            raise ValidationError("Finance and legal officers comment; only the approver decides.")
        outcomes = {
            self.Decision.APPROVED: ApprovalRequest.Status.APPROVED,
            self.Decision.REJECTED: ApprovalRequest.Status.REJECTED,
            self.Decision.SENT_BACK: ApprovalRequest.Status.SENT_BACK,
        }
        if decision not in outcomes:
            raise ValidationError("Choose approve, reject or send back.")
        step = self._claim(by, version)
        if decision != self.Decision.APPROVED and not reason.strip():
            verb = "rejecting" if decision == self.Decision.REJECTED else "sending it back"
            raise ValidationError(f"Give the reason for {verb}")
        step._record(by=by, decision=decision, text=reason.strip())
        request = step.request
        request.status = outcomes[decision]
        request._history_user = by
        request.save(update_fields=["status"])
        subject = request.subject
        if hasattr(subject, "approval_decided"):
            subject.approval_decided(decision, by=by, reason=reason.strip())
        transaction.on_commit(lambda: step.notify_decided())
        self.refresh_from_db()
        return step

    # E-mail.
    def notify_waiting(self) -> None:
        request = self.request
        users = (
            get_user_model()
            .objects.filter(
                is_active=True,
                profile__role=self.role,
                profile__organisation_id=request.case.lead_commissioner_id,
            )
            .exclude(email="")
            .exclude(pk=request.submitted_by_id)
        )
        recipients = [u.email for u in users]
        if not recipients:
            return
        send_mail(
            subject=f"Waiting for your {self.get_kind_display().lower()}: {request.subject}",
            message=(
                f"{person_name(request.submitted_by)} submitted “{request.subject}” "
                f"({request.case.title}) for approval.\n\n"
                f"Your {self.get_kind_display().lower()} is needed: {self.get_absolute_url()}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )

    def notify_decided(self) -> None:
        request = self.request
        submitter = request.submitted_by
        if submitter is None or not submitter.email:
            return
        outcome = self.get_decision_display().lower()
        reason = f"\n\nReason: {self.comment}" if self.comment else ""
        send_mail(
            subject=f"{request.subject}: {outcome}",
            message=(
                f"{person_name(self.decided_by)} {outcome} “{request.subject}” ({request.case.title})."
                f"{reason}\n\n{request.subject_url()}\n"
            ),
            from_email=None,
            recipient_list=[submitter.email],
        )
