"""Sign in, see the dashboard, open a case; accessible (axe) and strict-CSP clean on each page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commissioning.models import Case
from contracts.models import ContractTermOption, add_months
from tests.browser.conftest import BROWSER_PASSWORD
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


@pytest.fixture
def notts_case(browser_user):
    """A slice of seed 000 (Nottinghamshire 2011), with milestones placed around today."""
    today = date.today()
    ncc = browser_user.profile.organisation
    case = CaseFactory(
        reference="notts-2011",
        title="Domestic violence reduction services",
        lead_commissioner=ncc,
        stage=Case.Stage.DECISION,
        officer=browser_user,
    )
    case.partners.add(OrganisationFactory(name="Nottinghamshire Police Authority"))
    service = ServiceFactory(name="Women's refuges", commissioner=ncc, pooled_budget=Decimal("826000"))
    FundingContributionFactory(
        service=service,
        commissioner=ncc,
        budget_holder=BudgetHolderFactory(organisation=ncc, name="Adult Social Care and Health"),
        financial_year="2011-12",
        amount=Decimal("231300"),
        uplift_percent=Decimal("2"),
    )
    case.services.add(service)
    MilestoneFactory(
        case=case,
        title="Consultation approved by Cabinet",
        due_on=date(2011, 7, 27),
        completed_on=date(2011, 7, 27),
    )
    MilestoneFactory(case=case, title="Scrutiny committee", due_on=today - timedelta(days=3))
    MilestoneFactory(case=case, title="Cabinet decision", due_on=today + timedelta(days=12))
    appraisal = OptionAppraisalFactory(case=case)
    OptionFactory(appraisal=appraisal, label="A", name="Single county-wide service")
    chosen = OptionFactory(appraisal=appraisal, label="B", name="North and south contracts")
    appraisal.recommended_option = chosen
    appraisal.save()
    ConsultationFactory(case=case, title="Public consultation", response_count=19)
    ends_on = today + timedelta(days=200)
    contract = ContractFactory(
        case=case,
        lead_commissioner=ncc,
        title="Outreach North",
        starts_on=add_months(ends_on + timedelta(days=1), -24),
        initial_term_months=24,
        ends_on=ends_on,
    )
    ContractTermOption.objects.create(contract=contract, months=12)
    return case


@pytest.fixture
def dorset_case(transactional_db):
    return CaseFactory(
        reference="dorset-2019",
        title="Dorset DVA services",
        lead_commissioner=OrganisationFactory(name="Dorset Council"),
    )


def test_sign_in_and_see_the_dashboard(live_page, browser_user, notts_case, axe, screenshot):
    live_page.goto("/")
    expect(live_page).to_have_url("/accounts/login/?next=/")
    expect(live_page.get_by_role("heading", name="Sign in")).to_be_visible()
    axe(live_page, "sign in")

    # A wrong password shows the GOV.UK error summary, not a browser bubble.
    live_page.get_by_label("Username").fill("notts.officer")
    live_page.get_by_label("Password").fill("wrong")
    live_page.get_by_role("button", name="Sign in").click()
    expect(live_page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    axe(live_page, "sign in with errors")
    screenshot(live_page, "sign-in-errors")

    live_page.get_by_label("Password").fill(BROWSER_PASSWORD)
    live_page.get_by_role("button", name="Sign in").click()
    expect(live_page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(live_page.get_by_text("Signed in as")).to_contain_text("Nina Officer")
    expect(live_page.locator("#panel-cases").locator("..")).to_contain_text(
        "Domestic violence reduction services"
    )
    expect(live_page.locator("#panel-milestones").locator("..")).to_contain_text("Scrutiny committee")
    expect(live_page.locator("#panel-contracts").locator("..")).to_contain_text("Outreach North")
    expect(live_page.locator("#panel-approvals").locator("..")).to_contain_text("Nothing is waiting")
    # GOV.UK Frontend's JavaScript ran (from the static module file, under the strict CSP).
    expect(live_page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    axe(live_page, "dashboard")
    screenshot(live_page, "dashboard")

    live_page.get_by_role("button", name="Sign out").click()
    expect(live_page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_open_a_case_page(logged_in_page, notts_case, axe, screenshot):
    page = logged_in_page
    page.goto("/")
    page.get_by_role("region", name="Open cases").get_by_role(
        "link", name="Domestic violence reduction services"
    ).click()
    expect(page).to_have_url("/case/notts-2011/")
    expect(page.get_by_role("heading", name="Domestic violence reduction services", level=1)).to_be_visible()
    expect(page.get_by_text("Stage: Decision")).to_be_visible()
    funding = page.get_by_role(
        "table", name="Funding for Women's refuges, 2011-12: shares of the £826,000 pool"
    )
    # 231,300 of 826,000 is 28%; uplifted 2% it is 235,926 -> £235,930 to the nearest £10.
    expect(funding).to_contain_text("£231,300")
    expect(funding).to_contain_text("28%")
    expect(funding).to_contain_text("£235,930")
    expect(page.locator(".moj-timeline")).to_contain_text("Overdue")
    expect(page.get_by_role("row", name="Option B: North and south contracts")).to_contain_text("Recommended")
    expect(page.get_by_role("row", name="Option A: Single county-wide service")).not_to_contain_text(
        "Recommended"
    )
    axe(page, "case page")
    screenshot(page, "case-page")


def test_case_page_works_without_javascript(browser, browser_user, notts_case, live_server):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(browser_user)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/case/notts-2011/")
    expect(page.get_by_role("heading", name="Domestic violence reduction services", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page.locator("body")).not_to_have_class("js-enabled")
    context.close()


def test_another_councils_case_is_not_found(logged_in_page, dorset_case, axe):
    response = logged_in_page.goto("/case/dorset-2019/")
    assert response.status == 404
    expect(logged_in_page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(logged_in_page.locator("main")).not_to_contain_text("Dorset DVA services")
    axe(logged_in_page, "404 page")
