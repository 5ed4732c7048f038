"""The quarterly Board pack: one PDF (text checked) and one workbook."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from saferhub.accounts.actors import SystemActor
from saferhub.governance.services import quarter_spend_record
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_board_pack_pdf_and_workbook(client_as: Any) -> None:
    year = f.derby_2005_06()
    line = year.expenditure_lines.get(title="Neighbourhood projects")
    quarter_spend_record(
        actor=SystemActor.TEST,
        line=line,
        quarter=1,
        actual=Decimal("100000"),
        forecast_outturn=Decimal("550000"),
        variance_reason="Two projects started late",
    )
    f.risk(title="Grant ends in March", likelihood_after=5, impact_after=4)
    client = client_as("viewer")
    url = reverse("governance:board_pack")
    response = client.get(url, {"format": "pdf", "quarter": "2025-Q4"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Board pack: 2025-Q4" in text
    assert "Grant ends in March" in text
    assert "Two projects started late" in text
    assert "6,057,022.00" in text
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert book.sheetnames[:6] == [
        "Scorecard",
        "Action progress",
        "Risks",
        "Heat map",
        "Budget",
        "Budget variance",
    ]
    assert book["Budget variance"]["E2"].value == -50000
