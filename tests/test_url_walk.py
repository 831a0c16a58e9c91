"""Every URL pattern, walked as people who must be refused.

The patterns come from the URLconf and how to fill them from tests/urlwalk.py: a new page that
module does not describe fails ``test_every_pattern_is_described`` until someone says there
how to fill it and who may use it.
"""

import pytest
from django.urls import reverse

from commissioning.models import Case, Profile
from commissioning.permissions import EDITOR_ROLES
from tests.urlwalk import (
    ROLES,
    ROUTES,
    Kind,
    build_world,
    database_snapshot,
    snapshot_changes,
    unrouted_patterns,
)


@pytest.fixture
def world(db):
    return build_world()


def test_every_pattern_is_described():
    assert unrouted_patterns() == [], "Say in tests/urlwalk.py ROUTES how to fill these patterns"


def record_routes():
    return {name: route for name, route in ROUTES.items() if route.kwargs and route.kind != Kind.PUBLIC}


def test_outsiders_are_refused_every_record_of_another_organisation(world, client):
    """A user of every role in an organisation with no part in notts-2011 asks for each of its
    records, by GET and by POST: 404 (or 403), never a page, and nothing in the database changes."""
    before = database_snapshot()
    failures = []
    for role in ROLES:
        client.force_login(world.user(role, "outsider"))
        for name, route in record_routes().items():
            if route.reference and role in EDITOR_ROLES:
                continue
            url = reverse(name, kwargs=route.fill(world))
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                # 405: a POST-only action answers a GET, and a read-only page a POST, without
                # looking the record up.
                allowed = (403, 404, 405) if method == "get" or route.kind == Kind.READ else (403, 404)
                if status not in allowed:
                    failures.append(f"{role} {method.upper()} {url} ({name}): {status}")
    assert failures == []
    assert snapshot_changes(before, database_snapshot()) == []


def test_outsiders_lists_show_none_of_the_seed_cases(world, client):
    titles = list(Case.objects.values_list("title", flat=True))
    references = list(Case.objects.values_list("reference", flat=True))
    failures = []
    for role in ROLES:
        client.force_login(world.user(role, "outsider"))
        for name, route in ROUTES.items():
            if route.kind != Kind.LIST:
                continue
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            page = response.content.decode()
            failures += [f"{role} {name}: {t}" for t in titles + references if t in page]
    assert failures == []


def test_partners_read_but_never_change(world, client):
    """Staff of a partner commissioner read notts-2011's records, and are refused every change:
    403 on each edit form and action, and nothing changes (a GET of the PDF included)."""
    before = database_snapshot()
    failures = []
    for role in ROLES:
        client.force_login(world.user(role, "partner"))
        for name, route in record_routes().items():
            url = reverse(name, kwargs=route.fill(world))
            if route.kind in (Kind.READ, Kind.DOWNLOAD):
                status = client.get(url).status_code
                # The PDF link answers with the file or sends the reader to the paper page; an
                # organisation's own records (its exports) are not shared: 404.
                if status not in ((200, 302) if route.shared else (404,)):
                    failures.append(f"{role} GET {url} ({name}): {status}")
                continue
            if route.kind == Kind.CREATE and name == "commissioning:approval-step":
                continue  # a step page is readable; acting on it is tested in test_approvals.py
            if route.reference and role in EDITOR_ROLES:
                continue  # a step page is readable; acting on it is tested in test_approvals.py
            status = client.post(url).status_code
            if status not in ((403,) if route.shared else (403, 404)):
                failures.append(f"{role} POST {url} ({name}): {status}")
    assert failures == []
    assert snapshot_changes(before, database_snapshot()) == []


def test_lead_officer_reaches_every_page(world, client):
    """The same routes are reachable by those who may use them, so the refusals above mean
    something: each GET answers 200 (a POST-only action 405; the PDF its file)."""
    failures = []
    for name, route in ROUTES.items():
        if route.kind == Kind.PUBLIC:
            continue
        client.force_login(route.user(world))
        response = client.get(reverse(name, kwargs=route.fill(world)))
        expected = {Kind.ACTION: 405, Kind.DOWNLOAD: 200}.get(route.kind, 200)
        if name == "logout":
            expected = 405  # Django signs out by POST only
        if response.status_code != expected:
            failures.append(f"{name}: {response.status_code}, expected {expected}")
    assert failures == []
    assert Profile.objects.filter(organisation=world.outsider).count() == len(ROLES)
