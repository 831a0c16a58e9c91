"""A decision paper's approval in the browser: the officer writes and submits the paper, the
finance and legal officers comment, the approver approves, the officer marks it final and
downloads a PDF that carries the signed comments and no DRAFT mark."""

from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from commissioning.models import ApprovalStep, DecisionPaper, PaperSection
from tests.browser.test_approval_journey import sign_in_as, waiting_panel
from tests.commissioning.appraisal_setup import fast_passwords, make_people  # noqa: F401
from tests.commissioning.paper_builders import build_case


@pytest.fixture
def journey(transactional_db, settings, tmp_path):
    # The live server renders the PDF in the request, as the worker would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    people, _ = make_people()
    paper = build_case()[1]
    PaperSection.objects.filter(paper=paper, key="purpose").delete()
    return people, paper


def test_officer_submits_finance_legal_comment_approver_approves_officer_publishes(
    live_page, live_server, journey, axe, screenshot
):
    people, paper = journey
    page = live_page

    # The officer writes the missing required section, then submits.
    sign_in_as(page, live_server, people.officer)
    page.goto(paper.get_absolute_url())
    expect(page.get_by_text("Fill in the required section: Purpose of the report").first).to_be_visible()
    page.get_by_role("link", name="Edit Purpose of the report").click()
    page.get_by_label("Text").fill("To seek approval for new commissioning arrangements.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
    axe(page, "paper page before submission")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted for approval")
    expect(page.get_by_role("link", name="Edit Purpose of the report")).to_have_count(0)

    # Finance and legal find their steps on the dashboard and comment.
    for user, label, comment in (
        (people.finance, "Financial comments", "The costs are met within the approved budget."),
        (people.legal, "Legal comments", "Cabinet has the power to make this decision."),
    ):
        sign_in_as(page, live_server, user)
        panel = waiting_panel(page)
        expect(panel).to_contain_text(f"{label} on {paper.title}")
        panel.get_by_role("link").first.click()
        page.get_by_label("Your comments").fill(comment)
        page.get_by_role("button", name="Record your comments").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(label)

    # The approver approves.
    sign_in_as(page, live_server, people.approver)
    panel = waiting_panel(page)
    expect(panel).to_contain_text(f"Approver's decision on {paper.title}")
    panel.get_by_role("link").first.click()
    expect(page.get_by_text("The costs are met within the approved budget.")).to_be_visible()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record your decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")

    # The officer marks it final and downloads the PDF.
    sign_in_as(page, live_server, people.officer)
    page.goto(paper.get_absolute_url())
    expect(page.locator("#approval ~ h3").first).to_contain_text("approved")
    axe(page, "paper page after approval")
    page.get_by_role("button", name="Mark as final").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The paper is final.")
    screenshot(page, "paper-final")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(p.extract_text() for p in pdf.pages)

    assert DecisionPaper.objects.get(pk=paper.pk).status == DecisionPaper.Status.FINAL
    signatures = {s.kind: s.signature for s in ApprovalStep.objects.filter(request__paper=paper)}
    assert signatures["finance"].startswith("DD ") and signatures["legal"].startswith("SHB ")
    for fact in (
        signatures["finance"],
        signatures["legal"],
        "The costs are met within the approved budget.",
        "Cabinet has the power to make this decision.",
        "To seek approval for new commissioning arrangements.",
        "£361,658",
    ):
        assert fact in text, fact
    assert "DRAFT" not in text
