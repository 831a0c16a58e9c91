"""An officer groups the ONS districts into their council's own areas: two lots, one renamed,
one deleted; every page passes axe-core."""

from playwright.sync_api import expect

from commissioning.models import Area
from commissioning.reference_data import load_reference_areas


def test_an_officer_defines_lots_from_the_ons_districts(logged_in_page, browser_user, axe):
    load_reference_areas()
    page = logged_in_page
    page.goto("/organisation/mine/")
    page.get_by_role("link", name="Your organisation's areas").click()
    expect(page.get_by_role("heading", name="Your organisation's areas")).to_be_visible()
    expect(page.locator("main")).to_contain_text("317 English districts and councils")
    axe(page, "areas, none yet")

    page.get_by_role("link", name="Add an area").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name")
    axe(page, "add an area, with errors")
    page.get_by_label("Name").fill("Lot 1 – North")
    for district in ("Bassetlaw", "Mansfield", "Newark and Sherwood"):
        page.get_by_label(district, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Area added")
    expect(page.locator("main table")).to_contain_text("Bassetlaw, Mansfield, Newark and Sherwood")
    axe(page, "areas, one lot")

    page.get_by_role("link", name="Change Lot 1 – North").click()
    page.get_by_label("Name").fill("Lot 1 – North Nottinghamshire")
    page.get_by_label("Locality (group of districts)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main table")).to_contain_text("Lot 1 – North Nottinghamshire")

    page.get_by_role("link", name="Delete Lot 1 – North Nottinghamshire").click()
    axe(page, "delete an area")
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("deleted")
    assert not Area.objects.filter(owner=browser_user.profile.organisation).exists()
