"""Contracts, their terms and extension options, performance, and FOI requests."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning import money, workdays
from commissioning.models import Area, Case, Organisation, Service
from commissioning.models.cases import user_organisation_id
from commissioning.models.services import MONEY, non_negative


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self
        org = user_organisation_id(user)
        if org is None:
            return self.none()
        partner = Contract.commissioners.through.objects.filter(organisation_id=org).values("contract_id")
        return self.filter(
            models.Q(lead_commissioner_id=org)
            | models.Q(pk__in=partner)
            | models.Q(case__in=Case.objects.visible_to(user))
        )


class ContractStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PROCUREMENT = "procurement", "In procurement"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class ContractRoute(models.TextChoices):
    OPEN_TENDER = "open_tender", "Open tender"
    FRAMEWORK = "framework", "Call-off from a framework"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT = "grant", "Grant"
    SPOT_PURCHASE = "spot_purchase", "Spot purchase"
    NOT_KNOWN = "", "Not recorded"


class Contract(models.Model):
    Status = ContractStatus

    Route = ContractRoute

    reference = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        help_text="The commissioning case this contract belongs to",
    )
    decision = models.ForeignKey(
        "commissioning.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        help_text="The decision that awarded it (or agreed the extension)",
    )
    lead_commissioner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_contracts"
    )
    commissioners = models.ManyToManyField(
        Organisation, blank=True, related_name="funded_contracts", help_text="Partner commissioners"
    )
    providers = models.ManyToManyField(Organisation, blank=True, related_name="provider_contracts")
    brand_name = models.CharField(max_length=100, blank=True, help_text="e.g. New Era")
    services = models.ManyToManyField(Service, blank=True, related_name="contracts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField(null=True, blank=True)
    initial_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    ends_on = models.DateField(
        null=True, blank=True, help_text="End of the initial term; left empty it is worked out from the term"
    )
    annual_value = models.DecimalField(**MONEY, null=True, blank=True, validators=[non_negative])
    procurement_route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    framework_name = models.CharField(max_length=200, blank=True, help_text="e.g. DCF Segment 2 (Innovation)")
    route_rationale = models.TextField(blank=True, help_text="Why this route (required for a direct award)")
    term_note = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(
        null=True, blank=True, help_text="When published under the Local Government Transparency Code"
    )

    history = HistoricalRecords(m2m_fields=[commissioners, providers, services])
    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["ends_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(procurement_route__in=ContractRoute.values), name="contract_route_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message="The end date must be the same as or after the start date",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_value__isnull=True) | models.Q(annual_value__gte=0),
                name="contract_value_not_negative",
                violation_error_message="A contract's annual value must be £0 or more",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contracts:contract-detail", args=[self.reference])

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be the same as or after the start date"
        if self.initial_term_months == 0:
            errors["initial_term_months"] = "An initial term must be at least one month"
        if self.procurement_route == self.Route.DIRECT_AWARD and not self.route_rationale.strip():
            errors["route_rationale"] = "Record why the contract was awarded directly, without competition"
        if errors:
            raise ValidationError(errors)

    # Computed terms.
    @property
    def initial_end(self) -> date | None:
        if self.ends_on:
            return self.ends_on
        if self.starts_on and self.initial_term_months:
            return add_months(self.starts_on, self.initial_term_months) - timedelta(days=1)
        return None

    @property
    def has_term(self) -> bool:
        return self.initial_end is not None

    def _options(self):
        return list(self.term_options.all())

    @property
    def latest_end(self) -> date | None:
        """The end if every extension is taken and no break clause is used."""
        end = self.initial_end
        if end is None:
            return None
        months = sum(o.months for o in self._options())
        return add_months(end + timedelta(days=1), months) - timedelta(days=1)

    @property
    def initial_months(self) -> int | None:
        if self.initial_term_months:
            return self.initial_term_months
        if self.starts_on and self.ends_on:
            end = self.ends_on + timedelta(days=1)
            return (end.year - self.starts_on.year) * 12 + end.month - self.starts_on.month
        return None

    @property
    def full_term_months(self) -> int | None:
        initial = self.initial_months
        if initial is None:
            return None
        return initial + sum(o.months for o in self._options())

    @property
    def term_summary(self) -> str:
        """ "3 + 2" or "2 + 1 + 1 + 1", in years where the months divide evenly."""
        initial = self.initial_months
        if initial is None:
            return ""
        parts = [initial, *(o.months for o in self._options())]
        if all(p % 12 == 0 for p in parts):
            return " + ".join(str(p // 12) for p in parts)
        return " + ".join(f"{p} months" for p in parts)

    @property
    def total_value(self) -> Decimal | None:
        """Annual value over the full term including every extension."""
        months = self.full_term_months
        if self.annual_value is None or months is None:
            return None
        return money.multi_year_total(self.annual_value, Decimal(months) / Decimal(12))

    def months_left(self, today: date | None = None) -> int | None:
        end = self.initial_end
        if end is None:
            return None
        today = today or date.today()
        return (end.year - today.year) * 12 + end.month - today.month


class ContractTermOptionKind(models.TextChoices):
    EXTENSION = "extension", "Extension (must be taken up)"
    BREAK = "break", "Break clause (runs on unless broken)"


class ContractTermOption(models.Model):
    """An extension or a break point after the initial term (the "+ 2" of "3 + 2")."""

    Kind = ContractTermOptionKind

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="term_options")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXTENSION)
    months = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ContractTermOptionKind.values), name="term_option_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(months__gt=0),
                name="term_option_months_positive",
                violation_error_message="An extension or break clause must be at least one month",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.months} months"

    def clean(self):
        if self.months == 0:
            raise ValidationError({"months": "An extension must be at least one month"})
        if self.contract_id and not self.contract.has_term:
            raise ValidationError(
                "This contract has no term yet: give it a start date and an initial term or end date "
                "before adding an extension or break clause"
            )


class Lot(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lots")
    name = models.CharField(max_length=200)
    areas = models.ManyToManyField(Area, blank=True, related_name="contract_lots")
    providers = models.ManyToManyField(Organisation, blank=True, related_name="lots")
    annual_value = models.DecimalField(**MONEY, null=True, blank=True, validators=[non_negative])

    history = HistoricalRecords(m2m_fields=[areas, providers])

    class Meta:
        ordering = ["contract", "name"]

    def __str__(self):
        return f"{self.contract}: {self.name}"


class ReferralCount(models.Model):
    """Referrals into a service over a period, for an area (Staffordshire's referrals table)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="referral_counts")
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral_counts"
    )
    period_label = models.CharField(max_length=100, help_text="As the paper heads it: 1/10/18 to 31/03/2022")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="referral_counts")
    count = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "period_start", "period_label", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_label", "area"], name="referral_count_unique_per_period_area"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="referral_period_ordered",
                violation_error_message="The period must end on or after its start",
            ),
        ]

    def __str__(self):
        return f"{self.service} {self.period_label} {self.area}: {self.count:,}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after its start"})


class OutcomeReport(models.Model):
    """A period's performance against outcomes: survey results, annual report extracts."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="outcome_reports")
    period_label = models.CharField(max_length=100)
    period_end = models.DateField(null=True, blank=True)
    summary = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "period_end", "pk"]

    def __str__(self):
        return f"{self.contract}: {self.period_label}"


class FOIRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"


class FOIRequest(models.Model):
    """A Freedom of Information request about commissioning, answered within 20 working days."""

    Status = FOIRequestStatus

    reference = models.CharField(max_length=50)
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="foi_requests")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="foi_requests"
    )
    subject = models.CharField(max_length=300)
    received_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.CharField(
        max_length=200, blank=True, help_text="Name and title who signed the reply"
    )
    contracts = models.ManyToManyField(Contract, blank=True, related_name="foi_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords(m2m_fields=[contracts])

    class Meta:
        ordering = ["-received_on", "reference"]
        verbose_name = "FOI request"
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="foi_reference_unique_per_authority"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=FOIRequestStatus.values), name="foi_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("received_on")),
                name="foi_answered_after_received",
                violation_error_message="The answer date must be on or after the date received",
            ),
        ]

    def __str__(self):
        return f"FOI {self.reference}: {self.subject}"

    def clean(self):
        if self.answered_on and self.received_on and self.answered_on < self.received_on:
            raise ValidationError({"answered_on": "The answer date must be on or after the date received"})

    @property
    def due_on(self) -> date | None:
        """20 working days after receipt, skipping weekends and England and Wales bank holidays."""
        if not self.received_on:  # a request being typed in has no date yet
            return None
        return workdays.add_working_days(self.received_on, 20)

    @property
    def working_days_taken(self) -> int | None:
        if not (self.received_on and self.answered_on):
            return None
        return workdays.working_days_between(self.received_on, self.answered_on)


class FOIQuestion(models.Model):
    request = models.ForeignKey(FOIRequest, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    question = models.TextField()
    answer = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "order", "pk"]

    def __str__(self):
        return self.question[:80]
