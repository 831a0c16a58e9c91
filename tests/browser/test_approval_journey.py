"""The approval journey in the browser: the officer submits the option appraisal, the finance and
legal officers comment, the manager approves; each dashboard shows the right waiting items."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commissioning.models import ApprovalStep, OptionAppraisal
from tests.commissioning.appraisal_setup import fast_passwords, make_people, ready_appraisal  # noqa: F401


@pytest.fixture
def journey(transactional_db):
    people, case = make_people()
    appraisal, _ = ready_appraisal(case, (people.officer, people.second_officer))
    return people, appraisal


def sign_in_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def waiting_panel(page):
    page.goto("/")
    return page.locator("section[aria-labelledby=panel-approvals]")


def test_officer_submits_finance_and_legal_comment_manager_approves(live_page, live_server, journey, axe):
    people, appraisal = journey
    page = live_page
    subject = "Options for DV reduction services"

    # The officer submits from the appraisal page, which shows the weighted scores.
    sign_in_as(page, live_server, people.officer)
    page.goto(appraisal.get_absolute_url())
    expect(page.get_by_role("heading", name=subject, level=1)).to_be_visible()
    expect(page.locator("table.app-score-table")).to_contain_text("83.0")
    axe(page, "appraisal page")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted for approval")
    expect(page.locator("p .govuk-tag")).to_have_text("Submitted for approval")

    # Finance and legal each see their own step waiting; the manager sees nothing yet.
    sign_in_as(page, live_server, people.approver)
    expect(waiting_panel(page)).to_contain_text("Nothing is waiting for your approval.")
    sign_in_as(page, live_server, people.legal)
    expect(waiting_panel(page)).to_contain_text(f"Legal comments on {subject}")
    sign_in_as(page, live_server, people.finance)
    panel = waiting_panel(page)
    expect(panel).to_contain_text(f"Financial comments on {subject}")
    expect(panel).not_to_contain_text("Legal comments")

    finance_step = ApprovalStep.objects.get(kind=ApprovalStep.Kind.FINANCE)
    page.goto(finance_step.get_absolute_url())
    axe(page, "finance step page")
    page.get_by_label("Your comments").fill("Adequate budget provision exists to fund this proposal.")
    page.get_by_role("button", name="Record your comments").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Financial comments")
    expect(page.locator("section[aria-labelledby=panel-approvals]")).to_contain_text(
        "Nothing is waiting for your approval."
    )

    # With only finance done the manager still waits for legal.
    sign_in_as(page, live_server, people.approver)
    expect(waiting_panel(page)).to_contain_text("Nothing is waiting for your approval.")

    sign_in_as(page, live_server, people.legal)
    legal_step = ApprovalStep.objects.get(kind=ApprovalStep.Kind.LEGAL)
    page.goto(legal_step.get_absolute_url())
    page.get_by_label("Your comments").fill("The Cabinet Member has the power to decide.")
    page.get_by_role("button", name="Record your comments").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Legal comments")

    # Now the manager's decision waits, and the finance officer has nothing left.
    sign_in_as(page, live_server, people.finance)
    expect(waiting_panel(page)).to_contain_text("Nothing is waiting for your approval.")
    sign_in_as(page, live_server, people.approver)
    expect(waiting_panel(page)).to_contain_text(f"Approver's decision on {subject}")
    decision_step = ApprovalStep.objects.get(kind=ApprovalStep.Kind.DECISION)
    page.goto(decision_step.get_absolute_url())
    expect(page.get_by_text("Adequate budget provision exists to fund this proposal.")).to_be_visible()
    axe(page, "decision step page")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record your decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    expect(page.locator("section[aria-labelledby=panel-approvals]")).to_contain_text(
        "Nothing is waiting for your approval."
    )

    # The officer sees the approved, read-only appraisal with the signed comments.
    sign_in_as(page, live_server, people.officer)
    page.goto(appraisal.get_absolute_url())
    expect(page.locator("p .govuk-tag")).to_have_text("Approved")
    expect(page.get_by_text("This appraisal has been approved and is read-only.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)
    signed = ApprovalStep.objects.get(kind=ApprovalStep.Kind.FINANCE).signature
    expect(page.locator("#approval ~ dl")).to_contain_text(f"Financial Comments ({signed})")
    assert OptionAppraisal.objects.get().status == OptionAppraisal.Status.APPROVED
