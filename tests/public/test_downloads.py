"""Every public figure as CSV and JSON, with its source and the Open Government Licence."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.public.factories import make_plan, make_published_indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["plan", "performance"])
def test_csv_and_json_carry_source_and_licence(client: Any, key: str) -> None:
    make_plan()
    make_published_indicator()
    data = json.loads(client.get(f"/public/{key}/download.json").content)
    assert data["licence"] == "Open Government Licence v3.0"
    assert data["source"] and data["rows"]
    assert len(data["columns"]) == len(data["rows"][0])
    rows = list(csv.reader(io.StringIO(client.get(f"/public/{key}/download.csv").content.decode())))
    assert rows[0] == data["columns"]
    assert rows[-2][0] == "Source" and rows[-1][1].startswith("Open Government Licence v3.0")


def test_unpublished_indicator_is_not_in_the_download(client: Any) -> None:
    make_published_indicator(title="Published one")
    from tests.performance.factories import make_survey_indicator

    make_survey_indicator(title="Kept inside")
    body = client.get("/public/performance/download.csv").content.decode()
    assert "Published one" in body and "Kept inside" not in body


def test_unknown_format_and_unfilled_section_are_404(client: Any) -> None:
    assert client.get("/public/plan/download.xml").status_code == 404
    assert client.get("/public/end-of-year/download.csv").status_code == 404


def test_large_print_plan_is_a_pdf_in_the_pages_language(client: Any) -> None:
    make_plan()
    for prefix in ("", "/cy"):
        response = client.get(f"{prefix}/public/plan/large-print.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get("/public/performance/large-print.pdf").status_code == 404
