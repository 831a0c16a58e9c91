"""Money for any period, options as events, and values over an agreement's whole life.

Every figure is worked out by hand in the test that uses it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning import money
from commissioning.models import Decision
from contracts.models import Contract, ContractTermOption, Lot, TenderNotice, ValueLine
from tests.factories import CaseFactory, ContractFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(lead_commissioner=OrganisationFactory(name="Anytown Borough Council"))


def agree(option, case, day):
    option.status = ContractTermOption.Status.AGREED
    option.decision = Decision.objects.create(
        case=case, title=f"Extension of {option.months} months", status="approved"
    )
    option.decided_on = day
    option.full_clean()
    option.save()


def test_a_19_month_award_keeps_its_stated_total():
    """£418,000 for 1 September 2023 to 31 March 2025, 19 months: stored and printed as £418,000;
    a year of it is 418,000 x 12 / 19 = 264,000, shown beside it, never stored."""
    contract = ContractFactory(starts_on=date(2023, 9, 1), ends_on=date(2025, 3, 31), annual_value=None)
    line = ValueLine.objects.create(
        contract=contract,
        amount=Decimal("418000"),
        basis="total",
        starts_on=date(2023, 9, 1),
        ends_on=date(2025, 3, 31),
    )
    assert line.months == 19
    assert line.annual_equivalent == Decimal("264000.00")
    assert contract.value_to_date == Decimal("418000") == contract.maximum_value
    assert line.as_stated == "£418,000"


def test_a_grant_extended_twice_is_the_sum_of_its_three_amounts(case):
    """A two-year grant of £2,400,000, a 9-month extension of £810,000 and a 12-month extension of
    £1,150,000: 2,400,000 + 810,000 + 1,150,000 = £4,360,000 exactly, not annual value x months."""
    grant = ContractFactory(
        kind="grant", case=case, starts_on=date(2023, 4, 1), initial_term_months=24, annual_value=None
    )
    ValueLine.objects.create(contract=grant, amount=Decimal("2400000"), basis="total")
    nine = ContractTermOption.objects.create(contract=grant, months=9, order=1)
    twelve = ContractTermOption.objects.create(contract=grant, months=12, order=2)
    ValueLine.objects.create(contract=grant, kind="extension", term_option=nine, amount=Decimal("810000"))
    ValueLine.objects.create(contract=grant, kind="extension", term_option=twelve, amount=Decimal("1150000"))
    grant = Contract.objects.get(pk=grant.pk)

    # Nothing agreed yet: the two years to 31 March 2025; all options: 45 months, to 31 December 2026.
    assert grant.current_end == date(2025, 3, 31)
    assert grant.latest_end == date(2026, 12, 31)
    assert grant.value_to_date == Decimal("2400000")
    assert grant.maximum_value == Decimal("4360000")

    agree(nine, case, date(2025, 1, 14))
    grant = Contract.objects.get(pk=grant.pk)
    assert grant.current_end == date(2025, 12, 31)  # 1 April + 9 months - 1 day
    assert grant.value_to_date == Decimal("3210000")  # 2,400,000 + 810,000

    agree(twelve, case, date(2025, 11, 3))
    grant = Contract.objects.get(pk=grant.pk)
    assert grant.current_end == date(2026, 12, 31)
    assert grant.value_to_date == Decimal("4360000")


def test_an_option_with_no_amount_of_its_own_runs_at_the_annual_rate(case):
    """£340,000 a year, 2 + 1: the extension is worth 340,000 x 12 / 12 = £340,000; declined, the
    latest end and maximum value stop at the initial term."""
    contract = ContractFactory(case=case, starts_on=date(2020, 4, 1), initial_term_months=24)
    option = ContractTermOption.objects.create(contract=contract, months=12)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.maximum_value == Decimal("1020000.00")  # 340,000 x 36 / 12
    option.status = ContractTermOption.Status.DECLINED
    option.save()
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.maximum_value == Decimal("680000.00")
    assert contract.latest_end == date(2022, 3, 31)


def test_two_lots_over_3_plus_1_plus_1_years_and_a_notice_that_does_not_match():
    """Lots of £150,000 and £40,000 a year over 3 + 1 + 1 years: 190,000 x 5 = £950,000. A tender
    notice stating £960,000 is flagged, £10,000 more; it is not refused."""
    contract = ContractFactory(starts_on=date(2026, 4, 1), initial_term_months=36, annual_value=None)
    Lot.objects.create(contract=contract, name="Lot 1: refuge", annual_value=Decimal("150000"))
    Lot.objects.create(contract=contract, name="Lot 2: outreach", annual_value=Decimal("40000"))
    ContractTermOption.objects.create(contract=contract, months=12, order=1)
    ContractTermOption.objects.create(contract=contract, months=12, order=2)
    notice = TenderNotice.objects.create(
        contract=contract, reference="FTS 012345-2026", value=Decimal("960000")
    )
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.maximum_value == Decimal("950000.00")
    assert contract.lots_maximum == Decimal("950000.00")
    assert contract.value_mismatch == (
        "The lots add up to £950,000 over the full term; the tender notice FTS 012345-2026 states "
        "£960,000 (£10,000 more)."
    )
    notice.value = Decimal("950000")
    notice.save()
    assert Contract.objects.get(pk=contract.pk).value_mismatch == ""


def test_cumulative_value_follows_a_chain_for_the_same_service(case):
    """An incumbent's 3 years at £200,000 (£600,000); after a failed procurement a 12-month
    extension agreement of £210,000; then the re-tendered contract's first year of £230,000:
    600,000 + 210,000 + 230,000 = £1,040,000."""
    incumbent = ContractFactory(
        case=case, starts_on=date(2021, 4, 1), initial_term_months=36, annual_value=Decimal("200000")
    )
    bridge = ContractFactory(
        case=case,
        starts_on=date(2024, 4, 1),
        initial_term_months=12,
        annual_value=None,
        predecessor=incumbent,
        relation="extends",
    )
    ValueLine.objects.create(contract=bridge, amount=Decimal("210000"))
    successor = ContractFactory(
        case=case,
        starts_on=date(2025, 4, 1),
        initial_term_months=12,
        annual_value=Decimal("230000"),
        predecessor=bridge,
        relation="succeeds",
    )
    assert [c.pk for c in successor.chain()] == [incumbent.pk, bridge.pk, successor.pk]
    assert successor.cumulative_value == Decimal("1040000.00")


def test_amounts_print_as_the_source_states_them():
    assert money.as_stated(Decimal("3000000"), qualifier="up_to") == "up to £3,000,000"
    assert money.as_stated(Decimal("300000"), qualifier="nearly") == "nearly £300,000"
    assert (
        money.as_stated(Decimal("900000"), vat="excluding", other_vat_amount=Decimal("1080000"))
        == "£900,000 excluding VAT (£1,080,000 including VAT)"
    )
    assert money.as_stated(None) == ""  # not published: nothing, never £0


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"starts_on": date(2025, 4, 1), "ends_on": date(2025, 3, 31)},
            "ends_on",
            "The period must end on or after the day it starts",
        ),
        (
            {"vat": "excluding", "other_vat_amount": Decimal("800000")},
            "other_vat_amount",
            "The amount including VAT cannot be less than the amount excluding it",
        ),
        (
            {"vat": "including", "other_vat_amount": Decimal("1000000")},
            "other_vat_amount",
            "The amount excluding VAT cannot be more than the amount including it",
        ),
    ],
)
def test_bad_value_lines_are_refused_with_a_clear_message(fields, field, message):
    contract = ContractFactory(starts_on=date(2025, 4, 1), initial_term_months=12)
    line = ValueLine(contract=contract, amount=Decimal("900000"), **fields)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict[field] == [message]


def test_an_extension_cannot_overlap_the_initial_term():
    contract = ContractFactory(starts_on=date(2025, 4, 1), initial_term_months=12)
    option = ContractTermOption.objects.create(contract=contract, months=12)
    line = ValueLine(
        contract=contract,
        kind="extension",
        term_option=option,
        amount=Decimal("100"),
        starts_on=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict["starts_on"] == [
        "An extension starts after the initial term, which ends on 31 March 2026"
    ]


def test_an_agreed_option_needs_the_decision_that_agreed_it():
    contract = ContractFactory(starts_on=date(2025, 4, 1), initial_term_months=12)
    option = ContractTermOption(contract=contract, months=12, status="agreed")
    with pytest.raises(ValidationError) as error:
        option.full_clean()
    assert error.value.message_dict["decision"] == ["Choose the decision that agreed this option"]


def test_a_failed_procurement_needs_its_reason():
    contract = ContractFactory(outcome="no_compliant_bids")
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert error.value.message_dict["outcome_reason"] == [
        "Give the reason the procurement did not lead to an award"
    ]
    contract.outcome_reason = "Both bids failed the quality threshold."
    contract.full_clean()
    assert contract.procurement_failed


def test_a_failed_procurement_then_an_extension_and_a_re_tender_show_in_order_on_the_service_page(
    client, case
):
    """The incumbent's contract; a tender that ended with no compliant bids; a 12-month extension
    agreement of the incumbent; the re-tendered contract: the service page lists them by start."""
    from commissioning.models import Service
    from tests.factories import ProfileFactory

    service = Service.objects.create(
        name="Outreach", commissioner=case.lead_commissioner, service_type="outreach"
    )
    case.services.add(service)
    incumbent = ContractFactory(
        case=case, reference="inc", title="Incumbent outreach", starts_on=date(2021, 4, 1)
    )
    tender = ContractFactory(
        case=case,
        reference="tender-2024",
        title="Outreach tender 2024",
        status="ended",
        starts_on=None,
        outcome="no_compliant_bids",
        outcome_reason="Both bids failed the quality threshold.",
        outcome_on=date(2024, 1, 19),
    )
    extension = ContractFactory(
        case=case,
        reference="inc-ext",
        title="Incumbent extended 12 months",
        starts_on=date(2024, 4, 1),
        initial_term_months=12,
        predecessor=incumbent,
        relation="extends",
    )
    retender = ContractFactory(
        case=case,
        reference="outreach-2025",
        title="Outreach re-tender 2025",
        starts_on=date(2025, 4, 1),
        predecessor=extension,
        relation="succeeds",
    )
    for contract in (incumbent, tender, extension, retender):
        contract.services.add(service)
    client.force_login(ProfileFactory(organisation=case.lead_commissioner).user)
    page = client.get(reverse("commissioning:service-detail", args=[service.pk])).content.decode()
    order = [page.index(c.title) for c in (incumbent, extension, retender)]
    assert order == sorted(order)
    assert "Outreach tender 2024" in page
    detail = client.get(tender.get_absolute_url()).content.decode()
    assert "The procurement ended without an award on 19 January 2024: no compliant bids." in detail
    detail = client.get(retender.get_absolute_url()).content.decode()
    assert [detail.index(t) for t in ("Incumbent outreach", "Incumbent extended 12 months")] == sorted(
        detail.index(t) for t in ("Incumbent outreach", "Incumbent extended 12 months")
    )


def test_the_decision_notice_prints_the_grant_with_its_extensions(case):
    """The grant of the PCC example, both extensions agreed: the notice's agreement table gives each
    period's value and the value to date, £4,360,000."""
    from io import BytesIO

    from pypdf import PdfReader

    from commissioning.models import PaperType
    from commissioning.paper_types import ensure_default_paper_types
    from commissioning.papers import render
    from commissioning.papers.actions import start_paper

    ensure_default_paper_types()
    award = Decision.objects.create(case=case, reference="PCD 353", title="IDVA grant", status="approved")
    grant = ContractFactory(
        kind="grant",
        case=case,
        decision=award,
        title="IDVA and outreach grant",
        starts_on=date(2023, 4, 1),
        initial_term_months=24,
        annual_value=None,
        procurement_route="grant",
    )
    ValueLine.objects.create(contract=grant, amount=Decimal("2400000"), vat="not_applicable")
    for order, (months, amount) in enumerate(((9, "810000"), (12, "1150000")), start=1):
        option = ContractTermOption.objects.create(contract=grant, months=months, order=order)
        ValueLine.objects.create(contract=grant, kind="extension", term_option=option, amount=Decimal(amount))
        agree(option, case, date(2025, 1, order))
    paper = start_paper(case=case, paper_type=PaperType.objects.get(slug="decision-notice"), decision=award)
    pdf = render.render_pdf(paper)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    for fact in (
        "IDVA and outreach grant (grant",
        "Initial term 1 April 2023 to 31 March 2025 Agreed £2,400,000",
        "Option to extend, 9 months 1 April 2025 to 31 December 2025 Agreed £810,000",
        "Option to extend, 12 months 1 January 2026 to 31 December 2026 Agreed £1,150,000",
        "Value to date £4,360,000",
    ):
        assert fact in text, fact


def test_a_fact_the_sources_do_not_publish_reads_not_published_and_must_stay_empty(client):
    """Marked not published, the start date and annual value read "Not published" (never a guess
    or £0); typing a value while it is so marked is refused next to the field."""
    from commissioning.models import Profile
    from tests.factories import ProfileFactory
    from tests.urlwalk import post_form

    officer = ProfileFactory(role=Profile.Role.OFFICER).user
    contract = ContractFactory(
        lead_commissioner=officer.profile.organisation,
        starts_on=None,
        annual_value=None,
        not_published=["starts_on", "annual_value"],
    )
    client.force_login(officer)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert page.count("Not published") == 2
    url = reverse("contracts:contract-update", args=[contract.reference])
    data = post_form(client.get(url)).data() | {"annual_value": ["340,000"]}
    response = client.post(url, data)
    assert "Leave annual value empty: it is marked as not published" in response.content.decode()
    contract.refresh_from_db()
    assert contract.annual_value is None
