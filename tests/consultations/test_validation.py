"""Bad consultation dates: a clear message on the end date, nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from consultations.models import Consultation
from tests.admin_posts import management
from tests.factories import CaseFactory, ConsultationFactory

pytestmark = pytest.mark.django_db


def test_consultation_ending_before_it_starts_refused():
    consultation = ConsultationFactory.build(
        case=CaseFactory(), starts_on=date(2019, 4, 1), ends_on=date(2019, 1, 7), minimum_weeks=None
    )
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert caught.value.message_dict == {
        "ends_on": ["The end date must be the same as or after the start date"]
    }


def test_consultation_shorter_than_promised_refused():
    # 7 Jan to 25 Mar 2019 is 77 days: 11 weeks, short of the 12 promised.
    consultation = ConsultationFactory.build(
        case=CaseFactory(), starts_on=date(2019, 1, 7), ends_on=date(2019, 3, 25), minimum_weeks=12
    )
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert caught.value.message_dict == {
        "ends_on": ["The consultation must run for at least 12 weeks; these dates give 11 weeks"]
    }


def test_twelve_week_consultation_allowed():
    # 7 Jan to 1 Apr 2019 is 84 days: exactly 12 weeks.
    ConsultationFactory.build(case=CaseFactory()).full_clean()


def test_admin_consultation_ending_before_it_starts_refused(client, superuser):
    client.force_login(superuser)
    data = {
        "case": str(CaseFactory().pk),
        "title": "Public consultation",
        "kind": "public",
        "starts_on": "01/04/2019",
        "ends_on": "07/01/2019",
        **management("events", 0),
        **management("preferences", 0),
    }
    response = client.post(reverse("admin:consultations_consultation_add"), data)
    assertContains(response, "The end date must be the same as or after the start date")
    assert Consultation.objects.count() == 0


def test_constraint_message_is_plain_english():
    consultation = ConsultationFactory.build(
        case=CaseFactory(), starts_on=date(2019, 4, 1), ends_on=date(2019, 1, 7), minimum_weeks=None
    )
    with pytest.raises(ValidationError) as caught:
        consultation.validate_constraints()
    assert caught.value.messages == ["The end date must be the same as or after the start date"]
