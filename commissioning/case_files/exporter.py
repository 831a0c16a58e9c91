"""Write a case as a case file: the same keys, in the same order, that ``import_case`` reads.

Only facts are written. What the service works out (shares, uplifted amounts, totals, call-in
deadlines, the day a decision takes effect) is left out, as it is from a hand-written file. A key
holding its default (blank text, no date, false) is left out too, so the file stays short.

The output depends only on the rows, in their own order, so exporting a case, importing the
file into an empty database and exporting again gives the same file.
"""

from decimal import Decimal
from io import StringIO

from django.db import models
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from . import schema

HEADER = (
    "# A case file (format {format}) for the commissioning service: `manage.py import_case` reads it.\n"
    "# What each key means: docs/case-files.md. Figures the service works out (shares, uplifts,\n"
    "# totals, call-in deadlines) are not in the file.\n"
)


def money_text(amount: Decimal) -> str:
    """ "231,300" for whole pounds, "1,234.50" with pence: as a finance officer types it."""
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def figure_text(value: Decimal) -> str:
    """ "8,400" or "11.2": a published figure as its source writes it."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


def _scalar(key: schema.Key, field, value):
    if isinstance(field, models.DecimalField):
        text = figure_text if key.figure else number_text if key.percent else money_text
        return DoubleQuotedScalarString(text(value))
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def plain(obj, entry: schema.Entry, out: CommentedMap | None = None, *, only=None) -> CommentedMap:
    """The plain fields of ``obj`` that differ from their defaults (and the required ones)."""
    out = CommentedMap() if out is None else out
    for key in entry.keys:
        if only is not None and key.key not in only:
            continue
        if key.group is not None:
            inner = plain(obj, key.group)
            if inner:
                out[key.key] = inner
            continue
        if not key.plain:
            continue
        field = obj._meta.get_field(key.attr)
        value = getattr(obj, key.attr)
        if value == field.get_default() and key.key not in entry.required:
            continue
        if value is None or value == "":
            continue
        out[key.key] = _scalar(key, field, value)
    return out


def ordered(out: CommentedMap, entry: schema.Entry) -> CommentedMap:
    """The same keys in the schema's order (links are added after the plain fields)."""
    result = CommentedMap()
    for name in entry.names:
        if name in out:
            result[name] = out[name]
    return result


def with_parts(rows, field: str) -> list:
    """``rows`` and, over and over, the rows their ``field`` holds (a consortium's members, an
    area's districts), so that a file names nothing it does not also describe."""
    seen = {}
    todo = list(rows)
    while todo:
        row = todo.pop()
        if row.pk not in seen:
            seen[row.pk] = row
            todo.extend(getattr(row, field).all())
    return list(seen.values())


def names(rows) -> list[str]:
    return [row.name for row in rows]


def decision_name(decision) -> str:
    """How the file names a decision: its reference, or its title where it has none."""
    return decision.reference or decision.title


def unpublished(obj, entry: schema.Entry) -> list[str]:
    """``not_published:`` the keys of the facts the sources leave out, in the order stored."""
    keys = {attr: key for key, attr in schema.unpublished_facts(entry).items()}
    return [keys.get(attr, attr) for attr in obj.not_published]


class Exporter:
    def __init__(self, case):
        self.case = case
        self.orgs = {}
        self.areas = {}

    def org(self, organisation) -> str | None:
        if organisation is None:
            return None
        self.orgs[organisation.pk] = organisation
        return organisation.name

    def area(self, area) -> str | None:
        if area is None:
            return None
        self.areas[area.pk] = area
        return area.name

    def org_names(self, rows) -> list[str]:
        return [self.org(o) for o in rows]

    def area_names(self, rows) -> list[str]:
        return [self.area(a) for a in rows]

    def document(self) -> CommentedMap:
        case = self.case
        sections = {
            "case": self.case_entry(),
            "services": [self.service(s) for s in case.services.order_by("pk")],
            "evidence": [plain(e, schema.EVIDENCE) for e in case.evidence.all()],
            "capacity": [plain(c, schema.CAPACITY) for c in case.capacity.order_by("pk")],
            "critical_success_factors": [
                plain(f, schema.CRITICAL_SUCCESS_FACTOR) for f in case.critical_success_factors.all()
            ],
            "appraisals": [self.appraisal(a) for a in case.appraisals.all()],
            "decisions": self.decisions(),
            "milestones": [self.milestone(m) for m in case.milestones.order_by("due_on", "pk")],
            "contacts": [plain(c, schema.CONTACT) for c in case.contacts.all()],
            "documents": [plain(d, schema.DOCUMENT) for d in case.documents.all()],
            "contracts": [self.contract(c) for c in case.contracts.order_by("pk")],
            "consultations": [self.consultation(c) for c in case.consultations.order_by("pk")],
            "foi_requests": [self.foi_request(r) for r in case.foi_requests.order_by("pk")],
            "papers": [self.paper(p) for p in case.papers.order_by("pk")],
        }
        doc = CommentedMap()
        doc["format"] = schema.FORMAT
        organisations = self.organisations()
        if organisations:
            doc["organisations"] = organisations
        areas = self.area_list()
        if areas:
            doc["areas"] = areas
        for name in schema.TOP_LEVEL[3:]:
            if sections[name]:
                doc[name] = sections[name]
        return doc

    # Organisations and areas: every one the case names, and the members and districts of those.
    def organisations(self) -> list:
        result = []
        for org in sorted(with_parts(self.orgs.values(), "members"), key=lambda o: o.name):
            out = plain(org, schema.ORGANISATION)
            members = sorted(names(org.members.all()))
            if members:
                out["members"] = members
            holders = names(org.budget_holders.order_by("name"))
            if holders:
                out["budget_holders"] = holders
            bodies = [plain(b, schema.MEETING_BODY) for b in org.meeting_bodies.order_by("name")]
            if bodies:
                out["meeting_bodies"] = bodies
            result.append(out)
        return result

    def area_list(self) -> list:
        result = []
        # Districts before the areas made of them, as a reader builds them up.
        for area in sorted(
            with_parts(self.areas.values(), "districts"), key=lambda a: (a.districts.exists(), a.name)
        ):
            out = plain(area, schema.AREA)
            districts = sorted(names(area.districts.all()))
            if districts:
                out["districts"] = districts
            result.append(out)
        return result

    def case_entry(self) -> CommentedMap:
        case = self.case
        out = plain(case, schema.CASE)
        out["lead"] = self.org(case.lead_commissioner)
        partners = self.org_names(case.partners.order_by("name"))
        if partners:
            out["partners"] = partners
        return ordered(out, schema.CASE)

    def service(self, service) -> CommentedMap:
        out = plain(service, schema.SERVICE)
        out["commissioner"] = self.org(service.commissioner)
        out["people"] = [word for word, attr in schema.PEOPLE.items() if getattr(service, attr)]
        levels = [word for word, attr in schema.RISK_LEVELS.items() if getattr(service, attr)]
        if levels:
            out["risk_levels"] = levels
        if service.tier_from is not None:
            out["tiers"] = (
                service.tier_from if service.tier_to is None else f"{service.tier_from}-{service.tier_to}"
            )
        for key, rows in (
            ("areas", self.area_names(service.areas.order_by("name"))),
            ("providers", self.org_names(service.providers.order_by("name"))),
        ):
            if rows:
                out[key] = rows
        funding = [self.funding(c) for c in service.contributions.order_by("financial_year", "pk")]
        if funding:
            out["funding"] = funding
        referrals = [
            self.referral(r, with_service=False)
            for r in service.referral_counts.filter(contract=None).order_by("pk")
        ]
        if referrals:
            out["referrals"] = referrals
        return ordered(out, schema.SERVICE)

    def funding(self, contribution) -> CommentedMap:
        out = plain(contribution, schema.FUNDING)
        out["commissioner"] = self.org(contribution.commissioner)
        if contribution.budget_holder_id:
            out["budget_holder"] = contribution.budget_holder.name
        if contribution.ring_fenced_area_id:
            out["ring_fenced_area"] = self.area(contribution.ring_fenced_area)
        if contribution.uplift_percent is None:
            out.pop("uplift", None)
        else:
            out["uplift"] = plain(contribution, schema.UPLIFT, only=("percent", "rounding"))
            out["uplift"]["rounding"] = contribution.uplift_rounding
        return ordered(out, schema.FUNDING)

    def referral(self, referral, *, with_service) -> CommentedMap:
        out = plain(referral, schema.REFERRAL)
        if with_service:
            out["service"] = referral.service.name
        out["area"] = self.area(referral.area)
        return ordered(out, schema.REFERRAL)

    def appraisal(self, appraisal) -> CommentedMap:
        out = plain(appraisal, schema.APPRAISAL)
        criteria = [plain(c, schema.CRITERION) for c in appraisal.criteria.all()]
        if criteria:
            out["criteria"] = criteria
        out["options"] = [self.option(o) for o in appraisal.options.filter(parent=None)]
        recommended = appraisal.recommended_option
        if recommended is not None:
            parent = recommended.parent
            out["recommended"] = f"{parent.label} / {recommended.label}" if parent else recommended.label
        if appraisal.reasons:
            out["reasons"] = [LiteralScalarString(r) if "\n" in r else r for r in appraisal.reasons]
        return ordered(out, schema.APPRAISAL)

    def option(self, option) -> CommentedMap:
        out = plain(option, schema.OPTION)
        if option.failed_factor_id:
            out["failed_factor"] = option.failed_factor.name
        lots = []
        for lot in option.lots.all():
            entry = plain(lot, schema.OPTION_LOT)
            entry["areas"] = self.area_names(lot.areas.order_by("name"))
            lots.append(entry)
        if lots:
            out["lots"] = lots
        scores = []
        for score in option.scores.select_related("criterion", "scorer"):
            entry = plain(score, schema.SCORE)
            entry["criterion"] = score.criterion.name
            entry["scorer"] = score.scorer.get_username()
            scores.append(ordered(entry, schema.SCORE))
        if scores:
            out["scores"] = scores
        subs = [self.option(s) for s in option.sub_options.all()]
        if subs:
            out["sub_options"] = subs
        return ordered(out, schema.OPTION)

    def decisions(self) -> list:
        rows = list(self.case.decisions.in_order().select_related("authority", "maker", "appraisal"))
        positions = {}
        for decision in rows:
            for stage in ("proposed", "resolved"):
                for number, delegation in enumerate(decision.delegations.filter(stage=stage), 1):
                    positions[delegation.pk] = (decision_name(decision), stage, number)
        return [self.decision(d, positions) for d in rows]

    def decision(self, decision, positions) -> CommentedMap:
        out = plain(decision, schema.DECISION)
        if decision.authority_id:
            out["authority"] = self.org(decision.authority)
        if decision.maker_id:
            self.org(decision.maker.organisation)
            out["maker"] = decision.maker.name
        if decision.appraisal_id:
            out["appraisal"] = decision.appraisal.title
        if decision.not_published:
            out["not_published"] = unpublished(decision, schema.DECISION)
        points = []
        for point in decision.resolution.all():
            if point.label:
                points.append(ordered(plain(point, schema.RESOLUTION_POINT), schema.RESOLUTION_POINT))
            else:
                points.append(LiteralScalarString(point.text) if "\n" in point.text else point.text)
        if points:
            out["resolution"] = points
        delegations = CommentedMap()
        for stage in ("proposed", "resolved"):
            rows = [plain(d, schema.DELEGATION) for d in decision.delegations.filter(stage=stage)]
            if rows:
                delegations[stage] = rows
        if delegations:
            out["delegations"] = delegations
        if decision.uses_delegation_id:
            key, stage, number = positions.get(decision.uses_delegation_id, (None, None, None))
            if key is not None:
                uses = CommentedMap()
                uses["decision"] = key
                uses[stage] = number
                out["uses_delegation"] = uses
        questions = [plain(q, schema.MEMBER_QUESTION) for q in decision.questions.all()]
        if questions:
            out["questions"] = questions
        return ordered(out, schema.DECISION)

    def milestone(self, milestone) -> CommentedMap:
        out = plain(milestone, schema.MILESTONE)
        out["due"] = due_as_written(milestone)
        if milestone.decision_id:
            out["decision"] = decision_name(milestone.decision)
        return ordered(out, schema.MILESTONE)

    def contract(self, contract) -> CommentedMap:
        out = plain(contract, schema.CONTRACT)
        if contract.decision_id:
            out["decision"] = decision_name(contract.decision)
        out["lead"] = self.org(contract.lead_commissioner)
        for key, rows in (
            ("commissioners", self.org_names(contract.commissioners.order_by("name"))),
            ("providers", self.org_names(contract.providers.order_by("name"))),
            ("services", names(contract.services.order_by("name"))),
        ):
            if rows:
                out[key] = rows
        if contract.predecessor_id:
            out["predecessor"] = contract.predecessor.reference
        if contract.not_published:
            out["not_published"] = unpublished(contract, schema.CONTRACT)
        options = list(contract.term_options.select_related("decision"))
        if options:
            out["term_options"] = [with_decision(o, schema.TERM_OPTION) for o in options]
        positions = {option.pk: number for number, option in enumerate(options, 1)}
        lines = []
        for line in contract.value_lines.select_related("decision").order_by("pk"):
            entry = with_decision(line, schema.VALUE_LINE)
            if line.term_option_id in positions:
                entry["option"] = positions[line.term_option_id]
            lines.append(ordered(entry, schema.VALUE_LINE))
        if lines:
            out["value_lines"] = lines
        lots = []
        for lot in contract.lots.order_by("name"):
            entry = plain(lot, schema.CONTRACT_LOT)
            areas = self.area_names(lot.areas.order_by("name"))
            providers = self.org_names(lot.providers.order_by("name"))
            if areas:
                entry["areas"] = areas
            if providers:
                entry["providers"] = providers
            lots.append(ordered(entry, schema.CONTRACT_LOT))
        if lots:
            out["lots"] = lots
        notices = []
        for notice in contract.tender_notices.order_by("pk"):
            entry = plain(notice, schema.TENDER_NOTICE)
            codes = [c.strip() for c in notice.cpv_codes.split(",") if c.strip()]
            if codes:
                entry["cpv_codes"] = codes
            notices.append(ordered(entry, schema.TENDER_NOTICE))
        if notices:
            out["tender_notices"] = notices
        referrals = [
            self.referral(r, with_service=True)
            for r in contract.referral_counts.select_related("service", "area").order_by("pk")
        ]
        if referrals:
            out["referrals"] = referrals
        reports = [plain(r, schema.OUTCOME_REPORT) for r in contract.outcome_reports.all()]
        if reports:
            out["outcome_reports"] = reports
        return ordered(out, schema.CONTRACT)

    def consultation(self, consultation) -> CommentedMap:
        out = plain(consultation, schema.CONSULTATION)
        if consultation.channel_list:
            out["channels"] = consultation.channel_list
        events = [plain(e, schema.EVENT) for e in consultation.events.all()]
        if events:
            out["events"] = events
        several = self.case.appraisals.count() > 1
        preferences = []
        # In the order written (the model orders by option, which puts a sub-option before its parent).
        rows = consultation.preferences.select_related("option__parent", "option__appraisal").order_by("pk")
        for preference in rows:
            entry = plain(preference, schema.PREFERENCE)
            option = preference.option
            if several:
                entry["appraisal"] = option.appraisal.title
            entry["option"] = f"{option.parent.label} / {option.label}" if option.parent else option.label
            preferences.append(ordered(entry, schema.PREFERENCE))
        if preferences:
            out["preferences"] = preferences
        return ordered(out, schema.CONSULTATION)

    def foi_request(self, request) -> CommentedMap:
        out = plain(request, schema.FOI_REQUEST)
        out["authority"] = self.org(request.authority)
        contracts = [c.reference for c in request.contracts.order_by("reference")]
        if contracts:
            out["contracts"] = contracts
        questions = [plain(q, schema.FOI_QUESTION) for q in request.questions.all()]
        if questions:
            out["questions"] = questions
        return ordered(out, schema.FOI_REQUEST)

    def paper(self, paper) -> CommentedMap:
        out = plain(paper, schema.PAPER)
        out["type"] = paper.paper_type.slug
        if paper.authority_id:
            out["authority"] = self.org(paper.authority)
        if paper.decision_id:
            out["decision"] = decision_name(paper.decision)
        order = list(paper.paper_type.sections.values_list("key", flat=True))
        texts = {s.key: s.body for s in paper.section_texts.all()}
        sections = CommentedMap()
        for key in sorted(texts, key=lambda k: (order.index(k) if k in order else len(order), k)):
            body = texts[key]
            sections[key] = LiteralScalarString(body) if "\n" in body else body
        if sections:
            out["sections"] = sections
        request = paper.approval_requests.filter(submitted_by=None).order_by("pk").first()
        if request is not None:
            out["comments"] = [ordered(plain(s, schema.COMMENT), schema.COMMENT) for s in request.steps.all()]
        return ordered(out, schema.PAPER)


def with_decision(obj, entry: schema.Entry) -> CommentedMap:
    """A row's plain keys and the decision that agreed it (an option, a value line)."""
    out = plain(obj, entry)
    if obj.decision_id:
        out["decision"] = decision_name(obj.decision)
    return ordered(out, entry)


def due_as_written(milestone):
    """The milestone's date in the file's form for its precision (see ``Importer.read_due``)."""
    day = milestone.due_on
    precision = milestone.precision
    if precision == "month":
        return f"{day:%Y-%m}"
    if precision == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    if precision == "season":
        season = {m: s for s, m in schema.SEASON_MONTHS.items()}.get(day.month, "")
        return f"{season} {day.year}"
    if precision == "year":
        return day.year
    return day


def dump(document: CommentedMap) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = StringIO()
    yaml.dump(document, stream)
    text = stream.getvalue()
    # ruamel leaves a space at the end of each line where it folds a long plain or quoted value.
    # Folding drops that space when the file is read, so it can go, unless a literal block
    # (``|``) holds a line that really ends in spaces: then the text is kept as it is.
    tidy = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    if tidy != text and YAML(typ="rt").load(tidy) == YAML(typ="rt").load(text):
        text = tidy
    return HEADER.format(format=schema.FORMAT) + text


def export_case(case) -> str:
    return dump(Exporter(case).document())
