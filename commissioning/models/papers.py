"""Decision papers. Paper types and their sections are data an administrator adjusts."""

from django.db import models
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


class DecisionPaperStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    APPROVED = "approved", "Approved"


class DecisionPaper(models.Model):
    Status = DecisionPaperStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="papers")
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

    history = HistoricalRecords()

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
