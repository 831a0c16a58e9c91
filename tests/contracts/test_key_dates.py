"""Key dates and reminders (issue 11).

The worked example is Staffordshire's contract as seed 001 states it: 3 + 2 years from
1 October 2023, provided by a charity, with an option whose decision needs 6 months' notice.
The initial term ends 30 September 2026 (1 October 2023 + 36 months, less a day), so:

- the 24-month option starts 1 October 2026 and must be decided by 1 April 2026 (6 months before);
- recommissioning, 9 months' lead time, starts 30 December 2025 (30 September 2026 - 9 months);
- the charity's three months' notice (Best Value statutory guidance) is due 30 June 2026;
- the contract ends 30 September 2026.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.models import Organisation
from contracts import keydates
from contracts.models import Contract, ContractTermOption, KeyDateKind, Reminder, Snooze
from contracts.views_keydates import ics_fold
from tests.commissioning.test_registers import query_count
from tests.factories import ContractFactory, OrganisationFactory, ProfileFactory

K = KeyDateKind
URL = reverse("contracts:key-date-list")
ALL = "?dates_after=2020-01-01"


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="New Era Charity", short_name="NE", kind=Organisation.Kind.CHARITY)


@pytest.fixture
def staffs(organisation, charity):
    contract = ContractFactory(
        reference="staffs-2023",
        title="Staffordshire domestic abuse service",
        lead_commissioner=organisation,
        starts_on=date(2023, 10, 1),
        initial_term_months=36,
        extension_notice_months=6,
    )
    contract.providers.add(charity)
    ContractTermOption.objects.create(contract=contract, months=24, order=1)
    return contract


def dates_by_kind(contract, today=date(2025, 1, 1)):
    contract = keydates.prefetched(Contract.objects.filter(pk=contract.pk)).get()
    return {d.kind: d.date for d in keydates.dates_of(contract, today)}


# The arithmetic.
def test_each_kind_of_key_date_by_hand(staffs):
    assert dates_by_kind(staffs) == {
        K.OPTION_DECISION: date(2026, 4, 1),
        K.RECOMMISSIONING: date(2025, 12, 30),
        K.VCS_NOTICE: date(2026, 6, 30),
        K.CONTRACT_END: date(2026, 9, 30),
    }


def test_an_agreed_option_moves_the_end_and_needs_no_decision(staffs, organisation):
    staffs.term_options.update(status=ContractTermOption.Status.AGREED)
    # 30 September 2028; recommissioning 9 months before, notice 3 months before.
    assert dates_by_kind(staffs) == {
        K.RECOMMISSIONING: date(2027, 12, 30),
        K.VCS_NOTICE: date(2028, 6, 30),
        K.CONTRACT_END: date(2028, 9, 30),
    }


def test_declined_option_no_decision_and_two_open_options_each_decided(organisation):
    contract = ContractFactory(lead_commissioner=organisation, extension_notice_months=3)
    # 1 April 2020 + 24 months: ends 31 March 2022; options from 1 April 2022 and 1 April 2023.
    ContractTermOption.objects.create(contract=contract, months=12, order=1)
    ContractTermOption.objects.create(
        contract=contract, months=12, order=2, status=ContractTermOption.Status.PROPOSED
    )
    contract = keydates.prefetched(Contract.objects.filter(pk=contract.pk)).get()
    decisions = [d.date for d in keydates.dates_of(contract, date(2021, 1, 1)) if d.kind == K.OPTION_DECISION]
    assert decisions == [date(2022, 1, 1), date(2023, 1, 1)]
    contract.term_options.filter(order=1).update(status=ContractTermOption.Status.DECLINED)
    assert K.OPTION_DECISION not in dates_by_kind(contract)


def test_grant_ends_and_the_lead_commissioners_own_lead_time(organisation):
    organisation.procurement_lead_months = 6
    organisation.save()
    grant = ContractFactory(
        lead_commissioner=organisation, kind=Contract.Kind.GRANT, starts_on=date(2024, 4, 1)
    )
    # 1 April 2024 + 24 months: ends 31 March 2026; 6 months before is 30 September 2025. The
    # provider is not a charity: no notice date.
    assert dates_by_kind(grant) == {K.RECOMMISSIONING: date(2025, 9, 30), K.GRANT_END: date(2026, 3, 31)}


def test_a_consortium_of_charities_is_given_notice(organisation, charity):
    consortium = OrganisationFactory(name="Safer Futures Consortium", kind=Organisation.Kind.CONSORTIUM)
    consortium.members.add(charity)
    contract = ContractFactory(lead_commissioner=organisation)
    contract.providers.add(consortium)
    assert dates_by_kind(contract)[K.VCS_NOTICE] == date(2021, 12, 31)


def test_a_successor_needs_no_recommissioning_nor_notice(staffs, organisation):
    ContractFactory(
        lead_commissioner=organisation,
        predecessor=staffs,
        relation=Contract.Relation.SUCCEEDS,
        starts_on=date(2026, 10, 1),
    )
    assert dates_by_kind(staffs) == {K.OPTION_DECISION: date(2026, 4, 1), K.CONTRACT_END: date(2026, 9, 30)}


def test_cliff_edges_end_within_12_months_with_nothing_following(organisation, staffs):
    followed = ContractFactory(
        reference="followed", lead_commissioner=organisation, starts_on=date(2024, 4, 1)
    )
    ContractFactory(
        reference="next", lead_commissioner=organisation, predecessor=followed, relation="succeeds"
    )
    ContractFactory(
        reference="later", lead_commissioner=organisation, starts_on=date(2026, 1, 1), initial_term_months=36
    )
    ended = ContractFactory(reference="ended", lead_commissioner=organisation, starts_on=date(2024, 6, 1))
    ended.status = Contract.Status.ENDED
    ended.save()
    edges = keydates.cliff_edges(keydates.prefetched(Contract.objects.all()), date(2026, 1, 1))
    # staffs ends 30 September 2026, within 12 months; "followed" (31 March 2026) has a successor;
    # "later" ends in 2028; "ended" has ended.
    assert [(e.agreement.reference, e.date) for e in edges] == [("staffs-2023", date(2026, 9, 30))]
    assert edges[0].kind == K.CONTRACT_END
    # Outside the 12 months it is not one yet.
    assert keydates.cliff_edges(keydates.prefetched(Contract.objects.all()), date(2025, 9, 1)) == []


# The page.
def listed(response) -> list[str]:
    """The dates in the table's first column."""
    return re.findall(r'<td class="govuk-table__cell app-nowrap">([^<]+)</td>', response.content.decode())


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_page_lists_each_date_with_its_description(officer_client, staffs):
    response = officer_client.get(URL + ALL)
    for text in ("1 April 2026", "30 December 2025", "30 June 2026", "30 September 2026"):
        assertContains(response, text)
    assertContains(response, "Extension option to be decided")
    assertContains(response, "Notice to a voluntary or community provider")
    assertContains(response, "three months&#x27; notice of reducing or ending funding")
    assertContains(response, staffs.get_absolute_url())


def test_page_defaults_to_dates_from_today(officer_client, staffs, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 5, 1))
    response = officer_client.get(URL)
    assertNotContains(response, "1 April 2026")
    assertContains(response, "30 June 2026")
    # Ending within 12 months with nothing following: a cliff edge.
    assertContains(response, "Funding cliff edges")
    assertContains(response, "Cliff edge")


def test_page_filters_by_kind_and_dates(officer_client, staffs):
    response = officer_client.get(URL + ALL + "&kind=vcs_notice")
    assert listed(response) == ["30 June 2026"]
    response = officer_client.get(URL + "?dates_after=2026-01-01&dates_before=2026-06-30")
    assert listed(response) == ["1 April 2026", "30 June 2026"]


def test_another_organisations_officer_does_not_see_them(client, other_officer, staffs):
    client.force_login(other_officer)
    response = client.get(URL + ALL)
    assertNotContains(response, staffs.title)
    assertContains(response, "No key dates match")
    assert staffs.reference not in client.get(URL + ALL + "&export=csv").content.decode()
    assert "BEGIN:VEVENT" not in client.get(URL + ALL + "&export=ics").content.decode()


def test_a_partner_commissioner_sees_them(client, other_organisation, staffs):
    staffs.commissioners.add(other_organisation)
    partner = ProfileFactory(user__username="partner", organisation=other_organisation).user
    client.force_login(partner)
    response = client.get(URL + ALL)
    assertContains(response, staffs.title)
    assertNotContains(response, "Snooze reminders")  # reminders are the lead's


def test_page_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_csv_download(officer_client, staffs):
    response = officer_client.get(URL + ALL + "&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Date",
        "Kind",
        "Agreement reference",
        "Agreement",
        "Lead commissioner",
        "Description",
        "Cliff edge",
    ]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("2025-12-30", "Recommissioning to start", "staffs-2023"),
        ("2026-04-01", "Extension option to be decided", "staffs-2023"),
        ("2026-06-30", "Notice to a voluntary or community provider", "staffs-2023"),
        ("2026-09-30", "Contract ends", "staffs-2023"),
    ]
    assert rows[2][4] == "Staffordshire County Council"
    assert "6 months' notice" in rows[2][5]


def test_ics_download(officer_client, staffs):
    response = officer_client.get(URL + ALL + "&export=ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 4
    assert "DTSTART;VALUE=DATE:20260401\r\nDTEND;VALUE=DATE:20260402\r\n" in body
    assert "UID:option_decision-staffs-2023-20260401@da-commissioning" in body
    # Folded at 75 octets; commas escaped.
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Extension option to be decided: Staffordshire domestic abuse service\r\n" in unfolded
    assert f"URL:http://testserver{staffs.get_absolute_url()}" in unfolded
    assert (
        "DESCRIPTION:Decide the 24-month option to extend from 1 October 2026 (6 months' notice\\;"
        in unfolded
    )


def test_ics_fold_keeps_characters_whole():
    line = "DESCRIPTION:" + "é" * 60
    folded = ics_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_page_queries_do_not_grow_with_agreements(
    officer_client, officer, staffs, organisation, charity, new_year_2026, django_assert_num_queries
):
    one = query_count(officer_client, URL + ALL)
    for _ in range(10):
        contract = ContractFactory(
            lead_commissioner=organisation, starts_on=date(2025, 4, 1), extension_notice_months=3
        )
        contract.providers.add(charity)
        ContractTermOption.objects.create(contract=contract, months=12, order=1)
    Snooze.objects.create(
        contract=staffs,
        kind=K.CONTRACT_END,
        date=date(2026, 9, 30),
        user=officer,
        reason="Reviewed",
        created_by=None,
    )
    with django_assert_num_queries(one):
        response = officer_client.get(URL + ALL)
    assert len(listed(response)) == 4 + 10 * 4
    # Every date still ahead can be snoozed: all but staffs' recommissioning (30 December 2025)
    # and its end, snoozed already.
    assertContains(response, "Snooze reminders</button>", count=2 + 10 * 4)
    assertContains(response, "Snoozed: Reviewed")


def test_dashboard_shows_the_next_key_dates(officer_client, organisation):
    today = date.today()
    ContractFactory(
        lead_commissioner=organisation, starts_on=today, initial_term_months=12, title="Soon ending"
    )
    response = officer_client.get(reverse("commissioning:dashboard"))
    assertContains(response, "Next key dates")
    assertContains(response, "Soon ending")
    assertContains(response, f'href="{URL}"')
    assertContains(response, "See all key dates")


def test_navigation_links_key_dates(officer_client):
    response = officer_client.get(URL)
    assertContains(response, f'href="{URL}" aria-current="page"')


# Snoozing: offered for dates still ahead.
@pytest.fixture(autouse=False)
def new_year_2026(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 1))


def snooze_url(contract):
    return reverse("contracts:key-date-snooze", args=[contract.reference])


def test_snooze_needs_a_reason(officer_client, staffs, new_year_2026):
    response = officer_client.post(snooze_url(staffs) + ALL, {"kind": "contract_end", "date": "2026-09-30"})
    assert response.status_code == 200
    assertContains(response, "govuk-error-summary")
    assertContains(response, "Enter why the reminders for this date are stopped", count=2)
    assertContains(response, 'id="snooze-staffs-2023-contract_end-20260930-reason-error"')
    assertContains(response, 'href="#snooze-staffs-2023-contract_end-20260930-reason"')
    assert not Snooze.objects.exists()


def test_snooze_records_who_and_why(officer_client, officer, staffs, new_year_2026):
    response = officer_client.post(
        snooze_url(staffs) + ALL,
        {"kind": "contract_end", "date": "2026-09-30", "reason": "Recommissioning agreed", "until": ""},
    )
    assertRedirects(response, URL + ALL, fetch_redirect_response=False)
    snooze = Snooze.objects.get()
    assert (snooze.user, snooze.created_by, snooze.reason, snooze.until) == (
        officer,
        officer,
        "Recommissioning agreed",
        None,
    )
    assert snooze.history.count() == 1
    assertContains(officer_client.get(URL + ALL), "Snoozed: Recommissioning agreed")


def test_snooze_until_a_past_day_is_refused_next_to_the_field(officer_client, staffs, new_year_2026):
    response = officer_client.post(
        snooze_url(staffs),
        {"kind": "vcs_notice", "date": "2026-06-30", "reason": "On leave", "until": "2025-12-31"},
    )
    assertContains(response, 'id="snooze-staffs-2023-vcs_notice-20260630-until-error"')
    assertContains(response, "must be today or later", count=2)
    assert not Snooze.objects.exists()


def test_snooze_refuses_a_date_the_agreement_does_not_have(officer_client, staffs):
    response = officer_client.post(
        snooze_url(staffs) + ALL, {"kind": "contract_end", "date": "2026-09-29", "reason": "x"}
    )
    assertContains(response, "This agreement has no such key date")
    assert not Snooze.objects.exists()


def test_snooze_refused_to_others(client, other_officer, other_organisation, staffs):
    client.force_login(other_officer)
    data = {"kind": "contract_end", "date": "2026-09-30", "reason": "Not mine"}
    assert client.post(snooze_url(staffs), data).status_code == 404
    staffs.commissioners.add(other_organisation)
    assert client.post(snooze_url(staffs), data).status_code == 403
    assert client.get(snooze_url(staffs)).status_code == 405
    assert not Snooze.objects.exists()


# Reminders. The contract ends 30 September 2026 and a successor follows it (so the end is its
# only date this year): reminders are due 30 June (3 months), 30 August (1 month) and 23 September
# (1 week).
@pytest.fixture
def ending(organisation, officer):
    contract = ContractFactory(
        reference="ending",
        title="Refuge contract",
        lead_commissioner=organisation,
        starts_on=date(2023, 10, 1),
        initial_term_months=36,
    )
    ContractFactory(
        reference="successor",
        lead_commissioner=organisation,
        predecessor=contract,
        relation=Contract.Relation.SUCCEEDS,
        starts_on=date(2026, 10, 1),
        initial_term_months=36,
    )
    return contract


def run(day):
    call_command("send_reminders", "--today", day, stdout=io.StringIO())


def test_sent_once_however_often_it_runs(ending, officer):
    run("2026-06-30")
    run("2026-06-30")
    run("2026-07-15")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert message.subject == "In 3 months: contract ends, Refuge contract"
    assert "Contract ends on 30 September 2026" in message.body
    assert Reminder.objects.get().lead == "3m"


def test_three_months_one_month_one_week(ending, other_officer):
    for day in ("2026-06-29", "2026-06-30", "2026-08-29", "2026-08-30", "2026-09-22", "2026-09-23"):
        run(day)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["In 3 months", "In 1 month", "In 1 week"]
    assert {tuple(m.to) for m in mail.outbox} == {("officer@example.org",)}  # the lead's officer alone
    run("2026-10-01")  # the date has passed
    assert len(mail.outbox) == 3


def test_a_missed_day_still_sends_the_one_due(ending):
    run("2026-09-10")  # nothing ran since June: the 1-month reminder is the one due
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["In 1 month"]
    run("2026-09-11")
    assert len(mail.outbox) == 1


def test_every_officer_of_the_lead_once_each(ending, organisation):
    ProfileFactory(user__username="second", organisation=organisation)
    ProfileFactory(user__username="approver", organisation=organisation, role="approver")
    run("2026-06-30")
    assert sorted(m.to[0] for m in mail.outbox) == ["officer@example.org", "second@example.org"]


def test_snoozed_reminders_are_not_sent(ending, officer):
    Snooze.objects.create(
        contract=ending, kind=K.CONTRACT_END, date=date(2026, 9, 30), user=officer, reason="Successor signed"
    )
    for day in ("2026-06-30", "2026-08-30", "2026-09-23"):
        run(day)
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_snooze_until_a_day_lets_later_reminders_through(ending, officer):
    Snooze.objects.create(
        contract=ending,
        kind=K.CONTRACT_END,
        date=date(2026, 9, 30),
        user=officer,
        reason="On leave",
        until=date(2026, 8, 31),
    )
    for day in ("2026-06-30", "2026-08-30", "2026-09-23"):
        run(day)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["In 1 week"]


def test_today_must_be_a_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        run("tomorrow")


def test_dashboard_next_dates_are_the_soonest_of_every_agreement(organisation, officer, staffs, charity):
    """``upcoming`` reads only the agreements near the top in full; its dates must be the first
    of every agreement's. Agreements whose only near dates are the possible ones (recommissioning,
    notice: they depend on providers and successors) must still be read."""
    # Staffs (above): recommissioning 30 December 2025, option decision 1 April 2026, notice
    # 30 June 2026, end 30 September 2026. Two more: one ending 31 March 2026 with a successor
    # (no recommissioning, no notice), one ending 31 December 2026 with a 12-month lead time, its
    # recommissioning due 31 December 2025, before most of staffs'.
    followed = ContractFactory(
        lead_commissioner=organisation,
        reference="followed",
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    followed.providers.add(charity)
    ContractFactory(
        lead_commissioner=organisation, reference="successor", predecessor=followed, relation="succeeds"
    )
    slow = OrganisationFactory(name="Slow Council", procurement_lead_months=12)
    long_lead = ContractFactory(
        lead_commissioner=slow, reference="long-lead", starts_on=date(2024, 1, 1), ends_on=date(2026, 12, 31)
    )
    long_lead.commissioners.add(organisation)
    everything = keydates.key_dates(keydates.agreements(officer), date(2025, 12, 1), start=date(2025, 12, 1))
    for limit in range(1, len(everything) + 2):
        shown = keydates.upcoming(officer, date(2025, 12, 1), limit=limit)
        assert [d.key for d in shown] == [d.key for d in everything[:limit]]
    first_three = [(d.date, d.agreement.reference, d.kind) for d in everything[:3]]
    assert first_three == [
        (date(2025, 12, 30), "staffs-2023", K.RECOMMISSIONING),
        (date(2025, 12, 31), "long-lead", K.RECOMMISSIONING),
        (date(2026, 3, 31), "followed", K.CONTRACT_END),
    ]
