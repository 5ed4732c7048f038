"""Server-drawn SVG for the public site: a map of the partnership's own boundaries.

Drawn on the server so that it shows without JavaScript and passes the content security
policy (no scripts, no style attributes); every figure on it is in the table below it,
which is also what a screen reader or a browser without SVG reads. Text is escaped and
given in the page's language by the caller.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from saferhub.assessment.charts import SHADES, map_paths

WIDTH = 560


def _breaks(counts: list[int]) -> list[int]:
    """Four upper bounds of five shades: 0, then four equal-count classes of the rest."""
    positive = sorted(c for c in counts if c > 0)
    if not positive:
        return [0, 0, 0, 0]
    n = len(positive)
    return [positive[min(n - 1, int(n * q))] for q in (0.25, 0.5, 0.75, 1.0)]


def _shade(count: int | None, breaks: list[int]) -> int:
    if not count or count <= 0:
        return 0
    for i, bound in enumerate(breaks, start=1):
        if count <= bound:
            return i
    return 4


def _legend(breaks: list[int]) -> list[str]:
    labels = ["0"]
    low = 1
    for bound in breaks:
        if bound >= low:
            labels.append(
                number_format(low)
                if bound == low
                else f"{number_format(low)}–{number_format(bound)}"
            )
            low = bound + 1
        else:
            labels.append("")
    return labels


def area_map_svg(
    boundaries: dict[str, Any],
    counts: dict[str, int | None],
    names: dict[str, str],
    *,
    title: str,
    chart_id: str,
) -> SafeString:
    """A shaded map of ``counts`` per area code; "" when no area has a boundary."""
    paths, height = map_paths(boundaries, WIDTH, key="code")
    if not paths:
        return mark_safe("")
    breaks = _breaks([c or 0 for c in counts.values()])
    parts = [
        f'<svg class="saferhub-public-map" viewBox="-2 -2 {WIDTH + 4} {height + 60}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_("A map; every figure on it is in the table below."))}</desc>',
    ]
    for code in sorted(paths, key=lambda c: names.get(c, c)):
        count = counts.get(code)
        label = f"{names.get(code, code)}: {number_format(count) if count is not None else '–'}"
        parts.append(
            f'<path d="{paths[code]}" fill="{SHADES[_shade(count, breaks)]}" '
            f'stroke="#0b0c0c" stroke-width="0.8"><title>{escape(label)}</title></path>'
        )
    y = height + 16
    x = 0
    for shade, label in zip(SHADES, _legend(breaks), strict=True):
        if not label:
            continue
        parts.append(
            f'<rect x="{x}" y="{y}" width="16" height="16" fill="{shade}" stroke="#0b0c0c"/>'
            f'<text x="{x + 22}" y="{y + 13}" font-size="13" fill="#0b0c0c">{escape(label)}</text>'
        )
        x += 22 + 9 * len(label) + 20
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped
