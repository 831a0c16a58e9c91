"""Who may change what, beyond the main views: the choices edit forms offer are the record's own
and are checked on the server, and partners never edit another organisation's case data."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from commissioning.models import BudgetHolder, Case, FundingContribution, Organisation, Service
from tests.factories import OrganisationFactory, ProfileFactory
from tests.urlwalk import open_null, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    call_command("load_seed_cases", stdout=open_null())


def officer_of(name):
    return ProfileFactory(organisation=Organisation.objects.get(name=name)).user


def choices(form, name):
    return set(form.fields[name].options) - {""}


def test_a_service_page_offers_only_the_services_own_commissioners(seeds, client):
    """Seed 000's children's service: Nottinghamshire leads the case with the Home Office, the PCT
    and the Safer Nottinghamshire Board as partners. An unrelated council is not on offer, and
    posting it anyway is refused without saving."""
    case = Case.objects.get(reference="notts-2011")
    service = case.services.get(name__startswith="Children's outreach")
    unrelated = OrganisationFactory(name="Anytown Borough Council", kind="district_council")
    BudgetHolder.objects.create(organisation=unrelated, name="Anytown Housing")
    client.force_login(officer_of("Nottinghamshire County Council"))
    url = reverse("commissioning:service-update", args=[service.pk])
    form = post_form(client.get(url))

    expected = {
        str(case.lead_commissioner_id),
        *(str(pk) for pk in case.partners.values_list("pk", flat=True)),
    }
    assert choices(form, "commissioner") == expected
    assert choices(form, "contributions-0-commissioner") == expected
    holders = set(
        BudgetHolder.objects.filter(organisation__in=[int(pk) for pk in expected]).values_list(
            "pk", flat=True
        )
    )
    assert choices(form, "contributions-0-budget_holder") == {str(pk) for pk in holders}

    data = form.data()
    data["commissioner"] = [str(unrelated.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select managing commissioner from the list" in response.content.decode()
    service.refresh_from_db()
    assert service.commissioner == case.lead_commissioner

    data = form.data()
    data["contributions-0-budget_holder"] = [str(BudgetHolder.objects.get(name="Anytown Housing").pk)]
    response = client.post(url, data)
    assert "Select budget holder from the list" in response.content.decode()
    assert not FundingContribution.objects.filter(budget_holder__organisation=unrelated).exists()


def test_a_partner_cannot_edit_a_service_it_manages_in_another_organisations_case(seeds, client):
    """Leicester City Council manages the DASV service in Leicestershire's 2019 case: its officers
    read it, Leicestershire's officers change it."""
    service = Service.objects.get(commissioner__name="Leicester City Council", cases__reference="leics-2019")
    url = reverse("commissioning:service-update", args=[service.pk])
    client.force_login(officer_of("Leicester City Council"))
    assert client.get(reverse("commissioning:service-detail", args=[service.pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Renamed by a partner"}).status_code == 403
    client.force_login(officer_of("Leicestershire County Council"))
    assert client.get(url).status_code == 200


def test_a_service_in_no_case_is_edited_by_its_managing_commissioner(seeds, client):
    dorset = Organisation.objects.get(name="Dorset Council")
    service = Service.objects.create(name="Dorset helpline", commissioner=dorset, service_type="helpline")
    client.force_login(officer_of("Dorset Council"))
    assert client.get(reverse("commissioning:service-update", args=[service.pk])).status_code == 200
