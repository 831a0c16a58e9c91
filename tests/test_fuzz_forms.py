"""Malformed input to every form the URLconf leads to: never a server error, never a partial save.

Each page of tests/urlwalk.py with a form of its own (``form_pages()``) is fetched as a user who
may use it and its form read as a browser would submit it. Hypothesis then sends malformed
values (huge numbers, 1e30, NaN, forty 9s, 100,000 characters, digits other than 0 to 9, NUL
bytes, SQL- and HTML-like text, invalid choices and primary keys) into each field in turn, the
others left as the page had them, and then into every field at once. The first sweep of a form
sends its simplest malformed value everywhere (forty 9s); the others draw at random. Every
answer must be below 500, and unless it is a redirect (the save went through) the database must
be exactly as it was: every row of every table, history included. Each submission is rolled
back afterwards, so the next starts from the same world.

Runs ``FUZZ_EXAMPLES`` (default 2) sweeps a form; set it higher for a deeper local run.
"""

import os
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.module_data import built_once
from tests.urlwalk import (
    ROUTES,
    Kind,
    build_world,
    database_snapshot,
    fetch_form,
    form_pages,
    own_forms,
    snapshot_changes,
    unrouted_patterns,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))

# What no officer types but anyone can send. Unpaired surrogates cannot travel in UTF-8 over
# HTTP, so they are not among them.
NASTY = [
    "9" * 40,
    "1e30",
    "NaN",
    "-Infinity",
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "32768",
    "-1",
    "1e-30",
    "1_000",
    "£1,2,3",
    "١٢٣",
    "１２３",
    "²",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "",
    " ",
    "\t\r\n",
    "' OR '1'='1' --",
    "1; DROP TABLE commissioning_case",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "0001",
    "31/02/2024",
    "2024-02-30",
]
MALFORMED = st.one_of(
    st.sampled_from(NASTY),
    # Choices and primary keys: real rows of the seed world (another organisation's too) and
    # missing ones.
    st.integers(min_value=-5, max_value=3000).map(str),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=40),
)
MULTIPLE = ("checkbox", "select-multiple")
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


ROW_FIELD = re.compile(r"(?P<formset>.+)-(?P<row>\d+)-.+")


def fields_to_fuzz(form) -> list[str]:
    """Every field but the CSRF token; of a formset's rows only the first and the last (a stored
    row and a blank one on an edit page): the rows between are the same fields again, and the
    service page's rows would otherwise double the run."""
    rows: dict[str, set] = {}
    for name in form.fields:
        if match := ROW_FIELD.fullmatch(name):
            rows.setdefault(match["formset"], set()).add(int(match["row"]))
    kept = {formset: {min(numbers), max(numbers)} for formset, numbers in rows.items()}
    names = []
    for name in form.fields:
        match = ROW_FIELD.fullmatch(name)
        if name != "csrfmiddlewaretoken" and (not match or int(match["row"]) in kept[match["formset"]]):
            names.append(name)
    return names


def values_for(field):
    if field.type in MULTIPLE:
        return st.lists(MALFORMED, min_size=1, max_size=3)
    return MALFORMED.map(lambda value: [value])


@pytest.fixture(scope="module")
def seeded_world(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_world)


@pytest.fixture
def world(seeded_world, db):
    return seeded_world


def shown(data: dict) -> str:
    return ", ".join(f"{name}={[v[:60] for v in values]!r}" for name, values in data.items())


def submit(client, url: str, method: str, data: dict, before: dict, fuzzed: dict):
    """Send the form; refuse a server error, and any change to the database but by a redirect.

    The database is compared only when the request wrote something: without an INSERT, UPDATE
    or DELETE it cannot have changed, and comparing every table each time would triple the run.
    """
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data)
        wrote = any(WRITES.match(query["sql"]) for query in queries.captured_queries)
        succeeded = method == "post" and response.status_code in (301, 302, 303)
        changes = snapshot_changes(before, database_snapshot()) if wrote and not succeeded else []
        transaction.set_rollback(True)
    where = f"{method.upper()} {url} with {shown(fuzzed)}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert changes == [], f"{where}: answered {response.status_code} but changed {changes}"


# The largest forms' fields are fuzzed in parts, each a test of its own, so that the contract
# page's 150-odd fields do not keep one test worker busy long after the other is done. Every
# field is fuzzed whatever the number of parts: a part takes its share of them.
PARTS = {"contracts:contract-update": 4, "contracts:contract-create": 4}  # the rest: 1


def form_parts():
    return [
        (name, method, part)
        for name, method in sorted(form_pages().items())
        for part in range(PARTS.get(name, 1))
    ]


@pytest.mark.parametrize(("name", "method", "part"), form_parts())
def test_malformed_input_is_refused_without_error_or_partial_save(world, client, name, method, part):
    url, form = fetch_form(client, world, name, method)
    every_name = fields_to_fuzz(form)
    assert every_name, f"{name}: its form has nothing to fill in; give tests/urlwalk.py's world the data"
    share = -(-len(every_name) // PARTS.get(name, 1))  # rounded up
    names = every_name[part * share : (part + 1) * share]
    assert names, f"{name}: {len(every_name)} fields, too few for part {part}; give it fewer PARTS"
    as_sent = form.data()
    before = database_snapshot()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # A failing request names its field and value; shrinking would re-send whole sweeps.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(st.data())
    def sweep(data):
        for field in names:
            fuzzed = {field: data.draw(values_for(form.fields[field]), label=field)}
            submit(client, url, method, as_sent | fuzzed, before, fuzzed)
        if part:  # every field at once: once per form, in its first part
            return
        every = [n for n in form.fields if n != "csrfmiddlewaretoken"]
        everything = {field: data.draw(values_for(form.fields[field]), label=field) for field in every}
        submit(client, url, method, as_sent | everything, before, everything)

    sweep()


def test_every_form_page_is_fuzzed(world, client):
    """A page with a form of its own that form_pages() does not list would escape the fuzz test:
    each pattern is described in tests/urlwalk.py and each page's own forms are listed there."""
    assert unrouted_patterns() == [], "Say in tests/urlwalk.py ROUTES how to fill these patterns"
    listed = form_pages()
    missing = []
    for name, route in ROUTES.items():
        # Actions, downloads and delete confirmations carry no fields to fuzz.
        if route.kind in (Kind.ACTION, Kind.DOWNLOAD, Kind.DELETE):
            continue
        client.logout()
        if route.kind != Kind.PUBLIC:
            client.force_login(route.user(world))
        response = client.get(reverse(name, kwargs=route.fill(world)))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        missing += [f"{name} ({f.method})" for f in own_forms(response) if listed.get(name) != f.method]
    assert missing == [], "List these pages' forms in tests/urlwalk.py form_pages()"
