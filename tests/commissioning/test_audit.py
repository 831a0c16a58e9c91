"""The audit trail: who changed what, attributed to the right person, and the case history page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.audit import acting_as, case_history
from commissioning.models import ApprovalStep, FundingContribution, Milestone, Service
from tests.commissioning.appraisal_setup import fast_passwords, make_people, ready_appraisal  # noqa: F401
from tests.factories import ServiceFactory

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
    with django_assert_max_num_queries(45) as one:
        client.get(url)
    for n in range(50):
        contribution.amount = Decimal("361658") + n
        contribution.save()
        Milestone.objects.create(case=case, title=f"Milestone {n}", due_on=date(2011, 10, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Milestone “Milestone") == 50
