"""An officer writes a "we asked, you said, we did" row and confirms a Gunning principle; every
page on the way is accessible (axe) and clean under the strict CSP.

Three responses: two prefer Option A, one Option B, so A has 2 of 3 = 66.7% (half up).
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from consultations.models import Response
from tests.factories import CaseFactory, ConsultationFactory, OptionAppraisalFactory, OptionFactory


@pytest.fixture
def consultation(browser_user):
    case = CaseFactory(reference="notts-2011", lead_commissioner=browser_user.profile.organisation)
    appraisal = OptionAppraisalFactory(case=case)
    a = OptionFactory(appraisal=appraisal, label="A", name="Single county-wide service", order=1)
    b = OptionFactory(appraisal=appraisal, label="B", name="North and south contracts", order=2)
    consultation = ConsultationFactory(
        case=case, title="Public consultation", starts_on=date(2011, 7, 1), ends_on=date(2011, 9, 23)
    )
    for n, option in enumerate([a, a, b], start=1):
        Response.objects.create(consultation=consultation, response_id=f"R{n}", option=option)
    return consultation


def test_officer_writes_a_row_and_confirms_a_principle(logged_in_page, consultation, axe, screenshot):
    page = logged_in_page
    page.goto(f"/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", name="Gunning principles")).to_be_visible()
    axe(page, "consultation page with checklist")

    page.get_by_role("link", name="Add a row").click()
    axe(page, "we asked you said we did form")
    page.get_by_label("We asked").fill("Which delivery model do you prefer?")
    page.get_by_label("The preferred option question").check()
    page.get_by_label("We did").fill("Cabinet chose Option A.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Row added")).to_be_visible()
    expect(page.locator("#you-said-we-did-table")).to_contain_text(
        "Option A was preferred by most (2, 66.7%)."
    )

    page.get_by_role("link", name="View as the public would see it").click()
    expect(page.get_by_role("table", name="We asked, you said, we did")).to_contain_text("66.7%")
    axe(page, "we asked you said we did page")
    screenshot(page, "you-said-we-did")

    page.goto(f"/consultations/{consultation.pk}/gunning/edit/")
    axe(page, "gunning checklist form")
    page.get_by_label("The proposals were at a formative stage when consulted on").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Checklist updated")).to_be_visible()
    expect(page.locator("#gunning-checklist")).to_contain_text("Confirmed by the officer.")
