"""generate_scale_data and benchmark_pages at a tiny scale: the rows are made, deterministic,
and every page and export is timed at both scales with the same number of queries."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from commissioning.management.commands.benchmark_pages import PAGES
from commissioning.models import Case, FundingContribution, Service
from commissioning.scale_data import FOCUS_OFFICER, SCALES
from contracts.models import Contract

pytestmark = pytest.mark.django_db


def generate(seed=7):
    # Dates count from today, so the dashboard's panels have rows for both officers.
    call_command("generate_scale_data", "--scale", "tiny", "--seed", str(seed), stdout=StringIO())


def funding_rows():
    return list(
        FundingContribution.objects.order_by("pk").values_list(
            "service__name", "commissioner__name", "amount"
        )
    )


def test_generate_scale_data_makes_the_scale_the_same_for_the_same_seed():
    with transaction.atomic():
        generate()
        tiny = SCALES["tiny"]
        assert Case.objects.count() == tiny.cases
        assert Service.objects.count() == tiny.services
        assert FundingContribution.objects.count() == tiny.funding
        assert Contract.objects.count() == tiny.contracts
        first = funding_rows()
        with pytest.raises(CommandError, match="already has scale data"):
            generate()
        transaction.set_rollback(True)
    generate()
    assert funding_rows() == first


def test_benchmark_pages_times_every_page_at_both_scales_with_equal_queries():
    generate()
    out = StringIO()
    call_command("benchmark_pages", "--runs", "1", "--blocks", "1", stdout=out)
    text = out.getvalue()
    lines = {line.split("  ")[0].strip(): line for line in text.splitlines()}
    for name, _, _ in PAGES:
        row = lines[name]
        queries = re.search(r"\s(\d+)/(\d+)\s", row)
        assert queries, row
        assert queries[1] == queries[2], row  # the same queries at both scales
        figures = row[len(name) :].split()
        # queries, median and p95 at each scale, ratio, sizes, and just after a change: each scale, ratio
        assert len(figures) == 11, row
    assert f"national: {FOCUS_OFFICER}" in text
    # The plan of the query the page runs: its first page from the newest year the officer funds
    # (the Year sort, newest first), as YearPaginator reads it, not every visible row.
    visible = Service.objects.visible_to(get_user_model().objects.get(username=FOCUS_OFFICER))
    newest = FundingContribution.objects.filter(service__in=visible).order_by("-financial_year")[0]
    heading = f"EXPLAIN of the funding page's main query ({FOCUS_OFFICER}; the first page, from "
    assert heading + newest.financial_year in text
