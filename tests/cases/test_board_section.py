"""The ASB Case Review's four figures in the Board pack, through governance's registry."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases import factories as f
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_the_board_pack_has_the_four_figures_for_those_who_may_see_them(client: Any) -> None:
    f.decided_application()  # received June 2025, met, reviewed with no recommendations
    verified_client(client, f.user("manager"))
    url = reverse("governance:board_pack")
    pdf = client.get(url, {"format": "pdf", "quarter": "2025-Q3"})
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "ASB Case Review" in text and "2025/26 (to date)" in text
    book = load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx", "quarter": "2025-Q3"}).content)
    )
    sheet = book["ASB Case Review"]
    assert [c.value for c in sheet[2]] == ["2025/26 (to date)", 1, 0, 1, 0]
    assert [c.value for c in sheet[3]] == ["2024/25", 0, 0, 0, 0]
    client.logout()
    verified_client(client, f.user("viewer"))
    page = client.get(url, {"quarter": "2025-Q3"}).content.decode()
    assert "ASB Case Review" not in page
