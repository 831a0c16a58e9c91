"""Create and edit pages for consultations on a case."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from commissioning.models import Organisation, Profile
from consultations.models import Consultation, ConsultationEvent
from tests.admin_posts import management
from tests.factories import (
    CaseFactory,
    ConsultationFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ProfileFactory,
)
from tests.form_errors import assert_error_next_to


def date_parts(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def rows(events=0, preferences=0):
    """The hidden counts of the page's two row blocks (events, then preferences)."""
    return management("events", events) | management("preferences", preferences)


@pytest.fixture
def case(organisation):
    return CaseFactory(reference="leics-2019", lead_commissioner=organisation)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_officer_adds_a_twelve_week_consultation(officer_client, case):
    data = {"title": "Public consultation on DASV services", "kind": "public", "minimum_weeks": "12"}
    data |= {"response_count": "19", "channels": "Web survey\nHard copy survey"}
    # 7 January to 1 April 2019 is 84 days: exactly 12 weeks.
    data |= date_parts("starts_on", 7, 1, 2019) | date_parts("ends_on", 1, 4, 2019)
    response = officer_client.post(
        reverse("consultations:consultation-create", args=[case.reference]), data | rows()
    )
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    consultation = case.consultations.get()
    assert (consultation.starts_on, consultation.ends_on, consultation.weeks) == (
        date(2019, 1, 7),
        date(2019, 4, 1),
        12,
    )
    assert consultation.channel_list == ["Web survey", "Hard copy survey"]
    assertContains(officer_client.get(response.url), "Consultation added")


def test_end_before_start_is_refused(officer_client, case):
    data = {"title": "Consultation", "kind": "public"}
    data |= date_parts("starts_on", 7, 1, 2019) | date_parts("ends_on", 6, 1, 2019)
    response = officer_client.post(
        reverse("consultations:consultation-create", args=[case.reference]), data | rows()
    )
    assert response.status_code == 200
    assertContains(response, "The end date must be the same as or after the start date", count=2)
    assertContains(response, 'href="#id_ends_on_0"')
    assert Consultation.objects.count() == 0


def test_shorter_than_the_promised_weeks_is_refused(officer_client, case):
    """An eight-week promise, but 1 to 29 March 2019 is 28 days: 4 weeks."""
    data = {"title": "Consultation", "kind": "public", "minimum_weeks": "8"}
    data |= date_parts("starts_on", 1, 3, 2019) | date_parts("ends_on", 29, 3, 2019)
    response = officer_client.post(
        reverse("consultations:consultation-create", args=[case.reference]), data | rows()
    )
    assertContains(
        response, "The consultation must run for at least 8 weeks; these dates give 4 weeks", count=2
    )
    assert Consultation.objects.count() == 0


def test_a_date_that_does_not_exist_is_refused(officer_client, case):
    data = {"title": "Consultation", "kind": "public"} | date_parts("starts_on", 31, 2, 2024)
    response = officer_client.post(
        reverse("consultations:consultation-create", args=[case.reference]), data | rows()
    )
    assertContains(response, "Enter a real date", count=2)
    assert Consultation.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        # smallint and integer columns: PostgreSQL refuses what SQLite stored.
        ({"minimum_weeks": "99999"}, "id_minimum_weeks", "Minimum length in weeks must be 32,767 or less"),
        (
            {"response_count": "99999999999999999999"},
            "id_response_count",
            "Responses received must be 2,147,483,647 or less",
        ),
        ({"response_count": "1,2"}, "id_response_count", "Responses received must be a whole number"),
        (
            {"minimum_weeks": "١٢"},
            "id_minimum_weeks",
            "Enter the minimum length in weeks using the digits 0 to 9",
        ),
        (date_parts("starts_on", "99999999999999999999", 1, 2019), "id_starts_on", "Enter a real date"),
        (date_parts("ends_on", 1, 4, 2119), "id_ends_on", "Year must be between 1900 and 2100"),
    ],
)
def test_bad_numbers_and_dates_are_refused_next_to_the_field(
    officer_client, case, overrides, field_id, message
):
    data = {"title": "Consultation", "kind": "public"} | overrides
    response = officer_client.post(
        reverse("consultations:consultation-create", args=[case.reference]), data | rows()
    )
    assert response.status_code == 200
    assert_error_next_to(response, field_id, message)
    assert Consultation.objects.count() == 0


def test_officer_edits_a_consultation(officer_client, case):
    consultation = ConsultationFactory(case=case, response_count=100)
    data = {"title": consultation.title, "kind": "public", "minimum_weeks": "12", "response_count": "19"}
    data |= date_parts("starts_on", 7, 1, 2019) | date_parts("ends_on", 1, 4, 2019)
    response = officer_client.post(
        reverse("consultations:consultation-update", args=[consultation.pk]), data | rows()
    )
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    consultation.refresh_from_db()
    assert consultation.response_count == 19
    assertContains(officer_client.get(response.url), "Consultation updated")


def test_another_organisations_case_is_not_found(client, other_officer, case):
    consultation = ConsultationFactory(case=case)
    client.force_login(other_officer)
    assert client.get(reverse("consultations:consultation-create", args=[case.reference])).status_code == 404
    assert client.get(reverse("consultations:consultation-update", args=[consultation.pk])).status_code == 404


def test_partner_viewer_is_forbidden(client, case):
    partner = OrganisationFactory(name="Leicester City Council", kind=Organisation.Kind.CITY_COUNCIL)
    case.partners.add(partner)
    consultation = ConsultationFactory(case=case)
    viewer = ProfileFactory(
        user__username="viewer", organisation=partner, role=Profile.Role.PARTNER_VIEWER
    ).user
    client.force_login(viewer)
    assert client.get(reverse("consultations:consultation-create", args=[case.reference])).status_code == 403
    url = reverse("consultations:consultation-update", args=[consultation.pk])
    assert client.post(url, {"title": "Changed", "kind": "public"} | rows()).status_code == 403
    consultation.refresh_from_db()
    assert consultation.title != "Changed"


# Events and option preferences: rows on the same page, saved with the consultation or not at all.
def test_events_and_preferences_are_added_with_the_consultation(officer_client, case):
    appraisal = OptionAppraisalFactory(case=case)
    option_a = OptionFactory(appraisal=appraisal, label="A", name="In-house service")
    option_b = OptionFactory(appraisal=appraisal, label="B", name="Single provider contract")
    data = {"title": "Public consultation on DASV services", "kind": "public", "response_count": "19"}
    data |= rows(events=2, preferences=2)
    data |= {"events-0-title": "Drop-in session", "events-0-audience": "service users"}
    data |= {"events-0-attendees": "12"} | date_parts("events-0-held_on", 14, 2, 2019)
    data |= {"preferences-0-option": str(option_a.pk), "preferences-0-respondents": "5"}
    data |= {"preferences-1-option": str(option_b.pk), "preferences-1-respondents": "14"}
    response = officer_client.post(reverse("consultations:consultation-create", args=[case.reference]), data)
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    consultation = case.consultations.get()
    assert list(consultation.events.values_list("title", "held_on", "audience", "attendees")) == [
        ("Drop-in session", date(2019, 2, 14), "service users", 12)
    ]
    assert dict(consultation.preferences.values_list("option__label", "respondents")) == {"A": 5, "B": 14}


def test_an_option_of_another_case_and_too_many_respondents_are_refused(officer_client, case, organisation):
    own = OptionFactory(appraisal=OptionAppraisalFactory(case=case), label="A")
    elsewhere = OptionFactory(
        appraisal=OptionAppraisalFactory(case=CaseFactory(reference="other", lead_commissioner=organisation))
    )
    data = {"title": "Consultation", "kind": "public", "response_count": "19"} | rows(preferences=2)
    data |= {"preferences-0-option": str(elsewhere.pk), "preferences-0-respondents": "1"}
    data |= {"preferences-1-option": str(own.pk), "preferences-1-respondents": "20"}
    response = officer_client.post(reverse("consultations:consultation-create", args=[case.reference]), data)
    assert response.status_code == 200
    assert_error_next_to(response, "id_preferences-0-option", "Select option from the list")
    assert_error_next_to(
        response, "id_preferences-1-respondents", "More respondents than the 19 responses received"
    )
    assert Consultation.objects.count() == 0


def test_an_event_is_removed_and_the_removal_is_recorded(officer_client, case):
    consultation = ConsultationFactory(case=case)
    event = consultation.events.create(title="Provider workshop")
    data = {"title": consultation.title, "kind": "public"} | rows(events=1, preferences=0)
    data |= {
        "events-INITIAL_FORMS": "1",
        "events-0-id": str(event.pk),
        "events-0-consultation": str(consultation.pk),
    }
    data |= {"events-0-title": "Provider workshop", "events-0-DELETE": "on"}
    response = officer_client.post(reverse("consultations:consultation-update", args=[consultation.pk]), data)
    assertRedirects(response, case.get_absolute_url(), fetch_redirect_response=False)
    assert not consultation.events.exists()
    removed = ConsultationEvent.history.filter(id=event.pk, history_type="-").get()
    assert (removed.title, removed.history_user.username) == ("Provider workshop", "officer")
    history = officer_client.get(reverse("commissioning:case-history", args=[case.reference]))
    assertContains(history, "Provider workshop")
