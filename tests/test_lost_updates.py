"""No lost updates: every edit form refuses a save made from a page someone else saved since.

One test per edit page, found by walking the URLconf (tests/urlwalk.py marks them ``Kind.EDIT``),
so a new edit page without the protection fails here. Two officers of the lead commissioner open
the same page; the first saves a change; the second then saves a change to another field from the
page they loaded before. The second save must be refused with the GOV.UK error summary naming the
first officer, when, and what they changed, and must save nothing; the first change stays.
"""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import ProfileFactory
from tests.urlwalk import (
    ROUTES,
    Kind,
    build_world,
    database_snapshot,
    post_form,
    routes_of,
    snapshot_changes,
)

EDIT_ROUTES = routes_of(Kind.EDIT)
# Boxes an officer types words into, in the record's own form (not its rows, dates or amounts).
DATE_PART = re.compile(r"_[012]$")
FIGURES = re.compile(r"[\d,.£\s-]*")


def typed_fields(form):
    return [
        f
        for f in form.text_fields()
        if "-" not in f.name
        and not DATE_PART.search(f.name)
        and f.values
        and (f.type == "textarea" or not FIGURES.fullmatch(f.values[0]))
    ]


@pytest.fixture
def world(db):
    return build_world()


def test_there_are_edit_pages_to_check():
    assert len(EDIT_ROUTES) >= 7, EDIT_ROUTES


@pytest.mark.parametrize("name", EDIT_ROUTES)
def test_a_stale_save_is_refused_and_names_who_changed_what(name, world, client, django_user_model):
    route = ROUTES[name]
    first = route.user(world)
    first.first_name, first.last_name = "Fay", "First"
    first.save()
    second = ProfileFactory(
        user__username="second.officer", organisation=first.profile.organisation, role=first.profile.role
    ).user
    url = reverse(name, kwargs=route.fill(world))

    client.force_login(first)
    first_form = post_form(client.get(url))
    from django.test import Client

    other = Client()
    other.force_login(second)
    second_form = post_form(other.get(url))
    fields = typed_fields(first_form)
    assert fields, f"{name}: no text box to change"
    mine, theirs = fields[0], fields[-1]

    data = first_form.data()
    data[mine.name] = [mine.values[0] + " (first)"]
    response = client.post(url, data)
    assert response.status_code == 302, f"{name}: the first save failed"

    before = database_snapshot()
    data = second_form.data()
    data[theirs.name] = [theirs.values[0] + " (second)"]
    response = other.post(url, data)
    assert response.status_code == 200, f"{name}: a stale save was not refused"
    assertContains(response, "Someone else saved changes while you had this page open.")
    assertContains(response, "F. First ")  # changed (or added, for a text not written before)
    assertContains(response, "(first)")  # what they changed, as it now is
    assertContains(response, "govuk-error-summary")
    assert snapshot_changes(before, database_snapshot()) == [], f"{name}: the refused save wrote"

    # The refused page keeps the second officer's entry and a new token: saving again is a choice.
    again = post_form(response)
    assert again.fields[theirs.name].values[0] == theirs.values[0] + " (second)"
    assert other.post(url, again.data()).status_code == 302


def test_a_change_to_a_formset_row_makes_the_whole_page_stale(world, client):
    """The token covers the rows of the page's formsets too: a funding row changed by one
    officer refuses another's save of the service from an older page."""
    from django.test import Client

    from commissioning.models import FundingContribution

    service = world.case.services.order_by("pk")[0]
    url = reverse("commissioning:service-update", args=[service.pk])
    first = world.officer
    first.first_name, first.last_name = "Fay", "First"
    first.save()
    second = ProfileFactory(user__username="second.officer", organisation=world.lead).user
    client.force_login(first)
    page = post_form(client.get(url))
    other = Client()
    other.force_login(second)
    stale = post_form(other.get(url))

    amount_field = next(name for name in page.fields if name.endswith("-amount"))
    data = page.data()
    data[amount_field] = ["123,456"]
    assert client.post(url, data).status_code == 302
    row = FundingContribution.objects.filter(service=service).order_by("pk").first()
    assert str(row.amount) == "123456.00"

    data = stale.data()
    data["name"] = [data["name"][0] + " (second)"]
    response = other.post(url, data)
    assertContains(response, "F. First changed funding contribution")
    assertContains(response, "amount to “£123,456”")
    service.refresh_from_db()
    assert not service.name.endswith("(second)")
