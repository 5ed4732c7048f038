"""Periods, milestone interpolation, targets and status rules (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saferhub.performance import rules
from saferhub.performance.periods import PeriodError, parse_period


def test_ni16_milestones_reproduced_exactly() -> None:
    """North East Derbyshire 2008-11, NI 16: "8,800 offences baseline ... (-3% over 3 years)".

    The plan's LAA milestones for 08/09, 09/10 and 10/11 are 8,712, 8,624 and 8,536:
    a straight line from 8,800 (2007/08) to 8,800 x 0.97 = 8,536 (2010/11).
    """
    target = rules.resolve_target(
        target_kind="percent_change",
        target_value=Decimal("-3"),
        baseline_value=Decimal("8800"),
        is_rate_indicator=False,
        population=None,
        rate_per=1000,
        decimals=0,
    )
    assert target == Decimal("8536")
    points = rules.interpolate_milestones(
        baseline_period=parse_period("2007/08"),
        baseline_value=Decimal("8800"),
        target_period=parse_period("2010/11"),
        target_value=target,
        frequency="annual",
        decimals=0,
    )
    assert [(p.period, int(p.value)) for p in points] == [
        ("2008/09", 8712),
        ("2009/10", 8624),
        ("2010/11", 8536),
    ]
    assert [p.end_month for p in points] == ["2009-03", "2010-03", "2011-03"]


def test_quarterly_milestones_end_at_the_target() -> None:
    points = rules.interpolate_milestones(
        baseline_period=parse_period("2023"),
        baseline_value=Decimal("1000"),
        target_period=parse_period("2024"),
        target_value=Decimal("900"),
        frequency="quarterly",
        decimals=0,
    )
    assert [(p.period, int(p.value)) for p in points] == [
        ("2024-Q1", 975),
        ("2024-Q2", 950),
        ("2024-Q3", 925),
        ("2024-Q4", 900),
    ]


def test_rounding_is_half_up() -> None:
    assert rules.quantize(Decimal("2.5"), 0) == Decimal("3")
    assert rules.quantize(11.25, 1) == Decimal("11.3")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "months run from 01 to 12"),
        ("2024-Q5", "quarters run from Q1 to Q4"),
        ("2023/25", "write it as 2023/24"),
        ("next year", "not a period we recognise"),
        ("", "Enter a period"),
    ],
)
def test_a_period_that_does_not_exist_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_periods_and_their_months() -> None:
    fy = parse_period("2008/09")
    assert (str(fy.start), str(fy.end), fy.months) == ("2008-04", "2009-03", 12)
    q = parse_period("2024-q3")
    assert (q.label, str(q.start), str(q.end)) == ("2024-Q3", "2024-07", "2024-09")


def test_target_rate_on_a_count_needs_a_population() -> None:
    kwargs = {
        "target_kind": "rate",
        "target_value": Decimal("11.3"),
        "baseline_value": Decimal("8800"),
        "is_rate_indicator": False,
        "rate_per": 1000,
        "decimals": 0,
    }
    assert rules.resolve_target(population=None, **kwargs) is None  # type: ignore[arg-type]
    # NI 16's rate of 11.3 per 1,000 on the mid-2006 population behind 8,800 at 11.7.
    assert rules.resolve_target(population=752_137, **kwargs) == Decimal("8499")  # type: ignore[arg-type]


def test_wrong_direction() -> None:
    assert rules.wrong_direction(direction="lower", baseline=Decimal(10), target=Decimal(11))
    assert not rules.wrong_direction(direction="lower", baseline=Decimal(10), target=Decimal(9))
    assert rules.wrong_direction(direction="higher", baseline=Decimal(50), target=Decimal(40))


def test_status_rules_are_written_out() -> None:
    forecast = rules.Forecast(980.0, 920.0, 1042.0, "stated")
    common = {
        "direction": "lower",
        "baseline": Decimal(1000),
        "target_period_complete": False,
        "is_count": True,
        "decimals": 0,
        "target_label": "2024",
    }
    on = rules.judge_status(target=Decimal(990), value=985.0, forecast=forecast, **common)  # type: ignore[arg-type]
    assert on.key == rules.ON_TRACK and "980" in on.rule and "990" in on.rule
    risk = rules.judge_status(target=Decimal(950), value=985.0, forecast=forecast, **common)  # type: ignore[arg-type]
    assert risk.key == rules.AT_RISK and "could be chance" in risk.rule
    off = rules.judge_status(target=Decimal(900), value=985.0, forecast=forecast, **common)  # type: ignore[arg-type]
    assert off.key == rules.OFF_TRACK and "whole 95% interval" in off.rule
    nothing = rules.Forecast(None, None, None, "no values yet")
    none = rules.judge_status(target=Decimal(900), value=None, forecast=nothing, **common)  # type: ignore[arg-type]
    assert none.key == rules.NOT_MEASURABLE


def test_status_for_a_percentage_uses_the_planned_change() -> None:
    common = {
        "direction": "higher",
        "baseline": Decimal(60),
        "target": Decimal(70),
        "target_period_complete": False,
        "is_count": False,
        "decimals": 1,
        "target_label": "2025",
    }
    risk = rules.judge_status(value=65.0, forecast=rules.Forecast(69.5, None, None, "m"), **common)  # type: ignore[arg-type]
    assert risk.key == rules.AT_RISK
    off = rules.judge_status(value=65.0, forecast=rules.Forecast(66.0, None, None, "m"), **common)  # type: ignore[arg-type]
    assert off.key == rules.OFF_TRACK


def test_south_derbyshire_margin() -> None:
    # Table 2 of the 2002/03 end-of-year report: Burglary Dwelling 396 against 388 -> -8.
    assert rules.margin_against_target(direction="lower", value=396, target=388) == -8
    assert rules.margin_against_target(direction="lower", value=926, target=877) == -49


def test_rolling_forecast() -> None:
    f = rules.forecast_rolling([10.0] * 24, months_per_period=12, scale=1.0)
    assert f.value == 120.0 and f.lower is not None and f.lower < 120 < (f.upper or 0)
    assert rules.forecast_rolling([1.0] * 5, months_per_period=12, scale=1.0).value is None


def test_gap_months() -> None:
    from saferhub.performance.sources import gap_months

    months = [f"2024-{m:02d}" for m in range(1, 13)]
    counts = [500] * 10 + [0, 480]
    assert gap_months(months, counts) == ["2024-11"]
    # A zero among small counts can be a true zero.
    assert gap_months(months, [2, 0, 1, 3, 0, 1, 2, 1, 0, 4, 1, 2]) == []
