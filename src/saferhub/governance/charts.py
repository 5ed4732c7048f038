"""A server-drawn horizontal bar chart (SVG, no scripts, no style attributes).

Every figure on a chart is also in the data table printed beside it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.governance.selectors import SummaryRow

WIDTH, BAR, GAP, LABEL = 720, 22, 10, 260


def bar_svg(*, rows: list[SummaryRow], title: str, chart_id: str) -> SafeString:
    if not rows:
        return mark_safe("")
    top = max(r.amount for r in rows) or 1
    height = len(rows) * (BAR + GAP) + GAP
    plot = WIDTH - LABEL - 120
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" class="saferhub-chart">',
        f'<title id="{chart_id}-title">{escape(title)} (the figures are in the table below)</title>',
    ]
    for i, row in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        w = max(1.0, float(row.amount) / float(top) * plot)
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
            f'font-size="13" fill="#0b0c0c">{escape(row.label[:40])}</text>'
        )
        parts.append(
            f'<rect x="{LABEL}" y="{y}" width="{w:.1f}" height="{BAR}" fill="#1d70b8"></rect>'
        )
        parts.append(
            f'<text x="{LABEL + w + 6:.1f}" y="{y + BAR * 0.7:.1f}" font-size="13" '
            f'fill="#0b0c0c">£{row.amount:,.0f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped
