"""The dashboard: open cases by stage, contracts ending, milestones due, approvals waiting."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import ApprovalRequest, ApprovalStep, Case, Profile
from contracts.models import add_months
from tests.factories import (
    CaseFactory,
    ContractFactory,
    MilestoneFactory,
    OptionAppraisalFactory,
    ProfileFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("commissioning:dashboard")


def test_dashboard_needs_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_open_cases_grouped_by_stage(client, officer, organisation, other_organisation):
    CaseFactory(title="Refuge recommissioning", lead_commissioner=organisation, stage=Case.Stage.OPTIONS)
    CaseFactory(title="IDVA review", lead_commissioner=organisation, stage=Case.Stage.CONSULTATION)
    CaseFactory(title="Old helpline case", lead_commissioner=organisation, stage=Case.Stage.CLOSED)
    CaseFactory(title="Finished case", lead_commissioner=organisation, status=Case.Status.COMPLETED)
    CaseFactory(title="Dorset outreach case", lead_commissioner=other_organisation)
    client.force_login(officer)
    response = client.get(DASHBOARD)
    content = response.content.decode()
    assertContains(response, "Refuge recommissioning")
    assertContains(response, "IDVA review")
    # Stages in the order of the cycle: Options before Consultation.
    assert content.index("Refuge recommissioning") < content.index("IDVA review")
    assertContains(response, "Options <span")
    assertNotContains(response, "Old helpline case")
    assertNotContains(response, "Finished case")
    assertNotContains(response, "Dorset outreach case")


def test_contracts_ending_within_18_months_with_months_left(client, officer, organisation):
    today = date.today()
    ContractFactory(title="Ends in six months", lead_commissioner=organisation, ends_on=add_months(today, 6))
    ContractFactory(title="Ends in two years", lead_commissioner=organisation, ends_on=add_months(today, 24))
    ContractFactory(
        title="Ended last month", lead_commissioner=organisation, ends_on=today - timedelta(days=31)
    )
    # No end date: start + 12 month term ends 12 months from (today - 1 day) + 12 months - 1 day.
    ContractFactory(
        title="Ends by term",
        lead_commissioner=organisation,
        starts_on=add_months(today, -2),
        initial_term_months=12,
        ends_on=None,
        annual_value=Decimal("86000"),
    )
    client.force_login(officer)
    response = client.get(DASHBOARD)
    assertContains(response, "Ends in six months")
    assertContains(response, "Ends by term")
    assertContains(response, "£86,000")
    # The key dates panel may list the later one's recommissioning; the contracts panel does not.
    panel = response.content.decode().split('id="panel-contracts"')[1]
    assert "Ends in two years" not in panel
    assertNotContains(response, "Ended last month")
    contracts = response.context["contracts"]
    assert [c.title for c in contracts] == ["Ends in six months", "Ends by term"]
    # Six calendar months from today's month; the term one ends 10 months on (12 - 2), in the
    # month before (one day before the anniversary), so 9 or 10 depending on the day of month.
    assert contracts[0].months_remaining == 6
    assert contracts[1].months_remaining in (9, 10)


def test_milestones_due_in_30_days_and_overdue(client, officer, organisation):
    today = date.today()
    case = CaseFactory(lead_commissioner=organisation, title="Notts case")
    MilestoneFactory(case=case, title="Scrutiny committee", due_on=today + timedelta(days=10))
    MilestoneFactory(case=case, title="Cabinet decision", due_on=today - timedelta(days=2))
    MilestoneFactory(case=case, title="Tender award", due_on=today + timedelta(days=45))
    MilestoneFactory(
        case=case,
        title="DMT meeting",
        due_on=today - timedelta(days=5),
        completed_on=today - timedelta(days=5),
    )
    client.force_login(officer)
    response = client.get(DASHBOARD)
    assert [m.title for m in response.context["milestones"]["due"]] == ["Scrutiny committee"]
    assert [m.title for m in response.context["milestones"]["overdue"]] == ["Cabinet decision"]
    assertContains(response, "Scrutiny committee")
    assertContains(response, "Cabinet decision")
    assertNotContains(response, "Tender award")
    assertNotContains(response, "DMT meeting")


@pytest.fixture
def pending_request(organisation, officer):
    case = CaseFactory(lead_commissioner=organisation, title="Notts DV services")
    appraisal = OptionAppraisalFactory(case=case, title="Delivery options")
    request = ApprovalRequest.objects.create(
        case=case, appraisal=appraisal, submitted_by=officer, submitted_at=timezone.now()
    )
    ApprovalStep.objects.create(request=request, kind=ApprovalStep.Kind.FINANCE, order=1)
    ApprovalStep.objects.create(request=request, kind=ApprovalStep.Kind.LEGAL, order=1)
    ApprovalStep.objects.create(request=request, kind=ApprovalStep.Kind.DECISION, order=2)
    return request


def test_finance_officer_sees_finance_step(client, organisation, pending_request):
    finance = ProfileFactory(organisation=organisation, role=Profile.Role.FINANCE).user
    client.force_login(finance)
    response = client.get(DASHBOARD)
    assert [s.kind for s in response.context["approvals"]] == ["finance"]
    assertContains(response, "Financial comments")
    assertContains(response, "Delivery options")


def test_approver_waits_until_comments_are_in(client, organisation, pending_request):
    approver = ProfileFactory(organisation=organisation, role=Profile.Role.APPROVER).user
    client.force_login(approver)
    assertContains(client.get(DASHBOARD), "Nothing is waiting for your approval")
    pending_request.steps.filter(order=1).update(decision=ApprovalStep.Decision.COMMENTED)
    response = client.get(DASHBOARD)
    assert [s.kind for s in response.context["approvals"]] == ["decision"]
    assertContains(response, "Approver&#x27;s decision")


def test_officer_has_empty_approvals_panel(client, officer, pending_request):
    client.force_login(officer)
    assertContains(client.get(DASHBOARD), "Nothing is waiting for your approval")


def test_other_organisations_finance_officer_sees_nothing(client, other_organisation, pending_request):
    finance = ProfileFactory(organisation=other_organisation, role=Profile.Role.FINANCE).user
    client.force_login(finance)
    assert client.get(DASHBOARD).context["approvals"] == []


def test_dashboard_shows_user_and_sign_out(client, officer):
    officer.first_name, officer.last_name = "Ann", "Officer"
    officer.save()
    client.force_login(officer)
    response = client.get(DASHBOARD)
    assertContains(response, "Ann Officer")
    assertContains(response, "Staffordshire County Council")
    assertContains(response, f'action="{reverse("logout")}"')
    assertContains(response, "Domestic abuse commissioning")
    # Strict CSP: no inline scripts or styles in the layout.
    content = response.content.decode()
    assert "<script>" not in content
    assert "style=" not in content


def test_the_panels_kept_for_the_day_follow_each_change(client, officer, organisation):
    """Which rows each panel shows is kept between changes to the data (commissioning.choice_lists):
    a milestone completed, a case moved on or a contract's end changed shows on the next load."""
    today = date.today()
    case = CaseFactory(lead_commissioner=organisation, title="Notts case")
    milestone = MilestoneFactory(case=case, title="Scrutiny committee", due_on=today + timedelta(days=10))
    contract = ContractFactory(lead_commissioner=organisation, case=case, ends_on=add_months(today, 3))
    client.force_login(officer)

    def shown():
        context = client.get(DASHBOARD).context
        return (
            [m.title for m in context["milestones"]["due"]],
            [c.pk for c in context["contracts"]],
            [s["value"] for s in context["stages"]],
        )

    assert shown() == (["Scrutiny committee"], [contract.pk], ["review"])
    assert shown() == (["Scrutiny committee"], [contract.pk], ["review"])  # kept, read back
    milestone.completed_on = today
    milestone.save()
    assert shown() == ([], [contract.pk], ["review"])
    contract.ends_on = add_months(today, 24)
    contract.save()
    assert shown() == ([], [], ["review"])
    case.stage = Case.Stage.OPTIONS
    case.save()
    assert shown() == ([], [], ["options"])


def test_the_kept_panels_are_for_one_day(officer, organisation):
    from commissioning.dashboard import kept_selection

    today = date(2025, 12, 15)
    milestone = MilestoneFactory(case=CaseFactory(lead_commissioner=organisation), due_on=date(2026, 1, 10))
    assert kept_selection(officer, today)["milestones"]["due"] == {"shown": [milestone.pk], "total": 1}
    # 10 January is within 30 days of 15 December, not of 1 December: the day is part of the key.
    assert kept_selection(officer, date(2025, 12, 1))["milestones"]["due"] == {"shown": [], "total": 0}
    assert kept_selection(officer, today)["milestones"]["due"] == {"shown": [milestone.pk], "total": 1}


def _open_work(organisation, count):
    today = date.today()
    for _ in range(count):
        case = CaseFactory(lead_commissioner=organisation)
        MilestoneFactory(case=case, due_on=today + timedelta(days=5))
        ContractFactory(lead_commissioner=organisation, case=case, ends_on=add_months(today, 3))


def test_dashboard_queries_do_not_grow_with_rows(client, officer, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    counts = []
    for count in (1, 49):  # 1 row, then 50 rows of each kind
        _open_work(organisation, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DASHBOARD)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Each panel shows the most urgent few, counts them all and links to the rest.
    contracts = response.context["contracts"]
    assert (len(contracts), contracts.total) == (10, 50)
    assert (len(response.context["milestones"]["due"]), response.context["milestones"]["due"].total) == (
        10,
        50,
    )
    [review] = response.context["stages"]
    assert (len(review["cases"]), review["cases"].total) == (3, 50)
    assertContains(response, "See all 50 contracts ending in the next 18 months")
    assertContains(response, f"{reverse('commissioning:case-list')}?stage=review")
    assertContains(response, "See all 50 <span")
    assertContains(response, "The 10 soonest of 50")


def test_contracts_panel_lists_the_soonest_first_and_links_to_the_register(client, officer, organisation):
    today = date.today()
    for n in range(12):
        ContractFactory(
            title=f"Ends in {n + 1:02d} months",
            lead_commissioner=organisation,
            ends_on=add_months(today, n + 1),
        )
    client.force_login(officer)
    response = client.get(DASHBOARD)
    assert [c.title for c in response.context["contracts"]] == [
        f"Ends in {n + 1:02d} months" for n in range(10)
    ]
    link = (
        f"{reverse('contracts:contract-list')}?status=live&amp;ends_after={today:%Y-%m-%d}"
        f"&amp;ends_before={add_months(today, 18):%Y-%m-%d}"
    )
    assertContains(response, link)
    register = client.get(link.replace("&amp;", "&"))
    assertContains(register, "12 contracts")


def test_messages_show_as_notification_banners(rf, officer):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = officer
    html = render_to_string(
        "base.html",
        {"messages": [Message(constants.SUCCESS, "Case created"), Message(constants.INFO, "Saved as draft")]},
        request=request,
    )
    assert 'govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert "Case created" in html
    assert '<h2 class="govuk-notification-banner__title" id="message-2-title">Important</h2>' in html


@pytest.mark.parametrize(
    ("precision", "due_on", "panel"),
    [
        # Today is 15 December 2025. A day gone by is overdue; today itself is due.
        ("day", date(2025, 12, 14), "overdue"),
        ("day", date(2025, 12, 15), "due"),
        # November 2025 ended on 30 November: overdue. December 2025 runs to the 31st: due.
        ("month", date(2025, 11, 1), "overdue"),
        ("month", date(2025, 12, 1), "due"),
        # Quarter and season (three months): September-November 2025 has gone by, October-December
        # has not.
        ("quarter", date(2025, 9, 1), "overdue"),
        ("quarter", date(2025, 10, 1), "due"),
        ("season", date(2025, 9, 1), "overdue"),
        ("season", date(2025, 10, 1), "due"),
        # 2024 has gone by; 2025 runs to 31 December 2025.
        ("year", date(2024, 1, 1), "overdue"),
        ("year", date(2025, 1, 1), "due"),
    ],
)
def test_milestone_panels_judge_each_written_date_as_the_milestone_does(
    officer, organisation, precision, due_on, panel
):
    """The panels select in SQL what ``Milestone.status`` says of each milestone."""
    from commissioning.dashboard import milestones_due

    today = date(2025, 12, 15)
    milestone = MilestoneFactory(
        case=CaseFactory(lead_commissioner=organisation), due_on=due_on, precision=precision
    )
    assert milestone.status(today) == panel
    panels = milestones_due(officer, today)
    assert {name: [m.pk for m in rows] for name, rows in panels.items()} == {
        "overdue": [milestone.pk] if panel == "overdue" else [],
        "due": [milestone.pk] if panel == "due" else [],
    }
    assert panels[panel].total == 1


def test_overdue_milestones_of_a_case_that_has_moved_on_are_in_neither_panel(officer, organisation):
    from commissioning.dashboard import milestones_due

    today = date(2025, 12, 15)
    case = CaseFactory(lead_commissioner=organisation, stage=Case.Stage.PROCUREMENT)
    MilestoneFactory(case=case, due_on=date(2025, 12, 1))
    due = MilestoneFactory(case=case, due_on=date(2025, 12, 20))
    panels = milestones_due(officer, today)
    assert (list(panels["overdue"]), [m.pk for m in panels["due"]]) == ([], [due.pk])
