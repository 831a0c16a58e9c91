"""Create and edit pages for cases, services with funding, milestones and options.

Each bad input must show its message next to the field (and in the error summary) and save
nothing: the row counts before and after are compared.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.models import (
    Case,
    FundingContribution,
    Milestone,
    Option,
    OptionAppraisal,
    OptionLot,
    Organisation,
    Profile,
    Service,
)
from tests.factories import (
    AreaFactory,
    BudgetHolderFactory,
    CaseFactory,
    FundingContributionFactory,
    MilestoneFactory,
    OptionFactory,
    OrganisationFactory,
    ProfileFactory,
    ServiceFactory,
)
from tests.form_errors import assert_error_next_to


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def date_parts(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def counts():
    return (
        Case.objects.count(),
        Service.objects.count(),
        FundingContribution.objects.count(),
        Milestone.objects.count(),
        Option.objects.count(),
        OptionAppraisal.objects.count(),
        OptionLot.objects.count(),
    )


@pytest.fixture
def case(organisation):
    return CaseFactory(
        reference="staffs-2022", title="Domestic abuse services", lead_commissioner=organisation
    )


@pytest.fixture
def partner():
    return OrganisationFactory(
        name="Stoke-on-Trent City Council", short_name="SOTCC", kind=Organisation.Kind.CITY_COUNCIL
    )


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


# Cases.
def test_officer_creates_a_case_led_by_their_organisation(officer_client, organisation, partner):
    response = officer_client.post(
        reverse("commissioning:case-create"),
        {
            "reference": "staffs-2024",
            "title": "Recommissioning domestic abuse services",
            "stage": "review",
            "status": "active",
            "partners": [partner.pk],
        },
    )
    case = Case.objects.get(reference="staffs-2024")
    assertRedirects(
        response, reverse("commissioning:case-detail", args=["staffs-2024"]), fetch_redirect_response=False
    )
    assert case.lead_commissioner == organisation
    assert list(case.partners.all()) == [partner]
    page = officer_client.get(response.url)
    assertContains(page, "Case created")


def test_case_form_has_no_lead_commissioner_field_and_novalidate(officer_client):
    response = officer_client.get(reverse("commissioning:case-create"))
    assertContains(response, "novalidate")
    assertNotContains(response, 'name="lead_commissioner"')
    assertNotContains(response, " required")


def test_case_partners_are_commissioners_only(officer_client, partner):
    provider = OrganisationFactory(name="Women's Aid", kind=Organisation.Kind.CHARITY)
    response = officer_client.get(reverse("commissioning:case-create"))
    assertContains(response, partner.name)
    assertNotContains(response, provider.name)


@pytest.mark.parametrize("key", ["9" * 40, "-99999999999999999999", "9223372036854775808"])
def test_a_partner_key_no_row_can_have_is_refused_next_to_the_field(officer_client, partner, key):
    """SQLite cannot take a number past 2**63 in ``pk__in``: it was a server error (OverflowError)."""
    before = counts()
    data = {"reference": "x-2024", "title": "X", "stage": "review", "status": "active", "partners": [key]}
    response = officer_client.post(reverse("commissioning:case-create"), data)
    assert response.status_code == 200
    assert_error_next_to(response, "id_partners", "Select partner commissioners from the list")
    assert counts() == before


def test_case_create_refuses_a_duplicate_reference(officer_client, case):
    before = counts()
    response = officer_client.post(
        reverse("commissioning:case-create"),
        {"reference": "staffs-2022", "title": "Again", "stage": "review", "status": "active"},
    )
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assertContains(response, 'href="#id_reference"')
    assert_error_next_to(response, "id_reference", "There is already a case with reference staffs-2022")
    assert counts() == before


def test_officer_edits_a_case(officer_client, case):
    response = officer_client.post(
        reverse("commissioning:case-update", args=[case.reference]),
        {"title": "Renamed case", "stage": "options", "status": "active", "current_risk": "low"}
        | management("evidence", 0)
        | management("capacity", 0),
    )
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    case.refresh_from_db()
    assert (case.title, case.stage, case.current_risk, case.reference) == (
        "Renamed case",
        "options",
        "low",
        "staffs-2022",
    )


def test_another_organisations_case_is_not_found(client, other_officer, case):
    client.force_login(other_officer)
    for name in ["case-update", "service-create", "milestone-create", "option-create"]:
        assert client.get(reverse(f"commissioning:{name}", args=[case.reference])).status_code == 404


def test_partner_viewer_is_forbidden(client, case, partner):
    case.partners.add(partner)
    viewer = ProfileFactory(
        user__username="viewer", organisation=partner, role=Profile.Role.PARTNER_VIEWER
    ).user
    client.force_login(viewer)
    for name in ["case-update", "service-create", "milestone-create", "option-create"]:
        url = reverse(f"commissioning:{name}", args=[case.reference])
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x"}).status_code == 403
    assert client.get(reverse("commissioning:case-create")).status_code == 403


def test_partner_officer_cannot_edit_the_leads_case(client, case, partner):
    """A partner's officer sees the case but only the lead's officers change it."""
    case.partners.add(partner)
    partner_officer = ProfileFactory(user__username="partner_officer", organisation=partner).user
    client.force_login(partner_officer)
    assert client.get(reverse("commissioning:milestone-create", args=[case.reference])).status_code == 403


# Services and their funding.
def service_data(**overrides):
    data = {
        "name": "Pan-Staffordshire victim service",
        "service_type": "integrated",
        "people": ["for_victims", "for_children"],
        "risk_levels": ["risk_medium", "risk_high"],
        "pooled_budget": "",
        **management("contributions", 2),
    }
    data.update(overrides)
    return data


def contribution(index, commissioner, amount, year="2022-23", **extra):
    return {
        f"contributions-{index}-commissioner": str(commissioner.pk),
        f"contributions-{index}-financial_year": year,
        f"contributions-{index}-amount": amount,
        f"contributions-{index}-kind": "core",
        f"contributions-{index}-uplift_rounding": "ten",
        **{f"contributions-{index}-{k}": v for k, v in extra.items()},
    }


def test_service_with_two_contributions_in_both_money_formats(officer_client, case, organisation, partner):
    case.partners.add(partner)
    data = service_data(commissioner=organisation.pk)
    data |= contribution(0, organisation, "£670,450.00", uplift_percent="2.00")
    data |= contribution(1, partner, "1234.5")
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    service = case.services.get()
    assert (service.for_victims, service.for_perpetrators, service.for_children) == (True, False, True)
    assert (service.risk_standard, service.risk_medium, service.risk_high) == (False, True, True)
    amounts = {c.commissioner.name: c.amount for c in service.contributions.all()}
    assert amounts == {organisation.name: Decimal("670450.00"), partner.name: Decimal("1234.50")}
    # £670,450 + 2% = £683,859, written to the nearest £10 as £683,860 (seed 001).
    assert service.contributions.get(commissioner=organisation).uplifted_amount == Decimal("683860")
    assertContains(officer_client.get(response.url), "Service added")


def test_blank_extra_contribution_rows_are_ignored(officer_client, case, organisation):
    data = service_data(commissioner=organisation.pk) | contribution(0, organisation, "100")
    data |= {"contributions-1-kind": "core", "contributions-1-uplift_rounding": "ten"}
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 302
    assert FundingContribution.objects.count() == 1


def test_negative_money_is_refused_next_to_the_field(officer_client, case, organisation):
    before = counts()
    data = service_data(commissioner=organisation.pk) | contribution(0, organisation, "-£5")
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 200
    assertContains(response, "Enter an amount of £0 or more", count=2)  # summary and field
    assertContains(response, 'href="#id_contributions-0-amount"')
    assertContains(response, 'id="id_contributions-0-amount_error"')
    assert counts() == before


def test_bad_money_text_is_refused(officer_client, case, organisation):
    before = counts()
    data = service_data(commissioner=organisation.pk, pooled_budget="lots")
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assertContains(response, "Enter an amount in pounds, like £1,234.50", count=2)
    assert counts() == before


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # Each was a server error (decimal.InvalidOperation) or was read as another amount.
        ("1e30", "Enter an amount in pounds, like £1,234.50"),
        ("9" * 40, "Enter an amount less than £1,000,000,000,000"),
        ("1000000000000", "Enter an amount less than £1,000,000,000,000"),
        ("NaN", "Enter an amount in pounds, like £1,234.50"),
        ("£1,2,3", "Enter the amount with commas only between thousands, like £1,234,567"),
        ("1_000", "Enter an amount in pounds, like £1,234.50"),
        ("١٢٣", "Enter the amount using the digits 0 to 9"),
    ],
)
def test_money_that_cannot_be_an_amount_is_refused_next_to_the_field(
    officer_client, case, organisation, typed, message
):
    before = counts()
    data = service_data(commissioner=organisation.pk, pooled_budget=typed)
    data |= contribution(0, organisation, typed)
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 200
    assert_error_next_to(response, "id_pooled_budget", message)
    assert_error_next_to(response, "id_contributions-0-amount", message)
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("minimum_age", "99999999999999999999", "Minimum age must be 25 or less"),
        ("minimum_age", "١٦", "Enter the minimum age using the digits 0 to 9"),
        ("tier_from", "0", "Lowest tier must be 1 or more"),
        # A smallint column: PostgreSQL refuses 40,000, SQLite stored it.
        ("accommodation_units", "40000", "Accommodation units must be 32,767 or less"),
        ("units_under_agreement", "1_000", "Units held under an agreement must be a whole number"),
        ("delivering_organisations", "1e3", "Number of delivering organisations must be a whole number"),
    ],
)
def test_whole_numbers_beyond_their_limits_are_refused_next_to_the_field(
    officer_client, case, organisation, field, typed, message
):
    before = counts()
    data = service_data(commissioner=organisation.pk, **{field: typed})
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 200
    assert_error_next_to(response, f"id_{field}", message)
    assert counts() == before


def test_a_request_claiming_thousands_of_rows_is_refused_without_building_them(
    officer_client, case, organisation
):
    """TOTAL_FORMS is the browser's word for how many rows it sends: a hand-made 2147483648 had
    Django build (and the page draw) 2,000 rows, two minutes of work for one request."""
    before = counts()
    data = service_data(commissioner=organisation.pk) | {"contributions-TOTAL_FORMS": "2147483648"}
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 200
    assertContains(response, "Enter 50 rows or fewer", count=2)  # summary and the rows
    rows = set(re.findall(r'name="contributions-(\d+)-', response.content.decode()))
    assert len(rows) == 50
    assert counts() == before


def test_contributions_beyond_the_pool_are_refused_as_a_whole(officer_client, case, organisation, partner):
    """Each row fits the £826,000 pool alone; together, £600,000 + £300,000 = £900,000 do not."""
    case.partners.add(partner)
    before = counts()
    data = service_data(commissioner=organisation.pk, pooled_budget="£826,000")
    data |= contribution(0, organisation, "600,000") | contribution(1, partner, "300000")
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assert response.status_code == 200
    # 900,000 / 826,000 = 108.96%, rounded to 109%.
    message = "Contributions for 2022-23 would total £900,000, 109% of the £826,000 pool"
    assertContains(response, message, count=2)
    # The summary links to the year's first amount; the message also shows above the rows.
    assertContains(response, 'href="#id_contributions-0-amount"')
    assertContains(response, 'id="contributions-error"')
    assert counts() == before


@pytest.fixture
def pooled_service(case, organisation, partner):
    """A service with an £826,000 pool funded £500,000 (lead) + £300,000 (partner) in 2011-12."""
    service = ServiceFactory(commissioner=organisation, pooled_budget=Decimal("826000"))
    case.services.add(service)
    first = FundingContributionFactory(service=service, commissioner=organisation, amount=Decimal("500000"))
    second = FundingContributionFactory(service=service, commissioner=partner, amount=Decimal("300000"))
    return service, first, second


def post_pool(client, pooled_service, organisation, partner, *, pool, first_amount, second_amount):
    """Save the service page with a new pool and the two rows' new amounts, in one POST."""
    service, first, second = pooled_service
    data = service_data(commissioner=organisation.pk, pooled_budget=pool, name=service.name)
    data |= management("contributions", 2, initial=2)
    data |= contribution(0, organisation, first_amount, id=first.pk, service=service.pk, year="2011-12")
    data |= contribution(1, partner, second_amount, id=second.pk, service=service.pk, year="2011-12")
    return client.post(reverse("commissioning:service-update", args=[service.pk]), data)


def test_editing_moves_money_between_rows_within_the_pool(
    officer_client, pooled_service, organisation, partner
):
    """£500k + £300k becomes £300k + £500k in one save: never over the £826,000 pool as a whole."""
    response = post_pool(
        officer_client,
        pooled_service,
        organisation,
        partner,
        pool="826000",
        first_amount="300000",
        second_amount="500000",
    )
    assert response.status_code == 302, response.context["error_summary"]
    _, first, second = pooled_service
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.amount, second.amount) == (Decimal("300000"), Decimal("500000"))


def test_pool_and_rows_can_be_lowered_together(officer_client, pooled_service, organisation, partner):
    """The £826,000 pool with £500k + £300k becomes a £700,000 pool with £400k + £300k in one save."""
    response = post_pool(
        officer_client,
        pooled_service,
        organisation,
        partner,
        pool="700000",
        first_amount="400000",
        second_amount="300000",
    )
    assert response.status_code == 302, response.context["error_summary"]
    service, first, _ = pooled_service
    service.refresh_from_db()
    first.refresh_from_db()
    assert (service.pooled_budget, first.amount) == (Decimal("700000"), Decimal("400000"))


def test_lowering_the_pool_below_its_rows_is_refused(officer_client, pooled_service, organisation, partner):
    """A £700,000 pool under £500k + £300k = £800k (114%) is refused, and nothing changes."""
    response = post_pool(
        officer_client,
        pooled_service,
        organisation,
        partner,
        pool="700000",
        first_amount="500000",
        second_amount="300000",
    )
    assert response.status_code == 200
    # 800,000 / 700,000 = 114.3%, rounded to 114%.
    assertContains(response, "Contributions for 2011-12 would total £800,000, 114% of the £700,000 pool")
    service, _, _ = pooled_service
    service.refresh_from_db()
    assert service.pooled_budget == Decimal("826000")


def test_a_row_added_since_the_page_was_loaded_counts_against_the_new_pool(
    officer_client, pooled_service, organisation, partner
):
    """The page held one row; someone added £226,000 meanwhile: £450,000 + £226,000 = £676,000,
    over a £600,000 pool (113%), though the one row posted fits it."""
    service, first, second = pooled_service
    second.amount = Decimal("226000")
    second.save()
    data = service_data(commissioner=organisation.pk, pooled_budget="600000", name=service.name)
    data |= management("contributions", 1, initial=1)
    data |= contribution(0, organisation, "450000", id=first.pk, service=service.pk, year="2011-12")
    response = officer_client.post(reverse("commissioning:service-update", args=[service.pk]), data)
    assert response.status_code == 200
    assertContains(response, "Contributions for 2011-12 would total £676,000, 113% of the £600,000 pool")
    service.refresh_from_db()
    first.refresh_from_db()
    assert (service.pooled_budget, first.amount) == (Decimal("826000"), Decimal("500000"))


def test_a_contribution_can_be_removed(officer_client, case, organisation):
    service = ServiceFactory(commissioner=organisation)
    case.services.add(service)
    row = FundingContributionFactory(service=service)
    data = service_data(commissioner=organisation.pk, name=service.name) | management("contributions", 1, 1)
    data |= contribution(
        0, organisation, "670450", id=row.pk, service=service.pk, year="2011-12", DELETE="on"
    )
    response = officer_client.post(reverse("commissioning:service-update", args=[service.pk]), data)
    assert response.status_code == 302
    assert not FundingContribution.objects.filter(pk=row.pk).exists()


def test_budget_holder_of_another_commissioner_is_refused(officer_client, case, organisation, partner):
    case.partners.add(partner)
    before = counts()
    holder = BudgetHolderFactory(organisation=partner, name="Public Health")
    data = service_data(commissioner=organisation.pk)
    data |= contribution(0, organisation, "100", budget_holder=holder.pk)
    response = officer_client.post(reverse("commissioning:service-create", args=[case.reference]), data)
    assertContains(response, "The budget holder must be part of the contributing commissioner", count=2)
    assert counts() == before


def test_service_of_another_organisation_is_not_found(client, other_officer, case, organisation):
    service = ServiceFactory(commissioner=organisation)
    case.services.add(service)
    client.force_login(other_officer)
    assert client.get(reverse("commissioning:service-update", args=[service.pk])).status_code == 404


# Milestones.
def test_milestone_added_with_a_day_month_year_date(officer_client, case):
    response = officer_client.post(
        reverse("commissioning:milestone-create", args=[case.reference]),
        {"title": "Cabinet", "body": "cabinet", "precision": "day"} | date_parts("due_on", 1, 10, 2019),
    )
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    assert case.milestones.get().due_on == date(2019, 10, 1)
    assertContains(officer_client.get(response.url), "Milestone added")


def test_milestone_with_a_date_that_does_not_exist_is_refused(officer_client, case):
    before = counts()
    response = officer_client.post(
        reverse("commissioning:milestone-create", args=[case.reference]),
        {"title": "Cabinet", "precision": "day"} | date_parts("due_on", 31, 2, 2024),
    )
    assert response.status_code == 200
    assertContains(response, "Enter a real date", count=2)
    assertContains(response, 'href="#id_due_on_0"')
    assertContains(response, "<title>Error: Add a milestone")
    assert counts() == before


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        # A 20-digit day was a server error (OverflowError in date()).
        ("99999999999999999999", "10", "2019", "Enter a real date"),
        ("1", "10", "0001", "Year must be between 1900 and 2100"),
        ("١", "10", "2019", "Enter the date using the digits 0 to 9"),
        ("1", "10", "２０１９", "Enter the date using the digits 0 to 9"),
    ],
)
def test_milestone_date_that_cannot_be_real_is_refused_next_to_the_field(
    officer_client, case, day, month, year, message
):
    before = counts()
    response = officer_client.post(
        reverse("commissioning:milestone-create", args=[case.reference]),
        {"title": "Cabinet", "precision": "day"} | date_parts("due_on", day, month, year),
    )
    assert response.status_code == 200
    assert_error_next_to(response, "id_due_on", message)
    assertContains(response, 'href="#id_due_on_0"')
    assert counts() == before


def test_option_numbers_beyond_their_limits_are_refused_next_to_the_field(officer_client, case):
    before = counts()
    data = option_data(max_providers="99999999999999999999", order="-1", **{"lots-0-name": "North"})
    response = officer_client.post(reverse("commissioning:option-create", args=[case.reference]), data)
    assert response.status_code == 200
    assert_error_next_to(response, "id_max_providers", "Most service providers must be 32,767 or less")
    assert_error_next_to(response, "id_order", "Position in the list must be 0 or more")
    assert counts() == before


def test_milestone_edit(officer_client, case):
    milestone = MilestoneFactory(case=case, title="Tender live", due_on=date(2019, 11, 1))
    response = officer_client.post(
        reverse("commissioning:milestone-update", args=[milestone.pk]),
        {"title": "Tender live", "precision": "month"}
        | date_parts("due_on", 1, 11, 2019)
        | date_parts("completed_on", 4, 11, 2019),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.precision, milestone.completed_on) == ("month", date(2019, 11, 4))
    assertContains(officer_client.get(response.url), "Milestone updated")


def test_milestone_of_another_organisation_is_not_found(client, other_officer, case):
    milestone = MilestoneFactory(case=case)
    client.force_login(other_officer)
    assert client.get(reverse("commissioning:milestone-update", args=[milestone.pk])).status_code == 404


# Options, with lots and districts.
def option_data(**overrides):
    data = {
        "label": "B",
        "name": "North and South model",
        "min_providers": "1",
        "max_providers": "2",
        "order": "1",
        **management("lots", 2),
    }
    return data | overrides


def test_first_option_creates_the_appraisal_with_lots_and_districts(officer_client, case):
    mansfield = AreaFactory(name="Mansfield")
    bassetlaw = AreaFactory(name="Bassetlaw")
    ashfield = AreaFactory(name="Ashfield")
    data = option_data(recommended="on", estimated_annual_cost="£340,000")
    data |= {"lots-0-name": "North", "lots-0-areas": [mansfield.pk, bassetlaw.pk]}
    data |= {"lots-1-name": "South", "lots-1-areas": [ashfield.pk]}
    response = officer_client.post(reverse("commissioning:option-create", args=[case.reference]), data)
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    appraisal = case.appraisals.get()
    option = appraisal.options.get()
    assert appraisal.recommended_option == option
    assert option.providers_label == "1-2 service providers"
    assert option.estimated_annual_cost == Decimal("340000")
    lots = {lot.name: sorted(a.name for a in lot.areas.all()) for lot in option.lots.all()}
    assert lots == {"North": ["Bassetlaw", "Mansfield"], "South": ["Ashfield"]}
    assertContains(officer_client.get(response.url), "Option added")


def test_min_providers_above_max_is_refused_and_nothing_saved(officer_client, case):
    before = counts()
    data = option_data(min_providers="3", max_providers="1", **{"lots-0-name": "North"})
    response = officer_client.post(reverse("commissioning:option-create", args=[case.reference]), data)
    assert response.status_code == 200
    assertContains(
        response, "The minimum number of providers (3) cannot be more than the maximum (1)", count=2
    )
    assertContains(response, 'href="#id_min_providers"')
    # Not even the appraisal a first option would start.
    assert counts() == before


def test_option_edit_keeps_the_appraisal_and_changes_lots(officer_client, case):
    option = OptionFactory(appraisal__case=case, label="C", name="Three Area model")
    lot = OptionLot.objects.create(option=option, name="West")
    gedling = AreaFactory(name="Gedling")
    data = option_data(label="C", name="Three Area model", max_providers="3") | management("lots", 3, 1)
    data |= {
        "lots-0-id": lot.pk,
        "lots-0-option": option.pk,
        "lots-0-name": "West",
        "lots-0-areas": [gedling.pk],
    }
    response = officer_client.post(reverse("commissioning:option-update", args=[option.pk]), data)
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.max_providers == 3
    assert [a.name for a in option.lots.get().areas.all()] == ["Gedling"]
    assert OptionAppraisal.objects.count() == 1
    assertContains(officer_client.get(response.url), "Option updated")


def test_option_of_another_organisation_is_not_found(client, other_officer, case):
    option = OptionFactory(appraisal__case=case)
    client.force_login(other_officer)
    assert client.get(reverse("commissioning:option-update", args=[option.pk])).status_code == 404


# Links on the case page.
def test_case_page_offers_add_and_change_links_to_editors_only(client, officer, case, partner):
    case.partners.add(partner)
    milestone = MilestoneFactory(case=case)
    client.force_login(officer)
    page = client.get(case.get_absolute_url())
    for url in [
        reverse("commissioning:case-update", args=[case.reference]),
        reverse("commissioning:milestone-create", args=[case.reference]),
        reverse("commissioning:milestone-update", args=[milestone.pk]),
        reverse("commissioning:service-create", args=[case.reference]),
        reverse("commissioning:option-create", args=[case.reference]),
        reverse("consultations:consultation-create", args=[case.reference]),
    ]:
        assertContains(page, f'href="{url}"')
    viewer = ProfileFactory(
        user__username="viewer", organisation=partner, role=Profile.Role.PARTNER_VIEWER
    ).user
    client.force_login(viewer)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assertNotContains(page, reverse("commissioning:milestone-create", args=[case.reference]))
    assertNotContains(page, "Change case details")


def test_administrator_without_an_organisation_chooses_the_lead(client, superuser, organisation):
    client.force_login(superuser)
    response = client.post(
        reverse("commissioning:case-create"),
        {
            "lead_commissioner": organisation.pk,
            "reference": "admin-case",
            "title": "Set up by an administrator",
            "stage": "review",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(reference="admin-case").lead_commissioner == organisation
