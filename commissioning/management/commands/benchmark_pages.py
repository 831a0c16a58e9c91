"""``manage.py benchmark_pages``: each main page and export timed at seed and at national scale.

Both scales are measured in one run, in alternating blocks (seed, national, seed, national ...),
so a slower minute on a shared machine falls on both. A scale is a database and an officer:

- by default both are in this database: ``scale.small`` (a council with three cases, the size
  of a seed case's council) against ``scale.officer`` (the council seeing about 600 cases),
  both made by ``generate_scale_data``;
- with ``--seed-database URL`` the seed-scale blocks run against that database (for example
  one holding ``generate_scale_data --scale tiny``) as ``--user``, so the same officer is timed
  in a small database and in this one.

Times are the server's: the Django test client calls the site in this process, signed in,
and the response (a streamed download too) is read to its end. Queries are counted once per page
and scale, with the kept filter choices and dashboard panels already worked out (the usual case);
each block also times one request just after a change to the data (``changed``), when they are
worked out again. The funding page's main query is EXPLAINed at the end (ANALYZE on PostgreSQL).
"""

import statistics
import time

import environ
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from commissioning import choice_lists
from commissioning.scale_data import FOCUS_OFFICER, SMALL_OFFICER
from commissioning.views.registers import FundingListView, rows_by_year

PAGES = [
    ("Dashboard", "commissioning:dashboard", ""),
    ("Cases", "commissioning:case-list", ""),
    ("Services", "commissioning:service-list", ""),
    ("Funding", "commissioning:funding-list", ""),
    ("Contracts", "contracts:contract-list", ""),
    ("Consultations", "consultations:consultation-list", ""),
    ("Organisations", "commissioning:organisation-list", ""),
    ("Cases CSV", "commissioning:case-list", "?export=csv"),
    ("Services CSV", "commissioning:service-list", "?export=csv"),
    ("Funding CSV", "commissioning:funding-list", "?export=csv"),
    ("Contracts CSV", "contracts:contract-list", "?export=csv"),
    ("Consultations CSV", "consultations:consultation-list", "?export=csv"),
]
DATABASE_KEYS = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


class Scale:
    """One side of the comparison: a database (None: this one) and the officer signed in."""

    def __init__(self, label: str, database: dict | None, username: str):
        self.label, self.database, self.username = label, database, username
        self.times: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
        self.changed: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
        self.queries: dict[str, int] = {}
        self.sizes: dict[str, int] = {}


class Command(BaseCommand):
    help = "Time the main pages and exports at seed and at national scale, in alternating blocks."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Requests per page in each block (default 5)")
        parser.add_argument("--blocks", type=int, default=2, help="Blocks per scale (default 2)")
        parser.add_argument("--user", default=FOCUS_OFFICER, help="The national-scale officer")
        parser.add_argument("--seed-user", default=None, help="The seed-scale officer")
        parser.add_argument("--seed-database", default=None, help="Database URL of the seed-scale data")

    def handle(self, *args, runs, blocks, user, seed_user, seed_database, **options):
        if runs < 1 or blocks < 1:
            raise CommandError("--runs and --blocks must be at least 1")
        here = {key: connection.settings_dict[key] for key in DATABASE_KEYS}
        seed_db = None
        if seed_database:
            config = environ.Env.db_url_config(seed_database)
            seed_db = {key: config.get(key, "") for key in DATABASE_KEYS}
        seed = Scale("seed", seed_db, seed_user or (user if seed_database else SMALL_OFFICER))
        national = Scale("national", None, user)
        try:
            with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                for _ in range(blocks):
                    for scale in (seed, national):
                        self.use(scale.database or here)
                        self.measure(scale, runs)
        finally:
            self.use(here)
        self.report(seed, national, runs, blocks)
        self.explain(national)

    def use(self, database: dict):
        """Point the default connection at a database (closed first; reopened on first use)."""
        if all(connection.settings_dict[key] == value for key, value in database.items()):
            return
        connections["default"].close()
        connection.settings_dict.update(database)

    def measure(self, scale: Scale, runs: int):
        officer = get_user_model().objects.filter(username=scale.username).first()
        if officer is None:
            raise CommandError(f"No user {scale.username} in the {scale.label}-scale database")
        client = Client()
        client.force_login(officer)
        for name, url_name, query in PAGES:
            url = reverse(url_name) + query
            if name not in scale.queries:
                self.get(client, url)  # the kept filter choices and dashboard panels worked out
                with CaptureQueriesContext(connection) as queries:
                    body = self.get(client, url)
                scale.queries[name] = len(queries)
                scale.sizes[name] = len(body)
            for _ in range(runs):
                started = time.perf_counter()
                self.get(client, url)
                scale.times[name].append(time.perf_counter() - started)
            # The first request after a change to the data works out what was kept again.
            choice_lists.bump()
            started = time.perf_counter()
            self.get(client, url)
            scale.changed[name].append(time.perf_counter() - started)

    @staticmethod
    def get(client, url) -> bytes:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response.getvalue()  # a streamed download is read to its end

    def report(self, seed: Scale, national: Scale, runs: int, blocks: int):
        write = self.stdout.write
        write(
            f"{blocks} blocks a scale, alternating, of {runs} requests a page; server time in ms "
            f"(seed: {seed.username}{' in --seed-database' if seed.database else ''}; "
            f"national: {national.username})"
        )
        header = (
            f"{'page':<18} {'queries':>8} {'seed median':>12} {'seed p95':>9} "
            f"{'national median':>16} {'national p95':>13} {'ratio':>6} {'KB seed':>8} {'KB national':>12} "
            f"{'changed seed':>13} {'changed national':>17} {'ratio':>6}"
        )
        write(header)
        for name, _, _ in PAGES:
            s_med, n_med = statistics.median(seed.times[name]), statistics.median(national.times[name])
            s_new, n_new = statistics.median(seed.changed[name]), statistics.median(national.changed[name])
            queries = f"{seed.queries[name]}/{national.queries[name]}"
            write(
                f"{name:<18} {queries:>8} {s_med * 1000:>12.1f} {p95(seed.times[name]) * 1000:>9.1f} "
                f"{n_med * 1000:>16.1f} {p95(national.times[name]) * 1000:>13.1f} {n_med / s_med:>6.1f} "
                f"{seed.sizes[name] / 1024:>8.0f} {national.sizes[name] / 1024:>12.0f} "
                f"{s_new * 1000:>13.1f} {n_new * 1000:>17.1f} {n_new / s_new:>6.1f}"
            )
        write(
            "changed: the median of one request a block made just after a change to the data (a new "
            "generation, commissioning.choice_lists), when the kept filter choices and dashboard "
            "panels are worked out again."
        )

    def explain(self, national: Scale):
        officer = get_user_model().objects.get(username=national.username)
        request = RequestFactory().get(reverse("commissioning:funding-list"))
        request.user = officer
        view = FundingListView()
        view.setup(request)
        rows = view.get_queryset().prefetch_related(None)
        per_page = FundingListView.table_pagination["per_page"]
        # As YearPaginator reads the first page (newest year first, the default sort): from the
        # years its rows span, not from every visible row.
        years, seen = [], 0
        for year, count in sorted(rows_by_year(rows).items(), reverse=True):
            if seen >= per_page:
                break
            years.append(year)
            seen += count
        page = rows.filter(financial_year__in=years)[:per_page]
        options = {"analyze": True} if connection.vendor == "postgresql" else {}
        self.stdout.write(
            f"\nEXPLAIN of the funding page's main query ({national.username}; "
            f"the first page, from {', '.join(years)}):"
        )
        self.stdout.write(page.explain(**options))
