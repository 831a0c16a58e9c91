"""Register filter choices kept between changes to the data (commissioning/choice_lists.py):
worked out once, used until a save, delete or link changes a model they are read from, and
never shared between organisations."""

import html
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning import choice_lists
from commissioning.models import ChoiceList, DataGeneration, Organisation
from tests.factories import AreaFactory, CaseFactory, OrganisationFactory, ProfileFactory, ServiceFactory

SERVICES = reverse("commissioning:service-list")


def option_labels(client, url, name) -> list[str]:
    body = client.get(url).content.decode()
    select = body.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def stoke(db):
    return OrganisationFactory(name="Stoke-on-Trent City Council", kind=Organisation.Kind.CITY_COUNCIL)


@pytest.fixture
def service(organisation):
    service = ServiceFactory(commissioner=organisation, name="Outreach")
    service.areas.add(AreaFactory(name="Cannock Chase"))
    return service


def test_a_kept_list_is_used_until_the_data_changes(officer_client, service):
    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase"]
    kept = ChoiceList.objects.get(key__endswith=":service-areas")
    assert kept.choices == [[service.areas.get().pk, "Cannock Chase"]]

    service.areas.add(AreaFactory(name="Tamworth"))
    with CaptureQueriesContext(connection) as worked_out:
        officer_client.get(SERVICES)
    with CaptureQueriesContext(connection) as kept_page:
        officer_client.get(SERVICES)
    # Worked out: the generation read, three lists (commissioners, areas, providers), one write.
    assert len(worked_out) - len(kept_page) == 1 + 3 + 1
    service.areas.remove(service.areas.get(name="Tamworth"))

    # A link added (m2m_changed), a row saved (post_save), a row deleted (post_delete): each shows.
    service.areas.add(AreaFactory(name="Tamworth"))
    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase", "Tamworth"]
    other = ServiceFactory(commissioner=service.commissioner, name="Refuge")
    other.areas.add(AreaFactory(name="Lichfield"))
    expected = ["Any", "Cannock Chase", "Lichfield", "Tamworth"]
    assert option_labels(officer_client, SERVICES, "area") == expected
    other.delete()
    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase", "Tamworth"]
    area = service.areas.get(name="Tamworth")
    area.name = "Tamworth Borough"
    area.save()
    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase", "Tamworth Borough"]


def test_each_organisation_has_its_own_lists(officer_client, service, other_organisation):
    theirs = ServiceFactory(commissioner=other_organisation, name="Their service")
    theirs.areas.add(AreaFactory(name="Weymouth and Portland"))
    their_officer = ProfileFactory(user__username="dorset", organisation=other_organisation).user
    client = Client()
    client.force_login(their_officer)

    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase"]
    assert option_labels(client, SERVICES, "area") == ["Any", "Weymouth and Portland"]
    assert option_labels(officer_client, SERVICES, "area") == ["Any", "Cannock Chase"]
    assert ChoiceList.objects.filter(key__endswith=":service-areas").count() == 2


def test_a_value_not_in_the_kept_list_is_refused(officer_client, service, other_organisation):
    theirs = ServiceFactory(commissioner=other_organisation, name="Their service")
    their_area = AreaFactory(name="Weymouth and Portland")
    theirs.areas.add(their_area)
    response = officer_client.get(SERVICES, {"area": their_area.pk})
    assert "Select area from the list" in response.content.decode()
    assert "Their service" not in response.content.decode()


def test_a_change_made_while_a_list_is_worked_out_leaves_it_out_of_date(officer):
    """The generation kept with a list is the one read before it was worked out: a change that
    commits meanwhile makes the next page work it out again, never keep the old one as current."""
    OrganisationFactory(name="Alpha Council", kind=Organisation.Kind.COUNTY_COUNCIL)
    calls = []

    def build(user):
        calls.append(1)
        if len(calls) == 1:
            choice_lists.bump()  # another request's change, committed while this list was read
        return [[len(calls), f"built {len(calls)}"]]

    assert choice_lists.get_lists(officer, {"test-list": build}) == {"test-list": [[1, "built 1"]]}
    assert choice_lists.get_lists(officer, {"test-list": build}) == {"test-list": [[2, "built 2"]]}
    assert choice_lists.get_lists(officer, {"test-list": build}) == {"test-list": [[2, "built 2"]]}
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_starts_a_generation_at_once_and_once_more_when_it_commits():
    organisation = OrganisationFactory(name="Staffordshire County Council")
    before = choice_lists.latest_generation()
    with transaction.atomic():
        for n in range(3):
            ServiceFactory(commissioner=organisation, name=f"Service {n}")
        during = choice_lists.latest_generation()
        pending = [c for _, c, _ in connection.run_on_commit if c is choice_lists._bump_after_commit]
    assert during > before  # seen inside the transaction at once
    assert len(pending) == 1  # one more when it commits, however many rows changed
    assert choice_lists.latest_generation() == during + 1


def test_a_case_partner_added_shows_in_the_commissioner_list(officer_client, organisation, stoke):
    case = CaseFactory(reference="partners", lead_commissioner=organisation, officer=None)
    url = reverse("commissioning:case-list")
    assert option_labels(officer_client, url, "commissioner") == ["Any", organisation.name]
    case.partners.add(stoke)
    assert option_labels(officer_client, url, "commissioner") == ["Any", organisation.name, stoke.name]


def test_old_generations_are_deleted(db):
    for _ in range(choice_lists.KEEP_GENERATIONS + 150):
        choice_lists.bump()
    latest = choice_lists.latest_generation()
    assert DataGeneration.objects.filter(pk__lt=latest - choice_lists.KEEP_GENERATIONS - 100).count() == 0
    assert DataGeneration.objects.filter(pk=latest).exists()
