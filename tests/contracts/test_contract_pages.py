"""The contracts register and a contract's page.

Terms from the seeds: Staffordshire's new contract runs 3 + 2 years from 1 October 2023 at
£683,860 a year (seed 001); Dorset's runs 2 + 1 + 1 + 1 from 1 April 2020 at £340,000 a year,
£1,700,000 over five years (seed 003).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Organisation, Service
from contracts.models import Contract, ContractTermOption, Lot
from tests.commissioning.test_registers import csv_rows, first_cells, query_count, table_rows, xlsx_rows
from tests.factories import AreaFactory, CaseFactory, ContractFactory, OrganisationFactory, ServiceFactory


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def new_era(db):
    return OrganisationFactory(name="Victim Support", short_name="VS", kind=Organisation.Kind.CHARITY)


@pytest.fixture
def contracts(organisation, other_organisation, new_era):
    stoke = OrganisationFactory(name="Stoke-on-Trent City Council", kind=Organisation.Kind.CITY_COUNCIL)
    staffs = ContractFactory(
        reference="staffs-2023",
        title="Staffordshire domestic abuse service",
        lead_commissioner=organisation,
        starts_on=date(2023, 10, 1),
        initial_term_months=36,
        annual_value=Decimal("683860.00"),
        status=Contract.Status.PROCUREMENT,
        brand_name="New Era",
    )
    staffs.commissioners.add(stoke)
    staffs.providers.add(new_era)
    ContractTermOption.objects.create(contract=staffs, months=24, order=1)
    lot = Lot.objects.create(contract=staffs, name="North", annual_value=Decimal("341930.00"))
    lot.areas.add(AreaFactory(name="Cannock Chase"))
    lot.providers.add(new_era)
    refuge = ServiceFactory(commissioner=organisation, service_type=Service.Type.REFUGE)
    staffs.services.add(refuge)

    # Led by another council, funded by ours: visible as a partner's contract.
    dorset_like = ContractFactory(
        reference="partner-2020",
        title="Pan-area refuge contract",
        lead_commissioner=stoke,
        starts_on=date(2020, 4, 1),
        initial_term_months=24,
        annual_value=Decimal("340000.00"),
        procurement_route=Contract.Route.FRAMEWORK,
        framework_name="DCF Segment 2",
    )
    dorset_like.commissioners.add(organisation)
    for order in (1, 2, 3):
        ContractTermOption.objects.create(
            contract=dorset_like, kind=ContractTermOption.Kind.BREAK, months=12, order=order
        )

    ContractFactory(
        reference="dorset-2020", title="Dorset DVA contract", lead_commissioner=other_organisation
    )
    return {"staffs": staffs, "partner": dorset_like, "stoke": stoke}


def test_register_needs_sign_in(client, db):
    response = client.get(reverse("contracts:contract-list"))
    assert response.status_code == 302


def test_register_shows_only_visible_contracts(officer_client, contracts):
    response = officer_client.get(reverse("contracts:contract-list"))
    assert sorted(first_cells(response)) == ["partner-2020", "staffs-2023"]
    assertNotContains(response, "dorset-2020")
    assertContains(response, f'href="{reverse("contracts:contract-detail", args=["staffs-2023"])}"')
    partner = next(r for r in table_rows(response) if r.startswith("partner-2020"))
    # 2 + 1 + 1 + 1 from 1 April 2020: the initial term ends 31 March 2022, the latest 31 March 2025.
    assert "2 + 1 + 1 + 1" in partner and "31 March 2022" in partner and "31 March 2025" in partner
    assert "£340,000" in partner and "£1,700,000" in partner


def test_a_case_makes_its_contracts_visible(officer_client, organisation, other_organisation):
    case = CaseFactory(reference="joint", lead_commissioner=other_organisation)
    case.partners.add(organisation)
    ContractFactory(reference="joint-contract", lead_commissioner=other_organisation, case=case)
    assert first_cells(officer_client.get(reverse("contracts:contract-list"))) == ["joint-contract"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=procurement", ["staffs-2023"]),
        ("route=framework", ["partner-2020"]),
        ("service_type=refuge", ["staffs-2023"]),
        ("q=new+era", ["staffs-2023"]),
        # Neither has a recorded end date: both ends are worked out from start and term.
        ("ends_after=2026-01-01", ["staffs-2023"]),
        ("ends_after=2023-01-01&ends_before=2025-12-31", []),
        ("ends_after=2022-03-01&ends_before=2022-03-31", ["partner-2020"]),
    ],
)
def test_register_filters(officer_client, contracts, query, expected):
    response = officer_client.get(f"{reverse('contracts:contract-list')}?{query}")
    if not expected:
        assertContains(response, "No rows match these filters.")
    else:
        assert sorted(first_cells(response)) == expected


def test_register_filters_by_related_rows(officer_client, contracts, organisation, new_era):
    url = reverse("contracts:contract-list")
    assert first_cells(officer_client.get(f"{url}?provider={new_era.pk}")) == ["staffs-2023"]
    area = Lot.objects.get().areas.get()
    assert first_cells(officer_client.get(f"{url}?area={area.pk}")) == ["staffs-2023"]
    ContractFactory(reference="solo", lead_commissioner=organisation)
    # Stoke leads one contract and is a partner commissioner in another, but not in "solo".
    assert first_cells(officer_client.get(f"{url}?commissioner={contracts['stoke'].pk}")) == [
        "partner-2020",
        "staffs-2023",
    ]


def test_register_filters_by_recorded_end(officer_client, organisation):
    ContractFactory(reference="ends-2023", lead_commissioner=organisation, ends_on=date(2023, 9, 30))
    ContractFactory(reference="ends-2025", lead_commissioner=organisation, ends_on=date(2025, 3, 31))
    url = reverse("contracts:contract-list")
    assert first_cells(officer_client.get(f"{url}?ends_after=2023-09-30&ends_before=2023-09-30")) == [
        "ends-2023"
    ]


def test_register_sorts(officer_client, contracts):
    url = reverse("contracts:contract-list")
    assert first_cells(officer_client.get(f"{url}?sort=annual_value")) == ["partner-2020", "staffs-2023"]
    response = officer_client.get(f"{url}?sort=-annual_value")
    assert first_cells(response) == ["staffs-2023", "partner-2020"]
    assertContains(response, 'aria-sort="descending"')


def test_csv_is_the_filtered_rows_with_numbers(officer_client, contracts):
    url = reverse("contracts:contract-list")
    rows = csv_rows(officer_client.get(f"{url}?sort=reference&export=csv"))
    assert [r["Reference"] for r in rows] == ["partner-2020", "staffs-2023"]
    partner, staffs = rows
    assert partner["Annual value"] == "340000.00"
    assert partner["Maximum value"] == "1700000.00"  # 340,000 x 5 years
    assert partner["Value to date"] == "680000.00"  # the 2-year initial term: no option agreed yet
    assert partner["Latest end"] == "2025-03-31"
    assert partner["Term"] == "2 + 1 + 1 + 1"
    # 3 + 2 from 1 October 2023: latest end 30 September 2028; 683,860 x 5 = 3,419,300.
    assert staffs["Term"] == "3 + 2"
    assert staffs["Latest end"] == "2028-09-30"
    assert staffs["Maximum value"] == "3419300.00"
    assert staffs["Value to date"] == "2051580.00"  # 683,860 x 3
    assert staffs["Route"] == "Open procedure"
    assert staffs["Providers"] == "Victim Support"
    filtered = csv_rows(officer_client.get(f"{url}?route=framework&export=csv"))
    assert [r["Reference"] for r in filtered] == ["partner-2020"]


def test_xlsx_is_the_filtered_rows_with_numbers(officer_client, contracts):
    rows = xlsx_rows(officer_client, f"{reverse('contracts:contract-list')}?status=procurement")
    assert [r["Reference"] for r in rows] == ["staffs-2023"]
    assert Decimal(str(rows[0]["Annual value"])) == Decimal("683860")
    assert rows[0]["Latest end"].date() == date(2028, 9, 30)


def test_contract_page(officer_client, contracts):
    response = officer_client.get(reverse("contracts:contract-detail", args=["staffs-2023"]))
    assertContains(response, "Staffordshire domestic abuse service")
    assertContains(response, "3 + 2 years")
    assertContains(response, "1 October 2023")
    assertContains(response, "30 September 2026")  # initial term
    assertContains(response, "30 September 2028")  # latest possible end
    assertContains(response, "£683,860")
    assertContains(response, "£3,419,300")
    assertContains(response, "Victim Support")
    assertContains(response, "(as New Era)")
    assertContains(response, "Stoke-on-Trent City Council")
    assertContains(response, "Cannock Chase")
    assertContains(response, "£341,930")


def test_contract_page_shows_route_and_rationale(officer_client, organisation):
    ContractFactory(
        reference="wais-2013",
        title="Medium-risk outreach",
        lead_commissioner=organisation,
        procurement_route=Contract.Route.GRANT,
        route_rationale="Direct allocation to the established local provider.",
        annual_value=Decimal("86000.00"),
    )
    response = officer_client.get(reverse("contracts:contract-detail", args=["wais-2013"]))
    assertContains(response, "Grant")
    assertContains(response, "Direct allocation to the established local provider.")
    assertContains(response, "£86,000")


def test_contract_page_of_another_organisation_is_404(officer_client, contracts):
    assert officer_client.get(reverse("contracts:contract-detail", args=["dorset-2020"])).status_code == 404


@pytest.mark.parametrize("export", ["", "?export=csv"])
def test_queries_do_not_grow_with_rows(officer_client, organisation, new_era, export):
    url = reverse("contracts:contract-list") + export

    def add(n):
        contract = ContractFactory(reference=f"q-{n:03d}", lead_commissioner=organisation)
        contract.providers.add(new_era)
        ContractTermOption.objects.create(contract=contract, months=12)

    add(0)
    one = query_count(officer_client, url)
    for n in range(1, 50):
        add(n)
    assert query_count(officer_client, url) == one


def test_contract_page_queries_do_not_grow_with_lots(officer_client, organisation, new_era):
    contract = ContractFactory(reference="lots", lead_commissioner=organisation)
    url = reverse("contracts:contract-detail", args=["lots"])

    def add(n):
        lot = Lot.objects.create(contract=contract, name=f"Lot {n}")
        lot.areas.add(AreaFactory(name=f"District {n}"))
        lot.providers.add(new_era)
        ContractTermOption.objects.create(contract=contract, months=12, order=n)

    add(0)
    one = query_count(officer_client, url)
    for n in range(1, 50):
        add(n)
    assert query_count(officer_client, url) == one
