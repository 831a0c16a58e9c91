"""The paper benchmark runs end to end (its figures are printed, never asserted as timings)."""

import pytest

from commissioning.models import Case
from commissioning.papers import benchmark

pytestmark = pytest.mark.django_db


def test_plain_reference_swaps_the_print_stylesheet_for_plain_css():
    html = '<html><head><link rel="stylesheet" href="/static/css/print.css"></head><body>x</body></html>'
    plain = benchmark.plain_document(html)
    assert "print.css" not in plain
    assert f"<style>{benchmark.PLAIN_CSS}</style>" in plain


def test_plain_reference_refuses_html_without_the_print_stylesheet():
    with pytest.raises(ValueError, match="no longer links print.css"):
        benchmark.plain_document("<html><head></head><body>x</body></html>")


def test_typical_paper_is_measured_against_the_plain_reference_and_rolled_back():
    timing = benchmark.measure("typical", runs=1)
    # 70 services rows + 25 referral rows (benchmark.PAPERS), laid out over several A4 pages.
    assert timing.rows == 70 + 25
    assert timing.pages > 5
    assert len(timing.runs) == 1
    assert timing.generate_median_s > 0 and timing.unchanged_median_s > 0
    assert "print.css" not in benchmark.plain_document(timing.html)  # the paper's real HTML
    # The plain reference is the same content: it needs about as many pages as the paper.
    assert abs(timing.plain_pages - timing.pages) <= timing.pages // 2
    assert not Case.objects.filter(reference__startswith="benchmark-").exists()
