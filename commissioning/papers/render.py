"""Render a paper: HTML from the templates, PDF from that same HTML with WeasyPrint.

A draft is rendered live from the case. A frozen (final or approved) paper is its last
stored version: the same HTML and PDF, whatever has happened to the case since.
"""

import mimetypes
import re
import threading
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import select_template
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from .context import paper_context


def _cached_page_references(original):
    """pydyf builds the tuple of every page's reference each time it is read, and WeasyPrint's
    PDF/UA tagging reads it once per tagged element: quadratic, about a second on a 100-page
    paper. Pages are only appended, so the tuple is rebuilt when their number changes."""

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_page_references")
        if cached is None or cached[0] != count:
            cached = pdf.__dict__["_page_references"] = (count, original.fget(pdf))
        return cached[1]

    page_references.cached = True
    return property(page_references)


if not getattr(pydyf.PDF.page_references.fget, "cached", False):
    pydyf.PDF.page_references = _cached_page_references(pydyf.PDF.page_references)

# The object stream holds every indirect dictionary, which in a tagged (PDF/UA) paper is mostly
# the structure tree: thousands of near-identical /StructElem dictionaries. zlib's level 9
# (pydyf's) spends about 7 times level 6's time on that repetitive text for a stream about 7%
# smaller (10.6 ms and 1.4 ms, 16.3 KB and 17.4 KB on the 11-page cabinet paper). Page
# contents, fonts and images keep level 9: there the levels cost about the same.
OBJECT_STREAM_LEVEL = 6


def _object_stream_data(original):
    def data(stream):
        if not (stream.compress and stream.extra.get("Type") == "/ObjStm"):
            return original.fget(stream)
        content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
        compressor = zlib.compressobj(level=OBJECT_STREAM_LEVEL)
        content = compressor.compress(content) + compressor.flush()
        # The same dictionary, in the same key order, as pydyf writes.
        extra = pydyf.Dictionary({**stream.extra, "Filter": "/FlateDecode", "Length": len(content)})
        return b"\n".join((extra.data, b"stream", content, b"endstream"))

    data.original = original
    return property(data)


if not hasattr(pydyf.Stream.data.fget, "original"):
    pydyf.Stream.data = _object_stream_data(pydyf.Stream.data)

# WeasyPrint resolves the stylesheet link against this made-up origin; the fetcher below
# answers it from the static files on disk, so rendering never calls back into a web worker.
BASE_URL = "https://paper.invalid/"
START, END = "<!-- paper:start -->", "<!-- paper:end -->"
# PDF/UA-1: tagged, with the document title shown and the language set (from <html lang>).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class StaticFileFetcher(URLFetcher):
    """Serves /static/ from disk and refuses everything else (no network while printing)."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = (
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        )
        if url.startswith(BASE_URL) and parts.path.startswith(static_prefix):
            relative = parts.path[len(static_prefix) :]
            path = finders.find(relative) or (Path(settings.STATIC_ROOT) / relative)
            path = Path(path)
            if path.is_file():
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Papers only load their own static files, not {url}")


def template_for(paper_type_slug: str):
    """The paper type's layout, or the generic report for a type an administrator added."""
    return select_template(
        [
            f"commissioning/papers/{paper_type_slug}/paper.html",
            "commissioning/papers/cabinet-report/paper.html",
        ]
    )


def render_live_html(paper) -> tuple[str, str]:
    """The paper as it stands now: (HTML document, hash of the data it shows)."""
    context = paper_context(paper)
    html = template_for(context["paper"]["type"]).render(context)
    return html, context["data_hash"]


def render_html(paper) -> str:
    version = paper.frozen_version() if paper.pk else None
    if version is not None:
        return version.html
    return render_live_html(paper)[0]


# Papers use a few dozen HTML elements; WeasyPrint's full HTML5 user-agent sheet matches
# hundreds of selectors (forms, dir attributes, old tags) against every element.
PAPER_UA_STYLESHEET = CSS(filename=str(Path(__file__).with_name("paper_ua.css")))


class PaperHTML(HTML):
    def _ua_stylesheets(self, forms=False):
        return [PAPER_UA_STYLESHEET]


# One fetcher for the process: building one sets up an SSL context, a tenth of a small render.
_FETCHER = StaticFileFetcher()

# The document links print.css for the browser preview and Chromium. WeasyPrint would fetch
# and parse it again for every paper, so the PDF gets it parsed once per process instead
# (parsed again only when the file changes, for development).
PRINT_CSS_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*/css/print\.css">')
_print_css: dict[tuple, CSS] = {}
# Pango's font map and caches live in the font configuration: a fresh one for each paper
# finds and loads the fonts again. One a thread, as Pango objects are not shared safely.
_fonts = threading.local()


def print_stylesheet() -> CSS:
    path = Path(finders.find("css/print.css") or Path(settings.STATIC_ROOT) / "css/print.css")
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _print_css:
        _print_css.clear()
        _print_css[key] = CSS(string=path.read_text(encoding="utf-8"), base_url=BASE_URL + "static/css/")
    return _print_css[key]


def font_config() -> FontConfiguration:
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def html_to_pdf(html: str) -> bytes:
    html, linked = PRINT_CSS_LINK.subn("", html, count=1)
    document = PaperHTML(string=html, base_url=BASE_URL, url_fetcher=_FETCHER)
    return document.write_pdf(
        stylesheets=[print_stylesheet()] if linked else None, font_config=font_config(), **PDF_OPTIONS
    )


def render_pdf(paper) -> bytes:
    version = paper.frozen_version() if paper.pk else None
    if version is not None:
        if version.pdf:
            with version.pdf.open("rb") as stored:
                return stored.read()
        return html_to_pdf(version.html)
    return html_to_pdf(render_live_html(paper)[0])


def paper_fragment(html: str) -> str:
    """The paper itself from a rendered document, for the on-screen preview inside the site."""
    start, end = html.find(START), html.find(END)
    if start == -1 or end == -1:
        return html
    return html[start + len(START) : end]
