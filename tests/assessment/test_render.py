"""The three outputs carry the same figures: HTML page file, PDF and workbook."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from saferhub.assessment.build import all_tables
from saferhub.assessment.render import render, render_html, render_xlsx
from tests.assessment.factories import empty_assessment


@pytest.fixture(scope="module")
def q4_pdf_text(derby_q4: dict[str, Any]) -> str:
    from pypdf import PdfReader

    pdf = render(derby_q4, "pdf")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 10
    return "\n".join(page.extract_text() for page in reader.pages)


def test_html_file_has_every_table_chart_and_map(derby_q4: dict[str, Any]) -> None:
    html = render_html(derby_q4)
    assert "<h1" in html and "Derby: October 2024 to December 2024" in html
    for tbl in all_tables(derby_q4):
        assert f'id="table-{tbl["key"]}"' in html, tbl["key"]
    assert html.count('class="saferhub-map-svg"') == len(derby_q4["themes"])
    assert html.count('class="saferhub-chart"') == len(derby_q4["themes"])
    assert "Open Government Licence v3.0" in html
    assert "<script" not in html


def test_workbook_has_every_table_with_the_same_figures(derby_q4: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(derby_q4)), read_only=True)
    tables = all_tables(derby_q4)
    assert book.sheetnames[0] == "Index"
    assert book.sheetnames[-1] == "Notes"
    # Index, one sheet per table, one per theme map, notes.
    assert len(book.sheetnames) == 1 + len(tables) + len(derby_q4["themes"]) + 1
    volumes = next(t for t in tables if t["key"] == "summary_volumes")
    index = tables.index(volumes) + 1
    sheet = book[book.sheetnames[index]]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == volumes["columns"]
    assert [list(r) for r in rows[1:]] == volumes["rows"]
    notes = [r[0] for r in book["Notes"].iter_rows(values_only=True)]
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in notes
    )


def test_pdf_has_the_right_text_and_figures(derby_q4: dict[str, Any], q4_pdf_text: str) -> None:
    text = q4_pdf_text
    assert "Derby: October 2024 to December 2024" in text
    for heading in (
        "Summary",
        "Context",
        "Prioritisation matrix",
        "Data caveats",
        "Methods and sources",
    ):
        assert heading in text
    all_crime = derby_q4["themes"][0]
    assert f"{all_crime['volume']['after']:,} records" in text
    assert "Open Government Licence v3.0" in text
    assert "Page 1 of" in text


def test_every_output_works_for_an_area_with_no_data() -> None:
    data = empty_assessment()
    html = render(data, "html").decode()
    assert "There are no data for any month of this period" in html
    assert render(data, "xlsx")[:2] == b"PK"
    assert render(data, "pdf").startswith(b"%PDF")


def test_unknown_format_is_refused(derby_q4: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="html, pdf, xlsx or figures"):
        render(derby_q4, "docx")


def test_long_tables_are_shortened_for_the_pdf_only_with_a_note() -> None:
    from saferhub.assessment.render import PDF_TABLE_ROWS, for_print, shorten_table

    rows = [[f"Ward {i:03d}", i, 1000 - i, 0.0] for i in range(176)]
    tbl = {
        "key": "x_wards",
        "title": "X: count by ward",
        "columns": ["Ward", "Period before", "This period", "Change (%)"],
        "rows": rows,
    }
    short = shorten_table(tbl)
    assert [r[0] for r in short["rows"]] == [f"Ward {i:03d}" for i in range(PDF_TABLE_ROWS)]
    assert f"{PDF_TABLE_ROWS} of its 176 rows" in short["shortened"]
    assert "most records this period" in short["shortened"]
    assert tbl["rows"] == rows  # the data itself is untouched
    # The total row stays at the end; ranking by the Total column, not the row order.
    by_type = {
        "key": "ward_by_type",
        "title": "By ward and type",
        "columns": ["Ward", "Burglary", "Total"],
        "rows": [[f"W{i}", i, i] for i in range(40)] + [["Total", 780, 780]],
    }
    short = shorten_table(by_type)
    assert short["rows"][0] == ["W39", 39, 39]
    assert short["rows"][-1] == ["Total", 780, 780]
    assert len(short["rows"]) == PDF_TABLE_ROWS + 1
    # Short tables are left as they are, and the map boundaries are not walked.
    small = {**tbl, "rows": rows[:3]}
    data = {"themes": [{"tables": [tbl, small]}], "boundaries": {"features": [1]}}
    printed = for_print(data)
    assert len(printed["themes"][0]["tables"][0]["rows"]) == PDF_TABLE_ROWS
    assert printed["themes"][0]["tables"][1] is small
    assert printed["boundaries"] is data["boundaries"]


def test_print_map_draws_one_path_per_shade_and_one_for_hot_spots() -> None:
    from saferhub.assessment.charts import map_paths, map_svg

    def square(x: float) -> dict[str, Any]:
        ring = [[x, 52.0], [x + 0.01, 52.0], [x + 0.01, 52.01], [x, 52.01], [x, 52.0]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {"type": "Feature", "properties": {"lsoa": f"E0{i}"}, "geometry": square(i * 0.01)}
        for i in range(10)
    ]
    paths, height = map_paths({"type": "FeatureCollection", "features": features})
    assert len(paths) == 10 and height > 0
    values = {f"E0{i}": [i, "hot spot 99%" if i > 7 else "not significant"] for i in range(10)}
    svg = map_svg(paths, height, values, title="T", chart_id="m")
    # Five shade classes (0, then four quantile classes) and one outline path for the two hot spots.
    assert svg.count("<path ") == 6
    hot = svg.split('stroke="#d4351c" stroke-width="2"/>')[0].rsplit("<path ", 1)[1]
    assert hot.count("M") == 2
