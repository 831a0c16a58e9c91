"""A new council set up on officer screens, never the admin: a superuser adds Anytown Borough
Council and invites its administrator, who chooses a password from the e-mailed link, sets up
budget holders and the Cabinet, and invites an officer and an approver; the officer accepts."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from commissioning.models import Organisation, Profile
from tests.browser.test_approval_journey import sign_in_as

PASSWORD = "anytown commissioning 2026"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def choose_password(page, link):
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your password is set")


def invite(page, axe, first, last, email, role):
    page.get_by_role("link", name="Invite a member of staff").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email address").fill(email)
    page.get_by_label(role).check()
    axe(page, "invite a member of staff")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Invitation sent to {email}")


def test_a_superuser_sets_up_a_council_and_its_administrator_runs_it(
    live_page, live_server, axe, transactional_db
):
    page = live_page
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    superuser = get_user_model().objects.create_superuser("service.admin", "ops@example.org", "x-" + PASSWORD)

    sign_in_as(page, live_server, superuser)
    page.goto("/organisation/")
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name", exact=True).fill("Anytown Borough Council")
    page.get_by_label("What kind of organisation").select_option(label="London borough council")
    page.get_by_label("Key decision threshold (optional)").fill("500,000")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("sam.okafor@anytown.gov.uk")
    axe(page, "add an organisation")
    page.get_by_role("button", name="Add the organisation and send the invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Anytown Borough Council added"
    )

    # The administrator chooses a password from the e-mail and is signed in.
    (message,) = mail.outbox
    choose_password(page, link_in(message))
    page.get_by_role("link", name="Your organisation").click()
    expect(page.get_by_role("heading", name="Anytown Borough Council", level=1)).to_be_visible()
    axe(page, "your organisation")

    page.get_by_role("link", name="Add a budget holder").click()
    page.get_by_label("Name").fill("Public Health")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Public Health")

    page.get_by_role("link", name="Meeting bodies", exact=True).click()
    page.get_by_label("Name").fill("Cabinet")
    page.get_by_label("Cabinet", exact=True).check()
    page.get_by_role("button", name="Add").click()
    expect(page.locator("main table")).to_contain_text("Cabinet")

    page.get_by_role("link", name="Your organisation").click()
    invite(page, axe, "Priya", "Shah", "priya.shah@anytown.gov.uk", "Commissioning officer")
    invite(page, axe, "Dele", "Adeyemi", "dele.adeyemi@anytown.gov.uk", "Approver")
    expect(page.locator("main table")).to_contain_text("Invited")

    # The officer accepts and lands on their dashboard, signed in as Anytown's officer.
    officer_mail = next(m for m in mail.outbox if m.to == ["priya.shah@anytown.gov.uk"])
    choose_password(page, link_in(officer_mail))
    expect(page.locator(".app-user-bar")).to_contain_text("Priya Shah")
    expect(page.locator(".app-user-bar")).to_contain_text("Anytown Borough Council")

    council = Organisation.objects.get(name="Anytown Borough Council")
    roles = dict(Profile.objects.filter(organisation=council).values_list("user__email", "role"))
    assert roles == {
        "sam.okafor@anytown.gov.uk": "administrator",
        "priya.shah@anytown.gov.uk": "officer",
        "dele.adeyemi@anytown.gov.uk": "approver",
    }
    assert [name for name in council.budget_holders.values_list("name", flat=True)] == ["Public Health"]
    assert [url for url in visited if "/admin/" in url] == []
