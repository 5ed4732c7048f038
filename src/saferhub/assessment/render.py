"""The outputs of one assessment: HTML, PDF, XLSX and the tidy figures CSV, from one data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from saferhub.assessment.build import all_tables
from saferhub.assessment.charts import map_paths, map_svg, spc_svg
from saferhub.assessment.figures import figures_csv
from saferhub.core.exports import workbook_bytes

PRINT_CSS = Path(__file__).resolve().parents[1] / "static" / "assessment" / "print.css"

# In the PDF a table longer than this shows its top rows only (the whole table is in the
# HTML file and the workbook): 176 wards across ten tables would fill some 60 A4 pages.
PDF_TABLE_ROWS = 25
_RANK_BY = {
    "This period": "the most records this period",
    "Total": "the most records in total",
    "Population": "the largest population",
}
_NOT_A_TABLE = {"boundaries", "map"}


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and {"key", "columns", "rows"} <= value.keys()


def shorten_table(tbl: dict[str, Any], *, limit: int = PDF_TABLE_ROWS) -> dict[str, Any]:
    """The table's top ``limit`` rows, ranked by its count column, with a note saying so."""
    rows = tbl["rows"]
    if len(rows) <= limit:
        return tbl
    totals = [r for r in rows if r and r[0] == "Total"]
    body = [r for r in rows if not (r and r[0] == "Total")]
    rank = next((c for c in _RANK_BY if c in tbl["columns"]), None)
    if rank is not None:
        i = tbl["columns"].index(rank)
        body = sorted(body, key=lambda r: -(r[i] if isinstance(r[i], int | float) else 0))
        ranked = f", those with {_RANK_BY[rank]}"
    else:
        ranked = ", the first ones"
    return {
        **tbl,
        "rows": [*body[:limit], *totals],
        "shortened": (
            f"This table shows {limit} of its {len(body):,} rows{ranked}"
            f"{', and the total' if totals else ''}; every row is in the HTML file "
            "and the Excel workbook of this assessment."
        ),
    }


def for_print(value: Any) -> Any:
    """A copy of the assessment with every long table shortened for the PDF."""
    if _is_table(value):
        return shorten_table(value)
    if isinstance(value, dict):
        return {k: v if k in _NOT_A_TABLE else for_print(v) for k, v in value.items()}
    if isinstance(value, list):
        return [for_print(v) for v in value]
    return value


def figures(data: dict[str, Any], *, svg_maps: bool = True) -> dict[str, Any]:
    """SVG charts keyed by table key, and SVG maps keyed by theme key."""
    charts: dict[str, SafeString] = {}
    maps: dict[str, SafeString] = {}
    paths, height = map_paths(data.get("boundaries") or {}) if svg_maps else ({}, 0)
    for theme in data["themes"]:
        tables = {t["key"]: t for t in theme["tables"]}
        for chart in theme["charts"]:
            if chart["kind"] == "spc":
                charts[chart["table"]] = mark_safe(  # noqa: S308 - built from escaped text and numbers
                    spc_svg(tables[chart["table"]], chart_id=f"chart-{chart['table']}")
                )
        if svg_maps:
            maps[theme["key"]] = mark_safe(  # noqa: S308 - built from escaped text and numbers
                map_svg(
                    paths,
                    height,
                    theme["map"],
                    title=f"{theme['title']}: records per LSOA, this period",
                    chart_id=f"map-{theme['key']}",
                )
            )
    return {"charts": charts, "maps": maps}


def report_context(data: dict[str, Any], *, mode: str) -> dict[str, Any]:
    """Template context for the report body; ``mode`` is "page", "file" or "pdf"."""
    context: dict[str, Any] = {"a": data, "mode": mode, **figures(data, svg_maps=mode != "page")}
    if mode == "page":
        context["map_values"] = {t["key"]: t["map"] for t in data["themes"]}
        context["map_geojson"] = data.get("boundaries") or {
            "type": "FeatureCollection",
            "features": [],
        }
        context["map_tiles"] = getattr(settings, "SAFERHUB_MAP_TILES_URL", "")
    return context


def render_html(data: dict[str, Any]) -> str:
    """A standalone HTML file of the assessment (SVG maps, print styles inlined)."""
    css = PRINT_CSS.read_text(encoding="utf-8") if PRINT_CSS.exists() else ""
    return render_to_string(
        "assessment/report_file.html", {**report_context(data, mode="file"), "css": css}
    )


def render_pdf(data: dict[str, Any]) -> bytes:
    """The assessment as a PDF for a Board pack (WeasyPrint)."""
    from weasyprint import HTML

    css = PRINT_CSS.read_text(encoding="utf-8") if PRINT_CSS.exists() else ""
    html = render_to_string(
        "assessment/report_file.html", {**report_context(for_print(data), mode="pdf"), "css": css}
    )
    return bytes(HTML(string=html).write_pdf())


def workbook_sheets(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for index, tbl in enumerate(all_tables(data), start=1):
        sheets.append((f"{index:02d} {tbl['title']}"[:31], tbl["columns"], tbl["rows"]))
    for theme in data["themes"]:
        rows = [[code, *values] for code, values in sorted(theme["map"].items())]
        sheets.append(
            (f"Map {theme['title']}"[:31], ["LSOA", "Count this period", "Gi* class"], rows)
        )
    return sheets


def render_xlsx(data: dict[str, Any]) -> bytes:
    """Every table of the assessment, one sheet each, with an index and notes."""
    index_rows = [
        [f"{i:02d}", t["title"], t["method"], t["source"]]
        for i, t in enumerate(all_tables(data), start=1)
    ]
    notes = [
        f"Strategic Assessment: {data['area']['name']} ({data['area']['code']}), "
        f"{data['period']['label']} against {data['period']['before_label']}",
        "",
        "Data caveats:",
        *data["caveats"],
        "",
        "Methods:",
        *[f"{m['topic']}: {m['text']}" for m in data["methods"]],
        "",
        *data["attribution"],
    ]
    sheets = [("Index", ["Sheet", "Table", "Method", "Source"], index_rows), *workbook_sheets(data)]
    return workbook_bytes(sheets, notes=notes)


def render(data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "html":
        return render_html(data).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "xlsx":
        return render_xlsx(data)
    if fmt == "figures":
        return figures_csv(data).encode("utf-8")
    raise ValueError(f"Unknown format {fmt!r}: use html, pdf, xlsx or figures.")


def json_script_data(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
