"""Decisions as records: key decisions, the forward plan, call-in, delegations, chains of decisions
over years, and the papers that print them (a record of decision, a PCC decision notice, a
committee report with members' questions).

The cases are invented but shaped like real ones; every date and figure is worked out by hand
in the test that uses it.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains

from commissioning.models import Decision, MeetingBody, Organisation, PaperSection, PaperType
from commissioning.paper_types import ensure_default_paper_types
from commissioning.papers import render
from commissioning.papers.actions import start_paper
from tests.factories import CaseFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def pdf_text(paper) -> str:
    pdf = render.render_pdf(paper)
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


@pytest.fixture
def borough():
    """Anytown Borough Council: key decisions from £500,000; 5 working days to call a decision in."""
    ensure_default_paper_types()
    return OrganisationFactory(
        name="Anytown Borough Council",
        short_name="ABC",
        kind=Organisation.Kind.METROPOLITAN_DISTRICT,
        key_decision_threshold=Decimal("500000"),
        call_in_working_days=5,
    )


@pytest.fixture
def cabinet(borough):
    return MeetingBody.objects.create(organisation=borough, name="Cabinet", kind=MeetingBody.Kind.CABINET)


def decision(case, **fields):
    return Decision.objects.create(case=case, **fields)


# Rules, by hand.
def test_call_in_deadline_counts_working_days_after_publication(borough, cabinet):
    """Published Wednesday 1 October 2025: Thu 2, Fri 3, Mon 6, Tue 7, Wed 8 are the five working
    days, so call-in closes on 8 October and the decision takes effect on the 9th."""
    case = CaseFactory(lead_commissioner=borough)
    d = decision(
        case,
        title="Award",
        maker=cabinet,
        status="approved",
        decided_on=date(2025, 9, 30),
        published_on=date(2025, 10, 1),
        subject_to_call_in=True,
    )
    assert d.call_in_deadline == date(2025, 10, 8)
    assert d.takes_effect_on == date(2025, 10, 9)
    d.called_in = True
    assert d.takes_effect_on is None


def test_call_in_skips_bank_holidays(borough):
    """Published Thursday 18 December 2025: Fri 19, Mon 22, Tue 23, Wed 24, then Christmas Day and
    Boxing Day are bank holidays, so the fifth working day is Monday 29 December."""
    case = CaseFactory(lead_commissioner=borough)
    d = decision(case, title="x", status="approved", published_on=date(2025, 12, 18), subject_to_call_in=True)
    assert d.call_in_deadline == date(2025, 12, 29)


def test_a_decision_not_subject_to_call_in_takes_effect_when_made(borough):
    case = CaseFactory(lead_commissioner=borough)
    d = decision(case, title="x", status="approved", decided_on=date(2025, 3, 3), subject_to_call_in=False)
    assert d.call_in_deadline is None and d.takes_effect_on == date(2025, 3, 3)


def test_forward_plan_needs_28_clear_days_unless_urgency_is_recorded(borough):
    """First published 1 September, meeting 25 September: the days in between, 2 to 24
    September, are 23 clear days. Meeting on 30 September: 2 to 29 September, 28."""
    case = CaseFactory(lead_commissioner=borough)
    d = decision(
        case,
        title="Tender",
        is_key_decision=True,
        forward_plan_published_on=date(2025, 9, 1),
        meeting_date=date(2025, 9, 25),
    )
    assert d.forward_plan_clear_days == 23
    assert d.forward_plan_warning.startswith("Only 23 clear days between the forward plan (1 September 2025)")
    d.meeting_date = date(2025, 9, 30)
    assert d.forward_plan_clear_days == 28 and d.forward_plan_warning == ""
    d.meeting_date = date(2025, 9, 25)
    d.urgency, d.urgency_reason = Decision.Urgency.GENERAL_EXCEPTION, "The contract ends in October."
    assert d.forward_plan_warning == ""
    d.is_key_decision = False
    d.urgency = ""
    assert d.forward_plan_warning == ""


def test_value_is_compared_with_the_authoritys_threshold(borough):
    case = CaseFactory(lead_commissioner=borough)
    d = decision(case, title="x", value=Decimal("950000"))
    assert d.over_threshold is True
    d.value = Decimal("499999.99")
    assert d.over_threshold is False
    borough.key_decision_threshold = None
    assert d.over_threshold is None


def test_urgency_without_a_reason_is_refused(borough):
    case = CaseFactory(lead_commissioner=borough)
    d = Decision(case=case, title="x", urgency=Decision.Urgency.SPECIAL_URGENCY)
    with pytest.raises(Exception) as error:
        d.full_clean()
    assert "Give the reason for the general exception or special urgency" in str(error.value)


# A borough's chain of decisions over years.
@pytest.fixture
def chain(borough, cabinet):
    """A 19-month bridging direct award; a key decision to tender in two lots (3 + 1 + 1 years),
    delegation proposed to one director and resolved to another; the tender fails (the director's
    decision under that delegation); a re-procurement decision a year later."""
    case = CaseFactory(
        reference="anytown-da", title="Domestic abuse support services", lead_commissioner=borough
    )
    director = MeetingBody.objects.create(
        organisation=borough, name="Director of Commissioning", kind="officer"
    )
    bridging = decision(
        case,
        reference="ABC/DA/23/07",
        title="Bridging direct award to the current provider for 19 months",
        maker=director,
        status="approved",
        decided_on=date(2023, 8, 14),
        is_key_decision=False,
        subject_to_call_in=False,
    )
    tender = decision(
        case,
        reference="CAB/24/031",
        title="Recommissioning domestic abuse support: tender in two lots",
        maker=cabinet,
        maker_name="Councillor Priya Shah, Cabinet Member for Communities",
        status="approved",
        meeting_date=date(2024, 3, 12),
        decided_on=date(2024, 3, 12),
        value=Decimal("950000"),
        is_key_decision=True,
        key_reason="spend",
        forward_plan_published_on=date(2024, 2, 9),
        published_on=date(2024, 3, 14),
        subject_to_call_in=True,
        reasons="A tender in two lots secures the service beyond the bridging award.",
        alternatives="Extend the current contract again: refused, as no extension is left.",
        interests="None declared.",
    )
    tender.resolution.create(label="1", text="Approve a tender in two lots, for 3 + 1 + 1 years.")
    tender.resolution.create(label="2", text="Delegate the award to the Director of Commissioning.")
    tender.delegations.create(
        stage="proposed",
        power="Award the contracts for Lots 1 and 2",
        delegate="Director of Adult Social Care",
    )
    resolved = tender.delegations.create(
        stage="resolved",
        power="Award the contracts for Lots 1 and 2",
        delegate="Director of Commissioning",
        in_consultation_with="the Cabinet Member for Communities",
    )
    failed = decision(
        case,
        reference="ABC/DA/24/19",
        title="No award: the tender received no compliant bids",
        maker=director,
        status="approved",
        decided_on=date(2024, 9, 2),
        uses_delegation=resolved,
        subject_to_call_in=False,
    )
    retender = decision(
        case,
        reference="CAB/25/044",
        title="Re-procurement of domestic abuse support",
        maker=cabinet,
        status="approved",
        meeting_date=date(2025, 3, 11),
        decided_on=date(2025, 3, 11),
        is_key_decision=True,
        key_reason="spend",
        forward_plan_published_on=date(2025, 1, 10),
    )
    return case, [bridging, tender, failed, retender]


def test_the_case_page_shows_the_chain_in_order(client, chain, borough):
    case, decisions = chain
    client.force_login(ProfileFactory(organisation=borough).user)
    page = client.get(case.get_absolute_url()).content.decode()
    positions = [page.index(d.reference) for d in decisions]
    assert positions == sorted(positions)
    assert page.count("Key decision</strong>") == 2


def test_the_decision_page_says_who_decided_what_and_when_it_takes_effect(client, chain, borough):
    """Published Thursday 14 March 2024: Fri 15, Mon 18, Tue 19, Wed 20, Thu 21 are the five
    working days; call-in closes on 21 March 2024 and the decision takes effect on the 22nd.
    Forward plan 9 February, meeting 12 March: 10 February to 11 March is 31 clear days."""
    case, (_, tender, failed, _) = chain
    client.force_login(ProfileFactory(organisation=borough).user)
    response = client.get(tender.get_absolute_url())
    assertContains(
        response, "Subject to call-in until 21 March 2024 (5 working days after publication on 14 March 2024)"
    )
    assertContains(response, "22 March 2024")
    assertContains(response, "31 clear days before the decision")
    assertContains(response, "Value £950,000 (at or above the £500,000 threshold)")
    assertContains(response, "Director of Adult Social Care")
    assertContains(response, "Director of Commissioning")
    assertContains(response, failed.title)  # taken under its delegation


# What the record of CAB/24/031 prints; tests/case_files/anytown-borough.yaml holds the same case.
TENDER_NOTICE_FACTS = (
    "Record of decision: CAB/24/031",
    "Key decision Yes: spending or savings above the authority's threshold",
    "Call-in deadline 21 March 2024",
    "Takes effect 22 March 2024",
    "Delegated to Director of Commissioning, in consultation with the Cabinet Member for Communities",
    "The report had proposed: delegation to Director of Adult Social Care",
    "Approve a tender in two lots, for 3 + 1 + 1 years.",
    "Extend the current contract again",
    "None declared.",
)


def test_the_record_of_decision_prints_key_decision_call_in_and_the_resolved_delegate(chain):
    case, (_, tender, _, _) = chain
    paper = start_paper(case=case, paper_type=PaperType.objects.get(slug="decision-notice"), decision=tender)
    assert (paper.title, paper.reference, paper.meeting) == (tender.title, "CAB/24/031", "Cabinet")
    text = pdf_text(paper)
    for fact in TENDER_NOTICE_FACTS:
        assert fact in text, fact


# A Police and Crime Commissioner.
def test_a_pcc_decision_notice_and_its_extensions(client):
    """PCD 353 awards a two-year conditional grant to a consortium of five; PCD 360 and PCD 371
    extend it. The notice prints in the PCC's style: reference, recommendation, the PCC's
    approval with a signature line and date, Part 1, and the note that Part 2 is confidential."""
    ensure_default_paper_types()
    opcc = OrganisationFactory(name="Anyshire Office of the Police and Crime Commissioner", kind="opcc")
    pcc = MeetingBody.objects.create(organisation=opcc, name="Police and Crime Commissioner", kind="pcc")
    consortium = OrganisationFactory(name="Safe Futures Consortium", kind="consortium")
    for n in range(1, 6):
        consortium.members.add(OrganisationFactory(name=f"Member charity {n}", kind="charity"))
    case = CaseFactory(reference="anyshire-idva", title="IDVA and outreach grant", lead_commissioner=opcc)
    award = decision(
        case,
        reference="PCD 353",
        title="Conditional grant to Safe Futures Consortium for IDVA and outreach",
        maker=pcc,
        maker_name="Alex Morgan",
        status="approved",
        decided_on=date(2023, 3, 20),
    )
    award.resolution.create(text="Award a two-year conditional grant to Safe Futures Consortium.")
    for ref, day in (("PCD 360", date(2025, 1, 14)), ("PCD 371", date(2025, 11, 3))):
        decision(
            case, reference=ref, title="Extension of the grant", maker=pcc, status="approved", decided_on=day
        )
    paper = start_paper(
        case=case, paper_type=PaperType.objects.get(slug="pcc-decision-notice"), decision=award
    )
    PaperSection.objects.create(
        paper=paper, key="executive_summary", body="Funding for IDVAs across Anyshire."
    )
    text = pdf_text(paper)
    for fact in (
        "Decision notice: PCD 353",
        "Award a two-year conditional grant to Safe Futures Consortium.",
        "I hereby approve the recommendation above.",
        "Alex Morgan, Police and Crime Commissioner",
        "20 March 2023",
        "Part 2 of this decision notice holds confidential facts and advice; it is not published.",
    ):
        assert fact in text, fact
    assert consortium.members.count() == 5
    assert [d.reference for d in case.decisions.in_order()] == ["PCD 353", "PCD 360", "PCD 371"]


# A council with the committee system.
def test_a_committee_report_prints_the_members_questions_and_answers():
    ensure_default_paper_types()
    council = OrganisationFactory(name="Anyvale District Council", kind="district_council")
    committee = MeetingBody.objects.create(
        organisation=council, name="Communities and Housing Committee", kind="committee"
    )
    case = CaseFactory(reference="anyvale-refuge", title="Refuge re-tender", lead_commissioner=council)
    retender = decision(
        case, title="Re-tender of refuge services", maker=committee, meeting_date=date(2025, 6, 4)
    )
    for n in range(1, 7):
        retender.questions.create(
            member=f"Councillor Member {n}",
            member_role="attending under Standing Order 20" if n == 6 else "",
            question=f"Question {n} about the refuge?",
            answer=f"Answer {n} from officers.",
            answered_by="Head of Housing",
        )
    paper = start_paper(
        case=case, paper_type=PaperType.objects.get(slug="committee-report"), decision=retender
    )
    assert paper.meeting == "Communities and Housing Committee"
    text = pdf_text(paper)
    for n in range(1, 7):
        assert f"Question {n}: Councillor Member {n}" in text
        assert f"Answer {n} from officers." in text
    assert "attending under Standing Order 20" in text


def test_meeting_bodies_belong_to_the_authority(borough, cabinet):
    other = OrganisationFactory(name="Elsewhere Council")
    theirs = MeetingBody.objects.create(organisation=other, name="Policy Committee", kind="committee")
    case = CaseFactory(lead_commissioner=borough)
    d = Decision(case=case, title="x", authority=borough, maker=theirs)
    with pytest.raises(Exception) as error:
        d.full_clean()
    assert "Choose a decision maker of the authority that decides" in str(error.value)


def test_officers_add_a_decision_with_its_points_on_the_screens(client, borough, cabinet):
    case = CaseFactory(reference="anytown-new", lead_commissioner=borough)
    client.force_login(ProfileFactory(organisation=borough).user)
    url = reverse("commissioning:decision-create", args=[case.reference])
    from tests.urlwalk import post_form

    form = post_form(client.get(url))
    assert set(form.fields["maker"].options) - {""} == {str(cabinet.pk)}
    data = form.data() | {
        "title": ["Tender for domestic abuse support"],
        "reference": ["CAB/26/002"],
        "maker": [str(cabinet.pk)],
        "status": ["forward_plan"],
        "is_key_decision": ["true"],
        "meeting_date_0": ["10"],
        "meeting_date_1": ["2"],
        "meeting_date_2": ["2026"],
        "forward_plan_published_on_0": ["20"],
        "forward_plan_published_on_1": ["1"],
        "forward_plan_published_on_2": ["2026"],
        "resolution-0-label": ["1"],
        "resolution-0-text": ["Approve the tender."],
    }
    response = client.post(url, data, follow=True)
    saved = Decision.objects.get(reference="CAB/26/002")
    assert saved.is_key_decision is True and saved.resolution.get().text == "Approve the tender."
    # 20 January to 10 February: 21 January to 9 February is 20 clear days.
    assertContains(response, "Only 20 clear days between the forward plan (20 January 2026)")


def test_capacity_shortfall_and_evidence_print_as_the_sources_state_them():
    """Commissioned 12 units, provided 15, planned 20, benchmark 30: measured from what is planned,
    the shortfall is 30 - 20 = 10. Police-recorded incidents 2022-23: 8,400, and 11.2 per 1,000."""
    ensure_default_paper_types()
    council = OrganisationFactory(name="Anyvale District Council", kind="district_council")
    case = CaseFactory(reference="anyvale-need", title="Refuge re-tender", lead_commissioner=council)
    capacity = case.capacity.create(
        label="Refuge units",
        commissioned=12,
        provided=15,
        planned=20,
        benchmark=30,
        benchmark_source="Council of Europe: one family place per 10,000 people",
    )
    assert capacity.shortfall == 10
    capacity.shortfall_against = "provided"
    assert capacity.shortfall == 15
    capacity.shortfall_against = "planned"
    capacity.save()
    case.evidence.create(
        label="Police-recorded domestic abuse incidents",
        value=Decimal("8400"),
        period="2022-23",
        source="Police",
    )
    rate = case.evidence.create(
        label="Police-recorded domestic abuse incidents",
        value=Decimal("11.2"),
        unit="rate",
        rate_base="per 1,000 people",
        period="2022-23",
        source="Police",
    )
    assert rate.shown == "11.2 per 1,000 people"
    paper = start_paper(case=case, paper_type=PaperType.objects.get(slug="committee-report"))
    text = pdf_text(paper)
    assert "Police-recorded domestic abuse incidents 8,400 2022-23" in text
    assert "11.2 per 1,000 people" in text
    assert "Refuge units (units) 12 15 20 30 10 what is planned" in text


def test_a_milestone_entered_by_mistake_is_deleted_and_the_history_says_so(client, borough):
    from tests.factories import MilestoneFactory

    case = CaseFactory(reference="anytown-m", lead_commissioner=borough)
    milestone = MilestoneFactory(case=case, title="Tender live (typed twice)")
    officer = ProfileFactory(organisation=borough, user__first_name="Ann", user__last_name="Officer").user
    client.force_login(officer)
    url = reverse("commissioning:milestone-delete", args=[milestone.pk])
    assertContains(client.get(url), "Delete the milestone “Tender live (typed twice)”?")
    response = client.post(url, follow=True)
    assertContains(response, "Milestone “Tender live (typed twice)” deleted.")
    assert not case.milestones.exists()
    history = client.get(reverse("commissioning:case-history", args=[case.reference]))
    assertContains(history, "Tender live (typed twice)")
    assertContains(history, "A. Officer")
    record = milestone.history.filter(history_type="-").get()
    assert record.history_user == officer


def test_officers_add_their_organisations_meeting_bodies(client, borough, cabinet):
    from tests.urlwalk import post_form

    client.force_login(ProfileFactory(organisation=borough).user)
    url = reverse("commissioning:meeting-body-list")
    form = post_form(client.get(url))
    response = client.post(
        url, form.data() | {"name": ["Adults and Health Committee"], "kind": ["committee"]}
    )
    assert response.status_code == 302
    assert set(borough.meeting_bodies.values_list("name", flat=True)) == {
        "Cabinet",
        "Adults and Health Committee",
    }
    response = client.post(url, form.data() | {"name": ["Cabinet"], "kind": ["cabinet"]})
    assertContains(response, "Your organisation already has a body with this name")
    viewer = ProfileFactory(organisation=borough, role="partner_viewer").user
    client.force_login(viewer)
    assert client.post(url, {"name": "Shadow", "kind": "committee"}).status_code == 403
