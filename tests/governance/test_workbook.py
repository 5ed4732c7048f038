"""Import and export of the budget in Excel: totals, row problems by sheet, idempotence."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from saferhub.accounts.actors import SystemActor
from saferhub.governance import selectors as sel
from saferhub.governance.models import ExpenditureLine, IncomeLine
from saferhub.governance.services import year_set_status
from saferhub.governance.workbook import ImportRefused, budget_import, budget_workbook
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def _xlsx(income: list[list[object]], spend: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Income"
    ws.append(["Source", "Funder", "Description", "Amount", "Grant conditions"])
    for row in income:
        ws.append(row)
    ws2 = wb.create_sheet("Expenditure")
    ws2.append(["Title", "Kind", "Priority", "Provider", "Budget (£)"])
    for row in spend:
        ws2.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _derby_workbook() -> bytes:
    labels = dict(IncomeLine.Source.choices)
    kinds = dict(ExpenditureLine.Kind.choices)
    return _xlsx(
        [[labels[s], funder, "", float(a), ""] for s, funder, a in f.DERBY_INCOME],
        [[t, kinds[k], "", "", f"£{a:,}"] for t, k, a in f.DERBY_EXPENDITURE],
    )


def test_derby_2005_06_totals_from_an_imported_workbook() -> None:
    year = f.year("2005–06")
    report = budget_import(
        actor=SystemActor.TEST, year=year, filename="derby.xlsx", content=_derby_workbook()
    )
    assert report.saved, report.errors
    assert (report.income_created, report.expenditure_created) == (5, 6)
    summary = sel.budget_summary(year)
    assert summary.income_total == summary.expenditure_total == Decimal("6057022")
    again = budget_import(
        actor=SystemActor.TEST, year=year, filename="derby.xlsx", content=_derby_workbook()
    )
    assert (again.income_created, again.expenditure_created, again.updated) == (0, 0, 0)
    assert again.unchanged == 11
    assert IncomeLine.objects.filter(year=year).count() == 5


def test_export_then_import_into_a_new_year_round_trips() -> None:
    year = f.derby_2005_06()
    content = budget_workbook(year)
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Income", "Expenditure", "Notes"]
    assert "6,057,022.00" in str(wb["Notes"]["A2"].value)
    other = f.year("2006–07", starts=year.starts_on.replace(year=2006))
    report = budget_import(actor=SystemActor.TEST, year=other, filename="b.xlsx", content=content)
    assert report.saved, report.errors
    assert sel.budget_summary(other).expenditure_total == Decimal("6057022")


def test_row_problems_by_sheet_row_and_column_and_nothing_saved() -> None:
    year = f.year()
    content = _xlsx(
        [
            ["Partner contribution", "Council", "", 1000, ""],
            ["Lottery", "Someone", "", 10, ""],
            ["Partner contribution", "Police", "", "lots", ""],
        ],
        [["Kits", "Funded project", "No such priority", "", 500]],
    )
    report = budget_import(actor=SystemActor.TEST, year=year, filename="bad.xlsx", content=content)
    assert not report.saved
    messages = [str(e) for e in report.errors]
    assert messages[0].startswith("Sheet “Income”, row 3, column “Source”: “Lottery” is not")
    assert messages[1].startswith("Sheet “Income”, row 4, column “Amount (£)”: “lots” is not")
    assert messages[2].startswith("Sheet “Expenditure”, row 2, column “Priority”")
    assert not IncomeLine.objects.filter(year=year).exists()  # the good row too


def test_a_profile_that_does_not_add_up_is_reported_on_its_row() -> None:
    year = f.year()
    wb = Workbook()
    ws = wb.active
    ws.title = "Expenditure"
    ws.append(["Title", "Budget", "Profile Q1", "Profile Q2", "Profile Q3", "Profile Q4"])
    ws.append(["Good line", 400, 100, 100, 100, 100])
    ws.append(["Bad line", 400, 100, 100, 100, 50])
    out = io.BytesIO()
    wb.save(out)
    report = budget_import(
        actor=SystemActor.TEST, year=year, filename="p.xlsx", content=out.getvalue()
    )
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Expenditure", 3, "Budget (£)")]
    assert "adds up to £350.00" in report.errors[0].message
    assert not ExpenditureLine.objects.filter(year=year).exists()


def test_refused_files() -> None:
    year = f.year()
    with pytest.raises(ImportRefused, match="no sheet called Income or Expenditure"):
        wb = Workbook()
        wb.active.title = "Sheet1"
        out = io.BytesIO()
        wb.save(out)
        budget_import(actor=SystemActor.TEST, year=year, filename="x.xlsx", content=out.getvalue())
    with pytest.raises(ImportRefused, match="could not be opened"):
        budget_import(actor=SystemActor.TEST, year=year, filename="x.xlsx", content=b"not excel")
    year_set_status(actor=SystemActor.TEST, year=year, status="closed")
    with pytest.raises(ImportRefused, match="closed"):
        budget_import(
            actor=SystemActor.TEST, year=year, filename="d.xlsx", content=_derby_workbook()
        )


def test_a_duplicated_heading_in_the_budget_workbook_is_refused_naming_the_sheet() -> None:
    year = f.year("2005–06")
    wb = load_workbook(io.BytesIO(_derby_workbook()))
    wb["Expenditure"].cell(row=1, column=6, value="budget (£)")
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportRefused) as info:
        budget_import(actor=SystemActor.TEST, year=year, filename="b.xlsx", content=out.getvalue())
    assert "b.xlsx (sheet “Expenditure”): the column heading “budget (£)” appears twice" in str(
        info.value
    )
    assert "(columns E and F)" in str(info.value)
    assert not ExpenditureLine.objects.filter(year=year).exists()


def test_a_survey_csv_with_a_runaway_quote_is_refused() -> None:
    """A survey CSV is one sheet, read by the same shared reader as every importer."""
    from saferhub.governance.surveys import survey_import

    content = b'Question,Answer,Count\nSafe?,"Yes,10\nSafe?,No,5\n'
    with pytest.raises(ImportRefused, match="s.csv, row 2, column B: a quoted field begins"):
        import datetime as dt

        survey_import(
            actor=SystemActor.TEST,
            survey="Residents",
            wave_date=dt.date(2024, 1, 1),
            sample_size=100,
            filename="s.csv",
            content=content,
        )
