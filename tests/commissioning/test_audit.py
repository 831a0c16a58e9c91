"""The audit trail: who changed what, attributed to the right person, and the case history page."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from commissioning.audit import acting_as, case_history
from commissioning.history_baseline import record_links_as_they_stand, record_paper_versions
from commissioning.models import (
    ApprovalStep,
    DecisionPaper,
    FundingContribution,
    Milestone,
    OptionLot,
    PaperType,
    PaperVersion,
    Service,
)
from contracts.models import FOIRequest, Lot
from tests.commissioning.appraisal_setup import fast_passwords, make_people, ready_appraisal  # noqa: F401
from tests.factories import AreaFactory, ContractFactory, OptionFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def stamp(record) -> str:
    when = timezone.localtime(record.history_date)
    return f"{when.day} {when:%b %Y %H:%M}"


@pytest.fixture
def refuges():
    """Seed 000's "4 Women's Refuges" with its 2011-12 funding of £361,658, added by the officer."""
    people, case = make_people()
    with acting_as(people.officer):
        service = ServiceFactory(
            name="Women's Refuges", commissioner=case.lead_commissioner, service_type=Service.Type.REFUGE
        )
        case.services.add(service)
        contribution = FundingContribution.objects.create(
            service=service,
            commissioner=case.lead_commissioner,
            financial_year="2011-12",
            amount=Decimal("361658"),
        )
    return people, case, contribution


def test_funding_change_reads_as_a_sentence(refuges):
    people, case, contribution = refuges
    contribution.amount = Decimal("365000")
    contribution._history_user = people.officer
    contribution.save()
    record = contribution.history.first()
    sentences = [line.sentence for line in case_history(case)]
    assert (
        f"Funding for Women's Refuges 2011-12 changed from £361,658 to £365,000 by R. Adams, {stamp(record)}."
        in sentences
    )


def test_history_page_lists_the_change(client, refuges):
    people, case, contribution = refuges
    contribution.amount = Decimal("365000")
    contribution._history_user = people.officer
    contribution.save()
    client.force_login(people.partner_viewer)
    response = client.get(reverse("commissioning:case-history", args=[case.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Funding for Women&#x27;s Refuges 2011-12 changed from £361,658 to £365,000 by R. Adams" in html
    # Oldest first: the contribution was added before it was changed.
    assert html.index("Funding for Women&#x27;s Refuges 2011-12 added") < html.index("changed from £361,658")


def test_history_page_is_for_people_who_can_see_the_case(client, refuges):
    people, case, _ = refuges
    client.force_login(people.other_council_finance)
    assert client.get(reverse("commissioning:case-history", args=[case.reference])).status_code == 404


def test_partners_and_services_in_scope_are_recorded(refuges):
    people, case, _ = refuges
    sentences = [line.sentence for line in case_history(case)]
    # make_people adds the PCT as partner outside any request: the system did it.
    assert any(s.startswith("Partner Nottinghamshire PCT added to the case by the system") for s in sentences)
    assert any(
        s.startswith("Service in scope Women's Refuges added to the case by R. Adams") for s in sentences
    )
    with acting_as(people.second_officer):
        case.partners.clear()
    sentences = [line.sentence for line in case_history(case)]
    assert any(
        s.startswith("Partner Nottinghamshire PCT removed from the case by A. Hawkins") for s in sentences
    )


def test_commands_attribute_their_changes(refuges):
    people, case, _ = refuges
    with acting_as(people.second_officer):
        milestone = Milestone.objects.create(case=case, title="Cabinet", due_on=date(2011, 10, 19))
    assert milestone.history.first().history_user == people.second_officer
    milestone.due_on = date(2011, 11, 2)
    milestone._history_user = people.officer
    milestone.save()
    sentences = [line.sentence for line in case_history(case)]
    record = milestone.history.first()
    assert (
        f"Milestone “Cabinet” changed from 19 Oct 2011 to 2 Nov 2011 by R. Adams, {stamp(record)}."
        in sentences
    )


def test_appraisal_and_approvals_in_the_history(refuges, django_capture_on_commit_callbacks):
    people, case, _ = refuges
    appraisal, options = ready_appraisal(case, (people.officer, people.second_officer))
    with django_capture_on_commit_callbacks(execute=True):
        request = appraisal.submit(by=people.officer)
    steps = {s.kind: s for s in request.steps.all()}
    steps[ApprovalStep.Kind.FINANCE].add_comment(by=people.finance, text="Adequate budget provision exists.")
    steps[ApprovalStep.Kind.LEGAL].add_comment(by=people.legal, text="Cabinet has authority.")
    steps[ApprovalStep.Kind.DECISION].decide(by=people.approver, decision="approved")
    appraisal.refresh_from_db()
    appraisal.reopen(by=people.officer, reason="Provider market has changed.")
    texts = [(line.text, line.who, line.reason) for line in case_history(case)]
    today = timezone.localdate()
    subject = "Options for DV reduction services"
    expected = [
        (f"“{subject}” submitted for approval", "R. Adams", ""),
        (
            f"Financial comments on “{subject}” given (DD {today:%d/%m/%y}): "
            "“Adequate budget provision exists.”",
            "D. Dean",
            "",
        ),
        (
            f"Legal comments on “{subject}” given (SHB {today:%d/%m/%y}): “Cabinet has authority.”",
            "S. Brown",
            "",
        ),
        (f"“{subject}” approved", "M. Murphy", ""),
        (f"Approval of “{subject}”: reopened", "R. Adams", "Provider market has changed."),
    ]
    positions = [texts.index(item) for item in expected]
    assert positions == sorted(positions)
    assert (
        f"Option appraisal “{subject}” status changed from Approved to Draft",
        "R. Adams",
        "Reopened: Provider market has changed.",
    ) in texts


def test_history_page_query_count_does_not_grow(client, refuges, django_assert_max_num_queries):
    people, case, contribution = refuges
    client.force_login(people.officer)
    url = reverse("commissioning:case-history", args=[case.reference])
    # 3 for the session, user and profile, 1 for the case and 2 for the services ever in scope;
    # then one per kind of record: 25 historical models, 11 m2m fields (case 2, service 2,
    # option lot 1, contract 3, lot 2, FOI request 1), and 1 for the organisations named.
    with django_assert_max_num_queries(3 + 1 + 2 + 25 + 11 + 1) as one:
        client.get(url)
    for n in range(50):
        contribution.amount = Decimal("361658") + n
        contribution.save()
        Milestone.objects.create(case=case, title=f"Milestone {n}", due_on=date(2011, 10, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Milestone “Milestone") == 50


# Links (many-to-many fields) and paper versions.
DOMAIN_APPS = ("commissioning", "contracts", "consultations")


def test_every_many_to_many_field_of_every_domain_model_keeps_history():
    untracked = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or not hasattr(model, "history"):
                continue
            tracked = {f.name for f in model.history.model._history_m2m_fields}
            untracked += [
                f"{model.__name__}.{f.name}"
                for f in model._meta.get_fields()
                if isinstance(f, models.ManyToManyField)
                and f.name not in tracked
                # A link through a model of its own (Response.themes through ResponseTheme) is
                # tracked when that model keeps history: each link is a row with its own record.
                and not (
                    not f.remote_field.through._meta.auto_created
                    and hasattr(f.remote_field.through, "history")
                )
            ]
    assert untracked == []


@pytest.fixture
def contract(refuges):
    people, case, _ = refuges
    return ContractFactory(reference="ncc-123", case=case, lead_commissioner=case.lead_commissioner)


def test_adding_a_contract_partner_is_recorded(refuges, contract):
    people, case, _ = refuges
    stoke = OrganisationFactory(name="Stoke-on-Trent City Council")
    with acting_as(people.officer):
        contract.commissioners.add(stoke)
    added = contract.history.first()
    with acting_as(people.second_officer):
        contract.commissioners.remove(stoke)
    removed = contract.history.first()
    sentences = [line.sentence for line in case_history(case)]
    assert (
        f"Contract partner Stoke-on-Trent City Council added to ncc-123 by R. Adams, {stamp(added)}."
        in sentences
    )
    assert (
        f"Contract partner Stoke-on-Trent City Council removed from ncc-123 by A. Hawkins, {stamp(removed)}."
        in sentences
    )
    assert sentences.index(
        f"Contract partner Stoke-on-Trent City Council added to ncc-123 by R. Adams, {stamp(added)}."
    ) < sentences.index(
        f"Contract partner Stoke-on-Trent City Council removed from ncc-123 by A. Hawkins, {stamp(removed)}."
    )


def test_every_kind_of_link_on_a_case_is_recorded(refuges, contract):
    people, case, _ = refuges
    service = case.services.get()
    mansfield = AreaFactory(name="Mansfield")
    juno = OrganisationFactory(name="Juno Women's Aid", kind="charity")
    option = OptionFactory(appraisal__case=case, label="B", name="North and South")
    with acting_as(people.officer):
        service.areas.add(mansfield)
        service.providers.add(juno)
        contract.providers.add(juno)
        contract.services.add(service)
        lot = Lot.objects.create(contract=contract, name="North")
        lot.areas.add(mansfield)
        lot.providers.add(juno)
        foi = FOIRequest.objects.create(
            reference="10653",
            authority=case.lead_commissioner,
            case=case,
            subject="Refuge contracts",
            received_on=date(2013, 10, 17),
        )
        foi.contracts.add(contract)
        option_lot = OptionLot.objects.create(option=option, name="North")
        option_lot.areas.add(mansfield)
    texts = [line.text for line in case_history(case) if line.who == "R. Adams"]
    for expected in [
        "Area Mansfield added to service “Women's Refuges”",
        "Provider Juno Women's Aid added to service “Women's Refuges”",
        "Provider Juno Women's Aid added to ncc-123",
        "Service Women's Refuges added to ncc-123",
        "Area Mansfield added to lot “North” of ncc-123",
        "Provider Juno Women's Aid added to lot “North” of ncc-123",
        f"Contract {contract.title} added to FOI request 10653",
        "Area Mansfield added to lot “North” of Option B: North and South",
    ]:
        assert expected in texts


def make_version(case, **fields):
    paper_type, _ = PaperType.objects.get_or_create(
        slug="cabinet-report", defaults={"name": "Cabinet report"}
    )
    paper, _ = DecisionPaper.objects.get_or_create(case=case, paper_type=paper_type, title="DV services")
    number = paper.versions.count() + 1
    return PaperVersion.objects.create(
        paper=paper, number=number, html="<p>DV services</p>", data_hash="0" * 64, **fields
    )


def test_paper_versions_are_recorded_without_their_html(refuges, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people, case, _ = refuges
    with acting_as(people.officer):
        version = make_version(case, generated_by=people.officer)
    generated = version.history.get()
    # The background task has no user: its saves are the system's.
    version.pdf.save("paper.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    version.status, version.page_count = PaperVersion.Status.READY, 12
    version.save()
    ready = version.history.first()
    sentences = [line.sentence for line in case_history(case)]
    assert f"Paper version 1 of “DV services” generated by R. Adams, {stamp(generated)}." in sentences
    assert (
        f"PDF of paper version 1 of “DV services” ready (12 pages) by the system, {stamp(ready)}."
        in sentences
    )
    assert "html" not in {f.name for f in PaperVersion.history.model._meta.get_fields()}


def test_links_already_there_when_history_began_are_not_read_as_added(refuges, contract):
    """What the migrations do on a database from before links were recorded."""
    people, case, _ = refuges
    stoke = OrganisationFactory(name="Stoke-on-Trent City Council")
    staffs = OrganisationFactory(name="Staffordshire County Council")
    contract.commissioners.add(stoke)
    with acting_as(people.officer):
        version = make_version(case, generated_by=people.officer)
    # Forget what simple-history recorded, as a database from before the upgrade has none.
    apps.get_model("contracts", "HistoricalContract_commissioners").objects.all().delete()
    PaperVersion.history.all().delete()
    record_links_as_they_stand(apps, "contracts", "Contract", ["commissioners", "providers", "services"])
    record_paper_versions(apps)
    with acting_as(people.second_officer):
        contract.commissioners.add(staffs)
    texts = [(line.text, line.who) for line in case_history(case)]
    assert ("Contract partner Staffordshire County Council added to ncc-123", "A. Hawkins") in texts
    assert not any("Stoke-on-Trent" in text for text, _ in texts)
    # An existing version's own fields say who generated it and when.
    assert ("Paper version 1 of “DV services” generated", "R. Adams") in texts
    assert version.history.get().history_date == version.requested_at


def test_history_page_query_count_does_not_grow_with_links_and_versions(
    client, refuges, contract, django_assert_max_num_queries
):
    people, case, _ = refuges
    lot = Lot.objects.create(contract=contract, name="North")
    make_version(case)
    client.force_login(people.officer)
    url = reverse("commissioning:case-history", args=[case.reference])
    with django_assert_max_num_queries(43) as one:
        client.get(url)
    for n in range(50):
        contract.commissioners.add(OrganisationFactory(name=f"Council {n:02}"))
        lot.areas.add(AreaFactory(name=f"District {n:02}"))
        make_version(case)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Contract partner Council") == 50
    assert html.count("added to lot “North” of ncc-123") == 50
    assert html.count("generated by the system") == 51
