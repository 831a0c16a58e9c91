"""Error messages in GOV.UK wording: they name the field ("Enter the milestone"), not "This field is
required.", on the page forms and on the sign-in page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Milestone
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_an_empty_milestone_names_each_missing_field(client, officer):
    case = CaseFactory(lead_commissioner=officer.profile.organisation)
    client.force_login(officer)
    response = client.post(reverse("commissioning:milestone-create", args=[case.reference]), {})
    assert response.status_code == 200
    # Once in the error summary and once next to the field (the title is labelled "Milestone").
    assertContains(response, "Enter the milestone", count=2)
    assertContains(response, "Answer “How exact is the date?”", count=2)
    assertNotContains(response, "This field is required")
    assert not Milestone.objects.exists()


def test_sign_in_errors_are_in_govuk_wording(client, officer):
    empty = client.post(reverse("login"), {"username": "", "password": ""})
    assertContains(empty, "Enter the username")
    assertContains(empty, "Enter the password")
    wrong = client.post(reverse("login"), {"username": officer.username, "password": "not-the-password"})
    assertContains(wrong, "Enter a correct username and password (both are case-sensitive)")
    assertNotContains(wrong, "Please enter a correct")
