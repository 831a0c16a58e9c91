"""Three invented case files shaped like real commissioning records (tests/case_files/): each imports,
prints its paper with the facts a reader looks for, and exports back to the same content.

The arithmetic behind each figure is in the file's comments; the dates the service works out
(call-in deadline, the day a decision takes effect) are checked by hand here.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from commissioning.case_files import export_case, import_case_file, import_case_text
from commissioning.models import Case, Decision, Organisation
from contracts.models import Contract
from tests.commissioning.case_file_helpers import as_data, empty_database
from tests.commissioning.test_decisions import TENDER_NOTICE_FACTS, pdf_text

pytestmark = pytest.mark.django_db

FOLDER = Path(__file__).resolve().parent.parent / "case_files"
FILES = {
    "anytown-da": "anytown-borough.yaml",
    "anyshire-idva": "anyshire-pcc.yaml",
    "anyvale-refuge": "anyvale-committee.yaml",
}


def imported(reference) -> Case:
    import_case_file(FOLDER / FILES[reference])
    return Case.objects.get(reference=reference)


@pytest.mark.parametrize("reference", FILES)
def test_the_file_exports_back_to_the_same_content(reference):
    """Comments and layout aside, the export is the file: nothing lost, nothing invented."""
    case = imported(reference)
    assert as_data(export_case(case)) == as_data((FOLDER / FILES[reference]).read_text())


@pytest.mark.parametrize("reference", FILES)
def test_export_then_import_into_an_empty_database_then_export_again_is_identical(reference):
    first = export_case(imported(reference))
    empty_database()
    assert not Case.objects.exists() and not Organisation.objects.exists()
    tally = import_case_text(first)
    assert tally["updated"] == 0 and tally["kept"] == 0
    assert export_case(Case.objects.get(reference=reference)) == first


@pytest.mark.parametrize("reference", FILES)
def test_importing_the_file_again_changes_nothing(reference):
    imported(reference)
    tally = import_case_file(FOLDER / FILES[reference])
    assert (tally["created"], tally["updated"], tally["links"], tally["kept"]) == (0, 0, 0, 0)


def test_a_borough_decision_notice_prints_key_decision_call_in_and_the_resolved_delegate():
    """CAB/24/031, published Thursday 14 March 2024: Fri 15, Mon 18, Tue 19, Wed 20 and Thu 21
    are the five working days, so call-in closes on 21 March and it takes effect on 22 March."""
    case = imported("anytown-da")
    decisions = list(case.decisions.in_order())
    assert [d.reference for d in decisions] == ["ABC/DA/23/07", "CAB/24/031", "ABC/DA/24/19", "CAB/25/044"]
    bridging, tender, failed, retender = decisions
    assert failed.uses_delegation.decision == tender
    assert failed.uses_delegation.delegate == "Director of Commissioning"
    # £190,000 a year x 5 years = £950,000, over the £500,000 threshold.
    assert tender.value == Decimal("950000") and tender.over_threshold is True
    assert (tender.call_in_deadline, tender.takes_effect_on) == (date(2024, 3, 21), date(2024, 3, 22))
    # 9 February to 12 March: 10 February to 11 March is 31 clear days.
    assert tender.forward_plan_clear_days == 31 and tender.forward_plan_warning == ""
    # September 2023 + 19 months + 6 months' extension: to 30 September 2025.
    contract = Contract.objects.get(reference="abc-da-bridging-2023")
    assert (contract.initial_end, contract.latest_end) == (date(2025, 3, 31), date(2025, 9, 30))

    text = pdf_text(case.papers.get(paper_type__slug="decision-notice"))
    for fact in TENDER_NOTICE_FACTS:
        assert fact in text, fact


def test_the_borough_chain_of_agreements_and_the_failed_tender_are_imported_as_written():
    imported("anytown-da")
    bridging = Contract.objects.get(reference="abc-da-bridging-2023")
    assert (bridging.predecessor.reference, bridging.relation) == ("abc-da-2018", "bridges")
    assert bridging.route_regulation.startswith("regulation 32(2)(b)(ii)")
    (line,) = bridging.value_lines.all()
    assert (line.amount, line.basis, line.vat, line.decision.reference) == (
        Decimal("300833"),
        "total",
        "excluding",
        "ABC/DA/23/07",
    )
    # The 19 months' total, then the 6 months' extension at £190,000 a year: £95,000.
    assert (bridging.value_to_date, bridging.maximum_value) == (Decimal("300833"), Decimal("395833"))
    assert Contract.objects.get(reference="abc-da-2018").not_published == ["annual_value"]
    assert Decision.objects.get(reference="ABC/DA/23/07").not_published == ["published_on"]

    tender = Contract.objects.get(reference="abc-da-2024")
    assert tender.procurement_failed and tender.get_outcome_display() == "No compliant bids"
    assert (tender.outcome_on, tender.predecessor, tender.relation) == (
        date(2024, 9, 2),
        bridging,
        "succeeds",
    )
    assert [lot.name for lot in tender.lots.all()] == ["Lot 1: refuge", "Lot 2: community support"]
    (notice,) = tender.tender_notices.all()
    assert (notice.reference, notice.platform, notice.value, notice.vat) == (
        "2024/S 000-012345",
        "find_a_tender",
        Decimal("950000"),
        "excluding",
    )
    assert (notice.published_on, notice.closes_on) == (date(2024, 5, 20), date(2024, 7, 1))
    assert notice.cpv_codes == "85311000-2, 85312000-9"
    assert notice.suitable_for_smes is True and notice.suitable_for_vcses is True
    # The lots' £190,000 a year over 3 + 1 + 1 years is the notice's £950,000: no mismatch.
    assert (tender.lots_maximum, tender.value_mismatch) == (Decimal("950000"), "")
    assert [c.reference for c in Contract.objects.get(reference="abc-da-2025").chain()] == [
        "abc-da-2018",
        "abc-da-bridging-2023",
        "abc-da-2025",
    ]


def test_a_pcc_decision_notice_for_a_consortium_grant_and_its_two_extensions():
    case = imported("anyshire-idva")
    assert [d.reference for d in case.decisions.in_order()] == ["PCD 353", "PCD 360", "PCD 371"]
    consortium = Organisation.objects.get(name="Safe Futures Consortium")
    assert consortium.members.count() == 5
    # 1 April 2023 + 24 months, then 9 and 12: to 31 December 2026.
    contract = Contract.objects.get(reference="anyshire-idva-grant-2023")
    assert contract.kind == "grant" and contract.extension_notice_months == 3
    assert contract.grant_conditions.startswith("Quarterly performance returns.\n\nOne referral")
    assert (contract.term_summary, contract.current_end) == (
        "24 months + 9 months + 12 months",
        date(2026, 12, 31),
    )
    options = list(contract.term_options.all())
    assert [(o.months, o.status, o.decision.reference, o.decided_on) for o in options] == [
        (9, "agreed", "PCD 360", date(2025, 1, 14)),
        (12, "agreed", "PCD 371", date(2025, 11, 3)),
    ]
    lines = list(contract.value_lines.order_by("pk"))
    assert [(line.kind, line.term_option, line.amount, line.decision.reference) for line in lines] == [
        ("initial", None, Decimal("2400000"), "PCD 353"),
        ("extension", options[0], Decimal("810000"), "PCD 360"),
        ("extension", options[1], Decimal("1150000"), "PCD 371"),
    ]
    # 2,400,000 + 810,000 + 1,150,000, worked out by the model from the lines and agreed options.
    assert contract.value_to_date == contract.cumulative_value == Decimal("4360000")

    text = pdf_text(case.papers.get())
    for fact in (
        "Decision notice: PCD 353",
        "Award a two-year conditional grant of £2,400,000",
        "I hereby approve the recommendation above.",
        "Alex Morgan, Police and Crime Commissioner",
        "20 March 2023",
        "Safe Futures Consortium brings together five charities",
        "Part 2 of this decision notice holds confidential facts and advice; it is not published.",
    ):
        assert fact in text, fact


def test_the_committee_case_imports_its_evidence_and_capacity_with_the_shortfall_computed():
    case = imported("anyvale-refuge")
    (capacity,) = case.capacity.all()
    assert (capacity.commissioned, capacity.provided, capacity.planned, capacity.benchmark) == (
        12,
        15,
        20,
        30,
    )
    # Measured from the units planned: 30 - 20.
    assert (capacity.shortfall_against, capacity.shortfall) == ("planned", 10)
    evidence = list(case.evidence.all())
    assert [(e.shown, e.period, e.in_paper) for e in evidence] == [
        ("3,360", "2023-24", True),
        ("11.2 per 1,000 people", "2023-24", True),
        ("41", "2024-25", False),
    ]
    assert evidence[1].value == Decimal("11.2") and evidence[1].source == "Anyshire Police"


def test_a_committee_report_prints_six_members_questions_and_the_answers():
    case = imported("anyvale-refuge")
    decision = case.decisions.get()
    assert (decision.maker.name, decision.maker.kind) == ("Communities and Housing Committee", "committee")
    assert decision.questions.count() == 6

    text = pdf_text(case.papers.get())
    for number, member in enumerate(
        ["Ann Jones", "Ben Ortiz", "Chloe Reed", "David Hale", "Esther Cole", "Frank Musa"], start=1
    ):
        assert f"Question {number}: Councillor {member}" in text
    assert "Councillor Frank Musa (attending under Standing Order 20)" in text
    assert "Forty-one referrals could not be offered a unit" in text
    assert "Yes. Bids from consortia are welcome, with one lead organisation." in text
    # 204,000 + 60,000 = 264,000 a year; 3 + 2 years at £264,000 = £1,320,000.
    assert "£204,000" in text and "£60,000" in text
    assert "£1,320,000 over the full term" in text
