"""Narrative text: Markdown written by officers, made into safe HTML."""

import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "sup",
    "sub",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start", "type"}, "th": {"scope"}}

# One Markdown converter a thread: building one costs more than converting a section.
_local = threading.local()


def _converter():
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    return _local.md


def markdown_to_html(text: str) -> str:
    """Officer-written Markdown as HTML with only the tags a paper needs (no scripts, no styles)."""
    if not text or not text.strip():
        return ""
    md = _converter()
    html = md.reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
