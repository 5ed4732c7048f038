"""The budget pages: summaries with their tables, entering spend, import errors shown."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from saferhub.governance.models import ExpenditureLine
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_budget_page_shows_the_derby_totals_with_chart_and_tables(client_as: Any) -> None:
    year = f.derby_2005_06()
    client = client_as("viewer")
    page = client.get(reverse("governance:budget", kwargs={"pk": year.pk})).content.decode()
    assert "Income 2005–06: £6,057,022.00" in page
    assert "Expenditure 2005–06: £6,057,022.00" in page
    assert "<svg" in page and "the figures are in the table below" in page
    assert "Enter spend" not in page  # the Board reads
    csv = client.get(
        reverse("governance:budget", kwargs={"pk": year.pk}),
        {"table": "income-by-source", "format": "csv"},
    ).content.decode()
    assert csv.splitlines()[0] == "Source,Amount (£),%"


def test_finance_officer_enters_a_quarter_and_errors_show_on_the_field(client_as: Any) -> None:
    line = f.expenditure(budget=Decimal("4000"))
    client = client_as("finance")
    url = reverse("governance:spend", kwargs={"pk": line.pk})
    response = client.post(url, {"quarter": "1", "actual": "800", "forecast_outturn": "3500"})
    assert response.status_code == 400
    assert "differs from the budget by £-500.00: give the reason" in response.content.decode()
    response = client.post(
        url,
        {
            "quarter": "1",
            "actual": "800",
            "forecast_outturn": "3500",
            "variance_reason": "Late start",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.actual_q1 == Decimal("800") and line.variance == Decimal("-500")


def test_import_page_lists_row_problems_and_saves_nothing(client_as: Any) -> None:
    year = f.year()
    wb = Workbook()
    ws = wb.active
    ws.title = "Expenditure"
    ws.append(["Title", "Budget"])
    ws.append(["Kits", "a lot"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "budget.xlsx"
    client = client_as("manager")
    response = client.post(reverse("governance:import", kwargs={"pk": year.pk}), {"file": out})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sheet “Expenditure”, row 2, column “Budget (£)”: “a lot” is not a number" in page
    assert not ExpenditureLine.objects.filter(year=year).exists()
