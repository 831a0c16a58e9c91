"""An organisation run from officer screens: a superuser sets it up with its first administrator,
who invites staff by e-mail (a one-time link to choose a password), changes roles, deactivates
people and keeps the budget holders."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.models import BudgetHolder, Organisation, Profile
from tests.factories import (
    BudgetHolderFactory,
    FundingContributionFactory,
    OrganisationFactory,
    ProfileFactory,
)
from tests.form_errors import assert_error_next_to

User = get_user_model()
PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Anytown Borough Council", kind=Organisation.Kind.DISTRICT_COUNCIL)


@pytest.fixture
def administrator(council):
    return ProfileFactory(
        organisation=council, role=Profile.Role.ADMINISTRATOR, user__username="admin.anytown"
    ).user


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def invite(client, **fields):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "Priya.Shah@anytown.gov.uk",
        "role": "officer",
        "job_title": "Commissioning Officer",
        "initials": "PS",
        "phone": "",
    } | fields
    return client.post(reverse("commissioning:staff-invite"), data)


def test_a_superuser_sets_up_a_council_whose_administrator_accepts_the_invitation(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("commissioning:organisation-create"),
        {
            "organisation-name": "Anytown Borough Council",
            "organisation-short_name": "ABC",
            "organisation-kind": "london_borough",
            "organisation-website": "",
            "organisation-key_decision_threshold": "£500,000",
            "organisation-call_in_working_days": "5",
            "administrator-first_name": "Sam",
            "administrator-last_name": "Okafor",
            "administrator-email": "sam.okafor@anytown.gov.uk",
            "administrator-job_title": "Head of Commissioning",
        },
    )
    assertRedirects(response, reverse("commissioning:organisation-list"), fetch_redirect_response=False)
    council = Organisation.objects.get(name="Anytown Borough Council")
    assert (council.kind, str(council.key_decision_threshold), council.call_in_working_days) == (
        "london_borough",
        "500000.00",
        5,
    )
    profile = Profile.objects.get(organisation=council)
    assert (profile.role, profile.user.email, profile.user.has_usable_password()) == (
        "administrator",
        "sam.okafor@anytown.gov.uk",
        False,
    )
    (message,) = mail.outbox
    assert message.to == ["sam.okafor@anytown.gov.uk"]
    assert "Anytown Borough Council" in message.body

    client.logout()
    link = invitation_path(message)
    page = client.get(link)
    assertContains(page, "Choose your password")
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assertRedirects(response, reverse("commissioning:dashboard"), fetch_redirect_response=False)
    assert client.get(reverse("commissioning:my-organisation")).status_code == 200
    # The link works once.
    client.logout()
    assertContains(client.get(link), "This invitation link does not work", status_code=404)
    # And the new administrator signs in with the e-mail address.
    assert client.login(username="sam.okafor@anytown.gov.uk", password=PASSWORD)


def test_only_superusers_add_organisations(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("commissioning:organisation-create")).status_code == 403


def test_a_new_organisations_name_must_be_new_and_nothing_is_saved(client, superuser, council):
    client.force_login(superuser)
    response = client.post(
        reverse("commissioning:organisation-create"),
        {
            "organisation-name": council.name,
            "organisation-kind": "london_borough",
            "administrator-first_name": "Sam",
            "administrator-last_name": "Okafor",
            "administrator-email": "sam.okafor@anytown.gov.uk",
        },
    )
    assert_error_next_to(
        response, "id_organisation-name", "An organisation with this name is already in the service"
    )
    assert not User.objects.filter(email="sam.okafor@anytown.gov.uk").exists()
    assert mail.outbox == []


def test_the_administrator_invites_an_officer_who_sets_a_password(admin_client, council, client):
    response = invite(admin_client, role="finance")
    assertRedirects(response, reverse("commissioning:my-organisation"), fetch_redirect_response=False)
    profile = Profile.objects.get(user__email="priya.shah@anytown.gov.uk")
    assert (profile.organisation, profile.role, profile.initials) == (council, "finance", "PS")
    page = admin_client.get(reverse("commissioning:my-organisation"))
    assertContains(page, "Priya Shah")
    assertContains(page, "Invited")
    (message,) = mail.outbox
    client.logout()
    response = client.post(invitation_path(message), {"new_password1": PASSWORD, "new_password2": "other"})
    assert_error_next_to(response, "id_new_password2", "The two passwords do not match")
    profile.user.refresh_from_db()
    assert not profile.user.has_usable_password()


def test_an_email_address_already_in_use_is_refused_next_to_the_field(admin_client, administrator):
    before = User.objects.count()
    response = invite(admin_client, email=administrator.email.upper())
    assert_error_next_to(response, "id_email", "Someone with this email address already has an account")
    assert User.objects.count() == before
    assert mail.outbox == []


def test_the_administrator_changes_a_role_but_never_leaves_the_organisation_without_one(
    admin_client, administrator, council
):
    officer = ProfileFactory(organisation=council, role=Profile.Role.OFFICER)
    url = reverse("commissioning:staff-update", args=[officer.pk])
    data = {"first_name": "Alex", "last_name": "Jones", "role": "approver", "job_title": "Head of Service"}
    assertRedirects(
        admin_client.post(url, data), reverse("commissioning:my-organisation"), fetch_redirect_response=False
    )
    officer.refresh_from_db()
    assert (officer.role, officer.user.last_name) == ("approver", "Jones")

    own = reverse("commissioning:staff-update", args=[administrator.profile.pk])
    response = admin_client.post(own, data | {"first_name": "Sam", "last_name": "Okafor", "role": "officer"})
    assert_error_next_to(
        response,
        "id_role",
        "Your organisation needs an administrator: make someone else an administrator first",
    )
    administrator.profile.refresh_from_db()
    assert administrator.profile.role == "administrator"


def test_deactivated_staff_cannot_sign_in_and_the_history_says_who_did_it(
    admin_client, administrator, council, client
):
    officer = ProfileFactory(organisation=council, user__username="leaver")
    response = admin_client.post(reverse("commissioning:staff-active", args=[officer.pk]))
    assertRedirects(response, reverse("commissioning:my-organisation"), fetch_redirect_response=False)
    officer.user.refresh_from_db()
    assert not officer.user.is_active
    last = officer.user.history.first()
    assert (last.is_active, last.history_user) == (False, administrator)
    assert not hasattr(last, "password")
    client.logout()
    assert not client.login(username="leaver", password="correct horse battery staple")
    # Never oneself.
    admin_client.force_login(administrator)
    admin_client.post(reverse("commissioning:staff-active", args=[administrator.profile.pk]))
    administrator.refresh_from_db()
    assert administrator.is_active


def test_officers_read_their_organisation_but_do_not_run_it(client, council):
    officer = ProfileFactory(organisation=council).user
    client.force_login(officer)
    page = client.get(reverse("commissioning:my-organisation"))
    assertContains(page, officer.get_full_name())
    assertNotContains(page, "Invite a member of staff")
    assert client.get(reverse("commissioning:staff-invite")).status_code == 403
    assert client.post(reverse("commissioning:staff-active", args=[officer.profile.pk])).status_code == 403


def test_another_organisations_administrator_never_reaches_our_staff(client, council):
    ours = ProfileFactory(organisation=council)
    theirs = ProfileFactory(organisation=OrganisationFactory(), role=Profile.Role.ADMINISTRATOR).user
    client.force_login(theirs)
    assert client.get(reverse("commissioning:staff-update", args=[ours.pk])).status_code == 404
    assert client.post(reverse("commissioning:staff-active", args=[ours.pk])).status_code == 404
    ours.user.refresh_from_db()
    assert ours.user.is_active


def test_budget_holders_are_added_renamed_and_deleted_unless_funding_names_them(admin_client, council):
    response = admin_client.post(reverse("commissioning:budget-holder-create"), {"name": "Public Health"})
    assertRedirects(response, reverse("commissioning:my-organisation"), fetch_redirect_response=False)
    holder = BudgetHolder.objects.get(organisation=council, name="Public Health")
    response = admin_client.post(reverse("commissioning:budget-holder-create"), {"name": "Public Health"})
    assert_error_next_to(response, "id_name", "Your organisation already has a budget holder with this name")
    assert council.budget_holders.count() == 1

    used = BudgetHolderFactory(organisation=council, name="Adult Social Care")
    FundingContributionFactory(commissioner=council, service__commissioner=council, budget_holder=used)
    page = admin_client.post(reverse("commissioning:budget-holder-delete", args=[used.pk]))
    assertContains(page, "1 funding row names it")
    assert BudgetHolder.objects.filter(pk=used.pk).exists()

    response = admin_client.post(reverse("commissioning:budget-holder-delete", args=[holder.pk]))
    assertRedirects(response, reverse("commissioning:my-organisation"), fetch_redirect_response=False)
    assert not BudgetHolder.objects.filter(pk=holder.pk).exists()
    assert BudgetHolder.history.filter(id=holder.pk, history_type="-").exists()


def test_the_administrator_changes_the_organisations_details(admin_client, council):
    OrganisationFactory(name="Othertown Council")
    url = reverse("commissioning:my-organisation-update")
    data = {"name": "Othertown Council", "kind": "london_borough", "call_in_working_days": "5"}
    assert_error_next_to(
        admin_client.post(url, data), "id_name", "An organisation with this name is already in the service"
    )
    response = admin_client.post(url, data | {"name": "Anytown London Borough Council"})
    assertRedirects(response, reverse("commissioning:my-organisation"), fetch_redirect_response=False)
    council.refresh_from_db()
    assert (council.name, council.kind, council.call_in_working_days) == (
        "Anytown London Borough Council",
        "london_borough",
        5,
    )
