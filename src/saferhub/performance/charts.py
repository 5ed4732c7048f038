"""Server-rendered SVG trend chart: the series, the target line and the milestones.

No scripts and no style attributes (the pages' content security policy allows
neither); every figure on the chart is also in the data table beside it.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50


def trend_svg(
    *,
    series: list[dict[str, Any]],
    target: float | None,
    baseline: float | None,
    title: str,
    description: str,
    decimals: int = 0,
    chart_id: str = "chart",
    labels: dict[str, str] | None = None,
) -> SafeString:
    """A line chart of ``series`` (``month``, ``rolling`` and ``milestone`` keys).

    ``labels`` gives the words of the chart (``value``, ``milestone``, ``target``,
    ``baseline``) in another language; a row's ``label``, if any, is its axis label."""
    words = {"value": "Value", "milestone": "Milestone", "target": "Target", "baseline": "Baseline"}
    words.update({k: escape(v) for k, v in (labels or {}).items()})
    values = [r["rolling"] for r in series if r.get("rolling") is not None]
    marks = [r["milestone"] for r in series if r.get("milestone") is not None]
    pool = values + marks + [v for v in (target, baseline) if v is not None]
    if not series or not pool:
        return mark_safe("")
    low, high = min(pool), max(pool)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    low, high = max(0.0, low - pad), high + pad
    n = len(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / max(n - 1, 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = [
        f'<svg class="saferhub-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="#b1b4b6"/>',
    ]
    for k in range(5):
        v = low + (high - low) * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#f3f2f1"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{v:,.{decimals}f}</text>'
        )
    step = max(1, n // 8)
    for i, row in enumerate(series):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                f'font-size="12" fill="#0b0c0c">{escape(row.get("label") or row["month"])}</text>'
            )
    if baseline is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
            f'stroke="#505a5f" stroke-dasharray="2 4"/>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{y(baseline) - 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#505a5f">{words["baseline"]} {baseline:,.{decimals}f}</text>'
        )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#d4351c" stroke-width="2" stroke-dasharray="8 4"/>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{y(target) + 14:.1f}" text-anchor="end" '
            f'font-size="12" fill="#d4351c">{words["target"]} {target:,.{decimals}f}</text>'
        )
    points = [
        f"{x(i):.1f},{y(r['rolling']):.1f}"
        for i, r in enumerate(series)
        if r.get("rolling") is not None
    ]
    if points:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
        for point in points:
            cx, cy = point.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="#1d70b8"/>')
    for i, row in enumerate(series):
        if row.get("milestone") is not None:
            mx, my = x(i), y(row["milestone"])
            parts.append(
                f'<rect x="{mx - 5:.1f}" y="{my - 5:.1f}" width="10" height="10" fill="#ffffff" '
                f'stroke="#0b0c0c" stroke-width="2"/>'
            )
    legend_y = HEIGHT - 12
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="#1d70b8" stroke-width="3"/>'
        f'<text x="{LEFT + 26}" y="{legend_y}" font-size="12" fill="#0b0c0c">{words["value"]}</text>'
        f'<rect x="{LEFT + 80}" y="{legend_y - 9}" width="10" height="10" fill="#ffffff" '
        f'stroke="#0b0c0c" stroke-width="2"/>'
        f'<text x="{LEFT + 96}" y="{legend_y}" font-size="12" fill="#0b0c0c">{words["milestone"]}</text>'
        f'<line x1="{LEFT + 170}" x2="{LEFT + 190}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="#d4351c" stroke-width="2" stroke-dasharray="8 4"/>'
        f'<text x="{LEFT + 196}" y="{legend_y}" font-size="12" fill="#0b0c0c">{words["target"]}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped
