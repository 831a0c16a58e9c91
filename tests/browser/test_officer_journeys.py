"""An officer's daily work in the browser, with no admin page: create a case and a jointly funded
service, refuse a contract that ends before it starts, and run the Nottinghamshire 2011 seed case.
"""

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from commissioning.models import Case, Milestone, Option, Organisation
from contracts.models import Contract, ContractTermOption
from tests.factories import OrganisationFactory


@pytest.fixture
def pct(transactional_db):
    return OrganisationFactory(
        name="Nottinghamshire PCT", short_name="PCT", kind=Organisation.Kind.HEALTH_BODY
    )


def fill_date(page, name, day, month, year):
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def test_create_a_case_and_a_jointly_funded_service(logged_in_page, pct, axe, screenshot):
    page = logged_in_page
    page.goto("/case/new/")
    expect(page.get_by_role("heading", name="Start a new case", level=1)).to_be_visible()
    axe(page, "new case form")
    page.get_by_label("Reference", exact=True).fill("notts-dv-2025")
    page.get_by_label("Title").fill("Children's domestic violence outreach")
    page.get_by_label("Nottinghamshire PCT").check()
    page.get_by_role("button", name="Create case").click()

    expect(page).to_have_url("/case/notts-dv-2025/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Case created")
    case = Case.objects.get(reference="notts-dv-2025")
    assert case.lead_commissioner.name == "Nottinghamshire County Council"

    # Seed 000: children's outreach, NCC £53,000 with Nottinghamshire PCT £36,000 in 2011-12.
    page.get_by_role("link", name="Add a service").click()
    expect(page.get_by_role("heading", name="Add a service", level=1)).to_be_visible()
    page.get_by_label("Service name").fill("Children's outreach and support")
    page.get_by_label("Type of service").select_option(label="Children and young people")
    page.get_by_label("Children and young people", exact=True).check()
    page.locator("#id_contributions-0-commissioner").select_option(label="Nottinghamshire County Council")
    page.locator("#id_contributions-0-financial_year").fill("2011-12")
    page.locator("#id_contributions-0-amount").fill("£53,000")
    page.locator("#id_contributions-1-commissioner").select_option(label="Nottinghamshire PCT")
    page.locator("#id_contributions-1-financial_year").fill("2011-12")
    page.locator("#id_contributions-1-amount").fill("36000")
    axe(page, "new service form")
    page.get_by_role("button", name="Save service and funding").click()

    expect(page).to_have_url("/case/notts-dv-2025/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Service added")
    funding = page.get_by_role("table", name="Funding for Children's outreach and support, 2011-12")
    # £53,000 + £36,000 = £89,000; 53,000 / 89,000 = 59.6% -> 60%, 36,000 / 89,000 = 40.4% -> 40%.
    expect(funding.get_by_role("row", name="Nottinghamshire County Council")).to_contain_text("£53,000")
    expect(funding.get_by_role("row", name="Nottinghamshire County Council")).to_contain_text("60%")
    expect(funding.get_by_role("row", name="Nottinghamshire PCT")).to_contain_text("£36,000")
    expect(funding.get_by_role("row", name="Nottinghamshire PCT")).to_contain_text("40%")
    expect(funding.get_by_role("row", name="Total")).to_contain_text("£89,000")
    screenshot(page, "case-with-new-service")

    # The services register, downloaded as CSV and read back.
    page.goto("/service/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    text = open(download_info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["Service"] == "Children's outreach and support")
    assert row["Commissioner"] == "Nottinghamshire County Council"
    assert row["Latest year"] == "2011-12"
    assert row["Funding that year"] == "89000.00"


def submit_contract_ending_before_it_starts(page):
    page.goto("/contracts/new/")
    page.get_by_label("Reference", exact=True).fill("notts-dv-north")
    page.get_by_label("Title").fill("North Nottinghamshire DV reduction services")
    fill_date(page, "starts_on", 1, 4, 2012)
    fill_date(page, "ends_on", 31, 3, 2012)
    page.get_by_role("button", name="Save contract").click()


def assert_end_date_refused(page):
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    link = summary.get_by_role("link", name="The end date must be the same as or after the start date")
    expect(link).to_have_attribute("href", "#id_ends_on_0")
    # Next to the field too, and the typed dates are kept.
    expect(page.locator("#id_ends_on_error")).to_contain_text("The end date must be the same as or after")
    expect(page.locator("#id_ends_on_0")).to_have_value("31")
    expect(page).to_have_title("Error: Add a contract – Domestic abuse commissioning")
    assert Contract.objects.count() == 0
    assert ContractTermOption.objects.count() == 0


def test_contract_ending_before_it_starts_is_refused(logged_in_page, axe, screenshot):
    page = logged_in_page
    submit_contract_ending_before_it_starts(page)
    assert_end_date_refused(page)
    # The summary link takes the officer to the field.
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.locator("#id_ends_on_0")).to_be_focused()
    axe(page, "contract form with errors")
    screenshot(page, "contract-form-errors")


def test_contract_ending_before_it_starts_is_refused_without_javascript(browser, browser_user, live_server):
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
    try:
        submit_contract_ending_before_it_starts(page)
        assert_end_date_refused(page)
        # Corrected, it saves, still without JavaScript, and comes back with the notification.
        fill_date(page, "ends_on", 31, 3, 2015)
        page.locator("#id_term_options-0-months").fill("12")
        page.get_by_role("button", name="Save contract").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Contract added")
        contract = Contract.objects.get()
        assert (contract.starts_on, contract.ends_on) == (date(2012, 4, 1), date(2015, 3, 31))
        assert contract.term_summary == "3 + 1"
    finally:
        context.close()


def test_run_the_nottinghamshire_2011_case(logged_in_page, axe, screenshot):
    """Seed 000 end to end: current services and funding, a milestone added, an option edited."""
    call_command("load_seed_cases", stdout=io.StringIO())
    page = logged_in_page
    page.goto("/case/notts-2011/")
    services = page.locator("#services").locator("..")
    expect(services).to_contain_text("4 Women's Refuges run by 4 organisations")
    marac = page.get_by_role(
        "table", name="Funding for MARACs for High Risk victims delivered by 2 organisations"
    )
    # £120,000 + £155,500 = £275,500; 120,000 / 275,500 = 43.6% -> 44%; 155,500 / 275,500 -> 56%.
    expect(marac.get_by_role("row", name="Total")).to_contain_text("£275,500")
    expect(marac).to_contain_text("44%")
    expect(marac).to_contain_text("56%")

    # A milestone, the month precision the papers use ("Tender live – November 2019").
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Milestone").fill("Commissioning process complete")
    fill_date(page, "due_on", 1, 4, 2012)
    page.get_by_label("Month only").check()
    axe(page, "milestone form")
    page.get_by_role("button", name="Save milestone").click()
    expect(page).to_have_url("/case/notts-2011/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Milestone added")
    expect(page.locator(".moj-timeline")).to_contain_text("Commissioning process complete")
    expect(page.locator(".moj-timeline")).to_contain_text("April 2012")
    assert Milestone.objects.filter(
        case__reference="notts-2011", title="Commissioning process complete"
    ).exists()

    # Option C: the South lot loses Rushcliffe, and the option says why it was not chosen.
    option_c = Option.objects.get(appraisal__case__reference="notts-2011", label="C")
    page.get_by_role("link", name="Change option C").click()
    expect(page).to_have_url(f"/option/{option_c.pk}/edit/")
    expect(page.get_by_label("Name", exact=True)).to_have_value(option_c.name)
    south = page.locator("fieldset", has=page.locator("input[value='South Nottinghamshire']"))
    south.get_by_label("Rushcliffe").uncheck()
    axe(page, "option form")
    page.get_by_role("button", name="Save option").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Option updated")
    row = page.get_by_role("row", name=f"Option C: {option_c.name}")
    expect(row).not_to_contain_text("Rushcliffe")
    expect(row).to_contain_text("Gedling")
    screenshot(page, "notts-2011-after-edits")
