"""Horizontal bar charts as inline SVG, drawn on the server from the analysis figures.

No script and no style attribute (the CSP forbids inline styles): sizes and colours are SVG
presentation attributes, which WeasyPrint also reads, so the same markup serves the page and the
PDF. Each chart is an image with a title and a description for assistive technology; the
figures are also in the table beside it, which is what a screen reader user reads.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LABEL_WIDTH = 220  # the labels' column, left of the bars
BAR_SPACE = 300  # the longest bar
VALUE_WIDTH = 60  # the count, right of its bar
ROW_HEIGHT = 28
BAR_HEIGHT = 18
BLUE = "#1d70b8"  # GOV.UK blue: 5.2:1 on white
TEXT = "#0b0c0c"
MAX_LABEL = 34  # characters of a label shown in the chart; the table gives it in full


def bar_width(count: int, largest: int) -> int:
    """The bar's length in whole units, in proportion to the largest count (integer arithmetic)."""
    if largest <= 0 or count <= 0:
        return 0
    return count * BAR_SPACE // largest


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(rows: list[tuple[str, int]], *, chart_id: str, title: str, description: str) -> SafeString:
    """An SVG horizontal bar chart of ``(label, count)`` rows, one bar each, in the order given."""
    largest = max((count for _, count in rows), default=0)
    width = LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(rows), 1)
    bars = format_html_join(
        "",
        '<g class="app-chart__bar"><text x="{}" y="{}" text-anchor="end" font-size="14" fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="{}">{}</text></g>',
        (
            (
                LABEL_WIDTH - 8,
                index * ROW_HEIGHT + 19,
                TEXT,
                _short(label),
                LABEL_WIDTH,
                index * ROW_HEIGHT + 5,
                bar_width(count, largest),
                BAR_HEIGHT,
                BLUE,
                LABEL_WIDTH + bar_width(count, largest) + 6,
                index * ROW_HEIGHT + 19,
                TEXT,
                f"{count:,}",
            )
            for index, (label, count) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="{w}" height="{h}" '
        'font-family="arial, sans-serif" '
        'viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc" id="{id}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        bars=bars,
    )


def describe(rows: list[tuple[str, int]], noun: str) -> str:
    """The chart's description: every bar's figure in words, in the order drawn."""
    parts = [f"{label}: {count:,}" for label, count in rows]
    return f"{noun}. " + "; ".join(parts) + "." if parts else f"{noun}: none."


def preferences_chart(analysis: dict, *, chart_id: str = "preferences-chart") -> SafeString:
    rows = [(f"{r['option']}: {r['name']}", r["count"]) for r in analysis["preferences"]["rows"]]
    return bar_chart(
        rows,
        chart_id=chart_id,
        title="Options people preferred",
        description=describe(rows, "Respondents preferring each option"),
    )


def themes_chart(themes: dict, *, chart_id: str = "themes-chart") -> SafeString:
    rows = [(r["theme"], r["count"]) for r in themes["rows"]]
    return bar_chart(
        rows,
        chart_id=chart_id,
        title="Themes in the comments",
        description=describe(rows, "Comments tagged with each theme"),
    )
