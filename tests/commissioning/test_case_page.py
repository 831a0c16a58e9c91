"""The case page: figures from the models, scoped to the user's organisation, fixed queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contracts.models import ContractTermOption
from tests.factories import (
    BudgetHolderFactory,
    CaseFactory,
    ConsultationFactory,
    ContractFactory,
    FundingContributionFactory,
    MilestoneFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def case_url(case):
    return reverse("commissioning:case-detail", args=[case.reference])


@pytest.fixture
def leics_case(organisation):
    """Seed 002: a £826,000 contract of which the County pays £231,300 (28%)."""
    case = CaseFactory(reference="leics-2019", title="DASV services", lead_commissioner=organisation)
    city = OrganisationFactory(name="Leicester City Council")
    case.partners.add(city)
    service = ServiceFactory(name="UAVA DASV service", commissioner=city, pooled_budget=Decimal("826000"))
    FundingContributionFactory(
        service=service,
        commissioner=organisation,
        budget_holder=BudgetHolderFactory(organisation=organisation, name="Public Health"),
        financial_year="2018-19",
        amount=Decimal("231300"),
    )
    case.services.add(service)
    return case


def test_case_page_needs_login(client, leics_case):
    response = client.get(case_url(leics_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_case_page_shows_contribution_share_of_pool(client, officer, leics_case):
    client.force_login(officer)
    response = client.get(case_url(leics_case))
    # 231,300 / 826,000 = 0.28002 -> 28%
    assertContains(response, "£231,300")
    assertContains(response, "28%")
    assertContains(response, "shares of the £826,000 pool")
    assertContains(response, "Public Health")
    assertContains(response, "Leicester City Council")  # partner commissioner


def test_case_page_shows_totals_and_uplift(client, officer, organisation):
    """Seed 001: £670,450 uplifted 2% is £683,859 -> £683,860 to the nearest £10."""
    case = CaseFactory(reference="staffs-2022", lead_commissioner=organisation)
    service = ServiceFactory(name="Staffordshire DA service", commissioner=organisation)
    FundingContributionFactory(service=service, amount=Decimal("670450"), uplift_percent=Decimal("2"))
    FundingContributionFactory(service=service, commissioner=OrganisationFactory(), amount=Decimal("100000"))
    case.services.add(service)
    client.force_login(officer)
    response = client.get(case_url(case))
    assertContains(response, "£683,860")
    assertContains(response, "2012-13")
    # Total 670,450 + 100,000 = 770,450; shares 670,450/770,450 = 87.0% -> 87%, 100,000/770,450 -> 13%
    assertContains(response, "£770,450")
    assertContains(response, "87%")
    assertContains(response, "13%")


def test_case_page_shows_timeline_options_consultations_contracts(client, officer, organisation):
    today = date.today()
    case = CaseFactory(reference="dorset-2019", lead_commissioner=organisation)
    MilestoneFactory(case=case, title="Cabinet decision", due_on=today - timedelta(days=3))
    MilestoneFactory(case=case, title="DMT", due_on=today - timedelta(days=10), completed_on=today)
    MilestoneFactory(case=case, title="Tender live", due_on=today + timedelta(days=40))
    appraisal = OptionAppraisalFactory(case=case)
    OptionFactory(appraisal=appraisal, label="A", name="Single county contract")
    chosen = OptionFactory(appraisal=appraisal, label="B", name="North and south")
    appraisal.recommended_option = chosen
    appraisal.save()
    ConsultationFactory(case=case, title="DVA consultation", response_count=19)
    contract = ContractFactory(
        case=case,
        lead_commissioner=organisation,
        title="DVA service",
        starts_on=date(2020, 4, 1),
        initial_term_months=24,
        annual_value=Decimal("340000"),
    )
    for order in range(3):
        ContractTermOption.objects.create(contract=contract, months=12, order=order)
    client.force_login(officer)
    response = client.get(case_url(case))
    content = response.content.decode()
    assert content.count("Overdue") == 1
    assertContains(response, "Done")
    assertContains(response, "Recommended", count=1)
    assert content.index("Recommended") > content.index("North and south") > content.index("Single county")
    assertContains(response, "DVA consultation")
    assertContains(response, '>19 <span class="govuk-body-s">(reported)</span><')
    # 2 + 1 + 1 + 1 years from 1 April 2020 ends 31 March 2025; £340k x 5 = £1.7m.
    assertContains(response, "2 + 1 + 1 + 1 years")
    assertContains(response, "31 Mar 2025")
    assertContains(response, "£1,700,000")


def test_other_organisations_case_is_not_found(client, other_officer, leics_case):
    client.force_login(other_officer)
    response = client.get(case_url(leics_case))
    assert response.status_code == 404
    assertNotContains(response, "£231,300", status_code=404)


def test_partner_organisation_sees_the_case(client, leics_case):
    from tests.factories import ProfileFactory

    partner = ProfileFactory(organisation=OrganisationFactory(name="Leicester City Council")).user
    client.force_login(partner)
    assert client.get(case_url(leics_case)).status_code == 200


def _case_with_services(organisation, count):
    case = CaseFactory(lead_commissioner=organisation)
    case.partners.add(OrganisationFactory())
    for _ in range(count):
        service = ServiceFactory(commissioner=organisation, pooled_budget=Decimal("826000"))
        FundingContributionFactory(
            service=service,
            commissioner=organisation,
            budget_holder=BudgetHolderFactory(organisation=organisation),
            amount=Decimal("231300"),
            uplift_percent=Decimal("2"),
        )
        FundingContributionFactory(
            service=service, commissioner=OrganisationFactory(), amount=Decimal("1000")
        )
        case.services.add(service)
        MilestoneFactory(case=case)
        appraisal = OptionAppraisalFactory(case=case)
        OptionFactory(appraisal=appraisal)
        ConsultationFactory(case=case)
        contract = ContractFactory(case=case, lead_commissioner=organisation)
        ContractTermOption.objects.create(contract=contract, months=12)
    return case


def test_case_page_queries_do_not_grow_with_rows(client, officer, organisation):
    small = _case_with_services(organisation, 1)
    large = _case_with_services(organisation, 50)
    client.force_login(officer)
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(case_url(case))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # And the large page shows all 50 services' funding tables.
    assert response.content.decode().count("shares of the £826,000 pool") == 50
