"""``paper_context(paper)``: every figure and text a paper shows, as plain values.

Sections follow the paper type's definitions in order (they are data an administrator
edits). A section shows its written Markdown text, then, for a data section, what its
source generates from the case. The dict holds only strings, numbers, lists and dicts, so
the templates never query and ``data_hash`` can fingerprint exactly what was shown.
"""

import hashlib
import json

from django.utils.safestring import mark_safe

from commissioning.models import DecisionPaper

from .data import load_paper_data, long_date
from .sections import SOURCES
from .text import markdown_to_html

SECTION_TEMPLATE = "commissioning/papers/sections/{}.html"


def _paper_row(paper: DecisionPaper) -> DecisionPaper:
    """The paper with its type, sections and texts, in three queries (an unsaved paper: one)."""
    if paper.pk is None:
        return paper
    return (
        DecisionPaper.objects.select_related("paper_type", "authority", "case__lead_commissioner")
        .prefetch_related("paper_type__sections", "section_texts")
        .get(pk=paper.pk)
    )


def paper_context(paper: DecisionPaper) -> dict:
    paper = _paper_row(paper)
    data = load_paper_data(paper)
    texts = {t.key: t.body for t in paper.section_texts.all()} if paper.pk else {}
    sections = []
    for definition in paper.paper_type.sections.all():
        text = texts.get(definition.key, "")
        content = None
        # A narrative section may name a source too (reasons: the recommended option).
        if definition.source in SOURCES:
            content = SOURCES[definition.source](data)
        source = definition.source if content is not None else ""
        sections.append(
            {
                "key": definition.key,
                "heading": definition.heading,
                "kind": definition.kind,
                "source": source,
                "defined_source": definition.source,
                "required": definition.required,
                "text": text,
                "html": mark_safe(markdown_to_html(text)),  # noqa: S308 - nh3 has sanitised it
                "content": content,
                "template": SECTION_TEMPLATE.format(source) if source else "",
                "empty": not text.strip() and content is None,
            }
        )
    authority = data.authority
    foi = data.foi_request
    context = {
        "paper": {
            "pk": paper.pk,
            "title": paper.title,
            "type": paper.paper_type.slug,
            "type_name": paper.paper_type.name,
            "authority": authority.name,
            "meeting": paper.meeting,
            "meeting_date": long_date(paper.meeting_date),
            "report_of": paper.report_of,
            "signed_by": paper.signed_by,
            "reference": paper.reference,
        },
        "case": {"reference": data.case.reference, "title": data.case.title},
        "year": data.year,
        "sections": sections,
        "letter": {
            "reference": foi.reference,
            "date": long_date(foi.answered_on or paper.meeting_date),
            "signed_by": foi.answered_by,
            "received": long_date(foi.received_on),
        }
        if foi
        else None,
    }
    context["data_hash"] = data_hash(context)
    context["content_hash"] = data_hash(context, without=CONTENT_EXCLUDED_SOURCES)
    # After hashing: the status labels the print, it is not data the paper was made from.
    context["paper"]["status"] = paper.get_status_display()
    context["paper"]["is_draft"] = paper.status == DecisionPaper.Status.DRAFT
    return context


# What approvers add to a paper while they approve it: their own comments. The content they
# approve is everything else (``content_hash``).
CONTENT_EXCLUDED_SOURCES = frozenset({"approval_comments"})


def data_hash(context: dict, without=frozenset()) -> str:
    """SHA-256 of the figures and texts (not the generated HTML, nor the paper's status).

    ``without``: data sections left out, by source (the content hash leaves out the approvers'
    comments, so a paper approved stays "the paper approved" once they are printed in it).
    """
    payload = {
        "paper": {k: v for k, v in context["paper"].items() if k not in ("status", "is_draft")},
        "case": context["case"],
        "year": context["year"],
        "letter": context["letter"],
        "sections": [
            {k: s[k] for k in ("key", "heading", "required", "text", "content")}
            for s in context["sections"]
            if s["defined_source"] not in without
        ],
    }
    encoded = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()
