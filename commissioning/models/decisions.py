"""Decisions as records: who decided what, when, why, and under which rules of publicity.

A case holds several decisions over the years (a bridging direct award, a key decision to tender
in lots, a re-procurement after a failed tender; a PCC's grant and its extensions). Each follows
how English councils and PCCs publish them: the Local Authorities (Executive Arrangements)
(Meetings and Access to Information) (England) Regulations 2012 (key decisions, the forward plan,
general exception and special urgency, the record of the decision) and the Elected Local Policing
Bodies (Specified Information) Order 2011 (a PCC's decision notices).

Dates that follow from rules (the call-in deadline, the day a decision takes effect, the forward
plan's clear days) are computed here, never typed.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.workdays import add_working_days

from .appraisals import OptionAppraisal
from .cases import Case
from .organisations import Organisation
from .services import MONEY, non_negative

# Regulation 9 of the 2012 Regulations: a key decision is on the forward plan at least 28 clear
# days before it is made, unless regulation 10 (general exception) or 11 (special urgency) applies.
FORWARD_PLAN_CLEAR_DAYS = 28


class MeetingBodyKind(models.TextChoices):
    CABINET = "cabinet", "Cabinet"
    CABINET_MEMBER = "cabinet_member", "Cabinet Member (individual executive decision)"
    LEADER = "leader", "Leader or elected mayor"
    COMMITTEE = "committee", "Committee (committee system)"
    SCRUTINY = "scrutiny", "Scrutiny committee"
    FULL_COUNCIL = "full_council", "Full Council"
    PCC = "pcc", "Police and Crime Commissioner"
    DEPUTY_MAYOR = "deputy_mayor", "Deputy Mayor for Policing and Crime"
    BOARD = "board", "Board or partnership"
    MANAGEMENT = "management", "Management team (DMT, SMT)"
    OFFICER = "officer", "Officer under delegated powers"


class MeetingBody(models.Model):
    """A body of an organisation that meets or decides: its Cabinet, a named committee, a Cabinet
    Member, the PCC. A council with the committee system has its own committees here."""

    Kind = MeetingBodyKind

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="meeting_bodies")
    name = models.CharField(
        max_length=200, help_text="As the organisation names it: Adults and Health Committee"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="meeting_body_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=MeetingBodyKind.values), name="meeting_body_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    FORWARD_PLAN = "forward_plan", "On the forward plan"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CHANGES = "approved_with_changes", "Approved with changes"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


DECIDED_STATUSES = frozenset(
    {DecisionStatus.APPROVED, DecisionStatus.APPROVED_WITH_CHANGES, DecisionStatus.REJECTED}
)


class KeyDecisionReason(models.TextChoices):
    NONE = "", "Not stated"
    SPEND = "spend", "Spending or savings above the authority's threshold"
    WARDS = "wards", "Significant in two or more wards or electoral divisions"
    BOTH = "both", "Both"


class Urgency(models.TextChoices):
    NONE = "", "None"
    GENERAL_EXCEPTION = "general_exception", "General exception (regulation 10)"
    SPECIAL_URGENCY = "special_urgency", "Special urgency (regulation 11)"


# Facts of a decision a source may leave out, as the decision form offers them.
DECISION_UNPUBLISHED_FACTS = {
    "decided_on": "Date decided",
    "meeting_date": "Meeting date",
    "value": "Value decided",
    "published_on": "Date published",
    "maker_name": "Who decided",
}


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))

    def in_order(self):
        """Oldest first, by the day it was (or is to be) decided."""
        return self.order_by(
            models.functions.Coalesce("decided_on", "meeting_date").asc(nulls_last=True), "pk"
        )


class Decision(models.Model):
    """One decision of a case, as the body's record of it reads."""

    Status = DecisionStatus
    KeyReason = KeyDecisionReason
    Urgency = Urgency

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The body whose decision this is; empty means the case's lead commissioner",
    )
    reference = models.CharField(
        max_length=50, blank=True, help_text="As the body writes it: SC/24/1, PCD 353, DMPCD 2015 24"
    )
    title = models.CharField(max_length=300)
    maker = models.ForeignKey(
        MeetingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="decision maker",
    )
    maker_name = models.CharField(
        "decided by (person)",
        max_length=200,
        blank=True,
        help_text="The person: Councillor Jane Smith, Cabinet Member for Communities; the PCC by name",
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PROPOSED)
    meeting_date = models.DateField(
        null=True, blank=True, help_text="The meeting, or the day it is planned for"
    )
    decided_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What is to be decided, in a sentence or two")
    reasons = models.TextField(blank=True, help_text="The reasons for the decision")
    appraisal = models.ForeignKey(
        OptionAppraisal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The option appraisal behind it; its rejected options are the alternatives",
    )
    alternatives = models.TextField(
        "alternative options considered and rejected",
        blank=True,
        help_text="Where there is no appraisal, or to say more than it does",
    )
    interests = models.TextField("interests declared", blank=True)
    dispensations = models.TextField(blank=True)
    # Key decision (regulation 8).
    is_key_decision = models.BooleanField("key decision", null=True, blank=True)
    key_reason = models.CharField(
        "why it is a key decision", max_length=10, choices=KeyReason.choices, blank=True
    )
    wards = models.CharField("wards or divisions affected", max_length=300, blank=True)
    value = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text="The spending or saving decided, to compare with the authority's key decision threshold",
    )
    # Forward plan (regulations 9 to 11).
    forward_plan_published_on = models.DateField("first published on the forward plan", null=True, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, blank=True)
    urgency_reason = models.TextField(blank=True)
    # Publication and call-in.
    published_on = models.DateField("decision published on", null=True, blank=True)
    subject_to_call_in = models.BooleanField(null=True, blank=True)
    called_in = models.BooleanField(default=False)
    call_in_note = models.CharField(max_length=300, blank=True)
    not_published = models.JSONField(
        default=list, blank=True, help_text="Facts the sources do not publish (field names)"
    )
    # A decision taken under a delegation made by an earlier one (an officer's award decision).
    uses_delegation = models.ForeignKey(
        "Delegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        help_text="The delegation this decision is taken under",
    )

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "decided_on", "meeting_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(key_reason__in=KeyDecisionReason.values), name="decision_key_reason_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__in=Urgency.values), name="decision_urgency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("commissioning:decision-detail", args=[self.pk])

    @property
    def issuing_authority(self) -> Organisation:
        return self.authority or self.case.lead_commissioner

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def day(self) -> date | None:
        return self.decided_on or self.meeting_date

    # Key decisions.
    @property
    def over_threshold(self) -> bool | None:
        """Whether the value reaches the authority's key decision threshold (None: not known)."""
        threshold = self.issuing_authority.key_decision_threshold
        if threshold is None or self.value is None:
            return None
        return self.value >= threshold

    # The forward plan.
    @property
    def forward_plan_clear_days(self) -> int | None:
        """Clear days between first publication and the meeting: neither day counts."""
        if self.forward_plan_published_on is None or self.day is None:
            return None
        return (self.day - self.forward_plan_published_on).days - 1

    @property
    def forward_plan_warning(self) -> str:
        """Why a key decision's notice falls short of regulation 9, or "" when it does not."""
        if not self.is_key_decision or self.urgency or self.day is None:
            return ""
        days = self.forward_plan_clear_days
        if days is None:
            return (
                "A key decision must be on the forward plan 28 clear days before it is made: add the "
                "date it was first published, or record the general exception or special urgency."
            )
        if days < FORWARD_PLAN_CLEAR_DAYS:
            return (
                f"Only {days} clear days between the forward plan "
                f"({self.forward_plan_published_on:%-d %B %Y}) and the decision: 28 are needed unless "
                "the general exception or special urgency is recorded."
            )
        return ""

    # Call-in.
    @property
    def call_in_deadline(self) -> date | None:
        """The last day to call the decision in: the authority's number of working days after publication."""
        if not self.subject_to_call_in or self.published_on is None:
            return None
        days = self.issuing_authority.call_in_working_days
        if days is None:
            return None
        return add_working_days(self.published_on, days)

    @property
    def takes_effect_on(self) -> date | None:
        """The day after the call-in deadline; the day of decision when not subject to call-in;
        None while it is called in or not yet decided."""
        if self.called_in or not self.is_decided:
            return None
        if self.subject_to_call_in:
            deadline = self.call_in_deadline
            return deadline + timedelta(days=1) if deadline else None
        return self.decided_on

    def clean(self):
        errors = {}
        if self.urgency and not self.urgency_reason.strip():
            errors["urgency_reason"] = "Give the reason for the general exception or special urgency"
        if self.called_in and not self.subject_to_call_in:
            errors["called_in"] = "Only a decision subject to call-in can be called in"
        if self.published_on and self.decided_on and self.published_on < self.decided_on:
            errors["published_on"] = "The decision cannot be published before it is made"
        if self.maker_id and self.authority_id and self.maker.organisation_id != self.authority_id:
            errors["maker"] = "Choose a decision maker of the authority that decides"
        if errors:
            raise ValidationError(errors)


class ResolutionPoint(models.Model):
    """One numbered or lettered point of what was resolved (or is recommended)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="resolution")
    label = models.CharField(max_length=10, blank=True, help_text="As the record numbers it: 1, a, (i)")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "order", "pk"]

    def __str__(self):
        return f"{self.label} {self.text[:60]}".strip()


class DelegationStage(models.TextChoices):
    PROPOSED = "proposed", "As proposed in the report"
    RESOLVED = "resolved", "As resolved"


class Delegation(models.Model):
    """Authority given to a post, in consultation with others: both as the report proposed it and as
    the body resolved it, since real records differ (a director named in the report, another in the
    minutes)."""

    Stage = DelegationStage

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="delegations")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.RESOLVED)
    power = models.TextField("what is delegated", help_text="To award the contracts for Lots 1 and 2")
    delegate = models.CharField(
        "delegated to", max_length=300, help_text="The post: Director of Adult Social Care"
    )
    in_consultation_with = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "stage", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=DelegationStage.values), name="delegation_stage_valid"
            )
        ]

    def __str__(self):
        return f"{self.delegate}: {self.power[:60]}"


class MemberQuestion(models.Model):
    """A question a member asked at the meeting about the decision, and the officers' answer."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="questions")
    member = models.CharField(max_length=200, help_text="Councillor Ann Jones")
    member_role = models.CharField(
        max_length=200, blank=True, help_text="How they took part: attending under Standing Order 20"
    )
    question = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "order", "pk"]

    def __str__(self):
        return f"{self.member}: {self.question[:60]}"


class EvidenceUnit(models.TextChoices):
    COUNT = "count", "A count"
    MONEY = "money", "Money"
    RATE = "rate", "A rate (per so many people)"
    PERCENT = "percent", "A percentage"


class EvidenceFigure(models.Model):
    """A figure of need, as its source publishes it: "police-recorded domestic abuse incidents,
    2022-23: 8,400; 11.2 per 1,000 people". Chosen into a paper's need section as a table."""

    Unit = EvidenceUnit

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(max_length=300, help_text="Police-recorded domestic abuse incidents")
    value = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    rate_base = models.CharField(
        "per", max_length=50, blank=True, help_text="For a rate: per 1,000 people, per 100,000 women"
    )
    period = models.CharField(max_length=50, blank=True, help_text="2022-23, the year to March 2024")
    area = models.CharField(
        max_length=200, blank=True, help_text="The area it covers, as the source names it"
    )
    source = models.CharField(max_length=300, help_text="Who publishes it: ONS, Home Office, the police")
    source_url = models.URLField(blank=True)
    in_paper = models.BooleanField("show in papers", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__in=EvidenceUnit.values), name="evidence_unit_valid"
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.shown}"

    @property
    def shown(self) -> str:
        """The value as the source writes it: 8,400; £1,234,567; 11.2 per 1,000 people; 28%."""
        from commissioning import money

        value = self.value
        whole = value == value.to_integral_value()
        if self.unit == EvidenceUnit.MONEY:
            return money.format_money(value)
        number = f"{value:,.0f}" if whole else f"{value.normalize():,f}"
        if self.unit == EvidenceUnit.PERCENT:
            return f"{number}%"
        if self.unit == EvidenceUnit.RATE:
            return f"{number} {self.rate_base}".strip()
        return number

    def clean(self):
        if self.unit == EvidenceUnit.RATE and not self.rate_base.strip():
            raise ValidationError({"rate_base": "Say what the rate is per, like per 1,000 people"})


class ShortfallAgainst(models.TextChoices):
    PLANNED = "planned", "What is planned"
    PROVIDED = "provided", "What is provided"
    COMMISSIONED = "commissioned", "What is commissioned"


class CapacityFigure(models.Model):
    """Units or bed spaces commissioned, provided, planned and recommended by a benchmark (the
    Council of Europe's one family place per 10,000 people, say); the shortfall is computed against
    the figure the source measures it from."""

    Against = ShortfallAgainst

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="capacity")
    label = models.CharField(max_length=200, help_text="Refuge units in the district")
    unit = models.CharField(max_length=50, default="units", help_text="units, bed spaces, places")
    commissioned = models.PositiveIntegerField(null=True, blank=True)
    provided = models.PositiveIntegerField(null=True, blank=True)
    planned = models.PositiveIntegerField(null=True, blank=True)
    benchmark = models.PositiveIntegerField(null=True, blank=True, help_text="What the benchmark recommends")
    benchmark_source = models.CharField(max_length=300, blank=True)
    shortfall_against = models.CharField(
        max_length=15,
        choices=Against.choices,
        default=Against.PLANNED,
        help_text="The source measures its shortfall from this figure",
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shortfall_against__in=ShortfallAgainst.values),
                name="capacity_shortfall_against_valid",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def shortfall(self) -> int | None:
        """The benchmark less the figure the source measures from (never below nought): benchmark
        30, planned 20: a shortfall of 10."""
        against = getattr(self, self.shortfall_against)
        if self.benchmark is None or against is None:
            return None
        return max(self.benchmark - against, 0)
