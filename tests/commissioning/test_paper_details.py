"""A paper's details (meeting, "report of", signed by, reference, wards) are changed by the
case's officers from the paper page, while it is a draft not with the approvers."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning import concurrency
from commissioning.models import ApprovalRequest, Profile
from tests.commissioning.paper_builders import build_case
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "meeting": "Cabinet",
    "meeting_date_0": "19",
    "meeting_date_1": "10",
    "meeting_date_2": "2011",
    "report_of": "Report of the Cabinet Member for Community Safety",
    "signed_by": "Councillor A. Member, Cabinet Member",
    "reference": "FP/2011/45",
    "electoral_divisions": "All",
    "local_member_interest": "",
}


@pytest.fixture
def paper():
    return build_case()[1]


@pytest.fixture
def officer(paper):
    return ProfileFactory(user__username="paper.officer", organisation=paper.case.lead_commissioner).user


def url(paper):
    return reverse("commissioning:paper-details-update", args=[paper.pk])


def test_officer_changes_the_details_from_the_paper_page(client, paper, officer):
    client.force_login(officer)
    assertContains(client.get(paper.get_absolute_url()), url(paper))
    response = client.post(url(paper), DETAILS, follow=True)
    assertContains(response, "Paper details saved")
    assertContains(response, "Report of the Cabinet Member for Community Safety")
    paper.refresh_from_db()
    assert (paper.signed_by, paper.reference, str(paper.meeting_date)) == (
        "Councillor A. Member, Cabinet Member",
        "FP/2011/45",
        "2011-10-19",
    )
    assert paper.history.first().history_user == officer


def test_a_stale_page_is_refused(client, paper, officer):
    client.force_login(officer)
    token = concurrency.token_for([paper])
    paper.signed_by = "Someone else"
    paper.save()
    response = client.post(url(paper), DETAILS | {"record_version": token})
    assert response.status_code == 200
    paper.refresh_from_db()
    assert paper.signed_by == "Someone else"


def test_refused_while_with_the_approvers(client, paper, officer):
    ApprovalRequest.start(case=paper.case, by=officer, paper=paper, content_hash="x")
    client.force_login(officer)
    assertNotContains(client.get(paper.get_absolute_url()), url(paper))
    response = client.post(url(paper), DETAILS, follow=True)
    assertContains(response, "This paper is with the approvers")
    paper.refresh_from_db()
    assert paper.reference != "FP/2011/45"


def test_a_partner_viewer_cannot_change_the_details(client, paper):
    viewer = ProfileFactory(organisation=paper.case.lead_commissioner, role=Profile.Role.PARTNER_VIEWER).user
    client.force_login(viewer)
    assert client.post(url(paper), DETAILS).status_code == 403
