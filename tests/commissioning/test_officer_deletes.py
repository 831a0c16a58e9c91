"""Deleting on officer screens: contacts, documents and contract lots entered by mistake go after
a confirmation page; a record something depends on stays, and the page says what. Each
deletion is kept with who and when, and shows on the case history page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import CaseContact, CaseDocument, Organisation, Profile
from contracts.models import Lot
from tests.factories import CaseFactory, ContractFactory, OrganisationFactory, ProfileFactory


@pytest.fixture
def case(organisation):
    return CaseFactory(reference="anytown-2026", lead_commissioner=organisation)


@pytest.fixture
def contact(case):
    return CaseContact.objects.create(case=case, name="Jo Bloggs", role="Report author")


@pytest.fixture
def document(case):
    return CaseDocument.objects.create(
        case=case, kind=CaseDocument.Kind.APPENDIX, label="Appendix 1", title="EIA"
    )


@pytest.fixture
def lot(case, organisation):
    contract = ContractFactory(reference="anytown-dv", lead_commissioner=organisation, case=case)
    return Lot.objects.create(contract=contract, name="North")


@pytest.fixture
def partner_officer(case):
    partner = OrganisationFactory(name="Anytown PCC", kind=Organisation.Kind.OPCC)
    case.partners.add(partner)
    return ProfileFactory(organisation=partner, role=Profile.Role.OFFICER).user


def delete_url(record):
    name = {CaseContact: "commissioning:contact-delete", CaseDocument: "commissioning:document-delete"}
    return reverse(name.get(type(record), "contracts:lot-delete"), args=[record.pk])


@pytest.mark.parametrize("record", ["contact", "document", "lot"])
def test_confirmation_page_then_the_record_is_deleted_and_kept_in_history(
    client, officer, case, record, request
):
    record = request.getfixturevalue(record)
    client.force_login(officer)
    response = client.get(delete_url(record))
    assertContains(response, "The deletion is recorded in the case's history")
    assert type(record).objects.filter(pk=record.pk).exists()

    response = client.post(delete_url(record))
    assert response.status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()
    removed = type(record).history.filter(id=record.pk, history_type="-").get()
    assert removed.history_user == officer

    history = client.get(reverse("commissioning:case-history", args=[case.reference]))
    assertContains(history, "removed")


def test_the_case_history_page_lists_a_deleted_contact(client, officer, case, contact):
    client.force_login(officer)
    client.post(delete_url(contact))
    response = client.get(reverse("commissioning:case-history", args=[case.reference]))
    assertContains(response, "Contact Jo Bloggs removed")


def test_a_lot_awarded_to_a_provider_is_not_deleted(client, officer, lot):
    lot.providers.add(OrganisationFactory(name="Glow Refuge", kind=Organisation.Kind.CHARITY))
    client.force_login(officer)
    response = client.get(delete_url(lot))
    assertContains(response, "It is awarded to Glow Refuge")
    assertNotContains(response, "govuk-button--warning")
    response = client.post(delete_url(lot))
    assertContains(response, "It is awarded to Glow Refuge")
    assert Lot.objects.filter(pk=lot.pk).exists()


@pytest.mark.parametrize("record", ["contact", "document", "lot"])
def test_a_partner_cannot_delete(client, partner_officer, record, request):
    record = request.getfixturevalue(record)
    client.force_login(partner_officer)
    assert client.get(delete_url(record)).status_code == 403
    assert client.post(delete_url(record)).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("record", ["contact", "document", "lot"])
def test_an_outsider_is_told_nothing(client, other_officer, record, request):
    record = request.getfixturevalue(record)
    client.force_login(other_officer)
    assert client.post(delete_url(record)).status_code == 404
    assert type(record).objects.filter(pk=record.pk).exists()


def test_officers_add_and_change_contacts_and_documents_from_the_case_page(client, officer, case, contact):
    client.force_login(officer)
    page = client.get(case.get_absolute_url())
    assertContains(page, reverse("commissioning:contact-create", args=[case.reference]))
    assertContains(page, reverse("commissioning:contact-update", args=[contact.pk]))
    assertContains(page, reverse("commissioning:document-create", args=[case.reference]))

    response = client.post(
        reverse("commissioning:document-create", args=[case.reference]),
        {"kind": "appendix", "label": "Appendix 2", "title": "Needs assessment", "url": "", "order": ""},
    )
    assert response.status_code == 302
    assert case.documents.get().title == "Needs assessment"
    response = client.post(
        reverse("commissioning:contact-update", args=[contact.pk]),
        {
            "name": "Jo Bloggs",
            "role": "Lead officer",
            "job_title": "",
            "phone": "",
            "email": "",
            "order": "1",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, contact.order) == ("Lead officer", 1)
