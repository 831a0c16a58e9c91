"""Bad contract, referral and FOI input: a clear message on the field, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from contracts.models import Contract, ContractTermOption, FOIRequest, ReferralCount
from tests.admin_posts import errors_in, inline_rows, management
from tests.factories import AreaFactory, ContractFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

EXTENSION = {"order": "0", "kind": "extension", "months": "24"}
END_BEFORE_START = "The end date must be the same as or after the start date"
NO_TERM = "This contract has no term yet: give it a start date and an initial term or end date"


def message_dict(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_only_field_error(obj, field: str, message: str):
    errors = message_dict(obj)
    assert message in " ".join(errors.get(field, [])), errors
    assert "__all__" not in errors, errors


# Through full_clean.
def test_contract_ending_before_it_starts_refused():
    contract = ContractFactory.build(
        lead_commissioner=OrganisationFactory(), starts_on=date(2023, 10, 1), ends_on=date(2023, 9, 30)
    )
    assert_only_field_error(contract, "ends_on", END_BEFORE_START)


def test_negative_contract_value_refused():
    contract = ContractFactory.build(lead_commissioner=OrganisationFactory(), annual_value=Decimal("-340000"))
    assert_only_field_error(contract, "annual_value", "Enter an amount of £0 or more")


def test_extension_on_a_contract_with_no_term_refused():
    contract = ContractFactory(starts_on=None, initial_term_months=None, ends_on=None)
    extension = ContractTermOption(contract=contract, months=24)
    errors = message_dict(extension)
    assert NO_TERM in " ".join(errors["__all__"])


def test_extension_on_a_contract_with_a_term_allowed():
    ContractTermOption(contract=ContractFactory(), months=12).full_clean()


def test_extension_of_no_months_refused():
    errors = message_dict(ContractTermOption(contract=ContractFactory(), months=0))
    assert errors["months"] == ["An extension must be at least one month"]


def test_referral_period_ending_before_it_starts_refused():
    count = ReferralCount(
        service=ServiceFactory(),
        area=AreaFactory(),
        period_label="2021-22",
        period_start=date(2022, 3, 31),
        period_end=date(2021, 4, 1),
        count=1021,
    )
    assert_only_field_error(count, "period_end", "The period must end on or after its start")


def test_foi_answered_before_received_refused():
    foi = FOIRequest(
        reference="10653",
        authority=OrganisationFactory(),
        subject="Contracts",
        received_on=date(2013, 10, 17),
        answered_on=date(2013, 10, 16),
    )
    assert_only_field_error(foi, "answered_on", "The answer date must be on or after the date received")


# Through the admin.
@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def contract_post(lead, extensions=(), **fields):
    data = {
        "reference": "staffs-2022-da",
        "title": "Domestic abuse service",
        "lead_commissioner": str(lead.pk),
        "status": "planned",
        "kind": "contract",
        "procurement_route": "",
        **fields,
        **inline_rows("term_options", list(extensions)),
        **management("lots", 0),
        **management("value_lines", 0),
        **management("tender_notices", 0),
    }
    return data


def test_admin_contract_with_no_term_and_an_extension_saves_nothing(admin_client):
    data = contract_post(
        OrganisationFactory(), extensions=[{"order": "0", "kind": "extension", "months": "24"}]
    )
    response = admin_client.post(reverse("admin:contracts_contract_add"), data)
    assertContains(response, NO_TERM)
    assert Contract.objects.count() == 0
    assert ContractTermOption.objects.count() == 0


def test_admin_contract_change_clearing_the_term_with_an_extension_saves_nothing(admin_client):
    contract = ContractFactory(reference="staffs-2022-da")
    extension = ContractTermOption.objects.create(contract=contract, months=12)
    data = contract_post(contract.lead_commissioner, title="Renamed")
    data.update(
        inline_rows(
            "term_options",
            [
                {
                    "id": str(extension.pk),
                    "contract": str(contract.pk),
                    "order": "0",
                    "kind": "extension",
                    "months": "12",
                }
            ],
            initial=1,
        )
    )
    response = admin_client.post(reverse("admin:contracts_contract_change", args=[contract.pk]), data)
    assertContains(response, NO_TERM)
    contract.refresh_from_db()
    assert contract.starts_on == date(2020, 4, 1)
    assert contract.title != "Renamed"


def test_admin_contract_3_plus_2_saves(admin_client):
    data = contract_post(
        OrganisationFactory(),
        extensions=[{"order": "0", "kind": "extension", "months": "24"}],
        starts_on="01/10/2023",
        initial_term_months="36",
        annual_value="£340,000",
    )
    response = admin_client.post(reverse("admin:contracts_contract_add"), data)
    assert response.status_code == 302, errors_in(response)
    contract = Contract.objects.get()
    assert contract.term_summary == "3 + 2"
    assert contract.latest_end == date(2028, 9, 30)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"starts_on": "01/10/2023", "ends_on": "30/09/2023"},
            "The end date must be the same as or after the start date",
        ),
        ({"annual_value": "-340000"}, "Enter an amount of £0 or more"),
    ],
)
def test_admin_contract_bad_input_refused(admin_client, fields, message):
    response = admin_client.post(
        reverse("admin:contracts_contract_add"), contract_post(OrganisationFactory(), **fields)
    )
    assertContains(response, message)
    assert "is violated" not in errors_in(response)
    assert Contract.objects.count() == 0


def test_admin_referral_period_ending_before_it_starts_refused(admin_client):
    data = {
        "service": str(ServiceFactory().pk),
        "area": str(AreaFactory().pk),
        "period_label": "2021-22",
        "period_start": "31/03/2022",
        "period_end": "01/04/2021",
        "count": "1021",
    }
    response = admin_client.post(reverse("admin:contracts_referralcount_add"), data)
    assertContains(response, "The period must end on or after its start")
    assert ReferralCount.objects.count() == 0


def test_admin_foi_answered_before_received_refused(admin_client):
    data = {
        "reference": "10653",
        "authority": str(OrganisationFactory().pk),
        "subject": "Domestic abuse contracts",
        "received_on": "17/10/2013",
        "answered_on": "16/10/2013",
        "status": "answered",
        **management("questions", 0),
    }
    response = admin_client.post(reverse("admin:contracts_foirequest_add"), data)
    assertContains(response, "The answer date must be on or after the date received")
    assert FOIRequest.objects.count() == 0


# The database constraints behind these rules speak plainly too, where clean() is bypassed.
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ContractFactory.build(
                lead_commissioner=OrganisationFactory(), starts_on=date(2023, 10, 1), ends_on=date(2023, 9, 1)
            ),
            END_BEFORE_START,
        ),
        (
            lambda: ContractFactory.build(
                lead_commissioner=OrganisationFactory(), annual_value=Decimal("-1")
            ),
            "A contract's annual value must be £0 or more",
        ),
        (
            lambda: ContractTermOption(contract=ContractFactory(), months=0),
            "An extension or break clause must be at least one month",
        ),
        (
            lambda: ReferralCount(
                service=ServiceFactory(),
                area=AreaFactory(),
                period_label="2021-22",
                period_start=date(2022, 3, 31),
                period_end=date(2021, 4, 1),
                count=1,
            ),
            "The period must end on or after its start",
        ),
        (
            lambda: FOIRequest(
                reference="10653",
                authority=OrganisationFactory(),
                subject="Contracts",
                received_on=date(2013, 10, 17),
                answered_on=date(2013, 10, 16),
            ),
            "The answer date must be on or after the date received",
        ),
    ],
)
def test_constraint_messages_are_plain_english(make, message):
    with pytest.raises(ValidationError) as caught:
        make().validate_constraints()
    assert caught.value.messages == [message]
