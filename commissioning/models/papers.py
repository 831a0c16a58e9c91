"""Decision papers. Paper types and their sections are data an administrator adjusts.

A paper is written as a draft; each "Generate PDF" stores a numbered ``PaperVersion``. Once
marked final a paper is frozen: it keeps its last version, and later changes to the case go
into a new draft that ``supersedes`` it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .cases import Case
from .organisations import Organisation


class PaperType(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SectionDefinitionKind(models.TextChoices):
    NARRATIVE = "narrative", "Written in the app"
    DATA = "data", "Generated from the case data"


class SectionDefinition(models.Model):
    """One section of a paper type, in order: either written by officers or generated from data."""

    Kind = SectionDefinitionKind

    paper_type = models.ForeignKey(PaperType, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=50)
    heading = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NARRATIVE)
    source = models.CharField(
        max_length=50,
        blank=True,
        help_text="For a data section: which figures it shows (e.g. current_services)",
    )
    required = models.BooleanField(default=False)
    help_text = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paper_type", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paper_type", "key"], name="section_key_unique_per_type"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SectionDefinitionKind.values), name="section_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.paper_type}: {self.heading}"


CHANGED_SINCE_SUBMITTED = (
    "The paper has changed since it was submitted for approval. Submit it again so that what is "
    "published is what was approved."
)


class DecisionPaperStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    APPROVED = "approved", "Approved"


class DecisionPaperQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Papers of the cases the user may see."""
        return self.filter(case__in=Case.objects.visible_to(user))


class DecisionPaper(models.Model):
    Status = DecisionPaperStatus

    # Approval steps a paper needs, decided, before it can be marked final (seed 000 shows
    # the legal and finance comments; the decision is the approver's).
    REQUIRED_APPROVALS = ("finance", "legal", "decision")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="papers")
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
        help_text="The decision this paper is for (a decision may have a scrutiny and a cabinet report)",
    )
    paper_type = models.ForeignKey(PaperType, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=300)
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        help_text="The body whose paper this is; empty means the case's lead commissioner",
    )
    meeting = models.CharField(
        max_length=200, blank=True, help_text="e.g. Cabinet, People Scrutiny Committee"
    )
    meeting_date = models.DateField(null=True, blank=True)
    report_of = models.CharField(
        max_length=300, blank=True, help_text="e.g. Report of the Cabinet Member for ..."
    )
    signed_by = models.CharField(
        max_length=300, blank=True, help_text="Name and title under the recommendations"
    )
    electoral_divisions = models.CharField(max_length=300, blank=True)
    local_member_interest = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=50, blank=True, help_text="e.g. an FOI reference: 10653")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The frozen paper this draft revises",
    )

    history = HistoricalRecords()
    objects = DecisionPaperQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-meeting_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DecisionPaperStatus.values), name="paper_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("commissioning:paper-detail", args=[self.pk])

    @property
    def issuing_authority(self):
        return self.authority or self.case.lead_commissioner

    @property
    def is_frozen(self) -> bool:
        """A final or approved paper never changes: its last version is the paper."""
        return self.status != self.Status.DRAFT

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def frozen_version(self):
        return self.latest_version() if self.is_frozen else None

    def approval_requests_counted(self):
        """Requests whose decided steps count: live or completed, not withdrawn, sent back or reopened."""
        from .approvals import ApprovalRequest

        return self.approval_requests.filter(
            status__in=[ApprovalRequest.Status.PENDING, ApprovalRequest.Status.APPROVED]
        )

    def pending_approval(self):
        """The request waiting for finance, legal or the approver, if any."""
        from .approvals import ApprovalRequest

        return self.approval_requests.filter(status=ApprovalRequest.Status.PENDING).first()

    def missing_for_final(self, context: dict) -> tuple[list[str], list[str]]:
        """Headings of required sections not yet filled (from ``paper_context``, which the caller
        makes: models never render), and labels of approvals not yet recorded."""
        from .approvals import ApprovalStep

        sections = [s["heading"] for s in context["sections"] if s["required"] and s["empty"]]
        decided = set(
            ApprovalStep.objects.filter(
                request__in=self.approval_requests_counted(),
                decided_on__isnull=False,
                decision__in=[ApprovalStep.Decision.COMMENTED, ApprovalStep.Decision.APPROVED],
            ).values_list("kind", flat=True)
        )
        labels = dict(ApprovalStep.Kind.choices)
        approvals = [labels[kind].lower() for kind in self.REQUIRED_APPROVALS if kind not in decided]
        return sections, approvals

    def changed_since_submitted(self, context: dict) -> bool:
        """Whether the content differs from what the approvers were sent (the approvers' own
        comments aside). Requests recorded from a past paper keep no fingerprint: not judged."""
        submitted = [h for h in self.approval_requests_counted().values_list("content_hash", flat=True) if h]
        return bool(submitted) and submitted[-1] != context["content_hash"]

    def final_problems(self, context: dict) -> list[str]:
        """Why the paper cannot be marked final yet ([] when it can): required sections, the
        finance, legal and decision steps, and a paper changed since it was submitted."""
        if self.is_frozen:
            return [f"This paper is already {self.get_status_display().lower()}."]
        sections, approvals = self.missing_for_final(context)
        problems = []
        if sections:
            problems.append("Fill in the required sections: " + ", ".join(sections) + ".")
        if approvals:
            problems.append("Record the approvals still missing: " + ", ".join(approvals) + ".")
        elif self.changed_since_submitted(context):
            problems.append(CHANGED_SINCE_SUBMITTED)
        return problems

    def freeze(self) -> None:
        """Mark the paper final (``papers.actions.mark_final`` checks first and keeps its last version)."""
        self.status = self.Status.FINAL
        self.save(update_fields=["status"])

    @transaction.atomic
    def approve(self, *, by):
        """Record that the decision-maker approved the final paper; it stays frozen."""
        if self.status != self.Status.FINAL:
            raise ValidationError("Only a final paper can be approved.")
        self.status = self.Status.APPROVED
        self.save(update_fields=["status"])

    def approval_decided(self, decision, *, by, reason=""):
        """Called by the approval workflow: the decision-maker's approval of a final paper."""
        if decision == "approved" and self.status == self.Status.FINAL:
            self.approve(by=by)

    @transaction.atomic
    def revise(self, *, by=None):
        """A new draft copying this frozen paper's details and texts, to take in later changes."""
        if not self.is_frozen:
            raise ValidationError("A draft can be edited directly; only a final paper needs a new draft.")
        draft = DecisionPaper.objects.create(
            case=self.case,
            paper_type=self.paper_type,
            title=self.title,
            authority=self.authority,
            meeting=self.meeting,
            meeting_date=self.meeting_date,
            report_of=self.report_of,
            signed_by=self.signed_by,
            electoral_divisions=self.electoral_divisions,
            local_member_interest=self.local_member_interest,
            reference=self.reference,
            supersedes=self,
        )
        for text in self.section_texts.all():
            PaperSection.objects.create(paper=draft, key=text.key, body=text.body)
        return draft


class PaperSection(models.Model):
    """The text of one narrative section of one paper (Markdown)."""

    paper = models.ForeignKey(DecisionPaper, on_delete=models.CASCADE, related_name="section_texts")
    key = models.SlugField(max_length=50)
    body = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "key"]
        constraints = [models.UniqueConstraint(fields=["paper", "key"], name="paper_section_unique_key")]

    def __str__(self):
        return f"{self.paper}: {self.key}"


class PaperVersionStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be rendered"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def version_pdf_path(version, filename):
    return f"papers/{version.paper.case.reference}/paper-{version.paper_id}-v{version.number}.pdf"


class PaperVersion(models.Model):
    """One generated edition of a paper: the HTML it showed, its PDF, and the data it came from."""

    Status = PaperVersionStatus

    paper = models.ForeignKey(DecisionPaper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    html = models.TextField(help_text="The HTML snapshot the PDF is printed from")
    pdf = models.FileField(upload_to=version_pdf_path, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    data_hash = models.CharField(max_length=64, help_text="SHA-256 of the figures and texts it was made from")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as written when the version was made: the page names who generated it even once the
    # user is gone (users are deactivated, but a removed one must not take the name with it).
    generated_by_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True, help_text="When the PDF was ready")
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    # Who generated each version and when its PDF was ready. Not the HTML: it is large and never
    # changes after the version is made, so the version row itself is its record.
    history = HistoricalRecords(excluded_fields=["html"])

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=PaperVersionStatus.values), name="paper_version_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.paper} v{self.number}"

    def get_absolute_url(self):
        return reverse("commissioning:paper-version-download", args=[self.paper_id, self.number])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.pdf)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)
