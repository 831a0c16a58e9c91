"""The Django admin is for superusers only: it is not scoped by organisation."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from commissioning.admin_site import NOT_AN_ADMINISTRATOR
from tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


@pytest.fixture
def staff_officer(organisation):
    """An officer marked as staff but not a superuser: Django's own admin would let them in."""
    user = ProfileFactory(user__username="staff.officer", organisation=organisation).user
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:commissioning_organisation_changelist"),
        reverse("admin:contracts_contract_changelist"),
    ],
)
def test_staff_user_who_is_not_a_superuser_gets_the_sign_in_page(client, staff_officer, url):
    OrganisationFactory(name="Dorset Council")
    client.force_login(staff_officer)
    response = client.get(url)
    assertRedirects(response, f"{reverse('admin:login')}?next={url}", fetch_redirect_response=False)
    response = client.get(response.url)
    assert response.status_code == 200
    assertContains(response, "not authorized to access this page")
    assert "Dorset Council" not in response.content.decode()


def test_staff_user_cannot_sign_in_to_the_admin(client, staff_officer):
    response = client.post(reverse("admin:login"), {"username": "staff.officer", "password": PASSWORD})
    assert response.status_code == 200
    assertContains(response, NOT_AN_ADMINISTRATOR)
    assert "_auth_user_id" not in client.session


def test_superuser_uses_the_admin(client, superuser):
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": reverse("admin:index")}
    )
    assertRedirects(response, reverse("admin:index"))
    assert client.get(reverse("admin:commissioning_organisation_changelist")).status_code == 200
