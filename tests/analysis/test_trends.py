"""Monthly series, rolling sums and SPC charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.analysis import (
    RULE_COLUMNS,
    c_chart,
    monthly_series,
    rolling_sum,
    spc_chart,
    xmr_chart,
)

month_strings = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2021, 2024), st.integers(1, 12))


def test_monthly_series_fills_and_reports_missing_months() -> None:
    out = monthly_series(["2024-01-15", "2024-01-02", "2024-04-30"], end="2024-05")
    assert out["month"].tolist() == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert out["count"].tolist() == [2, 0, 0, 1, 0]
    assert out["filled"].tolist() == [False, True, True, False, True]
    assert out.attrs["filled_months"] == ["2024-02", "2024-03", "2024-05"]


@given(st.lists(month_strings, min_size=1, max_size=200), st.randoms(use_true_random=False))
def test_monthly_series_conserves_counts_and_ignores_order(months: list[str], rnd) -> None:
    out = monthly_series(months)
    assert out["count"].sum() == len(months)
    shuffled = months[:]
    rnd.shuffle(shuffled)
    pd.testing.assert_frame_equal(monthly_series(shuffled), out)
    # consecutive months, no gaps
    periods = pd.PeriodIndex(out["month"], freq="M")
    assert (np.diff(periods.asi8) == 1).all()


def test_rolling_sum_needs_complete_window() -> None:
    series = pd.DataFrame({"month": [f"m{i}" for i in range(14)], "count": range(14)})
    out = rolling_sum(series)
    assert out["rolling_12"].iloc[:11].isna().all()
    assert out["rolling_12"].iloc[11] == sum(range(12))
    assert out["rolling_12"].iloc[13] == sum(range(2, 14))


def test_c_chart_limits() -> None:
    centre, lower, upper = c_chart([16, 25, 19, 20])
    assert centre == pytest.approx(20.0)
    assert upper == pytest.approx(20 + 3 * np.sqrt(20))
    assert lower == pytest.approx(20 - 3 * np.sqrt(20))
    # small mean: lower limit clipped at zero
    assert c_chart([1, 2, 0, 1])[1] == 0.0


def test_xmr_limits_hand_computed() -> None:
    centre, lower, upper, mr_bar = xmr_chart([10, 12, 11, 15])
    assert centre == pytest.approx(12.0)
    assert mr_bar == pytest.approx(7 / 3)
    assert upper == pytest.approx(12 + 2.66 * 7 / 3)
    assert lower == pytest.approx(12 - 2.66 * 7 / 3)
    assert xmr_chart([0, 10, 0, 10], lower_bound=0)[1] == 0.0


def test_point_outside_limits() -> None:
    values = [20] * 11 + [60]
    out = spc_chart(values, chart="c")
    assert out["rule_outside_limits"].tolist() == [False] * 11 + [True]
    assert "above the upper limit" in out["signal_description"].iloc[-1]


def test_run_of_eight_but_not_seven() -> None:
    base = [10, 14, 10, 10]
    eight = spc_chart(base + [13] * 8 + [10, 10, 10, 10, 10], chart="xmr")
    assert eight["rule_run"].iloc[4:12].all()
    assert "run of 8 points above" in eight["signal_description"].iloc[4]
    seven = spc_chart(base + [13] * 7 + [10, 10, 10, 10, 10, 14], chart="xmr")
    assert not seven["rule_run"].iloc[4:11].any()


def test_point_on_centre_line_breaks_a_run() -> None:
    values = [11, 11, 11, 11, 10, 11, 11, 11, 11] + [9] * 8
    # mean is exactly 10: the 10 sits on the line and splits the 8 elevens
    assert np.mean(values) == 10
    out = spc_chart(values, chart="c")
    assert not out["rule_run"].iloc[:9].any()
    assert out["rule_run"].iloc[9:].all()


def test_trend_of_six_not_five_and_ties_break() -> None:
    six = spc_chart([10, 10, 11, 12, 13, 14, 15, 10, 10], chart="xmr")
    assert six["rule_trend"].tolist() == [False, True, True, True, True, True, True, False, False]
    assert "6 points rising" in six["signal_description"].iloc[1]
    five = spc_chart([10, 10, 11, 12, 13, 14, 10, 10], chart="xmr")
    assert not five["rule_trend"].any()
    tie = spc_chart([10, 11, 12, 12, 13, 14, 15, 10], chart="xmr")
    assert not tie["rule_trend"].any()
    falling = spc_chart([20, 19, 18, 17, 16, 15, 20, 20], chart="xmr")
    assert falling["rule_trend"].iloc[:6].all()
    assert "falling" in falling["signal_description"].iloc[0]


def test_adjacent_runs_are_described_separately() -> None:
    values = [15] * 8 + [5] * 8
    out = spc_chart(values, labels=[f"2024-{i:02d}" for i in range(1, 17)], chart="xmr")
    assert out["rule_run"].all()
    assert "above" in out["signal_description"].iloc[0]
    assert "(2024-01 to 2024-08" in out["signal_description"].iloc[0]
    assert "below" in out["signal_description"].iloc[-1]
    assert "(2024-09 to 2024-16" in out["signal_description"].iloc[-1]


def test_no_signal_means_empty_description_and_columns_present() -> None:
    out = spc_chart([10, 12, 9, 11, 10, 13, 9, 12], chart="c")
    assert not out["signal"].any()
    assert (out["signal_description"] == "").all()
    for col in RULE_COLUMNS:
        assert col in out.columns


def test_spc_argument_checks() -> None:
    with pytest.raises(ValueError):
        spc_chart([1, 2, 3], labels=["a"])
    with pytest.raises(ValueError):
        spc_chart([1, 2, 3], chart="p")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        spc_chart([])


def test_real_police_uk_burglary_series(police_uk_dir: Path) -> None:
    frames = [
        pd.read_csv(path, usecols=["Month", "Crime type"])
        for path in sorted(police_uk_dir.glob("*/*-derbyshire-street.csv"))
    ]
    data = pd.concat(frames, ignore_index=True)
    burglary = data.loc[data["Crime type"] == "Burglary", "Month"]
    series = monthly_series(burglary)
    assert len(series) == 24
    assert series["count"].sum() == 7541  # as counted in the data's SOURCES notes
    assert series.attrs["filled_months"] == []
    chart = spc_chart(series["count"], series["month"].tolist(), chart="c")
    assert chart.attrs["centre"] == pytest.approx(7541 / 24)
    assert chart["upper"].iloc[0] == pytest.approx(7541 / 24 + 3 * np.sqrt(7541 / 24))
    # Poisson limits are narrow for ~300 a month; police data is overdispersed,
    # so an XmR chart (limits from the data's own variation) is wider.
    xmr = spc_chart(series["count"], series["month"].tolist(), chart="xmr")
    assert xmr["upper"].iloc[0] - xmr["centre"].iloc[0] > 0
