"""The keys of a case file, entry by entry, in the order the export writes them.

One table for the importer, the exporter and the unknown-key messages alike, so a key added
here is read, written and allowed at once. A plain field's type (text, date, amount, whole
number, true/false, one of a list) comes from the model field it fills, so the file follows the
model's own rules; ``link`` keys name other rows and are read by the importer's code.

To add a key (a contract's break clause notice, say): add it to its entry here, read it in
``importer.py`` if it is a link, write it in ``exporter.py`` likewise. A file without the new key
still loads (a missing key is the field's default), so ``FORMAT`` only goes up when a key changes
meaning or goes away.
"""

from dataclasses import dataclass, field

from django.apps import apps

FORMAT = 1


@dataclass(frozen=True)
class Key:
    key: str
    attr: str = ""  # the model field a plain field fills
    link: bool = False  # names other rows: read and written by code, not by type
    group: "Entry | None" = None  # a nested set of keys filling fields of the same row
    percent: bool = False
    figure: bool = False  # a published figure (8,400; 11.2), not money

    @property
    def plain(self) -> bool:
        return not self.link and self.group is None


def f(key, attr=None, *, percent=False, figure=False) -> Key:
    return Key(key, attr or key, percent=percent, figure=figure)


def link(key) -> Key:
    return Key(key, link=True)


def group(key, entry) -> Key:
    return Key(key, group=entry)


@dataclass(frozen=True)
class Entry:
    what: str  # as messages name it: "a contract"
    model: str  # app_label.ModelName
    keys: tuple[Key, ...]
    required: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [k.key for k in self.keys]

    def model_class(self):
        return apps.get_model(self.model)

    def plain_keys(self):
        return [k for k in self.keys if k.plain]

    def key_for_attr(self, attr) -> str | None:
        for k in self.keys:
            if k.plain and k.attr == attr:
                return k.key
            if k.group is not None:
                inner = k.group.key_for_attr(attr)
                if inner:
                    return f"{k.key}.{inner}"
        return None


MEETING_BODY = Entry("a meeting body", "commissioning.MeetingBody", (f("name"), f("kind")), ("name", "kind"))

ORGANISATION = Entry(
    "an organisation",
    "commissioning.Organisation",
    (
        f("name"),
        f("kind"),
        f("short_name"),
        f("website"),
        f("key_decision_threshold"),
        f("call_in_working_days"),
        link("members"),
        link("budget_holders"),
        link("meeting_bodies"),
    ),
    ("name",),
)

AREA = Entry("an area", "commissioning.Area", (f("name"), f("kind"), link("districts")), ("name",))

RISK = Entry(
    "the case's risk",
    "commissioning.Case",
    (f("current", "current_risk"), f("residual", "residual_risk"), f("note", "risk_note")),
)

CASE = Entry(
    "the case",
    "commissioning.Case",
    (
        f("reference"),
        f("title"),
        link("lead"),
        link("partners"),
        f("stage"),
        f("status"),
        f("summary"),
        group("risk", RISK),
        f("approval_order"),
    ),
    ("reference", "title", "lead"),
)

UNITS = Entry(
    "a service's units",
    "commissioning.Service",
    (
        f("accommodation", "accommodation_units"),
        f("under_agreement", "units_under_agreement"),
        f("note", "units_note"),
    ),
)

UPLIFT = Entry(
    "an uplift",
    "commissioning.FundingContribution",
    (f("percent", "uplift_percent", percent=True), f("rounding", "uplift_rounding")),
    ("percent",),
)

FUNDING = Entry(
    "a funding contribution",
    "commissioning.FundingContribution",
    (
        link("commissioner"),
        link("budget_holder"),
        f("funder", "funder_description"),
        f("year", "financial_year"),
        f("amount"),
        f("kind"),
        link("ring_fenced_area"),
        f("grant_ends_on"),
        group("uplift", UPLIFT),
        f("note"),
    ),
    ("commissioner", "year", "amount"),
)

REFERRAL = Entry(
    "a referral count",
    "contracts.ReferralCount",
    (
        link("service"),
        f("period", "period_label"),
        f("period_start"),
        f("period_end"),
        link("area"),
        f("count"),
    ),
    ("period", "area", "count"),
)

SERVICE = Entry(
    "a service",
    "commissioning.Service",
    (
        f("name"),
        link("commissioner"),
        f("type", "service_type"),
        f("description"),
        link("people"),
        f("minimum_age"),
        link("risk_levels"),
        link("tiers"),
        link("areas"),
        link("providers"),
        f("delivering_organisations"),
        group("units", UNITS),
        f("pooled_budget"),
        link("funding"),
        link("referrals"),
    ),
    ("name", "commissioner", "type"),
)

EVIDENCE = Entry(
    "an evidence figure",
    "commissioning.EvidenceFigure",
    (
        f("label"),
        f("value", figure=True),
        f("unit"),
        f("per", "rate_base"),
        f("period"),
        f("area"),
        f("source"),
        f("source_url"),
        f("in_paper"),
    ),
    ("label", "value", "source"),
)

CAPACITY = Entry(
    "a capacity figure",
    "commissioning.CapacityFigure",
    (
        f("label"),
        f("unit"),
        f("commissioned"),
        f("provided"),
        f("planned"),
        f("benchmark"),
        f("benchmark_source"),
        f("shortfall_against"),
        f("note"),
    ),
    ("label",),
)

CRITICAL_SUCCESS_FACTOR = Entry(
    "a critical success factor",
    "commissioning.CriticalSuccessFactor",
    (f("name"), f("description")),
    ("name",),
)

CRITERION = Entry(
    "a criterion", "commissioning.Criterion", (f("name"), f("description"), f("weight")), ("name", "weight")
)

OPTION_LOT = Entry("an option's lot", "commissioning.OptionLot", (f("name"), link("areas")), ("name",))

SCORE = Entry(
    "a score",
    "commissioning.Score",
    (link("criterion"), link("scorer"), f("score"), f("rationale"), f("dissent")),
    ("criterion", "scorer", "score"),
)

OPTION = Entry(
    "an option",
    "commissioning.Option",
    (
        f("label"),
        f("name"),
        f("description"),
        f("min_providers"),
        f("max_providers"),
        f("advantages"),
        f("disadvantages"),
        f("estimated_annual_cost"),
        f("business_as_usual", "is_business_as_usual"),
        f("shortlisted"),
        link("failed_factor"),
        f("drop_reason"),
        f("reason_not_chosen"),
        link("lots"),
        link("scores"),
        link("sub_options"),
    ),
    ("label", "name"),
)

APPRAISAL = Entry(
    "an option appraisal",
    "commissioning.OptionAppraisal",
    (f("title"), f("status"), link("criteria"), link("options"), link("recommended"), link("reasons")),
    ("title",),
)

RESOLUTION_POINT = Entry(
    "a resolution point", "commissioning.ResolutionPoint", (f("label"), f("text")), ("text",)
)

DELEGATION = Entry(
    "a delegation",
    "commissioning.Delegation",
    (f("power"), f("delegate"), f("in_consultation_with")),
    ("power", "delegate"),
)

MEMBER_QUESTION = Entry(
    "a member's question",
    "commissioning.MemberQuestion",
    (f("member"), f("role", "member_role"), f("question"), f("answer"), f("answered_by")),
    ("member", "question"),
)

DECISION = Entry(
    "a decision",
    "commissioning.Decision",
    (
        f("reference"),
        f("title"),
        link("authority"),
        link("maker"),
        f("decided_by", "maker_name"),
        f("status"),
        f("meeting_date"),
        f("decided_on"),
        f("summary"),
        link("appraisal"),
        link("resolution"),
        f("reasons"),
        f("alternatives"),
        f("interests"),
        f("dispensations"),
        f("key_decision", "is_key_decision"),
        f("key_reason"),
        f("wards"),
        f("value"),
        f("forward_plan_published_on"),
        f("urgency"),
        f("urgency_reason"),
        f("published_on"),
        f("subject_to_call_in"),
        f("called_in"),
        f("call_in_note"),
        link("not_published"),
        link("delegations"),
        link("uses_delegation"),
        link("questions"),
    ),
    ("title",),
)

MILESTONE = Entry(
    "a milestone",
    "commissioning.Milestone",
    (f("title"), f("body"), link("due"), f("completed_on"), f("note"), link("decision")),
    ("title", "due"),
)

CONTACT = Entry(
    "a contact",
    "commissioning.CaseContact",
    (f("name"), f("role"), f("job_title"), f("phone"), f("email")),
    ("name",),
)

DOCUMENT = Entry(
    "a document",
    "commissioning.CaseDocument",
    (f("kind"), f("label"), f("title"), f("url")),
    ("kind", "title"),
)

TERM_OPTION = Entry(
    "an extension or break clause",
    "contracts.ContractTermOption",
    (f("kind"), f("months"), f("note"), f("status"), link("decision"), f("decided_on")),
    ("months",),
)

VALUE_LINE = Entry(
    "a value line",
    "contracts.ValueLine",
    (
        f("kind"),
        link("option"),
        f("label"),
        f("starts_on"),
        f("ends_on"),
        f("amount"),
        f("basis"),
        f("vat"),
        f("other_vat_amount"),
        f("qualifier"),
        link("decision"),
        f("note"),
    ),
    ("amount",),
)

TENDER_NOTICE = Entry(
    "a tender notice",
    "contracts.TenderNotice",
    (
        f("reference"),
        f("platform"),
        f("url"),
        f("value"),
        f("vat"),
        f("qualifier"),
        f("published_on"),
        f("closes_on"),
        f("lots"),
        link("cpv_codes"),
        f("location"),
        f("suitable_for_smes"),
        f("suitable_for_vcses"),
    ),
)

CONTRACT_LOT = Entry(
    "a contract's lot",
    "contracts.Lot",
    (f("name"), link("areas"), link("providers"), f("annual_value")),
    ("name",),
)

OUTCOME_REPORT = Entry(
    "an outcome report",
    "contracts.OutcomeReport",
    (f("period", "period_label"), f("period_end"), f("summary")),
    ("period", "summary"),
)

CONTRACT = Entry(
    "a contract",
    "contracts.Contract",
    (
        f("reference"),
        f("title"),
        f("kind"),
        link("decision"),
        link("lead"),
        link("commissioners"),
        link("providers"),
        f("brand_name"),
        link("services"),
        f("status"),
        f("starts_on"),
        f("initial_term_months"),
        f("ends_on"),
        f("annual_value"),
        f("procurement_route"),
        f("framework_name"),
        f("route_regulation"),
        f("route_rationale"),
        f("outcome"),
        f("outcome_on"),
        f("outcome_reason"),
        f("grant_conditions"),
        f("payment_schedule"),
        link("predecessor"),
        f("relation"),
        f("extension_notice_months"),
        f("term_note"),
        f("published_on"),
        link("not_published"),
        link("term_options"),
        link("value_lines"),
        link("lots"),
        link("tender_notices"),
        link("referrals"),
        link("outcome_reports"),
    ),
    ("reference", "title", "lead"),
)

EVENT = Entry(
    "a consultation event",
    "consultations.ConsultationEvent",
    (f("title"), f("held_on"), f("audience"), f("attendees")),
    ("title",),
)

PREFERENCE = Entry(
    "an option preference",
    "consultations.OptionPreference",
    (link("appraisal"), link("option"), f("respondents"), f("note")),
    ("option",),
)

CONSULTATION = Entry(
    "a consultation",
    "consultations.Consultation",
    (
        f("title"),
        f("kind"),
        f("starts_on"),
        f("ends_on"),
        f("minimum_weeks"),
        link("channels"),
        f("response_count"),
        f("impact_assessment"),
        f("summary"),
        link("events"),
        link("preferences"),
    ),
    ("title", "kind"),
)

FOI_QUESTION = Entry("an FOI question", "contracts.FOIQuestion", (f("question"), f("answer")), ("question",))

FOI_REQUEST = Entry(
    "an FOI request",
    "contracts.FOIRequest",
    (
        f("reference"),
        link("authority"),
        f("subject"),
        f("received_on"),
        f("answered_on"),
        f("answered_by"),
        f("status"),
        link("contracts"),
        link("questions"),
    ),
    ("reference", "authority", "subject", "received_on"),
)

COMMENT = Entry(
    "a comment on a paper",
    "commissioning.ApprovalStep",
    (
        f("kind"),
        f("order"),
        f("heading"),
        f("officer", "officer_name"),
        f("initials"),
        f("on", "decided_on"),
        f("decision"),
        f("text", "comment"),
    ),
    ("kind",),
)

PAPER = Entry(
    "a paper",
    "commissioning.DecisionPaper",
    (
        link("type"),
        f("title"),
        link("authority"),
        link("decision"),
        f("meeting"),
        f("meeting_date"),
        f("report_of"),
        f("signed_by"),
        f("electoral_divisions"),
        f("local_member_interest"),
        f("reference"),
        link("sections"),
        link("comments"),
    ),
    ("type", "title"),
)

# The top level, in order. Every key but ``format`` and ``case`` may be left out.
TOP_LEVEL = (
    "format",
    "organisations",
    "areas",
    "case",
    "services",
    "evidence",
    "capacity",
    "critical_success_factors",
    "appraisals",
    "decisions",
    "milestones",
    "contacts",
    "documents",
    "contracts",
    "consultations",
    "foi_requests",
    "papers",
)

# The people a service is for, and the risk levels it serves, as the file names them.
PEOPLE = {"victims": "for_victims", "perpetrators": "for_perpetrators", "children": "for_children"}
RISK_LEVELS = {"standard": "risk_standard", "medium": "risk_medium", "high": "risk_high"}
# A milestone's season, as written, and the month it starts (Milestone.SEASONS).
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
QUARTER_MONTHS = {1: 1, 2: 4, 3: 7, 4: 10}


def unpublished_facts(entry: Entry) -> dict[str, str]:
    """The facts of ``entry`` a source may leave out (``not_published:``), by the file's key, each
    with its model field: the contract's and the decision's forms offer the same ones."""
    from commissioning.models.decisions import DECISION_UNPUBLISHED_FACTS
    from contracts.models import CONTRACT_UNPUBLISHED_FACTS

    facts = {DECISION.model: DECISION_UNPUBLISHED_FACTS, CONTRACT.model: CONTRACT_UNPUBLISHED_FACTS}
    return {entry.key_for_attr(attr): attr for attr in facts[entry.model]}
