"""Create and edit pages for contracts and their extension options."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from commissioning.models import Organisation, Profile
from contracts.models import Contract, ContractTermOption
from tests.factories import CaseFactory, ContractFactory, OrganisationFactory, ProfileFactory
from tests.form_errors import assert_error_next_to


def management(total, initial=0, prefix="term_options"):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# The page's other row sets (money, lots, notices), left empty as a browser sends them.
OTHER_ROWS = {
    **management(0, prefix="value_lines"),
    **management(0, prefix="lots"),
    **management(0, prefix="tender_notices"),
}


def date_parts(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def term_option(index, months, kind="extension", status="available", **extra):
    return {
        f"term_options-{index}-kind": kind,
        f"term_options-{index}-months": str(months),
        f"term_options-{index}-status": status,
        **{f"term_options-{index}-{k}": v for k, v in extra.items()},
    }


def contract_data(**overrides):
    data = {
        "reference": "new-era-2023",
        "title": "Domestic abuse services (New Era)",
        "status": "planned",
        "kind": "contract",
        "initial_term_months": "36",
        "annual_value": "£683,860",
        "procurement_route": "open_tender",
        **date_parts("starts_on", 1, 10, 2023),
        **management(2),
        **OTHER_ROWS,
        # The two blank rows the page offers, as a browser sends them.
        **term_option(0, ""),
        **term_option(1, ""),
    }
    return data | overrides


def counts():
    return Contract.objects.count(), ContractTermOption.objects.count()


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_officer_adds_a_three_plus_two_contract(officer_client, organisation):
    case = CaseFactory(reference="staffs-2022", lead_commissioner=organisation)
    data = contract_data(case=case.pk) | term_option(0, 24)
    response = officer_client.post(reverse("contracts:contract-create"), data)
    contract = Contract.objects.get(reference="new-era-2023")
    assertRedirects(response, contract.get_absolute_url(), fetch_redirect_response=False)
    assert contract.lead_commissioner == organisation
    assert contract.case == case
    assert contract.annual_value == Decimal("683860")
    # 36 months + a 24-month extension, written in years as the paper does.
    assert contract.term_summary == "3 + 2"
    # Five years from 1 October 2023 end on 30 September 2028.
    assert contract.latest_end == date(2028, 9, 30)
    assertContains(officer_client.get(response.url), "Contract added")


def test_money_typed_without_a_pound_sign(officer_client):
    response = officer_client.post(reverse("contracts:contract-create"), contract_data(annual_value="1234.5"))
    assert response.status_code == 302, response.context["error_summary"]
    assert Contract.objects.get().annual_value == Decimal("1234.50")


def test_end_before_start_is_refused_and_nothing_saved(officer_client):
    before = counts()
    data = contract_data(initial_term_months="") | date_parts("ends_on", 30, 9, 2023) | term_option(0, 12)
    data |= date_parts("starts_on", 1, 10, 2023)
    data |= date_parts("ends_on", 30, 9, 2022)
    response = officer_client.post(reverse("contracts:contract-create"), data)
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    # In the summary, linked to the end date's day box, and next to the field.
    assertContains(
        response,
        '<a href="#id_ends_on_0">The end date must be the same as or after the start date</a>',
        html=True,
    )
    assertContains(response, 'id="id_ends_on_error"')
    assert counts() == before


def test_a_date_that_does_not_exist_is_refused(officer_client):
    before = counts()
    response = officer_client.post(
        reverse("contracts:contract-create"), contract_data() | date_parts("starts_on", 31, 2, 2024)
    )
    assertContains(response, "Enter a real date", count=2)
    assertContains(response, 'href="#id_starts_on_0"')
    assert counts() == before


def test_negative_annual_value_is_refused(officer_client):
    before = counts()
    response = officer_client.post(
        reverse("contracts:contract-create"), contract_data(annual_value="-£340,000")
    )
    assertContains(response, "Enter an amount of £0 or more", count=2)
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"annual_value": "1e30"}, "id_annual_value", "Enter an amount in pounds, like £1,234.50"),
        ({"annual_value": "9" * 40}, "id_annual_value", "Enter an amount less than £1,000,000,000,000"),
        (
            {"annual_value": "£1,2,3"},
            "id_annual_value",
            "Enter the amount with commas only between thousands, like £1,234,567",
        ),
        ({"annual_value": "１２３"}, "id_annual_value", "Enter the amount using the digits 0 to 9"),
        (
            {"initial_term_months": "99999999999999999999"},
            "id_initial_term_months",
            "Initial term in months must be 32,767 or less",
        ),
        (
            {"initial_term_months": "٣٦"},
            "id_initial_term_months",
            "Enter the initial term in months using the digits 0 to 9",
        ),
        (date_parts("starts_on", 1, "99999999999999999999", 2023), "id_starts_on", "Enter a real date"),
        (date_parts("published_on", 1, 10, "0001"), "id_published_on", "Year must be between 1900 and 2100"),
        (
            date_parts("ends_on", "٣٠", 9, 2026),
            "id_ends_on",
            "Enter the date using the digits 0 to 9",
        ),
        (
            term_option(0, "99999999999999999999"),
            "id_term_options-0-months",
            "Length in months must be 32,767 or less",
        ),
    ],
)
def test_bad_numbers_and_dates_are_refused_next_to_the_field(officer_client, overrides, field_id, message):
    before = counts()
    response = officer_client.post(reverse("contracts:contract-create"), contract_data() | overrides)
    assert response.status_code == 200
    assert_error_next_to(response, field_id, message)
    assert counts() == before


def test_extension_needs_a_term(officer_client):
    before = counts()
    data = contract_data(initial_term_months="", starts_on_0="", starts_on_1="", starts_on_2="")
    response = officer_client.post(reverse("contracts:contract-create"), data | term_option(0, 12))
    assertContains(response, "before adding an extension or break clause", count=2)
    assertContains(response, 'href="#id_term_options-0-months"')
    assert counts() == before


def test_edit_replaces_the_extensions_in_one_save(officer_client, organisation):
    """Staffordshire's 2 + 1 + 1 + 1: a two-year term and three one-year extensions."""
    contract = ContractFactory(reference="dorset-dva", lead_commissioner=organisation)
    first = ContractTermOption.objects.create(contract=contract, months=24)
    data = contract_data(title=contract.title, initial_term_months="24") | management(3, initial=1)
    data |= date_parts("starts_on", 1, 4, 2020)
    data |= term_option(0, 12, id=first.pk, contract=contract.pk)
    data |= term_option(1, 12, kind="break") | term_option(2, 12, kind="break")
    response = officer_client.post(reverse("contracts:contract-update", args=[contract.reference]), data)
    assert response.status_code == 302, response.context["error_summary"]
    contract.refresh_from_db()
    assert contract.term_summary == "2 + 1 + 1 + 1"
    assert contract.reference == "dorset-dva"
    assertContains(officer_client.get(response.url), "Contract updated")


def test_another_organisations_contract_is_not_found(client, other_officer, organisation):
    contract = ContractFactory(lead_commissioner=organisation)
    client.force_login(other_officer)
    assert client.get(reverse("contracts:contract-update", args=[contract.reference])).status_code == 404


def test_partner_viewer_is_forbidden(client, organisation):
    partner = OrganisationFactory(name="Stoke-on-Trent City Council", kind=Organisation.Kind.CITY_COUNCIL)
    contract = ContractFactory(lead_commissioner=organisation)
    contract.commissioners.add(partner)
    viewer = ProfileFactory(
        user__username="viewer", organisation=partner, role=Profile.Role.PARTNER_VIEWER
    ).user
    client.force_login(viewer)
    url = reverse("contracts:contract-update", args=[contract.reference])
    assert client.get(url).status_code == 403
    assert client.post(url, contract_data()).status_code == 403
    assert client.get(reverse("contracts:contract-create")).status_code == 403


def test_add_a_contract_from_a_case_page_preselects_the_case(officer_client, organisation):
    case = CaseFactory(reference="notts-2011", title="DV reduction services", lead_commissioner=organisation)
    response = officer_client.get(reverse("contracts:contract-create") + "?case=notts-2011")
    assertContains(response, f'<option value="{case.pk}" selected>', html=False)
