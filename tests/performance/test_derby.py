"""Done-when checks on the real Derbyshire data (2023-2024 police.uk, imported once)."""

from __future__ import annotations

from typing import Any

import pytest

from saferhub.performance import rules, selectors, services
from saferhub.performance.models import Indicator, Measurement

pytestmark = pytest.mark.django_db

FOUR = [
    "Serious acquisitive crime rate",
    "Violence rate",
    "Criminal damage and arson",
    "ASB incidents",
]


def test_derby_has_four_data_driven_indicators(derby_performance: dict[str, int]) -> None:
    assert sorted(derby_performance) == sorted(FOUR)
    for pk in derby_performance.values():
        ind = Indicator.objects.get(pk=pk)
        assert ind.data_driven and ind.area_code == "E06000015"
        assert ind.lead_agency is not None
        assert (ind.baseline_period, ind.target_period) == ("2023", "2024")
        assert ind.baseline_value is not None and ind.baseline_value > 0
        assert ind.resolved_target is not None and ind.resolved_target < ind.baseline_value
        # Quarterly milestones, interpolated from the 2023 baseline to the 2024 target.
        ms = list(ind.milestones.filter(archived_at=None))
        assert [m.period for m in ms] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
        assert ms[-1].value == ind.resolved_target


def test_each_shows_value_significance_forecast_and_status_with_rule(
    derby_performance: dict[str, int],
) -> None:
    for title, pk in derby_performance.items():
        j = selectors.indicator_judgement(Indicator.objects.get(pk=pk))
        assert j.period == "2024", title
        assert j.value is not None and j.value > 0
        assert j.significance_method.startswith("exact conditional binomial"), title
        assert j.p_value is not None and 0 <= j.p_value <= 1
        assert j.forecast.value is not None and "rolling 12 months" in j.forecast.method
        assert j.status.key in {rules.ON_TRACK, rules.AT_RISK, rules.OFF_TRACK}
        assert j.status.rule.startswith(j.status.label), title
        assert "target" in j.status.rule
        assert j.spc_signal is not None and j.spc_method.startswith("XmR")
        assert len(j.series) == 24


def test_counts_match_the_incident_data(derby_performance: dict[str, int]) -> None:
    """The 2023 baseline of criminal damage and arson is the sum of Derby's monthly counts."""
    import datetime as dt

    from saferhub.incidents.selectors import monthly_counts

    frame = monthly_counts(
        area_codes=["E06000015"],
        level="lad",
        themes=["criminal-damage-arson"],
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 1),
    )
    ind = Indicator.objects.get(pk=derby_performance["Criminal damage and arson"])
    assert int(ind.baseline_value or 0) == int(frame["count"].sum()) > 1000
    m = Measurement.objects.get(indicator=ind, period="2024", archived_at=None)
    assert m.count == int(m.value) and m.source == Measurement.Source.INCIDENT_DATA


def test_rate_states_its_population(derby_performance: dict[str, int]) -> None:
    ind = Indicator.objects.get(pk=derby_performance["Serious acquisitive crime rate"])
    m = Measurement.objects.get(indicator=ind, period="2024", archived_at=None)
    assert m.population and m.population > 200_000
    assert "20" in m.population_note  # the population year is stated
    assert float(m.value) == pytest.approx(m.count * 1000 / m.population, abs=0.005)


def test_refresh_is_idempotent(derby_performance: dict[str, int]) -> None:
    before = Measurement.objects.count()
    result = services.measurements_refresh(actor="test")
    assert result["changed"] == 0 and result["not_measurable"] == 0
    assert Measurement.objects.count() == before


def test_baseline_period_with_no_data(derby_performance: dict[str, int]) -> None:
    from django.core.exceptions import ValidationError

    ind = Indicator.objects.get(pk=derby_performance["ASB incidents"])
    with pytest.raises(ValidationError) as err:
        services.indicator_update(actor="test", indicator=ind, baseline_period="2021")
    assert "no incident data for 2021" in err.value.message_dict["baseline_period"][0]


def test_board_report_page_pdf_and_xlsx(derby_performance: dict[str, int], client_as: Any) -> None:
    import io

    from openpyxl import load_workbook

    client = client_as("viewer")
    page = client.get("/performance/board-report/?quarter=2024-Q4")
    assert page.status_code == 200
    text = page.content.decode()
    for title in FOUR:
        assert title in text
    assert "<svg" in text and "Target" in text
    pdf = client.get("/performance/board-report.pdf?quarter=2024-Q4")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/performance/board-report.xlsx?quarter=2024-Q4")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:3] == ["Scorecard", "Year end", "Trend data"]
    rows = list(wb["Scorecard"].iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert all(r[-1] and r[-2] for r in rows[1:])  # status and its rule on every row


def test_quarterly_report_judges_as_at_the_quarter(derby_performance: dict[str, int]) -> None:
    ind = Indicator.objects.get(pk=derby_performance["Violence rate"])
    j = selectors.indicator_judgement(ind, as_of="2024-Q2")
    # The 2024 value is not known at the end of June 2024: the latest 12 months are judged.
    assert j.period == "12 months to 2024-06"
    assert j.significance_method and j.p_value is not None
    assert j.forecast.value is not None
    assert j.forecast.value == pytest.approx(j.value)
    assert j.status.key != rules.NOT_MEASURABLE
    assert "forecast for 2024" in j.status.rule


def test_scorecard_and_year_end_pages(derby_performance: dict[str, int], client_as: Any) -> None:
    client = client_as("viewer")
    page = client.get("/performance/scorecard/").content.decode()
    assert "Serious acquisitive crime rate" in page and "On track" in page or "Off track" in page
    year_end = client.get("/performance/year-end/?period=2024").content.decode()
    assert "Previous level" in year_end and "(2023)" in year_end and "(2024)" in year_end
    bad = client.get("/performance/year-end/?period=2024-13")
    assert bad.status_code == 200 and "months run from 01 to 12" in bad.content.decode()


def test_a_gap_in_the_source_is_not_read_as_zero(derby_performance: dict[str, int]) -> None:
    """police.uk's Derbyshire file for 2024-11 has no ASB rows at all: a gap, not a zero."""
    ind = Indicator.objects.get(pk=derby_performance["ASB incidents"])
    m = Measurement.objects.get(indicator=ind, period="2024", archived_at=None)
    assert m.months_of_data == 11 and "2024-11" in m.evidence
    assert int(m.value) == round(m.count * 12 / 11)  # pro rata over the 11 months held
    j = selectors.indicator_judgement(ind)
    assert j.gaps == ["2024-11"] and "gap" in j.status.rule
    assert "2024-11" not in j.spc_text.split("Gap months")[0]  # left out of the SPC chart


def test_demo_runs_twice_without_duplicates(derby_performance: dict[str, int]) -> None:
    from saferhub.performance.demo import performance_demo_create

    again = performance_demo_create(actor="test", area_code="E06000015")
    assert sorted(i.pk for i in again) == sorted(derby_performance.values())
    assert Indicator.objects.filter(area_code="E06000015").count() == 4
