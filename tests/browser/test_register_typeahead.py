"""A long filter list is a typeahead (GOV.UK's accessible-autocomplete) with JavaScript and a plain
<select> without it; the register's Excel download goes to its export page. Axe-clean and
strict-CSP clean (``live_page`` fails the test on a CSP violation or a script error)."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from commissioning.filters import TYPEAHEAD_OVER
from commissioning.models import ExportJob, Organisation
from tests.factories import OrganisationFactory, ServiceFactory

# One more provider than a plain list may have: the filter becomes a typeahead.
PROVIDERS = TYPEAHEAD_OVER + 1
WANTED = "Equation Domestic Abuse Services"


@pytest.fixture
def many_providers(browser_user):
    """21 services of the user's council, each with its own provider; WANTED provides the last."""
    ncc = browser_user.profile.organisation
    names = [f"Provider {n:02d} Women's Aid" for n in range(PROVIDERS - 1)] + [WANTED]
    for n, name in enumerate(names):
        provider = OrganisationFactory(name=name, short_name="", kind=Organisation.Kind.CHARITY)
        ServiceFactory(name=f"Outreach service {n:02d}", commissioner=ncc).providers.add(provider)
    # Another council's provider, which the user's list must not offer.
    ServiceFactory(name="Dorset outreach").providers.add(
        OrganisationFactory(name="Equality Dorset", short_name="", kind=Organisation.Kind.CHARITY)
    )
    return names


def service_names(page):
    return page.locator("table.govuk-table tbody tr td:first-child")


def test_provider_typeahead_filters_the_register(logged_in_page, many_providers, axe, screenshot):
    page = logged_in_page
    page.goto("/service/")
    # The plain <select> is hidden and the typeahead labelled "Provider" takes its place.
    box = page.get_by_role("combobox", name="Provider")
    expect(box).to_be_visible()
    expect(page.locator("select#id_provider-select")).to_be_hidden()
    axe(page, "service register with a typeahead")
    box.fill("Equa")
    # Only the user's own providers are offered: not "Equality Dorset".
    suggestions = page.locator("#id_provider__listbox").get_by_role("option")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_have_text(WANTED)
    suggestions.first.click()
    expect(box).to_have_value(WANTED)
    axe(page, "service register, typeahead chosen")
    screenshot(page, "service-register-typeahead")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"provider=\d+"))
    expect(service_names(page)).to_have_text([f"Outreach service {PROVIDERS - 1:02d}"])
    # The choice survives the reload: the box shows it, ready to change.
    expect(page.get_by_role("combobox", name="Provider")).to_have_value(WANTED)
    # Clearing the box means "Any" again: every service of the council, 21 over one page of 25.
    page.get_by_role("combobox", name="Provider").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"provider=&"))
    expect(service_names(page)).to_have_count(PROVIDERS)


def test_short_lists_stay_plain_selects(logged_in_page, many_providers):
    page = logged_in_page
    page.goto("/service/")
    expect(page.get_by_role("combobox", name="Provider")).to_be_visible()
    # The provider list is the only long one: one typeahead; the service types stay a <select>.
    expect(page.locator(".autocomplete__wrapper")).to_have_count(1)
    service_type = page.locator("#id_service_type")
    expect(service_type).to_be_visible()
    assert service_type.evaluate("el => el.tagName") == "SELECT"
    assert service_type.get_attribute("data-typeahead") is None


@pytest.fixture
def no_script_page(browser, live_server, browser_user):
    """A signed-in page with JavaScript turned off."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    client = Client()
    client.force_login(browser_user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_without_javascript_the_provider_list_is_a_plain_select(no_script_page, many_providers, axe):
    page = no_script_page
    page.goto("/service/")
    select = page.get_by_label("Provider")
    expect(select).to_be_visible()
    assert select.evaluate("el => el.tagName") == "SELECT"
    assert select.get_attribute("data-typeahead") == "true"
    expect(page.get_by_role("combobox", name="Provider")).to_have_count(1)  # the select itself
    # "Any" and the council's 21 providers.
    assert select.locator("option").count() == PROVIDERS + 1
    select.select_option(label=WANTED)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"provider=\d+"))
    expect(service_names(page)).to_have_text([f"Outreach service {PROVIDERS - 1:02d}"])


def test_excel_download_without_javascript_shows_the_export_page(
    no_script_page, many_providers, settings, tmp_path
):
    """The worker is immediate here; the export's page offers the file, with no script needed."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    page = no_script_page
    page.goto("/service/?sort=name")
    page.get_by_role("button", name="Download Excel (.xlsx)").click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    job = ExportJob.objects.get()
    assert (job.query, job.rows_written) == ("sort=name", PROVIDERS)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Excel file (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_export_page_in_progress_is_accessible(logged_in_page, browser_user, axe, screenshot):
    job = ExportJob.objects.create(
        owner=browser_user,
        organisation=browser_user.profile.organisation,
        register="commissioning:service-list",
        title="Services",
        status=ExportJob.Status.RUNNING,
        rows_written=500,
        rows_total=2000,
    )
    page = logged_in_page
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("status")).to_contain_text("500 of 2000 rows written (25%)")
    axe(page, "export in progress")
    screenshot(page, "export-in-progress")
    # The worker finishes: the page's script brings the link in without a reload.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, rows_written=2000, file="x.xlsx")
    expect(page.get_by_role("link", name="Download the Excel file (.xlsx)")).to_be_visible(timeout=10_000)
    axe(page, "export ready")
