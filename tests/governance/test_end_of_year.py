"""The end-of-year report in the shape of the South Derbyshire report: its tables on the
report's own numbers (Table 1, Appendix 1 lines, the unit costs), the PDF's text, the
workbook, the command, the API, and the public summary (published aggregates only)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from saferhub.accounts.actors import SystemActor
from saferhub.governance import end_of_year as eoy
from saferhub.governance.services import output_actual_record, quarter_spend_record
from saferhub.performance.models import Indicator
from saferhub.performance.selectors.tables import YearEndRow
from saferhub.public.registry import section_get
from saferhub.public.selectors import section_content
from tests.actions.test_year_end import _year_one_plan
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def _row(title: str, categories: list[str], count: int | None) -> YearEndRow:
    indicator = Indicator(
        title=title, kind=Indicator.Kind.INCIDENT_COUNT, categories=categories, decimals=0
    )
    return YearEndRow("Priority", indicator, "", None, "2002/03", count, None, None)


def test_cost_of_recorded_crime_on_figures_checked_by_hand() -> None:
    # South Derbyshire 2002/03, Table 3's vehicle crime counts, at Heeks et al.'s unit costs:
    # theft from a vehicle 656 x £870 = £570,720; theft of a vehicle 270 x £10,290 =
    # £2,778,300; together £3,349,020. Burglary (police.uk mixes domestic and commercial)
    # and shoplifting (no unit cost held) are named, not costed.
    cost = eoy.cost_of_recorded_crime(
        [
            _row("Theft from vehicles", ["Theft from a vehicle"], 656),
            _row("Theft of vehicles", ["Theft of a motor vehicle"], 270),
            _row("Burglary", ["Burglary"], 396),
            _row("Shoplifting", ["Shoplifting"], 154),
            _row("Not yet counted", ["Theft from a vehicle"], None),
        ]
    )
    totals = {r.indicator: r.total for r in cost.rows}
    assert totals["Theft from vehicles"] == 570_720
    assert totals["Theft of vehicles"] == 2_778_300
    assert totals["Burglary"] is None and totals["Shoplifting"] is None
    assert cost.total == 3_349_020
    assert [r.price_year for r in cost.rows[:2]] == ["2015/16", "2015/16"]
    missing = " ".join(cost.missing)
    assert "Burglary (Burglary: the police.uk category mixes offence groups" in missing
    assert "Shoplifting (Shoplifting: no unit cost held)" in missing
    assert "Not yet counted (no count for the year)" in missing


def _south_derbyshire_year() -> Any:
    """2002/03 with some of the report's Appendix 1 lines (estimated outturn) and a project."""
    year = f.year("2002–03", starts=dt.date(2002, 4, 1))
    f.income(
        year,
        source="home_office_and_other_grants",
        funder="Home Office",
        description="Safer Communities Fund",
        amount=Decimal("24360"),
    )
    f.income(
        year,
        source="partner_contribution",
        funder="Police",
        description="Police Liaison Officer",
        amount=Decimal("40900"),
    )
    f.income(
        year,
        source="partner_contribution",
        funder="SDDC",
        description="Burglary Reduction",
        amount=Decimal("50000"),
    )
    kits = f.expenditure(year, title="Burglary Reduction Project", budget=Decimal("114500"))
    f.expenditure(year, title="CCTV", budget=Decimal("40000"))
    for quarter, spent in zip((1, 2, 3, 4), ("20000", "30000", "30000", "36000"), strict=True):
        quarter_spend_record(
            actor=SystemActor.TEST,
            line=kits,
            quarter=quarter,
            actual=Decimal(spent),
            forecast_outturn=Decimal("116000"),
            variance_reason="Extra alarms for repeat victims",
        )
    project = f.project(
        title="Burglary kits to every household",
        funding=Decimal("23000"),
        starts_on=dt.date(2002, 4, 1),
        ends_on=dt.date(2003, 3, 31),
    )
    output = f.output(project, target=Decimal("2500"))
    output_actual_record(actor=SystemActor.TEST, output=output, actual=Decimal("1200"))
    return year


@pytest.fixture
def year_2002(db: Any) -> Any:
    _year_one_plan()
    return _south_derbyshire_year()


def _pdf_text(content: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # table cells wrap over lines


def test_the_report_page_pdf_and_workbook(year_2002: Any, client_as: Any) -> None:
    client = client_as("viewer")
    url = reverse("governance:end_of_year")
    page = client.get(url, {"year": "2002/03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "End-of-year report 2002/03" in html
    assert "Publish the summary" not in html  # the Board reads; the manager publishes

    pdf = client.get(url, {"year": "2002/03", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "End-of-year report 2002/03" in text
    # Table 1 on the report's own numbers: 49 actions, 35 completed (71%), 14 ongoing.
    assert "Anti-social Behaviour 13 8 5 0 62" in text
    assert "Total 49 35 14 0 71" in text
    assert "The action plan had 49 actions across 6 action teams" in text
    # Outturn: the kits line has all four quarters entered (£116,000, £1,500 over budget).
    assert "£116,000.00" in text and "Extra alarms for repeat victims" in text
    assert "estimated outturn £156,000.00" in text  # 116,000 + CCTV's budget 40,000
    assert "Homes issued with burglary kits (homes)" in text
    assert "Income £115,260.00" in text

    book = load_workbook(io.BytesIO(client.get(url, {"year": "2002/03", "format": "xlsx"}).content))
    assert book.sheetnames[:9] == [
        "Summary",
        "Actions per team",
        "Achievements",
        "Recorded crime",
        "Other indicators",
        "Cost of crime",
        "Income",
        "Budget outturn",
        "Funded projects",
    ]
    team_rows = list(book["Actions per team"].iter_rows(values_only=True))
    assert team_rows[-1][:6] == ("Total", 49, 35, 14, 0, 71)
    outturn = {r[0]: r for r in book["Budget outturn"].iter_rows(min_row=2, values_only=True)}
    assert outturn["Burglary Reduction Project"][4:7] == (4, 116000, 1500)
    assert outturn["CCTV"][4:7] == (0, 40000, 0)
    projects = list(book["Funded projects"].iter_rows(min_row=2, values_only=True))
    assert projects[0][4:8] == (2500, 1200, 48, pytest.approx(19.17))
    achievements = list(book["Achievements"].iter_rows(min_row=2, values_only=True))
    assert len(achievements) == 35


def test_an_unknown_year_is_said_so(year_2002: Any, client_as: Any) -> None:
    client = client_as("viewer")
    response = client.get(reverse("governance:end_of_year"), {"year": "2002"}, follow=True)
    assert "“2002” is not a financial year: write it as 2024/25" in response.content.decode()
    with pytest.raises(eoy.ReportYearError, match="no budget year for 1999/00"):
        eoy.year_for_period("1999/00")


def test_the_command_writes_each_format(year_2002: Any, make_user: Any, tmp_path: Path) -> None:
    make_user("viewer", username="board-member")
    target = tmp_path / "report.pdf"
    call_command(
        "governance",
        "end-of-year",
        "--year",
        "2002/03",
        "--format",
        "pdf",
        "--user",
        "board-member",
        "--output",
        str(target),
    )
    assert "Total 49 35 14 0 71" in _pdf_text(target.read_bytes())
    xlsx = tmp_path / "report.xlsx"
    call_command(
        "governance",
        "end-of-year",
        "--year",
        "2002/03",
        "--format",
        "xlsx",
        "--user",
        "board-member",
        "--output",
        str(xlsx),
    )
    assert load_workbook(xlsx).sheetnames[0] == "Summary"
    out = io.StringIO()
    call_command(
        "governance", "end-of-year", "--year", "2002/03", "--user", "board-member", stdout=out
    )
    assert "Table 1: actions per action team" in out.getvalue()
    with pytest.raises(CommandError, match="not a financial year"):
        call_command("governance", "end-of-year", "--year", "2002", "--user", "board-member")
    with pytest.raises(CommandError, match="no active user"):
        call_command("governance", "end-of-year", "--year", "2002/03", "--user", "nobody")


def test_the_api_gives_the_report_tables(year_2002: Any, client_as: Any) -> None:
    client = client_as("viewer")
    data = client.get("/api/governance/end-of-year/", {"year": "2002/03"}).json()
    assert data["period"] == "2002/03"
    tables = {t["name"]: t for t in data["tables"]}
    assert tables["Actions per team"]["rows"][-1][:3] == ["Total", 49, 35]
    assert client.get("/api/governance/end-of-year/", {"year": "soon"}).status_code == 400


def test_the_public_summary_shows_only_what_the_board_published(
    year_2002: Any, client_as: Any, client: Any
) -> None:
    section = section_get("end-of-year")
    assert section is not None and not section.placeholder
    assert section_content(section) is None  # nothing published yet
    viewer = client_as("viewer")
    url = reverse("governance:end_of_year_publish", kwargs={"pk": year_2002.pk})
    assert viewer.post(url, {"publish": "yes"}).status_code == 403
    manager = client_as("manager")
    response = manager.post(url, {"publish": "yes"})
    assert response.status_code == 302
    content = section_content(section)
    assert content is not None
    figures = dict(content["figures"])
    assert figures["Actions in the plan"] == "49"
    assert figures["Actions completed"] == "35"
    assert figures["Per cent completed"] == "71%"
    assert figures["Income"] == "£115,260"
    assert figures["Domestic Burglary"] == "7 of 9 actions completed"
    public_page = client.get(reverse("public:section", kwargs={"key": "end-of-year"}))
    assert "Estimated outturn" in public_page.content.decode()
    manager.post(url, {"publish": "no"})
    assert section_content(section) is None
