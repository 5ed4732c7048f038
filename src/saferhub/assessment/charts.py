"""Server-rendered SVG charts: an SPC chart per theme and a shaded LSOA map.

Each chart is drawn from a table of the assessment, and the table is always shown
beside it, so every figure can be read without hovering. Text in the SVG is escaped.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from shapely.geometry import shape

WIDTH, HEIGHT = 640, 260
PAD_L, PAD_R, PAD_T, PAD_B = 56, 132, 16, 56
SHADES = ["#f3f2f1", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    if high == low:
        return (out_low + out_high) / 2
    return out_low + (value - low) * (out_high - out_low) / (high - low)


def spc_svg(tbl: dict[str, Any], *, chart_id: str) -> str:
    """Line chart of the monthly counts with centre line and control limits."""
    rows = tbl["rows"]
    if not rows:
        return ""
    months = [r[0] for r in rows]
    values = [float(r[1]) for r in rows]
    centre, lower, upper = (float(rows[0][i] or 0) for i in (2, 3, 4))
    top = max([*values, upper]) * 1.1 or 1.0
    n = len(values)
    x0, x1 = PAD_L, WIDTH - PAD_R
    y0, y1 = HEIGHT - PAD_B, PAD_T

    def x(i: int) -> float:
        return _scale(i, 0, max(n - 1, 1), x0, x1)

    def y(v: float) -> float:
        return _scale(v, 0, top, y0, y1)

    parts = [
        f'<svg class="saferhub-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(tbl["title"])}: chart; the figures are in the table below.</title>',
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#0b0c0c"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#0b0c0c"/>',
    ]
    for tick in _ticks(top):
        parts.append(
            f'<text x="{x0 - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:,.0f}</text>'
            f'<line x1="{x0 - 3}" y1="{y(tick):.1f}" x2="{x0}" y2="{y(tick):.1f}" stroke="#0b0c0c"/>'
        )
    # Limit labels in the right margin, kept at least 12 px apart so they never overlap.
    label_y = {"upper limit": y(upper) + 4, "centre": y(centre) + 4, "lower limit": y(lower) + 4}
    label_y["centre"] = max(label_y["centre"], label_y["upper limit"] + 12)
    label_y["lower limit"] = max(label_y["lower limit"], label_y["centre"] + 12)
    for value, dash, label in (
        (upper, "6 4", "upper limit"),
        (centre, "", "centre"),
        (lower, "6 4", "lower limit"),
    ):
        parts.append(
            f'<line x1="{x0}" y1="{y(value):.1f}" x2="{x1}" y2="{y(value):.1f}" stroke="#505a5f" '
            f'stroke-dasharray="{dash}"/><text x="{x1 + 4}" y="{label_y[label]:.1f}" '
            f'font-size="10" fill="#505a5f">{label} {value:,.1f}</text>'
        )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    for i, (v, row) in enumerate(zip(values, rows, strict=True)):
        if row[5]:
            parts.append(
                f'<rect x="{x(i) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8" fill="#d4351c"/>'
            )
        else:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#1d70b8"/>')
    step = max(1, math.ceil(n / 8))
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{y0 + 16}" text-anchor="middle" font-size="10">{escape(months[i])}</text>'
        )
    parts.append(
        f'<rect x="{x0}" y="{HEIGHT - 20}" width="8" height="8" fill="#d4351c"/>'
        f'<text x="{x0 + 12}" y="{HEIGHT - 12}" font-size="11">red square: month with an SPC signal</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _ticks(top: float) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(top // step) + 1)]


def map_paths(
    boundaries: dict[str, Any], width: int = 560, *, key: str = "lsoa"
) -> tuple[dict[str, str], int]:
    """SVG path data per area (simplified), projected to fit ``width`` pixels.

    Areas are named by the feature property ``key`` (an LSOA's code by default; the
    public map's wards and neighbourhoods use ``code``)."""
    geoms = {f["properties"][key]: shape(f["geometry"]) for f in boundaries.get("features", [])}
    if not geoms:
        return {}, 0
    minx = min(g.bounds[0] for g in geoms.values())
    miny = min(g.bounds[1] for g in geoms.values())
    maxx = max(g.bounds[2] for g in geoms.values())
    maxy = max(g.bounds[3] for g in geoms.values())
    k = math.cos(math.radians((miny + maxy) / 2))
    scale = width / max((maxx - minx) * k, 1e-9)
    height = int((maxy - miny) * scale) + 1
    # 1 px of a 560 px map printed 165 mm wide is 0.3 mm: simplification at that
    # tolerance cannot be seen on A4, and halves the points WeasyPrint has to draw.
    tolerance = 1.0 / scale
    paths = {}
    for code, geom in geoms.items():
        simple = geom.simplify(tolerance, preserve_topology=True)
        polys = list(getattr(simple, "geoms", [simple]))
        d = []
        for poly in polys:
            for ring in [poly.exterior, *poly.interiors]:
                pts: list[str] = []
                for px, py in ring.coords[:-1]:
                    pt = f"{(px - minx) * k * scale:.1f} {(maxy - py) * scale:.1f}"
                    if not pts or pts[-1] != pt:
                        pts.append(pt)
                if len(pts) >= 3:
                    d.append("M" + "L".join(pts) + "Z")
        paths[code] = "".join(d)
    return paths, height


def map_svg(
    paths: dict[str, str],
    height: int,
    values: dict[str, list[Any]],
    *,
    title: str,
    chart_id: str,
    width: int = 560,
) -> str:
    """Choropleth of counts per LSOA in five classes; Gi* hot spots outlined in red."""
    if not paths:
        return ""
    counts = sorted(v[0] for v in values.values())
    breaks = _quantile_breaks(counts)
    parts = [
        f'<svg class="saferhub-map-svg" viewBox="0 0 {width} {height + 70}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}: map; the figures are in the tables.</title>',
    ]
    # One path per shade class and one for all hot-spot outlines: the same picture with
    # six SVG elements instead of one per LSOA, which WeasyPrint lays out far faster.
    by_class: list[list[str]] = [[] for _ in SHADES]
    hot = []
    for code, d in paths.items():
        count, gi_class = values.get(code, [0, ""])
        by_class[_class_of(count, breaks)].append(d)
        if str(gi_class).startswith("hot"):
            hot.append(d)
    for shade, ds in zip(SHADES, by_class, strict=True):
        if ds:
            parts.append(
                f'<path d="{"".join(ds)}" fill="{shade}" stroke="#ffffff" stroke-width="0.4"/>'
            )
    if hot:
        parts.append(f'<path d="{"".join(hot)}" fill="none" stroke="#d4351c" stroke-width="2"/>')
    y = height + 14
    labels = _legend_labels(breaks)
    for i, label in enumerate(labels):
        parts.append(
            f'<rect x="{i * 100}" y="{y}" width="14" height="14" fill="{SHADES[i]}" stroke="#0b0c0c" stroke-width="0.5"/>'
            f'<text x="{i * 100 + 18}" y="{y + 12}" font-size="11">{escape(label)}</text>'
        )
    parts.append(
        f'<rect x="0" y="{y + 24}" width="14" height="14" fill="none" stroke="#d4351c" stroke-width="2"/>'
        f'<text x="18" y="{y + 36}" font-size="11">red outline: Gi* hot spot (90% or more)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _quantile_breaks(counts: list[int]) -> list[float]:
    if not counts:
        return [0, 0, 0, 0]
    n = len(counts)
    return [float(counts[min(n - 1, int(n * q))]) for q in (0.2, 0.4, 0.6, 0.8)]


def _class_of(count: float, breaks: list[float]) -> int:
    if count <= 0:
        return 0
    for i, b in enumerate(breaks[1:], start=1):
        if count <= b:
            return i
    return 4


def _legend_labels(breaks: list[float]) -> list[str]:
    return [
        "0",
        f"1–{breaks[1]:,.0f}",
        f"{breaks[1] + 1:,.0f}–{breaks[2]:,.0f}",
        f"{breaks[2] + 1:,.0f}–{breaks[3]:,.0f}",
        f"over {breaks[3]:,.0f}",
    ]
