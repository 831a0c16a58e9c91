"""Error messages in GOV.UK wording: they name the field ("Enter the milestone"), not "This field is
required.", on the page forms and on the sign-in page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Milestone
from tests.factories import CaseFactory
from tests.form_errors import assert_error_next_to

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


def test_too_long_a_title_says_how_long_it_may_be(client, officer):
    client.force_login(officer)
    data = {"reference": "x-2024", "title": "x" * 301, "stage": "review", "status": "active"}
    response = client.post(reverse("commissioning:case-create"), data)
    assert_error_next_to(response, "id_title", "Title must be 300 characters or fewer")
    assertNotContains(response, "Ensure this value")


def test_a_reference_of_other_characters_is_refused_in_govuk_wording(client, officer):
    client.force_login(officer)
    data = {"reference": "notts 2011!", "title": "X", "stage": "review", "status": "active"}
    response = client.post(reverse("commissioning:case-create"), data)
    message = "Reference must only include letters a to z, numbers, hyphens and underscores"
    assert_error_next_to(response, "id_reference", message)


def test_a_choice_not_on_offer_names_the_list(client, officer):
    client.force_login(officer)
    data = {"reference": "x-2024", "title": "X", "stage": "999999", "status": "active"}
    response = client.post(reverse("commissioning:case-create"), data)
    assertContains(response, "Select stage from the list")
    assertNotContains(response, "Select a valid choice")


def test_tampered_row_counts_are_explained_without_djangos_words(client, officer):
    case = CaseFactory(lead_commissioner=officer.profile.organisation)
    client.force_login(officer)
    url = reverse("commissioning:service-create", args=[case.reference])
    response = client.post(url, {"name": "Refuge", "contributions-TOTAL_FORMS": "abc"})
    assertContains(response, "The rows could not be read: reload the page and try again")
    assertNotContains(response, "ManagementForm")
