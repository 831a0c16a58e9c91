"""The consultation page's charts and the tagging page, in Chromium: strict CSP, no axe violations."""

import pytest
from playwright.sync_api import expect

from consultations.models import ChosenQuote, Response, ResponseTheme, Theme
from tests.factories import CaseFactory, ConsultationFactory, OptionAppraisalFactory, OptionFactory


@pytest.fixture
def consultation(browser_user):
    case = CaseFactory(reference="themes-browser", lead_commissioner=browser_user.profile.organisation)
    appraisal = OptionAppraisalFactory(case=case)
    options = [
        OptionFactory(appraisal=appraisal, label=label, name=name, order=order)
        for order, (label, name) in enumerate([("A", "Two lots"), ("B", "One county-wide")])
    ]
    consultation = ConsultationFactory(case=case, title="Future of refuge services")
    responses = Response.objects.bulk_create(
        Response(
            consultation=consultation,
            response_id=f"R{i}",
            option=options[i % 2],
            comment=f"Comment number {i}, write to me at person{i}@example.com",
            consent_to_quote=True,
        )
        for i in range(1, 7)
    )
    safety = Theme.objects.create(consultation=consultation, name="Safety", order=1)
    Theme.objects.create(consultation=consultation, name="Refuge space", order=2)
    ResponseTheme.objects.create(response=responses[0], theme=safety)
    ChosenQuote.objects.create(response=responses[0], chosen_by=browser_user)
    return consultation


def test_charts_tagging_and_themes_pass_axe_under_the_csp(logged_in_page, consultation, axe, screenshot):
    page = logged_in_page
    page.goto(f"/consultations/{consultation.pk}/")
    expect(page.locator("svg#preferences-chart")).to_be_visible()
    expect(page.locator("svg#themes-chart")).to_be_visible()
    expect(page.get_by_text("[email removed]").first).to_be_visible()
    axe(page, "consultation-charts")
    screenshot(page, "consultation-charts")

    page.goto(f"/consultations/{consultation.pk}/comments/")
    axe(page, "consultation-comments")
    page.get_by_role("group", name="Themes of response R2").get_by_label("Refuge space").check()
    page.get_by_role("button", name="Save the themes on this page").click()
    expect(page.get_by_text("Themes saved for 1 response on this page")).to_be_visible()
    assert ResponseTheme.objects.filter(response__response_id="R2", theme__name="Refuge space").exists()

    page.goto(f"/consultations/{consultation.pk}/themes/")
    axe(page, "consultation-themes")
