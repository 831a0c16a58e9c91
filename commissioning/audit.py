"""The audit trail of a case, as sentences a person can read.

django-simple-history keeps a row for every save of every domain model. ``case_history`` reads
the rows of the case and of everything hanging off it (services in scope and their funding,
milestones, options and their scores, approvals, papers, contracts, consultations) and turns each
change into a line such as "Funding for Women's Refuges 2011-12 changed from £361,658 to £365,000
by A. Officer, 3 Oct 2026 14:05".

Links (many-to-many fields: a contract's partner councils, a service's areas) are recorded by
simple-history as a snapshot with each historical row; a line says what one snapshot added to or
removed from the one before, e.g. "Contract partner Stoke-on-Trent City Council added to
ncc-123". Paper versions are recorded too ("Paper version 3 of “…” generated").

Queries are fixed: one per kind of record, one per m2m field, one for users and one per kind of
related object named in a change, however long the history is.

``acting_as(user)`` lets a command or script attribute its saves to a named user, the way the
request middleware does for pages.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from commissioning import money
from commissioning.history_baseline import LINKS_BASELINE_REASON
from commissioning.models import (
    ApprovalRequest,
    ApprovalStep,
    Case,
    CaseContact,
    CaseDocument,
    Criterion,
    CriticalSuccessFactor,
    DecisionPaper,
    FundingContribution,
    Milestone,
    Option,
    OptionAppraisal,
    OptionLot,
    PaperSection,
    PaperVersion,
    Score,
    Service,
)
from commissioning.models.approvals import person_name

# Bookkeeping fields nobody needs to read about.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version", "scored_at", "decided_at"}


@contextmanager
def acting_as(user):
    """Attribute every save inside the block to ``user`` in the history (for commands and
    imports, which have no request for the middleware to read)."""
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)

    class _Request:  # the middleware stores the request; history reads request.user
        pass

    fake = _Request()
    fake.user = user
    context.request = fake
    try:
        yield
    finally:
        if had_request:
            context.request = previous
        else:
            del context.request


@dataclass
class Line:
    when: datetime
    who: str
    text: str
    reason: str = ""
    order: tuple = field(default=(), repr=False)

    @property
    def sentence(self) -> str:
        stamp = timezone.localtime(self.when)
        when = f"{stamp.day} {stamp:%b %Y %H:%M}"
        reason = f" Reason: {self.reason}" if self.reason else ""
        return f"{self.text} by {self.who}, {when}.{reason}"


def _display(value, model_field) -> str:
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if (
        isinstance(model_field, models.DecimalField)
        and model_field.decimal_places == 2
        and model_field.max_digits >= 14
    ):
        return money.format_money(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(model_field, (models.CharField, models.TextField)):
        return "“" + Truncator(" ".join(str(value).split())).chars(80) + "”"
    return Truncator(str(value)).chars(80)


def _name_of(obj) -> str:
    """A related object's name without touching the database again."""
    if isinstance(obj, Option):
        return str(obj)
    for attribute in ("name", "title", "label", "reference"):
        value = getattr(obj, attribute, "")
        if value:
            return str(value)
    if isinstance(obj, get_user_model()):
        return person_name(obj)
    return f"#{obj.pk}"


@dataclass
class _Change:
    record: object
    label: str
    field: object = None  # the model field, for a changed value
    old: object = None
    new: object = None
    text: str = ""  # a ready sentence (added, removed, approvals)


class _History:
    def __init__(self, case: Case):
        self.case = case
        self.changes: list[_Change] = []
        self.names: dict[tuple[str, int], str] = {}  # ("option", pk) -> "Option B: North and South"

    # Gathering.
    def rows(self, model, **filters):
        return list(
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )

    def run(self) -> list[Line]:
        case = self.case
        hist = {m: m.history.model for m in (OptionAppraisal, Option, ApprovalRequest, DecisionPaper)}
        # Services in scope now, and any that were in scope at some point.
        service_ids = set(case.services.values_list("pk", flat=True))
        service_ids |= set(self._m2m_rows("services").values_list("service_id", flat=True))
        appraisal_ids = hist[OptionAppraisal].objects.filter(case_id=case.pk).values("id")
        option_ids = hist[Option].objects.filter(appraisal_id__in=appraisal_ids).values("id")
        request_ids = hist[ApprovalRequest].objects.filter(case_id=case.pk).values("id")
        paper_ids = hist[DecisionPaper].objects.filter(case_id=case.pk).values("id")

        cases = self.rows(Case, id=case.pk)
        self.add(Case, cases, lambda r: f"Case “{r.title}”")
        self.add_links(
            Case,
            cases,
            {"id": case.pk},
            lambda r: "the case",
            {"partners": "Partner", "services": "Service in scope"},
        )
        services = self.rows(Service, id__in=service_ids)
        self.add(Service, services, lambda r: f"Service “{r.name}”")
        self.add_links(
            Service,
            services,
            {"id__in": service_ids},
            lambda r: f"service “{r.name}”",
            {"areas": "Area", "providers": "Provider"},
        )
        self.remember("service", services, lambda r: r.name)
        self.add(
            FundingContribution,
            self.rows(FundingContribution, service_id__in=service_ids),
            lambda r: (
                f"Funding for {self.names.get(('service', r.service_id), 'a service')} {r.financial_year}"
            ),
            primary="amount",
        )
        self.add(
            Milestone,
            self.rows(Milestone, case_id=case.pk),
            lambda r: f"Milestone “{r.title}”",
            primary="due_on",
        )
        self.add(CaseContact, self.rows(CaseContact, case_id=case.pk), lambda r: f"Contact {r.name}")
        self.add(CaseDocument, self.rows(CaseDocument, case_id=case.pk), lambda r: f"Document “{r.title}”")
        factors = self.rows(CriticalSuccessFactor, case_id=case.pk)
        self.add(CriticalSuccessFactor, factors, lambda r: f"Critical success factor “{r.name}”")
        self.remember("factor", factors, lambda r: r.name)
        appraisals = self.rows(OptionAppraisal, case_id=case.pk)
        self.remember("appraisal", appraisals, lambda r: r.title)
        self.add(OptionAppraisal, appraisals, lambda r: f"Option appraisal “{r.title}”")
        options = self.rows(Option, appraisal_id__in=appraisal_ids)
        self.remember("option", options, lambda r: f"Option {r.label}" + (f": {r.name}" if r.name else ""))
        self.add(Option, options, lambda r: self.names[("option", r.id)])
        option_lots = self.rows(OptionLot, option_id__in=option_ids)
        self.add(OptionLot, option_lots, lambda r: f"Lot “{r.name}”")
        self.add_links(
            OptionLot,
            option_lots,
            {"option_id__in": option_ids},
            lambda r: f"lot “{r.name}” of {self.names.get(('option', r.option_id), 'an option')}",
            {"areas": "Area"},
        )
        criteria = self.rows(Criterion, appraisal_id__in=appraisal_ids)
        self.remember("criterion", criteria, lambda r: r.name)
        self.add(Criterion, criteria, lambda r: f"Criterion “{r.name}”", primary="weight")
        scores = self.rows(Score, option_id__in=option_ids)
        scorers = get_user_model().objects.in_bulk({r.scorer_id for r in scores})
        self.add(
            Score,
            scores,
            lambda r: (
                f"{person_name(scorers.get(r.scorer_id))}'s score for "
                f"{self.names.get(('option', r.option_id), 'an option')} on "
                f"{self.names.get(('criterion', r.criterion_id), 'a criterion')}"
            ),
            primary="score",
        )
        papers = self.rows(DecisionPaper, case_id=case.pk)
        self.remember("paper", papers, lambda r: r.title)
        self.add(DecisionPaper, papers, lambda r: f"Paper “{r.title}”")
        self.add(
            PaperSection,
            self.rows(PaperSection, paper_id__in=paper_ids),
            lambda r: f"Paper section “{r.key}”",
            primary="body",
        )
        self.add_versions(self.rows(PaperVersion, paper_id__in=paper_ids))
        requests = self.rows(ApprovalRequest, case_id=case.pk)
        self.remember("request", requests, self._subject_of)
        self.add_requests(requests)
        self.add_steps(self.rows(ApprovalStep, request_id__in=request_ids))
        self.add_other_apps(service_ids)
        return self.render()

    def add_other_apps(self, service_ids):
        # Imported here: contracts and consultations point at commissioning, never the reverse
        # at import time.
        from consultations.models import Consultation, ConsultationEvent, OptionPreference
        from contracts.models import Contract, ContractTermOption, FOIRequest, Lot, OutcomeReport

        case = self.case
        contract_ids = Contract.history.model.objects.filter(case_id=case.pk).values("id")
        consultation_ids = Consultation.history.model.objects.filter(case_id=case.pk).values("id")
        contracts = self.rows(Contract, case_id=case.pk)
        self.add(Contract, contracts, lambda r: f"Contract “{r.title}”")
        self.remember("contract", contracts, lambda r: r.reference)
        self.add_links(
            Contract,
            contracts,
            {"case_id": case.pk},
            lambda r: r.reference,
            {"commissioners": "Contract partner", "providers": "Provider", "services": "Service"},
        )
        self.add(
            ContractTermOption,
            self.rows(ContractTermOption, contract_id__in=contract_ids),
            lambda r: "Contract term option",
        )
        lots = self.rows(Lot, contract_id__in=contract_ids)
        self.add(Lot, lots, lambda r: f"Contract lot “{r.name}”")
        self.add_links(
            Lot,
            lots,
            {"contract_id__in": contract_ids},
            lambda r: f"lot “{r.name}” of {self.names.get(('contract', r.contract_id), 'a contract')}",
            {"areas": "Area", "providers": "Provider"},
        )
        self.add(
            OutcomeReport, self.rows(OutcomeReport, contract_id__in=contract_ids), lambda r: "Outcome report"
        )
        requests = self.rows(FOIRequest, case_id=case.pk)
        self.add(FOIRequest, requests, lambda r: f"FOI request {r.reference}")
        self.add_links(
            FOIRequest,
            requests,
            {"case_id": case.pk},
            lambda r: f"FOI request {r.reference}",
            {"contracts": "Contract"},
        )
        self.add(
            Consultation, self.rows(Consultation, case_id=case.pk), lambda r: f"Consultation “{r.title}”"
        )
        self.add(
            ConsultationEvent,
            self.rows(ConsultationEvent, consultation_id__in=consultation_ids),
            lambda r: f"Consultation event “{r.title}”",
        )
        self.add(
            OptionPreference,
            self.rows(OptionPreference, consultation_id__in=consultation_ids),
            lambda r: f"Consultation support for {self.names.get(('option', r.option_id), 'an option')}",
            primary="respondents",
        )

    def remember(self, kind, rows, name):
        for r in rows:
            self.names[(kind, r.id)] = name(r)

    def _subject_of(self, r):
        if r.appraisal_id:
            return self.names.get(("appraisal", r.appraisal_id), "an option appraisal")
        return self.names.get(("paper", r.paper_id), "a paper")

    # Turning rows into changes.
    def add(self, model, rows, label, primary=None):
        fields = [
            f
            for f in model.history.model.tracked_fields
            if f.editable and f.name not in SKIPPED_FIELDS and not f.many_to_many
        ]
        previous = {}
        verbose = model._meta.verbose_name
        for r in rows:
            text_label = label(r)
            before = previous.get(r.id)
            previous[r.id] = r
            if r.history_type == "+":
                value = _display(getattr(r, primary), model._meta.get_field(primary)) if primary else ""
                added = f"{text_label} added" + (f": {value}" if value else "")
                self.changes.append(_Change(r, text_label, text=added))
            elif r.history_type == "-":
                self.changes.append(_Change(r, text_label, text=f"{text_label} removed"))
            elif before is not None:
                # Name the row as it was before the change, so a rename reads "A changed to B".
                text_label = label(before)
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(r, f.attname)
                    if old != new:
                        self.changes.append(
                            _Change(
                                r,
                                text_label if f.name == primary else f"{text_label} {f.verbose_name}",
                                f,
                                old,
                                new,
                            )
                        )
            else:  # history began after the row existed
                self.changes.append(_Change(r, text_label, text=f"{text_label} ({verbose}) changed"))

    def _m2m_rows(self, name):
        """simple-history's snapshot of one m2m field at each historical row of the case."""
        m2m_model = apps.get_model("commissioning", f"HistoricalCase_{name}")
        return m2m_model.objects.filter(history__id=self.case.pk)

    def add_links(self, model, records, filters, owner, labels):
        """What each historical row's snapshot of a many-to-many field added or removed.

        ``records`` are the rows ``self.rows(model, **filters)`` gave; one query per field reads
        the snapshots of those same rows. ``labels`` maps a field to how a linked object is
        introduced ("Contract partner"); ``owner`` names the record it was added to.
        """
        for name, label in labels.items():
            model_field = model._meta.get_field(name)
            m2m_model = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{name}")
            target = model_field.m2m_reverse_field_name()
            rows = m2m_model.objects.filter(**{f"history__{k}": v for k, v in filters.items()})
            snapshot = defaultdict(set)
            names = {}
            for row in rows.select_related(target):
                related = getattr(row, target)
                if related is not None:  # the linked object has since been deleted
                    snapshot[row.history_id].add(related.pk)
                    names[related.pk] = _name_of(related)
            before = {}
            for r in records:
                now, was = snapshot.get(r.history_id, set()), before.get(r.id)
                before[r.id] = now
                if r.history_change_reason == LINKS_BASELINE_REASON or (was is None and not now):
                    continue
                for pk in sorted(now - (was or set()), key=lambda k: names[k]):
                    self.changes.append(_Change(r, "", text=f"{label} {names[pk]} added to {owner(r)}"))
                for pk in sorted((was or set()) - now, key=lambda k: names[k]):
                    self.changes.append(_Change(r, "", text=f"{label} {names[pk]} removed from {owner(r)}"))

    def add_versions(self, rows):
        """A paper version's making and its PDF, not every step of the background task."""
        previous = {}
        for r in rows:
            before = previous.get(r.id)
            previous[r.id] = r
            version = f"version {r.number} of “{self.names.get(('paper', r.paper_id), 'a paper')}”"
            if r.history_type == "+":
                text = f"Paper {version} generated"
            elif r.history_type == "-":
                text = f"Paper {version} deleted"
            elif before is None or before.status == r.status:
                continue
            elif r.status == PaperVersion.Status.READY:
                pages = f" ({r.page_count} pages)" if r.page_count else ""
                text = f"PDF of paper {version} ready{pages}"
            elif r.status == PaperVersion.Status.FAILED:
                text = f"PDF of paper {version} failed: “{Truncator(r.error).chars(120)}”"
            else:
                continue
            self.changes.append(_Change(r, "", text=text))

    def add_requests(self, rows):
        previous = {}
        for r in rows:
            before = previous.get(r.id)
            previous[r.id] = r
            subject = self.names[("request", r.id)]
            if r.history_type == "+":
                self.changes.append(_Change(r, "", text=f"“{subject}” submitted for approval"))
            elif before is not None and before.status != r.status:
                # Approval, rejection and sending back are told by the decision step's line.
                if r.status == ApprovalRequest.Status.REOPENED:
                    self.changes.append(_Change(r, "", text=f"Approval of “{subject}”: reopened"))
                elif r.status == ApprovalRequest.Status.WITHDRAWN:
                    self.changes.append(_Change(r, "", text=f"Approval of “{subject}”: withdrawn"))

    def add_steps(self, rows):
        previous = {}
        for r in rows:
            before = previous.get(r.id)
            previous[r.id] = r
            if before is None or before.decision == r.decision or not r.decision:
                continue
            subject = self.names.get(("request", r.request_id), "")
            kind = ApprovalStep.Kind(r.kind).label
            if r.decision == ApprovalStep.Decision.COMMENTED:
                signed = f"{r.initials} {r.decided_on:%d/%m/%y}" if r.decided_on else r.initials
                text = f"{kind} on “{subject}” given ({signed}): “{Truncator(r.comment).chars(120)}”"
            else:
                outcome = ApprovalStep.Decision(r.decision).label.lower()
                reason = f": “{Truncator(r.comment).chars(120)}”" if r.comment else ""
                text = f"“{subject}” {outcome}{reason}"
            self.changes.append(_Change(r, "", text=text))

    # Rendering.
    def render(self) -> list[Line]:
        related = defaultdict(set)
        for c in self.changes:
            if c.field is not None and c.field.is_relation:
                for value in (c.old, c.new):
                    if value is not None:
                        related[c.field.related_model].add(value)
        objects = {model: model._default_manager.in_bulk(ids) for model, ids in related.items()}
        lines = []
        for c in self.changes:
            r = c.record
            text = c.text or self._sentence(c, objects)
            lines.append(
                Line(
                    when=r.history_date,
                    who=person_name(r.history_user) if r.history_user_id else "the system",
                    text=text,
                    reason=r.history_change_reason or "",
                    order=(r.history_date, type(r).__name__, r.history_id),
                )
            )
        lines.sort(key=lambda line: line.order)
        return lines

    def _sentence(self, c, objects) -> str:
        if c.field.is_relation:
            found = objects.get(c.field.related_model, {})
            old = _name_of(found[c.old]) if c.old in found else ("" if c.old is None else f"#{c.old}")
            new = _name_of(found[c.new]) if c.new in found else ("" if c.new is None else f"#{c.new}")
        else:
            old, new = _display(c.old, c.field), _display(c.new, c.field)
        if isinstance(c.field, models.TextField) and len(str(c.old or "")) + len(str(c.new or "")) > 160:
            return f"{c.label} changed"
        if not old:
            return f"{c.label} set to {new}"
        if not new:
            return f"{c.label} cleared (was {old})"
        return f"{c.label} changed from {old} to {new}"


def case_history(case: Case) -> list[Line]:
    """Every recorded change to the case and its related rows, oldest first."""
    return _History(case).run()
