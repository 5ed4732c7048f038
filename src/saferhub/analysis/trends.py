"""Monthly series, rolling 12-month sums and SPC charts with signal rules.

Statistical process control separates common-cause variation (noise) from
special-cause variation (a signal worth a Board's attention).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "RULE_COLUMNS",
    "c_chart",
    "monthly_series",
    "rolling_sum",
    "spc_chart",
    "xmr_chart",
]

ChartType = Literal["c", "xmr"]

#: XmR scaling constant: 3 / d2 with d2 = 1.128 for moving ranges of two.
XMR_CONSTANT = 2.66

#: Names of the per-rule boolean columns in SPC output.
RULE_COLUMNS = ("rule_outside_limits", "rule_run", "rule_trend")


def monthly_series(
    dates: pd.Series | Sequence[object],
    *,
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
) -> pd.DataFrame:
    """Count incidents per calendar month, filling months without any with 0.

    Parameters
    ----------
    dates : Series or sequence
        One entry per incident: dates, timestamps or ``"YYYY-MM"`` strings
        (the police.uk ``Month`` column).
    start, end : str or Period, optional
        First and last month of the series (``"YYYY-MM"``); default the
        earliest and latest month in ``dates``.

    Returns
    -------
    DataFrame
        Columns ``month`` (``"YYYY-MM"``), ``count`` and ``filled`` (True for
        a month that had no incidents and was filled with 0). The list of
        filled months is also in ``attrs["filled_months"]``: a zero can be a
        true zero or a gap in the data, and the reader must be told.
    """
    periods = pd.PeriodIndex(pd.to_datetime(pd.Series(dates), format="mixed"), freq="M")
    if len(periods) == 0 and (start is None or end is None):
        raise ValueError("no dates: give start and end for an empty series")
    first = pd.Period(start, freq="M") if start is not None else periods.min()
    last = pd.Period(end, freq="M") if end is not None else periods.max()
    if last < first:
        raise ValueError("end is before start")
    months = pd.period_range(first, last, freq="M")
    counts = pd.Series(periods).value_counts()
    values = np.array([int(counts.get(m, 0)) for m in months], dtype=np.int64)
    out = pd.DataFrame(
        {
            "month": [str(m) for m in months],
            "count": values,
            "filled": values == 0,
        }
    )
    out.attrs["filled_months"] = [str(m) for m, v in zip(months, values) if v == 0]
    out.attrs["outside_range"] = int(((periods < first) | (periods > last)).sum())
    return out


def rolling_sum(
    series: pd.DataFrame, *, value_col: str = "count", window: int = 12
) -> pd.DataFrame:
    """Add a rolling sum over ``window`` consecutive rows (default 12 months).

    The first ``window - 1`` rows have no complete window and get NaN rather
    than a partial sum. The input must have one row per month, in order, with
    no gaps (as :func:`monthly_series` returns).

    Parameters
    ----------
    series : DataFrame
        Monthly series.
    value_col : str, default "count"
        Column to sum.
    window : int, default 12
        Number of months per sum.

    Returns
    -------
    DataFrame
        Copy of ``series`` with a ``rolling_<window>`` column.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    out = series.copy()
    out[f"rolling_{window}"] = out[value_col].rolling(window, min_periods=window).sum()
    return out


def c_chart(values: npt.ArrayLike) -> tuple[float, float, float]:
    r"""Centre line and 3-sigma limits of a c-chart (counts, Poisson).

    .. math::

        \bar c = \frac1n\sum c_i, \quad
        \mathrm{UCL} = \bar c + 3\sqrt{\bar c}, \quad
        \mathrm{LCL} = \max(0, \bar c - 3\sqrt{\bar c}).

    Parameters
    ----------
    values : array_like
        Counts per period (equal opportunity for each period).

    Returns
    -------
    centre, lower, upper : float

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*,
    6th ed., section 7.3.1 (c-chart). Wiley.
    """
    x = _as_values(values)
    centre = float(np.mean(x))
    half = 3.0 * np.sqrt(centre)
    return centre, max(0.0, centre - half), centre + half


def xmr_chart(
    values: npt.ArrayLike, *, lower_bound: float | None = None
) -> tuple[float, float, float, float]:
    r"""Centre line and limits of an XmR (individuals and moving range) chart.

    .. math::

        \overline{MR} = \frac{1}{n-1}\sum_{i\ge2}|x_i - x_{i-1}|,\quad
        \mathrm{UCL, LCL} = \bar x \pm 2.66\,\overline{MR}.

    Parameters
    ----------
    values : array_like
        Values per period (at least two).
    lower_bound : float, optional
        Floor for the lower limit (e.g. 0 for counts).

    Returns
    -------
    centre, lower, upper, mr_bar : float

    References
    ----------
    Wheeler, D. J. (2000). *Understanding Variation: the Key to Managing
    Chaos*, 2nd ed. SPC Press. NHS England (2019), *Making Data Count*.
    """
    x = _as_values(values)
    if x.size < 2:
        raise ValueError("an XmR chart needs at least two values")
    centre = float(np.mean(x))
    mr_bar = float(np.mean(np.abs(np.diff(x))))
    lower = centre - XMR_CONSTANT * mr_bar
    if lower_bound is not None:
        lower = max(lower_bound, lower)
    return centre, lower, centre + XMR_CONSTANT * mr_bar, mr_bar


def spc_chart(
    values: npt.ArrayLike,
    labels: Sequence[str] | None = None,
    *,
    chart: ChartType = "c",
    run_length: int = 8,
    trend_length: int = 6,
) -> pd.DataFrame:
    """Statistical process control chart with three signal rules.

    Limits come from :func:`c_chart` (``chart="c"``) or :func:`xmr_chart`
    (``chart="xmr"``, lower limit floored at 0 because crime counts cannot
    be negative). Rules, each flagging every point that takes part:

    1. **outside limits**: a point above the upper or below the lower limit;
    2. **run**: ``run_length`` (default 8) or more consecutive points on the
       same side of the centre line (a point on the line breaks the run);
    3. **trend**: ``trend_length`` (default 6) or more consecutive points each
       strictly higher (or each strictly lower) than the one before (an equal
       value breaks the trend).

    Parameters
    ----------
    values : array_like
        Values per period, in time order.
    labels : sequence of str, optional
        Period labels (e.g. ``"2024-01"``); default ``0, 1, ...``.
    chart : {"c", "xmr"}
        Chart type.
    run_length, trend_length : int
        Lengths for the run and trend rules.

    Returns
    -------
    DataFrame
        Columns ``period, value, centre, lower, upper, rule_outside_limits,
        rule_run, rule_trend, signal, signal_description``; ``attrs`` hold
        the chart type, limits and rules.

    References
    ----------
    Western Electric (1956). *Statistical Quality Control Handbook*;
    Montgomery (2009), section 5.3.6; NHS England (2019), *Making Data
    Count*, which uses runs of 7 or more (set ``run_length=7`` to follow it).
    """
    x = _as_values(values)
    if run_length < 2 or trend_length < 2:
        raise ValueError("run_length and trend_length must be at least 2")
    if labels is None:
        labels = [str(i) for i in range(x.size)]
    if len(labels) != x.size:
        raise ValueError("labels and values differ in length")
    if chart == "c":
        centre, lower, upper = c_chart(x)
        method = "c-chart: centre = mean, limits = mean +/- 3 sqrt(mean), lower floored at 0"
    elif chart == "xmr":
        centre, lower, upper, _ = xmr_chart(x, lower_bound=0.0)
        method = "XmR chart: limits = mean +/- 2.66 x mean moving range, lower floored at 0"
    else:
        raise ValueError(f"unknown chart {chart!r}")
    outside = (x > upper) | (x < lower)
    side = np.sign(x - centre)
    run = _flag_runs(side, run_length, skip_zero=True)
    step = np.sign(np.diff(x))
    trend_steps = _flag_runs(step, trend_length - 1, skip_zero=True)
    trend = np.zeros(x.size, dtype=bool)
    trend[1:] |= trend_steps
    trend[:-1] |= trend_steps
    descriptions = _describe(
        x,
        list(labels),
        centre,
        lower,
        upper,
        outside,
        side,
        run,
        step,
        trend_steps,
        run_length,
        trend_length,
    )
    out = pd.DataFrame(
        {
            "period": list(labels),
            "value": x,
            "centre": centre,
            "lower": lower,
            "upper": upper,
            "rule_outside_limits": outside,
            "rule_run": run,
            "rule_trend": trend,
        }
    )
    out["signal"] = outside | run | trend
    out["signal_description"] = descriptions
    out.attrs.update(
        {
            "chart": chart,
            "method": method,
            "centre": centre,
            "lower": lower,
            "upper": upper,
            "rules": (
                f"point outside the limits; run of {run_length}+ on one side of the centre; "
                f"{trend_length}+ points rising or falling"
            ),
        }
    )
    return out


def _as_values(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("no values")
    if np.any(~np.isfinite(x)):
        raise ValueError("values must be finite")
    return x


def _flag_runs(
    signs: npt.NDArray[np.float64], length: int, *, skip_zero: bool
) -> npt.NDArray[np.bool_]:
    """Flag elements in maximal runs of equal non-zero sign of ``length``+."""
    flags = np.zeros(signs.size, dtype=bool)
    start = 0
    for i in range(1, signs.size + 1):
        if i == signs.size or signs[i] != signs[start]:
            if (i - start) >= length and not (skip_zero and signs[start] == 0):
                flags[start:i] = True
            start = i
    return flags


def _describe(
    x: npt.NDArray[np.float64],
    labels: list[str],
    centre: float,
    lower: float,
    upper: float,
    outside: npt.NDArray[np.bool_],
    side: npt.NDArray[np.float64],
    run: npt.NDArray[np.bool_],
    step: npt.NDArray[np.float64],
    trend_steps: npt.NDArray[np.bool_],
    run_length: int,
    trend_length: int,
) -> list[str]:
    texts: list[list[str]] = [[] for _ in range(x.size)]
    for i in map(int, np.flatnonzero(outside)):
        if x[i] > upper:
            texts[i].append(f"above the upper limit ({x[i]:g} > {upper:.1f})")
        else:
            texts[i].append(f"below the lower limit ({x[i]:g} < {lower:.1f})")
    for first, last in _segments(run, side):
        where = "above" if side[first] > 0 else "below"
        text = (
            f"run of {last - first + 1} points {where} the centre line "
            f"({labels[first]} to {labels[last]}; rule: {run_length}+)"
        )
        for i in range(first, last + 1):
            texts[i].append(text)
    for first, last in _segments(trend_steps, step):
        # step i joins points i and i + 1
        direction = "rising" if step[first] > 0 else "falling"
        p0, p1 = first, last + 1
        text = (
            f"{p1 - p0 + 1} points {direction} in a row "
            f"({labels[p0]} to {labels[p1]}; rule: {trend_length}+)"
        )
        for i in range(p0, p1 + 1):
            texts[i].append(text)
    return ["; ".join(t) for t in texts]


def _segments(flags: npt.NDArray[np.bool_], key: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """Maximal stretches of flagged elements sharing the same ``key``."""
    segments: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(flags.size + 1):
        ends = i == flags.size or not flags[i] or (start is not None and key[i] != key[start])
        if start is not None and ends:
            segments.append((start, i - 1))
            start = None
        if i < flags.size and flags[i] and start is None:
            start = i
    return segments
