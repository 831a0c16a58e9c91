"""Timing the paper renderer: a typical cabinet paper and a long stress paper.

Used by ``manage.py benchmark_papers``. Each paper is timed in a Python process of its own,
so the peak resident memory printed is that paper's (a long paper's peak cannot hide behind
or inflate a short one's). The cases are made inside a transaction that is
rolled back, so the database is left as it was. Rows are bulk-created (no history), since
only the rendering is measured.
"""

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db import transaction

from commissioning.models import (
    Area,
    BudgetHolder,
    Case,
    CaseContact,
    DecisionPaper,
    FundingContribution,
    Organisation,
    PaperSection,
    PaperType,
    Service,
)
from commissioning.paper_types import ensure_default_paper_types

from . import render

PARAGRAPH = (
    "Demand for domestic abuse services remains high across the county, and referrals to the victim "
    "service have risen on pre-pandemic figures. The commissioners have reviewed the current model, the "
    "needs assessment and the feedback of people who use the services, and propose to recommission the "
    "service on the same footprint so that support stays available wherever victims live."
)


PAPERS = {
    # label: (what the line says, table rows, build_paper arguments)
    "typical": ("cabinet paper", 70 + 25, {"services": 70, "referral_services": 25, "paragraphs": 9}),
    "stress": ("stress paper", 2000, {"services": 1000, "referral_services": 1000, "paragraphs": 8}),
}


@dataclass
class Timing:
    label: str
    pages: int
    rows: int
    median_s: float
    median_cpu_s: float
    runs: list
    rss_before_mb: float
    peak_rss_mb: float
    html: str
    plain_median_s: float = 0.0
    plain_median_cpu_s: float = 0.0
    plain_pages: int = 0
    # What pressing "Generate" costs the web request: the HTML snapshot and queueing its PDF
    # (the PDF itself is the worker's); and a second press with nothing changed.
    generate_median_s: float = 0.0
    unchanged_median_s: float = 0.0
    # The paper's HTML from the data (figures and template), what the snapshot holds.
    html_median_s: float = 0.0


def time_generate(paper, *, runs: int) -> tuple[float, float]:
    """Median time of ``generate_version`` for a new version and for an unchanged paper."""
    from .actions import generate_version

    new, unchanged = [], []
    for _ in range(runs):
        paper.versions.all().delete()
        new.append(_timed(lambda: generate_version(paper))[1])
        unchanged.append(_timed(lambda: generate_version(paper))[1])
    paper.versions.all().delete()
    return statistics.median(new), statistics.median(unchanged)


def build_paper(*, label: str, services: int, referral_services: int, paragraphs: int) -> DecisionPaper:
    """A cabinet paper with ``services`` rows in the services table and ``referral_services`` in referrals."""
    from contracts.models import ReferralCount  # the benchmark spans apps, like the seed loader

    ensure_default_paper_types()
    council, _ = Organisation.objects.get_or_create(
        name="Benchmark County Council", defaults={"kind": "county_council", "short_name": "BCC"}
    )
    partner, _ = Organisation.objects.get_or_create(name="Benchmark OPCC", defaults={"kind": "opcc"})
    holder, _ = BudgetHolder.objects.get_or_create(organisation=council, name="Community Safety")
    county, _ = Area.objects.get_or_create(name="Benchmark county", defaults={"kind": "county"})
    city, _ = Area.objects.get_or_create(name="Benchmark city", defaults={"kind": "city"})
    case = Case.objects.create(
        reference=f"benchmark-{label}", title=f"Benchmark paper ({label})", lead_commissioner=council
    )
    made = Service.objects.bulk_create(
        Service(commissioner=council, name=f"Outreach and refuge service {n:04d}", service_type="outreach")
        for n in range(services)
    )
    case.services.add(*made)
    FundingContribution.objects.bulk_create(
        [
            FundingContribution(
                service=s,
                commissioner=council,
                budget_holder=holder,
                financial_year="2024-25",
                amount=Decimal(40000 + n),
            )
            for n, s in enumerate(made)
        ]
        + [
            FundingContribution(
                service=s, commissioner=partner, financial_year="2024-25", amount=Decimal(10000 + n)
            )
            for n, s in enumerate(made)
        ]
    )
    ReferralCount.objects.bulk_create(
        ReferralCount(service=s, period_label=period, area=area, count=100 + n, period_start=start)
        for n, s in enumerate(made[:referral_services])
        for period, start in (("2023-24", date(2023, 4, 1)), ("2024-25", date(2024, 4, 1)))
        for area in (county, city)
    )
    CaseContact.objects.create(
        case=case, name="A. Officer", job_title="Commissioning Manager", phone="01234 567890"
    )
    paper = DecisionPaper.objects.create(
        case=case,
        paper_type=PaperType.objects.get(slug="cabinet-report"),
        title=f"Recommissioning domestic abuse services ({label})",
        meeting="Cabinet",
        meeting_date=date(2024, 10, 16),
        report_of="Report of the Director of Communities",
    )
    body = "\n\n".join(PARAGRAPH for _ in range(paragraphs))
    PaperSection.objects.bulk_create(
        PaperSection(paper=paper, key=key, body=body)
        for key in ("purpose", "background", "legal_implications", "equalities", "partnership")
    )
    return paper


def _rss_mb() -> float:
    """Resident memory of this process now (Linux), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


# The reference figures were taken on "a plain test document of the same shape". This is
# that document for each benchmark paper: the same HTML, WeasyPrint's default user-agent sheet,
# a stylesheet a plain document would have (A4, page numbers, fixed-layout ruled tables) and no
# PDF/UA tagging. Timed in the same process and run, it says how fast this machine is, so the
# paper's figures can be read against the reference rather than against the clock alone.
PLAIN_CSS = """
@page { size: A4; margin: 20mm; @bottom-right { content: "Page " counter(page) " of " counter(pages) } }
body { font-family: "Liberation Sans", sans-serif; font-size: 11pt }
table { width: 100%; table-layout: fixed; border-collapse: collapse }
th, td { border: 1px solid #555; padding: 2pt 4pt; text-align: left }
"""


def plain_document(html: str) -> str:
    """The paper's HTML as a plain document: its own stylesheet link swapped for PLAIN_CSS."""
    plain, swapped = render.PRINT_CSS_LINK.subn(lambda _: f"<style>{PLAIN_CSS}</style>", html, count=1)
    if not swapped:
        raise ValueError("the paper's HTML no longer links print.css: the plain document would not be plain")
    return plain


def plain_renderer(html: str):
    """A function rendering ``plain_document(html)`` with WeasyPrint's defaults; returns the PDF."""
    from weasyprint import HTML

    document = plain_document(html)

    def write() -> bytes:
        # The paper's font configuration, so both find their fonts already loaded.
        return HTML(string=document, base_url=render.BASE_URL, url_fetcher=render._FETCHER).write_pdf(
            font_config=render.font_config()
        )

    return write


def _timed(function):
    gc.collect()  # one render's garbage is not collected in the next one's time
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def time_weasyprint(paper, *, runs: int = 5, label: str, rows: int) -> Timing:
    """Median wall time of the PDF of the paper's HTML snapshot (what the worker does), in a warm
    process, with the plain document's taking turns; and of the HTML from the data on its own.

    Meant to run in a process of its own (see ``measure``), so the peak resident memory it
    reports is this paper's alone.
    """
    from pypdf import PdfReader

    rss_before = _rss_mb()
    render.render_pdf(paper)  # warm-up: fonts, templates, the parsed stylesheet
    times, cpu, plain_times, plain_cpu = [], [], [], []

    # The paper as the worker prints it (papers.tasks.render_version_pdf): its HTML snapshot, made
    # when "Generate" is pressed (timed with it, and below on its own), to PDF.
    html = render.render_html(paper)

    def render_paper():
        pdf, wall, cpu_s = _timed(lambda: render.html_to_pdf(html))
        times.append(wall)
        cpu.append(cpu_s)
        return pdf

    def render_plain():
        pdf, wall, cpu_s = _timed(plain)
        plain_times.append(wall)
        plain_cpu.append(cpu_s)
        return pdf

    pdf = render_paper()
    # ru_maxrss is in KiB on Linux: this process's high-water mark, Django and fonts included.
    # Read after the warm-up and one timed render (the second render still raised it; later
    # ones did not) and before any plain render, so that it is the paper's alone.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    html_times = [_timed(lambda: render.render_live_html(paper))[1] for _ in range(runs)]
    plain = plain_renderer(html)
    plain()  # warm-up
    # The rest of the runs take turns, first one first and then the other, so a machine that
    # slows down or speeds up part-way through (shared virtual machines do) weighs on both alike.
    for run in range(runs):
        turns = [render_plain] + ([render_paper] if len(times) < runs else [])
        for turn in turns if run % 2 else reversed(turns):
            result = turn()
            if turn is render_paper:
                pdf = result
            else:
                plain_pdf = result
    return Timing(
        label=label,
        pages=len(PdfReader(BytesIO(pdf)).pages),
        rows=rows,
        median_s=statistics.median(times),
        median_cpu_s=statistics.median(cpu),
        runs=times,
        rss_before_mb=rss_before,
        peak_rss_mb=peak_rss_mb,
        html=html,
        plain_median_s=statistics.median(plain_times),
        plain_median_cpu_s=statistics.median(plain_cpu),
        plain_pages=len(PdfReader(BytesIO(plain_pdf)).pages),
        html_median_s=statistics.median(html_times),
    )


def measure(key: str, *, runs: int) -> Timing:
    """Build one benchmark paper in a rolled-back transaction and time it, in this process."""
    label, rows, arguments = PAPERS[key]
    with transaction.atomic():
        paper = build_paper(label=key, **arguments)
        timing = time_weasyprint(paper, runs=runs, label=label, rows=rows)
        timing.generate_median_s, timing.unchanged_median_s = time_generate(paper, runs=runs)
        transaction.set_rollback(True)
    return timing


def measure_in_subprocess(key: str, *, runs: int) -> Timing:
    """``measure`` in a fresh Python process, so one paper's peak memory cannot hide another's."""
    code = (
        "import django, json, sys, dataclasses; django.setup(); "
        "from commissioning.papers import benchmark; "
        f"timing = benchmark.measure({key!r}, runs={runs}); "
        "sys.stdout.write(json.dumps(dataclasses.asdict(timing)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark of the {key} paper failed:\n{result.stderr}")
    return Timing(**json.loads(result.stdout))


def time_chromium(html: str, *, runs: int = 5, executable: str = "/usr/bin/chromium") -> tuple[float, int]:
    """Median print-to-PDF time of the same HTML and print.css in headless Chromium, and its pages."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    fetcher = render.StaticFileFetcher()

    def serve(route):
        url = route.request.url
        if url == render.BASE_URL + "paper":
            return route.fulfill(body=html, content_type="text/html; charset=utf-8")
        try:
            response = fetcher.fetch(url)
        except ValueError:
            return route.abort()
        return route.fulfill(body=response.read(), content_type=response.headers.get_content_type())

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        page.route(f"{render.BASE_URL}**", serve)
        page.goto(render.BASE_URL + "paper")
        page.pdf(prefer_css_page_size=True)  # warm-up
        times = []
        for _ in range(runs):
            page.goto(render.BASE_URL + "paper")
            start = time.perf_counter()
            pdf = page.pdf(prefer_css_page_size=True)
            times.append(time.perf_counter() - start)
        browser.close()
    return statistics.median(times), len(PdfReader(BytesIO(pdf)).pages)


def run(*, runs: int = 5, with_chromium: bool = True, papers=None, stdout=None):
    """Time the papers (both unless ``papers`` names some), each in its own process."""
    results, lines = [], []
    for key in papers or PAPERS:
        timing = measure_in_subprocess(key, runs=runs)
        results.append(timing)
        line = (
            f"{timing.label}: {timing.pages} pages, {timing.rows:,} table rows; WeasyPrint median "
            f"{timing.median_s:.2f} s over {runs} runs for the PDF of its HTML snapshot, as the worker "
            f"prints it (the HTML from the data: {timing.html_median_s * 1000:.0f} ms) "
            f"(min {min(timing.runs):.2f}, max {max(timing.runs):.2f}; CPU {timing.median_cpu_s:.2f} s); "
            f"peak RSS {timing.peak_rss_mb:.0f} MiB in its own process "
            f"({timing.rss_before_mb:.0f} MiB before rendering, "
            f"+{timing.peak_rss_mb - timing.rss_before_mb:.0f} MiB); "
            f"the same HTML as a plain document (WeasyPrint defaults, untagged, PDF only), runs "
            f"taking turns with the paper's: {timing.plain_median_s:.2f} s ({timing.plain_pages} pages), "
            f"the paper taking {timing.median_s / timing.plain_median_s:.2f}x the plain time "
            # CPU time is this process's alone: on a shared machine it varies less than the clock.
            f"({timing.median_cpu_s / timing.plain_median_cpu_s:.2f}x in CPU time: "
            f"{timing.median_cpu_s:.2f} s and {timing.plain_median_cpu_s:.2f} s); "
            f'"Generate" answers in {timing.generate_median_s * 1000:.0f} ms (HTML snapshot and queueing; '
            f"the PDF is the worker's), {timing.unchanged_median_s * 1000:.0f} ms when nothing has changed"
        )
        if with_chromium:
            chromium_s, chromium_pages = time_chromium(timing.html, runs=runs)
            line += (
                f"; Chromium {chromium_s:.2f} s ({chromium_pages} pages); "
                f"WeasyPrint/Chromium {timing.median_s / chromium_s:.1f}x"
            )
        lines.append(line)
        if stdout is not None:
            stdout.write(line)
    return results, lines
