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
    with pytest.raises(ValueError, match="html, pdf or xlsx"):
        render(derby_q4, "docx")
