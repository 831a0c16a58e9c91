"""The Gunning principles checklist of a consultation: two confirmed by the officer, two computed.

Lengths are worked out here from the calendar: 7 January to 1 April 2019 is 24 days left of
January + 28 of February + 31 of March + 1 = 84 days, 12 weeks exactly; to 2 April, 85 days,
12 weeks and 1 day; 4 February to 29 April 2019 is 24 + 31 + 29 = 84 days; 1 to 29 March is 28.
"""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from commissioning.models import CaseDocument, Decision, Organisation, Profile
from consultations.models import YouSaidWeDid
from consultations.outcomes import adequate_time, gunning_checklist, weeks_and_days
from tests.factories import CaseFactory, ConsultationFactory, OrganisationFactory, ProfileFactory
from tests.urlwalk import post_form


@pytest.fixture
def case(organisation):
    return CaseFactory(reference="leics-2019", lead_commissioner=organisation)


@pytest.fixture
def consultation(case):
    return ConsultationFactory(case=case, starts_on=date(2019, 1, 7), ends_on=date(2019, 4, 1))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def principle(consultation, number):
    return gunning_checklist(consultation)["principles"][number - 1]


@pytest.mark.parametrize(
    ("starts", "ends", "days", "length"),
    [
        (date(2019, 1, 7), date(2019, 4, 1), 24 + 28 + 31 + 1, "12 weeks"),
        (date(2019, 1, 7), date(2019, 4, 2), 24 + 28 + 31 + 2, "12 weeks and 1 day"),
        (date(2019, 2, 4), date(2019, 4, 29), 24 + 31 + 29, "12 weeks"),
        (date(2019, 3, 1), date(2019, 3, 29), 28, "4 weeks"),
        (date(2019, 3, 1), date(2019, 3, 7), 6, "6 days"),
    ],
)
def test_weeks_and_days_are_computed_from_the_dates(case, starts, ends, days, length):
    consultation = ConsultationFactory(case=case, starts_on=starts, ends_on=ends, minimum_weeks=None)
    time = adequate_time(consultation)
    assert (time["days"], time["weeks"], time["extra_days"]) == (days, days // 7, days % 7)
    assert time["length"] == length == weeks_and_days(days)


def test_twelve_weeks_is_adequate_by_default(consultation):
    assert consultation.adequate_weeks == 12
    third = principle(consultation, 3)
    assert third["status"] == "met"
    assert third["details"] == [
        "Ran 12 weeks (84 days), from 7 January 2019 to 1 April 2019, "
        "against 12 weeks (84 days) judged adequate."
    ]


def test_a_shorter_consultation_is_not_adequate_and_says_by_how_much(case):
    # 1 to 29 March 2019: 28 days, 4 weeks; 12 weeks is 84 days: 56 days (8 weeks) short.
    consultation = ConsultationFactory(
        case=case, starts_on=date(2019, 3, 1), ends_on=date(2019, 3, 29), minimum_weeks=None
    )
    third = principle(consultation, 3)
    assert third["status"] == "not_met"
    assert third["details"][1] == "8 weeks short."
    # The officer judges four weeks proportionate: now it is adequate.
    consultation.adequate_weeks = 4
    assert principle(consultation, 3)["status"] == "met"


def test_without_dates_adequate_time_cannot_be_told(case):
    consultation = ConsultationFactory(case=case, starts_on=None, ends_on=None)
    assert principle(consultation, 3)["status"] == "unknown"


def test_the_officer_confirms_the_first_two(consultation):
    assert [principle(consultation, n)["status"] for n in (1, 2)] == ["unconfirmed", "unconfirmed"]
    consultation.formative_confirmed = True
    consultation.formative_note = "No option had been chosen; Cabinet decided in June."
    consultation.information_confirmed = True
    consultation.documents_url = "https://www.example.gov.uk/consultation"
    first, second = principle(consultation, 1), principle(consultation, 2)
    assert (first["status"], second["status"]) == ("met", "met")
    assert "No option had been chosen; Cabinet decided in June." in first["details"]
    assert second["link"] == {
        "href": "https://www.example.gov.uk/consultation",
        "text": "Consultation documents",
    }


def test_a_decision_before_the_end_warns_that_it_was_not_formative(consultation, case):
    consultation.formative_confirmed = True
    early = Decision.objects.create(
        case=case, reference="C/2019/3", title="Early", decided_on=date(2019, 3, 20), reasons="Because."
    )
    YouSaidWeDid.objects.create(consultation=consultation, we_asked="Q", we_did="D", decision=early)
    first = principle(consultation, 1)
    assert first["status"] == "check"
    assert first["warnings"] == [
        "The consultation ends on 1 April 2019, after decision C/2019/3 was taken on 20 March 2019."
    ]


def test_a_decision_after_the_end_does_not_warn(consultation, case):
    consultation.formative_confirmed = True
    later = Decision.objects.create(case=case, title="Later", decided_on=date(2019, 6, 12), reasons="R.")
    YouSaidWeDid.objects.create(consultation=consultation, we_asked="Q", we_did="D", decision=later)
    assert principle(consultation, 1)["status"] == "met"


def test_conscientious_consideration_needs_a_we_did_row_citing_reasons(consultation, case):
    fourth = principle(consultation, 4)
    assert fourth["status"] == "not_met"
    decision = Decision.objects.create(
        case=case, reference="C/2019/12", title="T", decided_on=date(2019, 6, 12)
    )
    row = YouSaidWeDid.objects.create(consultation=consultation, we_asked="Q", we_did="D")
    assert principle(consultation, 4)["status"] == "not_met"  # no decision linked
    row.decision = decision
    row.save()
    assert principle(consultation, 4)["details"] == ["Decision C/2019/12 (12 June 2019) records no reasons."]
    decision.reasons = "Respondents preferred one countywide service."
    decision.save()
    fourth = principle(consultation, 4)
    assert fourth["status"] == "met"
    assert fourth["details"] == [
        "The reasons of decision C/2019/12 (12 June 2019) are cited by a “we did” row."
    ]


def test_impact_assessment_is_a_case_document_or_a_link(consultation, case):
    assert gunning_checklist(consultation)["impact_assessment"] is None
    consultation.impact_assessment_url = "https://www.example.gov.uk/eia.pdf"
    assert gunning_checklist(consultation)["impact_assessment"] == {
        "href": "https://www.example.gov.uk/eia.pdf",
        "text": "Equality impact assessment",
    }
    document = CaseDocument.objects.create(
        case=case,
        kind="appendix",
        label="Appendix 2",
        title="Equality impact assessment",
        url="https://e.org/2",
    )
    consultation.impact_assessment_document = document
    assert gunning_checklist(consultation)["impact_assessment"] == {
        "href": "https://e.org/2",
        "text": "Appendix 2 Equality impact assessment",
    }


def test_consultation_page_shows_the_checklist(officer_client, consultation):
    response = officer_client.get(consultation.get_absolute_url())
    assertContains(response, "Gunning principles")
    assertContains(response, "1. Proposals at a formative stage")
    assertContains(response, "Ran 12 weeks (84 days)")
    assertContains(response, "Not confirmed", count=2)
    assertContains(response, reverse("consultations:gunning-update", args=[consultation.pk]))


def test_officer_changes_the_checklist(officer_client, consultation, case):
    document = CaseDocument.objects.create(case=case, kind="appendix", title="Equality impact assessment")
    url = reverse("consultations:gunning-update", args=[consultation.pk])
    form = post_form(officer_client.get(url))
    data = form.data() | {
        "formative_confirmed": ["on"],
        "formative_note": ["No option chosen before the consultation closed"],
        "adequate_weeks": ["8"],
        "documents_url": ["https://www.example.gov.uk/consultation"],
        "impact_assessment_document": [str(document.pk)],
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.formative_confirmed and consultation.adequate_weeks == 8
    assert consultation.impact_assessment_document == document
    page = officer_client.get(consultation.get_absolute_url())
    assertContains(page, "against 8 weeks (56 days) judged adequate")


def test_checklist_refuses_another_cases_document_and_a_bad_link(officer_client, consultation, organisation):
    elsewhere = CaseDocument.objects.create(
        case=CaseFactory(lead_commissioner=organisation), kind="appendix", title="X"
    )
    url = reverse("consultations:gunning-update", args=[consultation.pk])
    data = post_form(officer_client.get(url)).data() | {
        "impact_assessment_document": [str(elsewhere.pk)],
        "documents_url": ["not a link"],
        "adequate_weeks": ["0"],
    }
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assertContains(response, "Enter the web address in the correct format", count=2)
    consultation.refresh_from_db()
    assert consultation.impact_assessment_document is None and consultation.adequate_weeks == 12


def test_a_stale_checklist_save_is_refused(officer_client, consultation, officer):
    from django.test import Client

    url = reverse("consultations:gunning-update", args=[consultation.pk])
    stale = post_form(officer_client.get(url))
    other = Client()
    other.force_login(
        ProfileFactory(user__username="colleague", organisation=officer.profile.organisation).user
    )
    assert other.post(url, post_form(other.get(url)).data() | {"adequate_weeks": ["8"]}).status_code == 302
    response = officer_client.post(url, stale.data() | {"formative_note": ["From an old page"]})
    assertContains(response, "Someone else saved changes while you had this page open.")
    consultation.refresh_from_db()
    assert (consultation.adequate_weeks, consultation.formative_note) == (8, "")


def test_partner_viewer_may_not_change_the_checklist(client, case, consultation):
    partner = OrganisationFactory(name="Leicester City Council", kind=Organisation.Kind.CITY_COUNCIL)
    case.partners.add(partner)
    viewer = ProfileFactory(
        user__username="viewer", organisation=partner, role=Profile.Role.PARTNER_VIEWER
    ).user
    client.force_login(viewer)
    url = reverse("consultations:gunning-update", args=[consultation.pk])
    assert client.post(url, {"adequate_weeks": "1"}).status_code == 403
    consultation.refresh_from_db()
    assert consultation.adequate_weeks == 12
    # Reading is allowed: the public-style page answers.
    assert client.get(reverse("consultations:you-said-we-did", args=[consultation.pk])).status_code == 200
