"""Providers and consortia, added and changed by any organisation's officers: likely duplicates
are shown before anything is saved, and charity and company numbers are checked."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.models import Organisation, Profile
from commissioning.models.organisations import normalised_name
from tests.factories import OrganisationFactory, ProfileFactory
from tests.form_errors import assert_error_next_to

CREATE = reverse("commissioning:provider-create")


def provider_data(**overrides):
    data = {"name": "Victim Support", "kind": "charity", "charity_number": "", "company_number": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def victim_support(db):
    return OrganisationFactory(name="Victim Support Ltd", kind=Organisation.Kind.CHARITY)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Victim Support", "Victim Support Ltd"),
        ("The Haven Wolverhampton", "Haven Wolverhampton CIC"),
        ("Women's Aid Trust", "Womens Aid"),
        ("Arch (North Staffs) Limited", "arch north staffs"),
    ],
)
def test_names_that_differ_only_by_suffix_or_punctuation_are_one(a, b):
    assert normalised_name(a) == normalised_name(b)


def test_duplicate_warning_shown_and_nothing_saved_until_confirmed(client, officer, victim_support):
    client.force_login(officer)
    response = client.post(CREATE, provider_data())
    assert response.status_code == 200
    assertContains(response, "This may already be in the service")
    assertContains(response, "Victim Support Ltd")
    assertContains(response, "This is a different organisation")
    assert not Organisation.objects.filter(name="Victim Support").exists()

    response = client.post(CREATE, provider_data(different_organisation="on"))
    assertRedirects(response, reverse("commissioning:organisation-list"), fetch_redirect_response=False)
    provider = Organisation.objects.get(name="Victim Support")
    assert provider.history.get().history_user == officer


def test_a_name_like_no_other_is_saved_at_once(client, officer, victim_support):
    client.force_login(officer)
    response = client.post(CREATE, provider_data(name="Glow Refuge", company_number="sc 123456"))
    assert response.status_code == 302
    assert Organisation.objects.get(name="Glow Refuge").company_number == "SC123456"


@pytest.mark.parametrize("number", ["12345", "123456789", "12345A", "1012345-"])
def test_invalid_charity_number_is_shown_next_to_the_field(client, officer, number):
    client.force_login(officer)
    response = client.post(CREATE, provider_data(name="Glow Refuge", charity_number=number))
    assert_error_next_to(
        response, "id_charity_number", "Enter a charity number of 6 to 8 digits, like 1012345 or 1012345-1"
    )
    assert not Organisation.objects.filter(name="Glow Refuge").exists()


def test_invalid_company_number_is_shown_next_to_the_field(client, officer):
    client.force_login(officer)
    response = client.post(CREATE, provider_data(name="Glow Refuge", company_number="1234567"))
    assert_error_next_to(
        response, "id_company_number", "Enter a company number of 8 characters, like 01234567 or SC123456"
    )


def test_a_consortium_is_made_of_organisations_on_record(client, officer, victim_support):
    refuge = OrganisationFactory(name="Glow Refuge", kind=Organisation.Kind.CHARITY)
    client.force_login(officer)
    response = client.post(
        CREATE,
        provider_data(name="Anytown Partnership", kind="consortium", members=[victim_support.pk, refuge.pk]),
    )
    assert response.status_code == 302
    consortium = Organisation.objects.get(name="Anytown Partnership")
    assert set(consortium.members.all()) == {victim_support, refuge}


def test_only_a_consortium_has_members(client, officer, victim_support):
    client.force_login(officer)
    response = client.post(CREATE, provider_data(name="Glow Refuge", members=[victim_support.pk]))
    assertContains(response, "Only a consortium has members")


def test_another_organisations_officer_changes_a_provider(client, other_officer, victim_support):
    client.force_login(other_officer)
    url = reverse("commissioning:provider-update", args=[victim_support.pk])
    response = client.post(url, provider_data(name="Victim Support", charity_number="298028"))
    assert response.status_code == 302
    victim_support.refresh_from_db()
    assert (victim_support.name, victim_support.charity_number) == ("Victim Support", "298028")
    assert victim_support.history.first().history_user == other_officer


def test_a_commissioner_is_not_changed_as_a_provider(client, officer, organisation):
    client.force_login(officer)
    assert client.get(reverse("commissioning:provider-update", args=[organisation.pk])).status_code == 404


@pytest.mark.parametrize("role", [Profile.Role.PARTNER_VIEWER, Profile.Role.APPROVER, Profile.Role.FINANCE])
def test_only_officers_add_or_change_providers(client, organisation, victim_support, role):
    client.force_login(ProfileFactory(organisation=organisation, role=role).user)
    assert client.post(CREATE, provider_data(name="Glow Refuge")).status_code == 403
    url = reverse("commissioning:provider-update", args=[victim_support.pk])
    assert client.post(url, provider_data(name="Renamed")).status_code == 403
    assert not Organisation.objects.filter(name__in=["Glow Refuge", "Renamed"]).exists()


def test_the_register_offers_officers_the_provider_pages(client, officer, victim_support):
    client.force_login(officer)
    response = client.get(reverse("commissioning:organisation-list"))
    assertContains(response, CREATE)
    assertContains(response, reverse("commissioning:provider-update", args=[victim_support.pk]))


def test_the_register_offers_viewers_no_provider_pages(client, organisation, victim_support):
    client.force_login(ProfileFactory(organisation=organisation, role=Profile.Role.PARTNER_VIEWER).user)
    response = client.get(reverse("commissioning:organisation-list"))
    assertNotContains(response, CREATE)
