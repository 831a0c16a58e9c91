"""Every URL pattern of the product, how to fill it from the seed cases, and who may use it.

Tests that must cover every page take their list from here: the authorisation walk (a user of
an unrelated organisation gets 404 or 403 on every record of another's), the lost-update checks
(every edit form refuses a stale save) and the fuzz test (every form survives malformed input).
``unrouted_patterns()`` names any pattern this module does not describe; those tests fail on
it, so a new page cannot slip past them until someone says here how to fill it.

The world is the five seed cases as ``load_seed_cases`` loads them, plus a PDF version of the
Nottinghamshire paper and a user of every role in three organisations: the lead commissioner
of notts-2011 (Nottinghamshire County Council), one of its partners (Nottinghamshire PCT) and
an organisation with no part in any case (Anytown Borough Council).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from commissioning.models import (
    ApprovalStep,
    Area,
    Case,
    Criterion,
    Decision,
    DecisionPaper,
    ExportJob,
    MeetingBody,
    Organisation,
    PaperType,
    PaperVersion,
    Profile,
)
from commissioning.papers.actions import start_paper
from commissioning.papers.context import paper_context
from consultations.models import Consultation, Response, ResponseTheme, ResponseUpload, Theme
from contracts.models import Contract
from tests.factories import OrganisationFactory, ProfileFactory

ROLES = tuple(Profile.Role.values)


# The URLconf, flattened.
@dataclass(frozen=True)
class Pattern:
    name: str  # "commissioning:case-detail"
    route: str  # "case/<slug:reference>/"
    callback: Callable


def url_patterns() -> list[Pattern]:
    """Every named pattern of the root URLconf but the Django admin's, with its full name."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Pattern(name, prefix + str(entry.pattern), entry.callback)

    seen = {}
    for pattern in walk(get_resolver().url_patterns):
        # The admin is for superusers only and is tested as a whole (tests/commissioning/test_admin.py).
        if pattern.name.startswith("admin:"):
            continue
        seen.setdefault(pattern.name, pattern)
    return list(seen.values())


# The world the patterns are filled from.
@dataclass
class World:
    case: Case  # notts-2011, led by Nottinghamshire County Council
    lead: Organisation
    partner: Organisation  # a partner commissioner of notts-2011
    outsider: Organisation  # in no case at all
    paper: DecisionPaper  # the seeded cabinet paper, with the approver's decision still to come
    draft: DecisionPaper  # a second paper of the case, not yet submitted: its texts can change
    version: PaperVersion
    decision_step: ApprovalStep  # waiting for the lead's approver
    contract: Contract
    consultation: Consultation
    decision: Decision
    response: Response  # one response imported into the consultation
    upload: ResponseUpload  # a survey export uploaded, its columns still to choose
    users: dict = field(default_factory=dict)  # (organisation key, role) -> user
    export: ExportJob | None = None  # the lead officer's Excel export of the cases register, written

    def user(self, role: str, of: str = "lead"):
        return self.users[(of, role)]

    @property
    def officer(self):
        return self.user(Profile.Role.OFFICER)

    @property
    def superuser(self):
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(
            username="walk.superuser", defaults={"is_superuser": True, "is_staff": True}
        )
        return user


def build_world() -> World:
    """Load the seed cases and give every organisation involved a user of every role."""
    call_command("load_seed_cases", stdout=open_null())
    case = Case.objects.get(reference="notts-2011")
    lead = case.lead_commissioner
    partner = case.partners.get(name="Nottinghamshire PCT")
    outsider = OrganisationFactory(
        name="Anytown Borough Council", short_name="ABC", kind=Organisation.Kind.DISTRICT_COUNCIL
    )
    paper = case.papers.get()
    # Before the paper's version, which must print what the paper shows now.
    consultation = case.consultations.order_by("pk").first()
    response, upload = add_responses(consultation)
    # A ready version of the paper as it stands, so its PDF link answers with the file.
    version = PaperVersion.objects.create(
        paper=paper,
        number=1,
        html="<p>v1</p>",
        data_hash=paper_context(paper)["data_hash"],
        status=PaperVersion.Status.READY,
    )
    version.pdf.save("walk.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    # An area of the lead's own (a lot of two seed districts), for its area pages.
    own_area = Area.objects.create(owner=lead, name="Walk lot", kind=Area.Kind.LOT)
    own_area.districts.set(Area.objects.filter(owner=None, name__in=["Ashfield", "Mansfield"]))
    # A criterion, so the score sheet has marks to give (the seed appraisals record none).
    Criterion.objects.create(appraisal=case.appraisals.get(), name="Value for money", weight=100)
    world = World(
        case=case,
        lead=lead,
        partner=partner,
        outsider=outsider,
        paper=paper,
        draft=start_paper(case=case, paper_type=PaperType.objects.get(slug="committee-report")),
        version=version,
        decision_step=ApprovalStep.objects.get(request__paper=paper, kind=ApprovalStep.Kind.DECISION),
        contract=Contract.objects.filter(lead_commissioner=lead).order_by("reference").first(),
        consultation=consultation,
        decision=make_decision(case),
        response=response,
        upload=upload,
    )
    # A "we asked, you said, we did" row citing the decision, to change and delete.
    consultation.you_said_we_did.create(
        we_asked="Which delivery model do you prefer?",
        question="preference",
        we_did="Cabinet chose the North and South model.",
        decision=world.decision,
    )
    # The paper now prints the row: its version is still the paper as it stands.
    version.data_hash = paper_context(paper)["data_hash"]
    version.save(update_fields=["data_hash"])
    # Details to change, for the stale-save check of the paper's details page.
    world.draft.meeting, world.draft.signed_by = "Cabinet", "Corporate Director, Communities"
    world.draft.save(update_fields=["meeting", "signed_by"])
    for key, organisation in (("lead", lead), ("partner", partner), ("outsider", outsider)):
        for role in ROLES:
            world.users[(key, role)] = ProfileFactory(
                user__username=f"{key}.{role}", organisation=organisation, role=role, initials=key[:2].upper()
            ).user
    world.export = ExportJob.objects.create(
        owner=world.officer,
        organisation=lead,
        register="commissioning:case-list",
        title="Cases",
        query="stage=decision",
        status=ExportJob.Status.DONE,
        rows_written=1,
        rows_total=1,
    )
    world.export.file.save("cases.xlsx", ContentFile(b"PK walk"), save=True)
    return world


def add_responses(consultation) -> tuple[Response, ResponseUpload]:
    """A response held for the consultation, and an export uploaded but not yet imported."""
    response = Response.objects.create(
        consultation=consultation,
        response_id="WALK-1",
        respondent_type=Response.RespondentType.SURVIVOR,
        channel=Response.Channel.ONLINE,
        comment="Write to me at walk@example.org",
    )
    # A theme of the code frame, tagged on the response (its delete page counts the tag).
    theme = Theme.objects.create(consultation=consultation, name="Refuge space", order=1)
    ResponseTheme.objects.create(response=response, theme=theme)
    upload = ResponseUpload(consultation=consultation, tool="SmartSurvey", original_name="walk.csv")
    upload.file.save("walk.csv", ContentFile(b"Response ID,Type,Comment\nWALK-2,Provider,Fine\n"), save=True)
    return response, upload


def make_decision(case) -> Decision:
    """A decision of the case with a point, a delegation as proposed and as resolved, a question."""
    cabinet = MeetingBody.objects.create(organisation=case.lead_commissioner, name="Cabinet", kind="cabinet")
    decision = Decision.objects.create(
        case=case,
        reference="C/2011/45",
        title="Domestic violence reduction services",
        maker=cabinet,
        status=Decision.Status.APPROVED,
        decided_on=date(2011, 10, 19),
        reasons="The North and South model aligns with MARAC boundaries.",
    )
    decision.resolution.create(label="1", text="The future commissioning is divided into two contracts.")
    decision.delegations.create(stage="proposed", power="Award the contracts", delegate="Service Director")
    decision.delegations.create(stage="resolved", power="Award the contracts", delegate="Corporate Director")
    decision.questions.create(member="Councillor A. Member", question="How many refuge places?", answer="15.")
    return decision


def open_null():
    import io

    return io.StringIO()


# How each pattern is used.
class Kind:
    PUBLIC = "public"  # needs no login (sign-in, password reset)
    ACCOUNT = "account"  # the signed-in user's own account pages
    LIST = "list"  # names no record; shows only what the user may see
    READ = "read"  # shows one record
    CREATE = "create"  # a form that adds a record (under the named one, if any)
    EDIT = "edit"  # a form that changes the named record: must refuse a stale save
    ACTION = "action"  # POST only: a transition on the named record
    DOWNLOAD = "download"  # a file
    DELETE = "delete"  # a confirmation page, then a POST that deletes the named record


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable[[World], dict] | None = None  # None: the pattern names no record
    actor: Callable[[World], object] | None = None  # who may use it (default: the lead's officer)
    # An organisation's own records (its staff, budget holders) are not shared with partners:
    # a partner's request for one is answered 404, as an outsider's is, not 403.
    shared: bool = True
    # Shared reference data (providers): every organisation's officers may change it, so only
    # the other roles are refused.
    reference: bool = False

    def fill(self, world: World) -> dict:
        return self.kwargs(world) if self.kwargs else {}

    def user(self, world: World):
        return self.actor(world) if self.actor else world.officer


def _case(w):
    return {"reference": w.case.reference}


def _paper(w):
    return {"pk": w.paper.pk}


def _appraisal(w):
    return {"pk": w.case.appraisals.get().pk}


def _theme(w):
    return {"pk": w.consultation.themes.order_by("pk")[0].pk}


def _administrator(w):
    return w.user(Profile.Role.ADMINISTRATOR)


def _budget_holder(w):
    return {"pk": w.lead.budget_holders.order_by("pk")[0].pk}


def _own_area(w):
    return {"pk": w.lead.own_areas.order_by("pk")[0].pk}


def _staff(w):
    return {"pk": w.officer.profile.pk}


def _contact(w):
    return {"pk": w.case.contacts.order_by("pk")[0].pk}


def _document(w):
    return {"pk": w.case.documents.order_by("pk")[0].pk}


def _provider(w):
    return Organisation.objects.exclude(kind__in=Organisation.COMMISSIONER_KINDS).order_by("pk")[0].pk


def _you_said_we_did(w):
    return {"pk": w.consultation.you_said_we_did.order_by("pk")[0].pk}


def _narrative_key(paper):
    return paper.paper_type.sections.filter(kind="narrative").order_by("order").first().key


ROUTES: dict[str, Route] = {
    # Django's own account pages.
    "login": Route(Kind.PUBLIC),
    "logout": Route(Kind.ACCOUNT),
    "password_change": Route(Kind.ACCOUNT),
    "password_change_done": Route(Kind.ACCOUNT),
    "password_reset": Route(Kind.PUBLIC),
    "password_reset_done": Route(Kind.PUBLIC),
    "password_reset_confirm": Route(Kind.PUBLIC, lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Route(Kind.PUBLIC),
    # Commissioning.
    "commissioning:dashboard": Route(Kind.LIST),
    "commissioning:case-list": Route(Kind.LIST),
    "commissioning:service-list": Route(Kind.LIST),
    "commissioning:organisation-list": Route(Kind.LIST),
    "commissioning:meeting-body-list": Route(Kind.CREATE),
    "commissioning:funding-list": Route(Kind.LIST),
    "commissioning:case-create": Route(Kind.CREATE),
    "commissioning:case-detail": Route(Kind.READ, _case),
    "commissioning:case-update": Route(Kind.EDIT, _case),
    "commissioning:case-history": Route(Kind.READ, _case),
    "commissioning:service-create": Route(Kind.CREATE, _case),
    "commissioning:case-service-add": Route(Kind.CREATE, _case),
    "commissioning:decision-create": Route(Kind.CREATE, _case),
    "commissioning:decision-detail": Route(Kind.READ, lambda w: {"pk": w.decision.pk}),
    "commissioning:decision-update": Route(Kind.EDIT, lambda w: {"pk": w.decision.pk}),
    "commissioning:service-detail": Route(Kind.READ, lambda w: {"pk": w.case.services.order_by("pk")[0].pk}),
    "commissioning:service-update": Route(Kind.EDIT, lambda w: {"pk": w.case.services.order_by("pk")[0].pk}),
    "commissioning:milestone-create": Route(Kind.CREATE, _case),
    "commissioning:milestone-update": Route(
        Kind.EDIT, lambda w: {"pk": w.case.milestones.order_by("pk")[0].pk}
    ),
    "commissioning:milestone-delete": Route(
        Kind.DELETE, lambda w: {"pk": w.case.milestones.order_by("pk")[0].pk}
    ),
    "commissioning:contact-create": Route(Kind.CREATE, _case),
    "commissioning:contact-update": Route(Kind.EDIT, _contact),
    "commissioning:contact-delete": Route(Kind.DELETE, _contact),
    "commissioning:document-create": Route(Kind.CREATE, _case),
    "commissioning:document-update": Route(Kind.EDIT, _document),
    "commissioning:document-delete": Route(Kind.DELETE, _document),
    "commissioning:option-create": Route(Kind.CREATE, _case),
    "commissioning:option-update": Route(
        Kind.EDIT, lambda w: {"pk": w.case.appraisals.get().options.order_by("pk")[0].pk}
    ),
    # An officer's Excel export: theirs and their organisation's, never a partner's (404).
    "commissioning:export-detail": Route(Kind.READ, lambda w: {"pk": w.export.pk}, shared=False),
    "commissioning:export-download": Route(Kind.DOWNLOAD, lambda w: {"pk": w.export.pk}, shared=False),
    "commissioning:paper-generate": Route(Kind.CREATE, _case),
    "commissioning:paper-detail": Route(Kind.READ, _paper),
    "commissioning:paper-pdf": Route(Kind.DOWNLOAD, _paper),
    "commissioning:paper-version-create": Route(Kind.ACTION, _paper),
    "commissioning:paper-version-download": Route(
        Kind.DOWNLOAD, lambda w: {"pk": w.paper.pk, "number": w.version.number}
    ),
    # The draft: the seeded paper is with the approvers, and its details cannot change.
    "commissioning:paper-details-update": Route(Kind.EDIT, lambda w: {"pk": w.draft.pk}),
    "commissioning:paper-section-update": Route(
        Kind.EDIT, lambda w: {"pk": w.draft.pk, "key": _narrative_key(w.draft)}
    ),
    "commissioning:paper-version-retry": Route(
        Kind.ACTION, lambda w: {"pk": w.paper.pk, "number": w.version.number}
    ),
    "commissioning:paper-submit": Route(Kind.ACTION, _paper),
    "commissioning:paper-withdraw": Route(Kind.ACTION, _paper),
    "commissioning:paper-mark-final": Route(Kind.ACTION, _paper),
    "commissioning:paper-revise": Route(Kind.ACTION, _paper),
    "commissioning:appraisal-detail": Route(Kind.READ, _appraisal),
    "commissioning:appraisal-score": Route(Kind.CREATE, _appraisal),
    "commissioning:criterion-create": Route(Kind.CREATE, _appraisal),
    "commissioning:factor-create": Route(Kind.CREATE, _appraisal),
    "commissioning:appraisal-submit": Route(Kind.ACTION, _appraisal),
    "commissioning:appraisal-reopen": Route(Kind.CREATE, _appraisal),
    "commissioning:approval-step": Route(
        Kind.CREATE, lambda w: {"pk": w.decision_step.pk}, lambda w: w.user(Profile.Role.APPROVER)
    ),
    # An organisation's own pages, run by its administrators; a new organisation, by a superuser.
    "invitation-accept": Route(Kind.PUBLIC, lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "commissioning:organisation-create": Route(Kind.CREATE, actor=lambda w: w.superuser),
    # Providers are shared reference data: any organisation's officers add and change them.
    "commissioning:provider-create": Route(Kind.CREATE),
    "commissioning:provider-update": Route(Kind.EDIT, lambda w: {"pk": _provider(w)}, reference=True),
    "commissioning:my-organisation": Route(Kind.LIST),
    "commissioning:my-organisation-update": Route(Kind.EDIT, actor=_administrator),
    "commissioning:budget-holder-create": Route(Kind.CREATE, actor=_administrator),
    "commissioning:budget-holder-update": Route(Kind.EDIT, _budget_holder, _administrator, shared=False),
    "commissioning:budget-holder-delete": Route(Kind.DELETE, _budget_holder, _administrator, shared=False),
    "commissioning:area-list": Route(Kind.LIST),
    "commissioning:area-create": Route(Kind.CREATE),
    "commissioning:area-update": Route(Kind.EDIT, _own_area, shared=False),
    "commissioning:area-delete": Route(Kind.DELETE, _own_area, shared=False),
    "commissioning:staff-invite": Route(Kind.CREATE, actor=_administrator),
    "commissioning:staff-update": Route(Kind.EDIT, _staff, _administrator, shared=False),
    "commissioning:staff-active": Route(Kind.ACTION, _staff, _administrator, shared=False),
    "commissioning:staff-invite-again": Route(Kind.ACTION, _staff, _administrator, shared=False),
    # Contracts.
    "contracts:contract-list": Route(Kind.LIST),
    "contracts:contract-create": Route(Kind.CREATE),
    "contracts:contract-detail": Route(Kind.READ, lambda w: {"reference": w.contract.reference}),
    "contracts:contract-update": Route(Kind.EDIT, lambda w: {"reference": w.contract.reference}),
    "contracts:lot-delete": Route(Kind.DELETE, lambda w: {"pk": w.contract.lots.order_by("pk")[0].pk}),
    "contracts:key-date-list": Route(Kind.LIST),
    "contracts:key-date-snooze": Route(Kind.ACTION, lambda w: {"reference": w.contract.reference}),
    # Consultations.
    "consultations:consultation-list": Route(Kind.LIST),
    "consultations:consultation-create": Route(Kind.CREATE, _case),
    "consultations:consultation-detail": Route(Kind.READ, lambda w: {"pk": w.consultation.pk}),
    "consultations:consultation-update": Route(Kind.EDIT, lambda w: {"pk": w.consultation.pk}),
    # The upload page's file input is not fuzzed (no browser sends malformed bytes differently);
    # its survey tool field is, and the column choices of the page after it.
    "consultations:response-import": Route(Kind.CREATE, lambda w: {"pk": w.consultation.pk}),
    "consultations:response-import-map": Route(
        Kind.CREATE, lambda w: {"pk": w.consultation.pk, "upload_pk": w.upload.pk}
    ),
    # "Try again" for an import whose worker stopped: the walk's upload is not importing, so a
    # lead's officer is sent back to its page; partners and outsiders are refused as for the import.
    "consultations:response-import-retry": Route(
        Kind.ACTION, lambda w: {"pk": w.consultation.pk, "upload_pk": w.upload.pk}
    ),
    "consultations:response-detail": Route(Kind.READ, lambda w: {"pk": w.response.pk}),
    # Themes, tagging and quotes: the code frame is readable by partners, changed by the lead.
    "consultations:theme-list": Route(Kind.READ, lambda w: {"pk": w.consultation.pk}),
    "consultations:theme-create": Route(Kind.CREATE, lambda w: {"pk": w.consultation.pk}),
    "consultations:theme-update": Route(Kind.EDIT, _theme),
    "consultations:theme-delete": Route(Kind.DELETE, _theme),
    # The tagging page saves a page of tags at once (all or nothing).
    "consultations:response-comments": Route(Kind.CREATE, lambda w: {"pk": w.consultation.pk}),
    "consultations:response-quote": Route(Kind.ACTION, lambda w: {"pk": w.response.pk}),
    "consultations:you-said-we-did": Route(Kind.READ, lambda w: {"pk": w.consultation.pk}),
    "consultations:you-said-we-did-pdf": Route(Kind.DOWNLOAD, lambda w: {"pk": w.consultation.pk}),
    "consultations:you-said-we-did-create": Route(Kind.CREATE, lambda w: {"pk": w.consultation.pk}),
    "consultations:you-said-we-did-update": Route(Kind.EDIT, _you_said_we_did),
    "consultations:you-said-we-did-delete": Route(Kind.DELETE, _you_said_we_did),
    "consultations:gunning-update": Route(Kind.EDIT, lambda w: {"pk": w.consultation.pk}),
}


def unrouted_patterns() -> list[str]:
    """Patterns of the URLconf this module does not say how to fill."""
    return sorted(p.name for p in url_patterns() if p.name not in ROUTES)


def routes_of(*kinds: str) -> list[str]:
    return sorted(name for name, route in ROUTES.items() if route.kind in kinds)


# Forms as a browser submits them.
@dataclass
class FormField:
    name: str
    tag: str  # input, select, textarea
    type: str = ""  # text, hidden, checkbox, radio, select-one, select-multiple, textarea ...
    values: list = field(default_factory=list)  # what the browser would send now
    options: list = field(default_factory=list)  # for check boxes, radios and selects


@dataclass
class HtmlForm:
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> FormField, in page order

    def data(self) -> dict[str, list[str]]:
        """What pressing the submit button sends, for ``client.post(url, form.data())``."""
        return {name: list(f.values) for name, f in self.fields.items() if f.values}

    def text_fields(self) -> list[FormField]:
        return [f for f in self.fields.values() if f.type in ("text", "textarea", "email", "url", "")]


class _FormParser(HTMLParser):
    SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form = None
        self._select = None
        self._option = None
        self._textarea = None

    def _field(self, name, tag, type_):
        return self._form.fields.setdefault(name, FormField(name=name, tag=tag, type=type_))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = HtmlForm(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            type_ = (a.get("type") or "text").lower()
            if type_ in self.SKIPPED_TYPES:
                return
            f = self._field(name, tag, type_)
            value = a.get("value", "on" if type_ in ("checkbox", "radio") else "")
            if type_ in ("checkbox", "radio"):
                f.options.append(value)
                if "checked" in a:
                    f.values.append(value)
            else:
                f.values.append(value)
        elif tag == "select" and name:
            self._select = self._field(name, tag, "select-multiple" if "multiple" in a else "select-one")
            self._select_first = None
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea = self._field(name, tag, "textarea")
            self._textarea.values.append("")

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea.values[-1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            f = self._select
            if f.type == "select-one" and not f.values and f.options:
                f.values.append(f.options[0])  # a browser sends the first option when none is selected
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea.values[-1]
            # HTML drops one newline straight after <textarea>.
            self._textarea.values[-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _end_option(self):
        option = self._option
        value = option["value"] if option["value"] is not None else option["text"].strip()
        self._select.options.append(value)
        if option["selected"]:
            self._select.values.append(value)
        self._option = None


def html_forms(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_form(response) -> HtmlForm:
    """The page's main POST form: the one with the most fields (not sign-out or a lone button)."""
    return main_form(response, "post")


def main_form(response, method: str) -> HtmlForm:
    """The page's main form sent by ``method``: the one with the most fields."""
    forms = [f for f in html_forms(response.content.decode()) if f.method == method]
    if not forms:
        raise AssertionError(f"{response.request['PATH_INFO']} has no {method.upper()} form")
    return max(forms, key=lambda f: len(f.fields))


def fetch_form(client, world: World, name: str, method: str) -> tuple[str, HtmlForm]:
    """Sign in as a user who may use the page ``name`` (none for a public one), fetch it and read
    its main form: the page's address and the form."""
    from django.urls import reverse

    route = ROUTES[name]
    url = reverse(name, kwargs=route.fill(world))
    if route.kind != Kind.PUBLIC:
        client.force_login(route.user(world))
    page = client.get(url)
    assert page.status_code == 200, f"{name}: {page.status_code}"
    return url, main_form(page, method)


def own_forms(response) -> list[HtmlForm]:
    """The forms a page sends to itself with something to fill in: not sign-out in the header,
    nor the buttons of actions that have their own patterns (they are ACTION routes)."""
    path = response.request["PATH_INFO"]
    return [
        f
        for f in html_forms(response.content.decode())
        if f.action in ("", path) and set(f.fields) - {"csrfmiddlewaretoken"}
    ]


# Pages whose own form tests fill in (the fuzz test), by the method the form is sent with: every
# CREATE and EDIT page posts one; these pages too.
OTHER_FORM_PAGES = {
    "login": "post",
    "password_change": "post",
    "password_reset": "post",
    # The registers' filters.
    "commissioning:case-list": "get",
    "commissioning:service-list": "get",
    "commissioning:organisation-list": "get",
    "commissioning:funding-list": "get",
    "contracts:contract-list": "get",
    "contracts:key-date-list": "get",
    "consultations:consultation-list": "get",
}


def form_pages() -> dict[str, str]:
    """Every page with a form of its own: pattern name -> "post" or "get"."""
    pages = {name: "post" for name, route in ROUTES.items() if route.kind in (Kind.CREATE, Kind.EDIT)}
    return pages | OTHER_FORM_PAGES


# What a request changed.
# Sessions and lookup tables; and the sign-in throttle's records, which a failed sign-in is meant to
# write (tests/commissioning/test_signin_throttle.py checks them).
SNAPSHOT_SKIPPED_MODELS = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "commissioning.signinattempt",
    "commissioning.signinlockout",
}
SNAPSHOT_SKIPPED_FIELDS = {"last_login"}


def database_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (history, tasks and users included), to compare before and after
    a request: a refused or failed request must leave it exactly as it was."""
    from django.apps import apps

    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in SNAPSHOT_SKIPPED_MODELS:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in SNAPSHOT_SKIPPED_FIELDS]
        # repr: rows hold dicts (JSON fields), which sets cannot.
        snapshot[label] = sorted(repr(row) for row in model._base_manager.values_list(*names))
    return snapshot


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """Tables whose rows differ, with how many rows were added and removed."""
    changes = []
    for label in sorted(set(before) | set(after)):
        old, new = set(before.get(label, [])), set(after.get(label, []))
        if old != new:
            changes.append(f"{label}: +{len(new - old)} -{len(old - new)}")
    return changes
