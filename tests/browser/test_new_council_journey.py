"""A council that is not in the seeds runs its first case from start to finish on officer screens.

A superuser adds Anytown Borough Council and its administrator; the administrator invites an
officer, an approver, a finance and a legal officer, and adds a budget holder and the Cabinet; the
officer records a provider consortium, a case with two services funded by the council and the
police and crime commissioner, a contract in two lots, a consultation with an event and the
respondents' preferences, and a Cabinet paper with its details; finance and legal comment, the
approver approves, and the final PDF the officer downloads carries the facts entered on the way.
No page of the journey is an /admin/ page, and axe-core checks every page the journey opens.
"""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from commissioning.models import DecisionPaper, FundingContribution, Organisation, Profile, Service
from commissioning.reference_data import load_reference_areas
from contracts.models import Contract
from tests.browser.test_approval_journey import sign_in_as, waiting_panel
from tests.browser.test_officer_journeys import fill_date
from tests.browser.test_organisation_journey import PASSWORD, choose_password, invite, link_in
from tests.factories import OrganisationFactory

STAFF = [
    ("Priya", "Shah", "priya.shah@anytown.gov.uk", "Commissioning officer"),
    ("Dele", "Adeyemi", "dele.adeyemi@anytown.gov.uk", "Approver"),
    ("Fran", "Okoro", "fran.okoro@anytown.gov.uk", "Finance officer"),
    ("Lee", "Marsh", "lee.marsh@anytown.gov.uk", "Legal officer"),
]
# Two services, each funded by the council and the commissioner in 2027-28.
FUNDING = {
    "Refuge accommodation": (
        ("Anytown Borough Council", "250,000"),
        ("Anyshire Police and Crime Commissioner", "50,000"),
    ),
    "Community outreach": (
        ("Anytown Borough Council", "120,000"),
        ("Anyshire Police and Crime Commissioner", "80,000"),
    ),
}


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    # The live server renders the PDF in the request, as the worker would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    load_reference_areas()  # the ONS districts and councils, as `make run` loads them
    OrganisationFactory(name="Anyshire Police and Crime Commissioner", kind=Organisation.Kind.OPCC)
    for name in ("Anytown Women's Aid", "Safe Homes Anytown"):
        OrganisationFactory(name=name, kind=Organisation.Kind.CHARITY)
    return get_user_model().objects.create_superuser("service.admin", "ops@example.org", "x-" + PASSWORD)


class Journey:
    """The page, and axe run once on every distinct address the journey opens."""

    def __init__(self, page, axe):
        self.page, self.axe, self.checked = page, axe, set()

    def check(self, name):
        address = self.page.url.split("?")[0]
        assert "/admin/" not in address, address
        if address not in self.checked:
            self.checked.add(address)
            self.axe(self.page, name)

    def click(self, role, name, check=True, **kwargs):
        self.page.get_by_role(role, name=name, **kwargs).click()
        if check:
            self.page.wait_for_load_state()
            self.check(name)

    def success(self, text):
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_a_new_council_runs_its_first_case_from_set_up_to_final_paper(live_page, live_server, axe, world):
    page = live_page
    journey = Journey(page, axe)
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # A superuser adds the council and its administrator.
    sign_in_as(page, live_server, world)
    page.goto("/organisation/")
    journey.check("organisations")
    journey.click("link", "Add an organisation")
    page.get_by_label("Name", exact=True).fill("Anytown Borough Council")
    page.get_by_label("What kind of organisation").select_option(label="Unitary council")
    page.get_by_label("Key decision threshold (optional)").fill("500,000")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("sam.okafor@anytown.gov.uk")
    journey.click("button", "Add the organisation and send the invitation")
    journey.success("Anytown Borough Council added")

    # The administrator sets up the council: a budget holder, the Cabinet and four members of staff.
    choose_password(page, link_in(mail.outbox[0]))
    journey.check("dashboard")
    journey.click("link", "Your organisation")
    journey.click("link", "Add a budget holder")
    page.get_by_label("Name").fill("Community Safety")
    journey.click("button", "Save")
    expect(page.locator("main")).to_contain_text("Community Safety")
    journey.click("link", "Meeting bodies", exact=True)
    page.get_by_label("Name").fill("Cabinet")
    page.get_by_label("Cabinet", exact=True).check()
    journey.click("button", "Add")
    expect(page.locator("main table")).to_contain_text("Cabinet")
    # The council areas it serves (Anytown stands in for a real borough: Reading) and its own lots.
    journey.click("link", "Your organisation")
    journey.click("link", "Change the details")
    page.get_by_label("Council areas it serves (optional)").fill("Reading, Wokingham")
    journey.click("button", "Save")
    expect(page.locator("main")).to_contain_text("Reading, Wokingham")
    journey.click("link", "Your organisation's areas")
    for lot, district in (("Lot 1 – Reading", "Reading"), ("Lot 2 – Wokingham", "Wokingham")):
        journey.click("link", "Add an area")
        expect(page.get_by_label("Blaby", exact=True)).to_have_count(0)  # not a district it serves
        page.get_by_label("Name").fill(lot)
        page.get_by_label(district, exact=True).check()
        journey.click("button", "Save")
        journey.success("Area added")
    journey.click("link", "Your organisation")
    for first, last, email, role in STAFF:
        invite(page, axe, first, last, email, role)
    journey.check("organisation with staff invited")
    council = Organisation.objects.get(name="Anytown Borough Council")
    assert Profile.objects.filter(organisation=council).count() == 5

    # Each member of staff chooses a password from the e-mailed link; the officer goes on.
    for _, _, email, _ in reversed(STAFF):
        choose_password(page, link_in(next(m for m in mail.outbox if m.to == [email])))
    expect(page.locator(".app-user-bar")).to_contain_text("Priya Shah")

    # The officer records the consortium that will bid.
    page.goto("/organisation/provider/new/")
    journey.check("add a provider")
    page.get_by_label("Name", exact=True).fill("Anytown Domestic Abuse Partnership")
    page.get_by_label("Consortium").check()
    page.get_by_label("Anytown Women's Aid").check()
    page.get_by_label("Safe Homes Anytown").check()
    journey.click("button", "Save")
    journey.success("Anytown Domestic Abuse Partnership")

    # A case jointly commissioned with the police and crime commissioner, and its two services.
    page.goto("/case/new/")
    journey.check("new case")
    page.get_by_label("Reference", exact=True).fill("anytown-da-2027")
    page.get_by_label("Title").fill("Domestic abuse support services from 2027")
    page.get_by_label("Anyshire Police and Crime Commissioner").check()
    journey.click("button", "Create case")
    journey.success("Case created")
    for service, contributions in FUNDING.items():
        journey.click("link", "Add a service")
        page.get_by_label("Service name").fill(service)
        page.get_by_label("Type of service").select_option(index=1)
        page.get_by_label("Victims and survivors").check()
        page.get_by_label(
            "Lot 1 – Reading" if service == "Refuge accommodation" else "Lot 2 – Wokingham"
        ).check()
        for row, (commissioner, amount) in enumerate(contributions):
            page.locator(f"#id_contributions-{row}-commissioner").select_option(label=commissioner)
            page.locator(f"#id_contributions-{row}-financial_year").fill("2027-28")
            page.locator(f"#id_contributions-{row}-amount").fill(amount)
        journey.click("button", "Save service and funding")
        journey.success("Service added")
    # £250,000 + £50,000 = £300,000 and £120,000 + £80,000 = £200,000.
    funding = page.get_by_role("table", name="Funding for Refuge accommodation, 2027-28")
    expect(funding.get_by_role("row", name="Total")).to_contain_text("£300,000")
    funding = page.get_by_role("table", name="Funding for Community outreach, 2027-28")
    expect(funding.get_by_role("row", name="Total")).to_contain_text("£200,000")

    # Two options, so that respondents can state a preference.
    for label, name, order in (("A", "One contract in two lots", "1"), ("B", "Two separate grants", "2")):
        journey.click("link", "Add an option")
        page.get_by_label("Label").fill(label)
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Position in the list").fill(order)
        journey.click("button", "Save option")

    # The contract, in two lots, for the consortium.
    page.goto("/contracts/new/")
    journey.check("add a contract")
    page.get_by_label("Reference", exact=True).fill("anytown-da-support")
    page.get_by_label("Title").fill("Anytown domestic abuse support")
    page.get_by_label("Commissioning case (optional)").select_option(
        label="Domestic abuse support services from 2027 (anytown-da-2027)"
    )
    page.get_by_label("Planned").check()
    fill_date(page, "starts_on", 1, 4, 2027)
    page.get_by_label("Initial term in months (optional)").fill("36")
    page.get_by_label("Anytown Domestic Abuse Partnership").check()
    page.get_by_label("Open procedure").check()
    page.get_by_label("Contract", exact=True).check()
    page.locator("#id_lots-0-name").fill("Lot 1: Refuge accommodation")
    page.locator("#id_lots-0-annual_value").fill("300,000")
    page.locator("#id_lots-1-name").fill("Lot 2: Community outreach")
    page.locator("#id_lots-1-annual_value").fill("200,000")
    journey.click("button", "Save contract")
    journey.success("Contract")
    contract = Contract.objects.get(reference="anytown-da-support")
    assert list(contract.lots.values_list("name", flat=True)) == [
        "Lot 1: Refuge accommodation",
        "Lot 2: Community outreach",
    ]

    # The consultation: an event, and 40 responses of which 26 preferred A and 14 preferred B.
    page.goto("/case/anytown-da-2027/")
    journey.click("link", "Add a consultation")
    page.get_by_label("Title").fill("Consultation on domestic abuse support")
    page.get_by_label("Public consultation").check()
    fill_date(page, "starts_on", 4, 1, 2027)
    fill_date(page, "ends_on", 29, 3, 2027)
    page.get_by_label("Minimum length in weeks (optional)").fill("12")
    page.get_by_label("Responses received (optional)").fill("40")
    page.locator("#id_events-0-title").fill("Survivors' focus group")
    fill_date(page, "events-0-held_on", 10, 2, 2027)
    page.locator("#id_events-0-audience").fill("survivors and service users")
    page.locator("#id_events-0-attendees").fill("11")
    page.locator("#id_preferences-0-option").select_option(label="Option A: One contract in two lots")
    page.locator("#id_preferences-0-respondents").fill("26")
    page.locator("#id_preferences-1-option").select_option(label="Option B: Two separate grants")
    page.locator("#id_preferences-1-respondents").fill("14")
    journey.click("button", "Save consultation")
    journey.success("Consultation added")

    # The Cabinet paper with its details and the sections the officer writes.
    journey.click("link", "Generate a paper")
    page.get_by_label("Cabinet or executive report").check()
    journey.click("button", "Generate paper")
    journey.click("link", "Change the details of this paper")
    page.get_by_label("Meeting (optional)").fill("Cabinet")
    fill_date(page, "meeting_date", 15, 6, 2027)
    page.get_by_label("Report of (optional)").fill("Report of the Cabinet Member for Communities")
    page.get_by_label("Signed by (optional)").fill("Jo Bloggs, Director of Communities")
    journey.click("button", "Save")
    paper = DecisionPaper.objects.get(case__reference="anytown-da-2027")
    while (required := page.get_by_text("Fill in the required section:")).count():
        section = required.first.inner_text().split("Fill in the required section:")[1].strip()
        journey.click("link", f"Edit {section}")
        page.get_by_label("Text").fill(f"{section}: as set out in this report for Anytown.")
        journey.click("button", "Save")
    journey.click("button", "Submit for approval")
    journey.success("Submitted for approval")

    # Finance and legal comment; the approver approves.
    staff = {email: get_user_model().objects.get(email=email) for _, _, email, _ in STAFF}
    for email, label, comment in (
        ("fran.okoro@anytown.gov.uk", "Financial comments", "The £500,000 a year is within the budget."),
        ("lee.marsh@anytown.gov.uk", "Legal comments", "Cabinet may award under the Procurement Act 2023."),
    ):
        sign_in_as(page, live_server, staff[email])
        panel = waiting_panel(page)
        journey.check("dashboard of " + label)
        panel.get_by_role("link").first.click()
        journey.check(label)
        page.get_by_label("Your comments").fill(comment)
        journey.click("button", "Record your comments")
    sign_in_as(page, live_server, staff["dele.adeyemi@anytown.gov.uk"])
    waiting_panel(page).get_by_role("link").first.click()
    journey.check("approver's decision")
    page.get_by_label("Approve").check()
    journey.click("button", "Record your decision")
    journey.success("approved")

    # The officer marks the paper final and downloads the PDF.
    sign_in_as(page, live_server, staff["priya.shah@anytown.gov.uk"])
    page.goto(paper.get_absolute_url())
    journey.click("button", "Mark as final")
    journey.success("The paper is final.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)

    assert DecisionPaper.objects.get(pk=paper.pk).status == DecisionPaper.Status.FINAL
    assert FundingContribution.objects.filter(service__cases__reference="anytown-da-2027").count() == 4
    refuge = Service.objects.get(name="Refuge accommodation")
    assert [a.name for a in refuge.areas.all()] == ["Lot 1 – Reading"]
    assert [a.name for a in refuge.areas.get().districts.all()] == ["Reading"]
    for fact in (
        "Anytown Borough Council",
        "Report of the Cabinet Member for Communities",
        "Jo Bloggs, Director of Communities",
        "Refuge accommodation",
        "Community outreach",
        "£300,000",
        "£200,000",
        "£500,000",  # the two services' totals: £300,000 + £200,000
        "Anyshire Police and Crime Commissioner",
        "Survivors' focus group",
        "One contract in two lots",
        "The £500,000 a year is within the budget.",
        "Cabinet may award under the Procurement Act 2023.",
    ):
        assert fact in text, fact
    assert "DRAFT" not in text
    assert [url for url in visited if "/admin/" in url] == []
    assert len(journey.checked) >= 20
