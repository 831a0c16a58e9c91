"""Agreements (contracts and grants) over their whole life, performance, and FOI requests.

An agreement's money is stated as the source states it: value lines, each an amount for a stated
period (a year, the whole term, one extension or variation), with its VAT basis and qualifier.
Extensions and break points are events that move from available to proposed to agreed (or
declined, or lapsed), each agreed by a decision. Ends and values follow by computation:
the current end, the latest possible end, the value to date, the maximum value, and the value
across a chain of agreements for the same service. Nothing derived is typed.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning import money, workdays
from commissioning.models import Area, Case, Organisation, Service
from commissioning.models.cases import user_organisation_id, visible_case_ids
from commissioning.models.services import MONEY, non_negative
from commissioning.periods import add_months, months_in_period

# Facts of an agreement a source may leave out, as the contract form offers them.
CONTRACT_UNPUBLISHED_FACTS = {
    "starts_on": "Start date",
    "ends_on": "End date of the initial term",
    "initial_term_months": "Initial term",
    "annual_value": "Annual value",
}

# What the computed ends and values read: prefetch them to keep a page's queries fixed.
VALUE_PREFETCHES = ("term_options", "value_lines", "lots", "tender_notices")


class ContractQuerySet(models.QuerySet):
    def with_values(self):
        """Prefetch what ``current_end``, ``value_to_date`` and ``maximum_value`` read."""
        return self.prefetch_related(*VALUE_PREFETCHES)

    def visible_to(self, user):
        if user.is_superuser:
            return self
        org = user_organisation_id(user)
        if org is None:
            return self.none()
        # Indexable branches (see visible_case_ids): led, partnered, or of a visible case.
        led = Contract.objects.filter(lead_commissioner_id=org).values("pk")
        partner = Contract.commissioners.through.objects.filter(organisation_id=org).values("contract_id")
        of_cases = Contract.objects.filter(case__in=visible_case_ids(org)).values("pk")
        return self.filter(pk__in=led.union(partner, of_cases))


class ContractStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PROCUREMENT = "procurement", "In procurement"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class ContractRoute(models.TextChoices):
    OPEN_TENDER = "open_tender", "Open procedure"
    RESTRICTED = "restricted", "Restricted procedure"
    COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
    LIGHT_TOUCH = "light_touch", "Light-touch regime"
    FRAMEWORK = "framework", "Call-off from a framework"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT = "grant", "Grant"
    SPOT_PURCHASE = "spot_purchase", "Spot purchase"
    NOT_KNOWN = "", "Not recorded"


class AgreementKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT = "grant", "Grant (conditional grant agreement)"


class ProcurementOutcome(models.TextChoices):
    PENDING = "", "Not yet known"
    AWARDED = "awarded", "Awarded"
    NO_COMPLIANT_BIDS = "no_compliant_bids", "No compliant bids"
    SOLE_BIDDER_WITHDREW = "sole_bidder_withdrew", "The sole bidder withdrew"
    ABANDONED = "abandoned", "Abandoned"


FAILED_OUTCOMES = frozenset(
    {
        ProcurementOutcome.NO_COMPLIANT_BIDS,
        ProcurementOutcome.SOLE_BIDDER_WITHDREW,
        ProcurementOutcome.ABANDONED,
    }
)


class ChainRelation(models.TextChoices):
    NONE = "", "None"
    BRIDGES = "bridges", "Bridges the gap after"
    SUCCEEDS = "succeeds", "Succeeds"
    EXTENDS = "extends", "Extends the incumbent after a failed procurement"


class Contract(models.Model):
    Status = ContractStatus

    Route = ContractRoute
    Kind = AgreementKind
    Outcome = ProcurementOutcome
    Relation = ChainRelation

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
    kind = models.CharField("agreement", max_length=10, choices=Kind.choices, default=Kind.CONTRACT)
    grant_conditions = models.TextField(blank=True, help_text="For a grant: the conditions attached")
    payment_schedule = models.TextField(blank=True, help_text="For a grant: when and how it is paid")
    route_regulation = models.CharField(
        "regulation relied on",
        max_length=200,
        blank=True,
        help_text="For a direct award: e.g. regulation 32(2)(b) of the Public Contracts Regulations 2015",
    )
    outcome = models.CharField("procurement outcome", max_length=25, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("outcome date", null=True, blank=True)
    outcome_reason = models.TextField(blank=True)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The agreement this one bridges, succeeds or extends, for the same service",
    )
    relation = models.CharField(max_length=10, choices=Relation.choices, blank=True)
    not_published = models.JSONField(
        default=list, blank=True, help_text="Facts the sources do not publish (field names)"
    )
    extension_notice_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many months before the current end an extension must be decided",
    )
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
            models.CheckConstraint(
                condition=models.Q(kind__in=AgreementKind.values), name="contract_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ProcurementOutcome.values), name="contract_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=ChainRelation.values), name="contract_relation_valid"
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
        if self.outcome and self.outcome != self.Outcome.AWARDED and not self.outcome_reason.strip():
            errors["outcome_reason"] = "Give the reason the procurement did not lead to an award"
        if self.predecessor_id and self.predecessor_id == self.pk:
            errors["predecessor"] = "An agreement cannot follow itself"
        if self.predecessor_id and not self.relation:
            errors["relation"] = "Say how this agreement follows the earlier one"
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
        """The end if every option still open is taken (none after a declined or lapsed one)."""
        periods = self.periods()
        return periods[-1].end if periods else None

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

    # Periods and money. Each period is the initial term or one option, in order; an option's
    # status says whether it is part of the agreement now (agreed), may still be (available,
    # proposed), or never will be (declined, lapsed: and no later option can follow it).
    def periods(self, options=None) -> list["Period"]:
        """The periods; ``options`` (in order) stand in for the agreement's own when given."""
        start, end = self.starts_on, self.initial_end
        if end is None:
            return []
        periods = [Period(None, start, end, Decimal(self.initial_months or 0), TermOptionStatus.AGREED)]
        for option in self._options() if options is None else options:
            if option.status in CLOSED_OPTION_STATUSES:
                break
            begins = end + timedelta(days=1)
            end = add_months(begins, option.months) - timedelta(days=1)
            periods.append(Period(option, begins, end, Decimal(option.months), option.status))
        return periods

    @property
    def current_end(self) -> date | None:
        """The end with the initial term and every agreed option, in order."""
        return agreed_end(self.periods())

    def _lines(self):
        return list(self.value_lines.all())

    def _lots(self):
        return list(self.lots.all())

    @property
    def annual_rate(self) -> Decimal | None:
        """The agreement's money a year, for periods with no amount of their own: the initial term's
        annual lines, else the annual value stated for the agreement, else its lots' annual values
        added up (the agreement's value is the sum of its lots unless it states its own)."""
        annual = [
            line.amount
            for line in self._lines()
            if line.term_option_id is None
            and line.kind == ValueLineKind.INITIAL
            and line.basis == ValueBasis.ANNUAL
        ]
        if annual:
            return sum(annual, Decimal(0))
        if self.annual_value is not None:
            return self.annual_value
        lots = [lot.annual_value for lot in self._lots() if lot.annual_value is not None]
        return sum(lots, Decimal(0)) if lots else None

    def period_value(self, period: "Period") -> Decimal | None:
        """What a period is worth: its own lines (a total as stated; an annual amount over the
        period's months), else the annual rate over its months. None when nothing is known."""
        option_id = period.option.pk if period.option else None
        kind = ValueLineKind.INITIAL if period.option is None else ValueLineKind.EXTENSION
        lines = [line for line in self._lines() if line.term_option_id == option_id and line.kind == kind]
        if lines:
            return sum((line.total_over(period.months) for line in lines), Decimal(0))
        rate = self.annual_rate
        if rate is None or not period.months:
            return None
        return money.total_for_period(rate, period.months)

    def _variations(self) -> Decimal:
        return sum(
            (line.total_over(None) for line in self._lines() if line.kind == ValueLineKind.VARIATION),
            Decimal(0),
        )

    def _sum(self, periods) -> Decimal | None:
        values = [self.period_value(p) for p in periods]
        if not values or any(v is None for v in values):
            return None
        return sum(values, Decimal(0)) + self._variations()

    @property
    def value_to_date(self) -> Decimal | None:
        """The initial term, every agreed option and every variation."""
        agreed = []
        for period in self.periods():
            if period.status != TermOptionStatus.AGREED:
                break
            agreed.append(period)
        return self._sum(agreed)

    @property
    def maximum_value(self) -> Decimal | None:
        """The value if every option still open is taken."""
        return self._sum(self.periods())

    @property
    def total_value(self) -> Decimal | None:
        """The maximum value (kept under its old name for the papers and registers)."""
        return self.maximum_value

    @property
    def lots_maximum(self) -> Decimal | None:
        """The lots' annual values over the full term, every open option taken."""
        lots = [lot.annual_value for lot in self._lots() if lot.annual_value is not None]
        months = sum((p.months for p in self.periods()), Decimal(0))
        if not lots or not months:
            return None
        return money.total_for_period(sum(lots, Decimal(0)), months)

    @property
    def stated_total(self):
        """A total stated for the whole agreement: a tender notice's value (the latest)."""
        notices = [n for n in self.tender_notices.all() if n.value is not None]
        return notices[-1] if notices else None

    @property
    def value_mismatch(self) -> str:
        """A flag (never a refusal) when the lots do not add up to the stated total."""
        notice, lots = self.stated_total, self.lots_maximum
        if notice is None or lots is None or notice.value == lots:
            return ""
        difference = notice.value - lots
        direction = "more" if difference > 0 else "less"
        return (
            f"The lots add up to {money.format_money(lots)} over the full term; the tender notice "
            f"{notice.reference or ''} states {money.format_money(notice.value)} "
            f"({money.format_money(abs(difference))} {direction})."
        ).replace("notice  states", "notice states")

    def chain(self) -> list["Contract"]:
        """The agreements for the same service this one follows, oldest first, then this one."""
        chain, seen, current = [self], {self.pk}, self.predecessor
        while current is not None and current.pk not in seen:
            chain.insert(0, current)
            seen.add(current.pk)
            current = current.predecessor
        return chain

    @property
    def cumulative_value(self) -> Decimal | None:
        """The value to date of this agreement and every one it follows."""
        values = [c.value_to_date for c in self.chain()]
        if any(v is None for v in values):
            return None
        return sum(values, Decimal(0))

    @property
    def procurement_failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES

    def months_left(self, today: date | None = None) -> int | None:
        end = self.initial_end
        if end is None:
            return None
        today = today or date.today()
        return (end.year - today.year) * 12 + end.month - today.month


class ContractTermOptionKind(models.TextChoices):
    EXTENSION = "extension", "Option to extend"
    BREAK = "break", "Break point (runs on unless ended)"


class TermOptionStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed"


CLOSED_OPTION_STATUSES = frozenset({TermOptionStatus.DECLINED, TermOptionStatus.LAPSED})


@dataclass(frozen=True)
class Period:
    """The initial term (no option) or one option's period."""

    option: "ContractTermOption | None"
    start: date | None
    end: date
    months: Decimal
    status: str


class ContractTermOption(models.Model):
    """An extension or a break point after the initial term (the "+ 2" of "3 + 2")."""

    Kind = ContractTermOptionKind
    Status = TermOptionStatus

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="term_options")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXTENSION)
    months = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    decision = models.ForeignKey(
        "commissioning.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="term_options",
        help_text="The decision that agreed (or declined) it",
    )
    decided_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ContractTermOptionKind.values), name="term_option_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TermOptionStatus.values), name="term_option_status_valid"
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
        if self.status == self.Status.AGREED and self.decision_id is None:
            raise ValidationError({"decision": "Choose the decision that agreed this option"})
        if (
            self.decision_id
            and self.contract_id
            and self.contract.case_id
            and (self.decision.case_id != self.contract.case_id)
        ):
            raise ValidationError({"decision": "Choose a decision of the agreement's case"})
        if self.contract_id and not self.contract.has_term:
            raise ValidationError(
                "This contract has no term yet: give it a start date and an initial term or end date "
                "before adding an extension or break clause"
            )


class ValueLineKind(models.TextChoices):
    INITIAL = "initial", "The initial term"
    EXTENSION = "extension", "An option (extension)"
    VARIATION = "variation", "A variation"


class ValueBasis(models.TextChoices):
    ANNUAL = "annual", "A year"
    TOTAL = "total", "For the whole period"


class VatBasis(models.TextChoices):
    NOT_STATED = "", "Not stated"
    EXCLUDING = "excluding", "Excluding VAT"
    INCLUDING = "including", "Including VAT"
    NOT_APPLICABLE = "not_applicable", "VAT does not apply"


class Qualifier(models.TextChoices):
    EXACT = "exact", "Exactly"
    UP_TO = "up_to", "Up to"
    ABOUT = "about", "About"
    NEARLY = "nearly", "Nearly"
    ESTIMATED = "estimated", "Estimated"


class ValueLine(models.Model):
    """An amount of money for a stated period, as the source states it: £418,000 for 19 months;
    £150,000 a year for Lot 1; up to £3m; £810,000 for a 9-month extension."""

    Kind = ValueLineKind
    Basis = ValueBasis
    Vat = VatBasis
    Qualifier = Qualifier

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="value_lines")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    term_option = models.ForeignKey(
        ContractTermOption,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="value_lines",
        help_text="For an option: which one",
    )
    label = models.CharField(max_length=200, blank=True, help_text="As the source names it: Variation 1")
    starts_on = models.DateField(null=True, blank=True, help_text="Empty: the period of the term or option")
    ends_on = models.DateField(null=True, blank=True)
    amount = models.DecimalField(**MONEY, validators=[non_negative])
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.TOTAL)
    vat = models.CharField("VAT", max_length=15, choices=Vat.choices, blank=True)
    other_vat_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text="The same figure on the other VAT basis, where the source gives both",
    )
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    decision = models.ForeignKey(
        "commissioning.Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="value_lines"
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ValueLineKind.values), name="value_line_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(basis__in=ValueBasis.values), name="value_line_basis_valid"
            ),
            models.CheckConstraint(condition=models.Q(vat__in=VatBasis.values), name="value_line_vat_valid"),
            models.CheckConstraint(
                condition=models.Q(qualifier__in=Qualifier.values), name="value_line_qualifier_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="value_line_period_ordered",
                violation_error_message="A period must end on or after the day it starts",
            ),
        ]

    def __str__(self):
        return self.as_stated

    @property
    def months(self) -> Decimal | None:
        """The months of the line's own period, when it states one."""
        if self.starts_on and self.ends_on and self.ends_on >= self.starts_on:
            return months_in_period(self.starts_on, self.ends_on)
        return None

    def total_over(self, months) -> Decimal:
        """The line's money for its period: a total as stated; an annual amount over the line's own
        months, else over the months of the period it belongs to."""
        if self.basis == ValueBasis.TOTAL:
            return self.amount
        span = self.months if self.months is not None else months
        if span is None:
            return self.amount
        return money.total_for_period(self.amount, span)

    @property
    def annual_equivalent(self) -> Decimal | None:
        """A total's amount a year, for showing beside it (never stored): £418,000 for 19 months
        is £264,000 a year."""
        if self.basis == ValueBasis.ANNUAL:
            return self.amount
        return money.annual_equivalent(self.amount, self.months) if self.months else None

    @property
    def as_stated(self) -> str:
        text = money.as_stated(
            self.amount, qualifier=self.qualifier, vat=self.vat, other_vat_amount=self.other_vat_amount
        )
        return f"{text} a year" if self.basis == ValueBasis.ANNUAL else text

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The period must end on or after the day it starts"
        if self.other_vat_amount is not None and self.amount is not None:
            if self.vat == VatBasis.EXCLUDING and self.other_vat_amount < self.amount:
                errors["other_vat_amount"] = (
                    "The amount including VAT cannot be less than the amount excluding it"
                )
            if self.vat == VatBasis.INCLUDING and self.other_vat_amount > self.amount:
                errors["other_vat_amount"] = (
                    "The amount excluding VAT cannot be more than the amount including it"
                )
            if self.vat not in (VatBasis.EXCLUDING, VatBasis.INCLUDING):
                errors["vat"] = (
                    "Say whether the amount is excluding or including VAT before giving the other figure"
                )
        if self.kind == ValueLineKind.EXTENSION and self.term_option_id is None:
            errors["term_option"] = "Choose the option this amount is for"
        if self.term_option_id and self.kind != ValueLineKind.EXTENSION:
            errors["kind"] = "An amount for an option is an extension's amount"
        contract = self.contract if self.contract_id else None
        if contract is not None and self.kind == ValueLineKind.EXTENSION and self.starts_on:
            initial_end = contract.initial_end
            if initial_end and self.starts_on <= initial_end:
                errors["starts_on"] = (
                    f"An extension starts after the initial term, which ends on {initial_end:%-d %B %Y}"
                )
        if errors:
            raise ValidationError(errors)


class NoticePlatform(models.TextChoices):
    FIND_A_TENDER = "find_a_tender", "Find a Tender"
    CONTRACTS_FINDER = "contracts_finder", "Contracts Finder"
    OTHER = "other", "Another portal"


class TenderNotice(models.Model):
    """A notice published for the procurement: where, when, for how much, and to whom it suits."""

    Platform = NoticePlatform

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tender_notices")
    reference = models.CharField(max_length=100, blank=True, help_text="The notice's own reference")
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    url = models.URLField(blank=True)
    value = models.DecimalField(**MONEY, null=True, blank=True, validators=[non_negative])
    vat = models.CharField("VAT", max_length=15, choices=VatBasis.choices, blank=True)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    published_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    lots = models.CharField(
        max_length=300, blank=True, help_text="The lots it covers, as the notice lists them"
    )
    cpv_codes = models.CharField(
        "CPV codes", max_length=300, blank=True, help_text="Separated by commas: 85312000-9, 85311000-2"
    )
    location = models.CharField(max_length=200, blank=True)
    suitable_for_smes = models.BooleanField("suitable for SMEs", null=True, blank=True)
    suitable_for_vcses = models.BooleanField("suitable for VCSEs", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__in=["", *NoticePlatform.values]),
                name="tender_notice_platform_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(published_on__isnull=True)
                | models.Q(closes_on__gte=models.F("published_on")),
                name="tender_notice_closes_after_publication",
                violation_error_message="A notice closes on or after the day it is published",
            ),
        ]

    def __str__(self):
        return self.reference or f"Notice for {self.contract}"

    @property
    def value_as_stated(self) -> str:
        return money.as_stated(self.value, qualifier=self.qualifier, vat=self.vat)

    def clean(self):
        if self.published_on and self.closes_on and self.closes_on < self.published_on:
            raise ValidationError({"closes_on": "A notice closes on or after the day it is published"})
        codes = [c.strip() for c in self.cpv_codes.split(",") if c.strip()]
        bad = [c for c in codes if not re.fullmatch(r"\d{8}(-\d)?", c)]
        if bad:
            raise ValidationError(
                {
                    "cpv_codes": "Enter CPV codes as 8 digits and a check digit, like 85312000-9 "
                    f"(not {bad[0]})"
                }
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

    def deletion_blockers(self) -> list[str]:
        """What depends on the lot, in words: a lot awarded to providers records the award, so
        it stays (an empty list: nothing does, and it may be deleted)."""
        providers = [provider.name for provider in self.providers.all()]
        if not providers:
            return []
        return [f"It is awarded to {', '.join(providers)}: the award is recorded against this lot."]


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


class KeyDateKind(models.TextChoices):
    OPTION_DECISION = "option_decision", "Extension option to be decided"
    RECOMMISSIONING = "recommissioning", "Recommissioning to start"
    VCS_NOTICE = "vcs_notice", "Notice to a voluntary or community provider"
    GRANT_END = "grant_end", "Grant ends"
    CONTRACT_END = "contract_end", "Contract ends"


class ReminderLead(models.TextChoices):
    """How long before a key date a reminder goes, longest first."""

    THREE_MONTHS = "3m", "3 months before"
    ONE_MONTH = "1m", "1 month before"
    ONE_WEEK = "1w", "1 week before"


class Reminder(models.Model):
    """A reminder e-mail sent: one per key date, kind, agreement, person and lead, however often
    ``send_reminders`` runs."""

    Kind = KeyDateKind
    Lead = ReminderLead

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(help_text="The key date the reminder is for")
    lead = models.CharField(max_length=2, choices=Lead.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contract_reminders",
        help_text="Sent to",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "kind", "contract", "user", "lead"], name="reminder_sent_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=KeyDateKind.values), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(lead__in=ReminderLead.values), name="reminder_lead_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%-d %B %Y}, {self.get_lead_display()}: {self.contract}"


class Snooze(models.Model):
    """A person's reminders for one key date stopped, with the reason: until a day, or for good."""

    Kind = KeyDateKind

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="snoozes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(help_text="The key date whose reminders are stopped")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contract_snoozes",
        help_text="Whose reminders",
    )
    reason = models.TextField()
    until = models.DateField(null=True, blank=True, help_text="Empty: no more reminders for this date")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="by",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=KeyDateKind.values), name="snooze_kind_valid"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="snooze_reason_given"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%-d %B %Y}: {self.contract} (snoozed)"

    def applies_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


def agreed_end(periods: list["Period"]) -> date | None:
    """The end of the initial term and every agreed option, in order (``Contract.current_end``)."""
    end = None
    for period in periods:
        if period.status != TermOptionStatus.AGREED:
            break
        end = period.end
    return end
