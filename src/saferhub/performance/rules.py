"""The partnership's performance rules, as plain functions (no database).

* milestones interpolated in a straight line from baseline to target;
* a target resolved from an absolute value, a % change or a rate;
* the forecast to the target date, by a stated method;
* the status (on track / at risk / off track / not yet measurable) and the
  sentence giving the rule that produced it.

Statistics come from :mod:`saferhub.analysis`; nothing here re-implements one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from saferhub.analysis import poisson_ci
from saferhub.performance.periods import ReportingPeriod, period_ending, steps_between

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NOT_MEASURABLE = "not_measurable"
STATUS_LABELS = {
    ON_TRACK: "On track",
    AT_RISK: "At risk",
    OFF_TRACK: "Off track",
    NOT_MEASURABLE: "Not yet measurable",
}
STATUS_TAGS = {
    ON_TRACK: "govuk-tag--green",
    AT_RISK: "govuk-tag--yellow",
    OFF_TRACK: "govuk-tag--red",
    NOT_MEASURABLE: "govuk-tag--grey",
}
#: For figures that are not counts: a forecast that misses the target by no more
#: than this share of the planned change is "at risk" rather than "off track".
AT_RISK_SHARE = 0.10


def quantize(value: float | Decimal, decimals: int) -> Decimal:
    """Round half up (the way people round by hand, so 0.5 goes up)."""
    step = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def resolve_target(
    *,
    target_kind: str,
    target_value: Decimal,
    baseline_value: Decimal | None,
    is_rate_indicator: bool,
    population: float | None,
    rate_per: int,
    decimals: int,
) -> Decimal | None:
    """The target in the indicator's own unit.

    * ``absolute``: the value as given;
    * ``percent_change``: ``baseline x (1 + pct / 100)``;
    * ``rate``: for a rate indicator, the rate itself; for a count indicator,
      ``rate x population / rate_per`` (needs a population).
    """
    if target_kind == "absolute":
        return quantize(target_value, decimals)
    if target_kind == "percent_change":
        if baseline_value is None:
            return None
        return quantize(baseline_value * (1 + target_value / 100), decimals)
    if target_kind == "rate":
        if is_rate_indicator:
            return quantize(target_value, decimals)
        if not population:
            return None
        return quantize(target_value * Decimal(str(population)) / rate_per, decimals)
    raise ValueError(f"unknown target kind {target_kind!r}")


def wrong_direction(*, direction: str, baseline: Decimal, target: Decimal) -> bool:
    """True when the target is worse than the baseline (a rise where lower is better)."""
    return target > baseline if direction == "lower" else target < baseline


@dataclass(frozen=True)
class MilestonePoint:
    period: str
    end_month: str
    value: Decimal


def interpolate_milestones(
    *,
    baseline_period: ReportingPeriod,
    baseline_value: Decimal,
    target_period: ReportingPeriod,
    target_value: Decimal,
    frequency: str,
    decimals: int,
) -> list[MilestonePoint]:
    r"""Milestones in a straight line from the baseline to the target.

    With :math:`n` steps (years or quarters) from the end of the baseline
    period to the end of the target period, milestone :math:`k` is

    .. math:: m_k = B + (T - B)\,k / n, \quad k = 1 \dots n,

    rounded half up to the indicator's decimals. The last milestone is the
    target. North East Derbyshire's NI 16 (place-name: cited; baseline 8,800 offences in
    2007/08, -3% by 2010/11) gives 8,712, 8,624 and 8,536.
    """
    step = 12 if frequency == "annual" else 3
    n = steps_between(baseline_period, target_period, step)
    kind = baseline_period.kind if step == 12 else "quarter"
    if step == 12 and kind in {"quarter", "month"}:
        kind = "year" if baseline_period.end.month == 12 else "financial_year"
    points = []
    for k in range(1, n + 1):
        end = baseline_period.end + k * step
        value = baseline_value + (target_value - baseline_value) * Decimal(k) / Decimal(n)
        label = period_ending(end, kind).label if kind != "month" else str(end)
        points.append(MilestonePoint(label, str(end), quantize(value, decimals)))
    return points


@dataclass(frozen=True)
class Forecast:
    value: float | None
    lower: float | None
    upper: float | None
    method: str


def forecast_rolling(monthly: list[float], *, months_per_period: int, scale: float) -> Forecast:
    """The latest rolling 12 months, carried forward to the target period.

    The sum of the last 12 monthly counts (``scale`` turns a count into the
    indicator's unit, e.g. a rate per 1,000) is assumed to continue unchanged
    to the target date; its 95% interval is the exact Poisson (Garwood)
    interval of that 12-month count from :func:`saferhub.analysis.poisson_ci`.
    """
    if len(monthly) < 12:
        return Forecast(None, None, None, "not enough months for a rolling 12-month figure")
    count = float(np.sum(monthly[-12:]))
    factor = months_per_period / 12.0
    lo, hi = poisson_ci(count)
    return Forecast(
        count * factor * scale,
        float(np.asarray(lo).item()) * factor * scale,
        float(np.asarray(hi).item()) * factor * scale,
        "latest rolling 12 months carried forward to the target date (95% exact Poisson interval)",
    )


def forecast_linear(points: list[tuple[int, float]], target_x: int) -> Forecast:
    """Least-squares straight line through (period number, value), read at the target.

    With one point the latest value is carried forward.
    """
    if not points:
        return Forecast(None, None, None, "no values yet")
    if len(points) == 1:
        return Forecast(points[0][1], None, None, "latest value carried forward (one value so far)")
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    if np.ptp(xs) == 0:
        return Forecast(float(ys[-1]), None, None, "latest value carried forward")
    slope, intercept = np.polyfit(xs, ys, 1)
    return Forecast(
        float(slope * target_x + intercept),
        None,
        None,
        f"straight-line trend through the {len(points)} values so far, read at the target date",
    )


@dataclass(frozen=True)
class Status:
    key: str
    rule: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.key]

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.key]


def _fmt(value: float | Decimal | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{decimals}f}"


def judge_status(
    *,
    direction: str,
    baseline: Decimal | None,
    target: Decimal | None,
    value: float | None,
    target_period_complete: bool,
    forecast: Forecast,
    is_count: bool,
    decimals: int,
    target_label: str,
    value_interval: tuple[float, float] | None = None,
) -> Status:
    """On track / at risk / off track / not yet measurable, with the rule written out.

    Once the target period is complete the measured value is judged; before
    then, the forecast. For counts (and rates of counts) the 95% Poisson
    interval decides between "at risk" (target inside the interval: the miss
    could be chance) and "off track" (the whole interval misses). For other
    figures, a miss by no more than 10% of the planned change is "at risk".
    ``value_interval`` is the 95% interval of a measured count-based value.
    """
    if baseline is None or target is None:
        return Status(NOT_MEASURABLE, "Not yet measurable: the baseline or target is not set.")
    if value is None and forecast.value is None:
        return Status(
            NOT_MEASURABLE,
            "Not yet measurable: there is no value after the baseline yet, so no forecast.",
        )
    better = (lambda a, b: a <= b) if direction == "lower" else (lambda a, b: a >= b)
    word = "at or below" if direction == "lower" else "at or above"
    t = float(target)
    if target_period_complete and value is not None:
        judged, what = value, f"the {target_label} value"
        lo, hi = value_interval if value_interval else (None, None)
    else:
        if forecast.value is None:
            return Status(
                NOT_MEASURABLE,
                f"Not yet measurable: no forecast can be made ({forecast.method}).",
            )
        judged, lo, hi = forecast.value, forecast.lower, forecast.upper
        what = f"the forecast for {target_label}"
    judged = round(judged, decimals)  # judged as shown: 65.99999 is 66.0 to one place
    shown = _fmt(judged, decimals)
    if better(judged, t):
        return Status(
            ON_TRACK,
            f"On track: {what} ({shown}) is {word} the target ({_fmt(t, decimals)}).",
        )
    if is_count and lo is not None and hi is not None:
        if lo <= t <= hi:
            return Status(
                AT_RISK,
                f"At risk: {what} ({shown}) misses the target ({_fmt(t, decimals)}), but the "
                f"target lies inside its 95% interval ({_fmt(lo, decimals)} to "
                f"{_fmt(hi, decimals)}), so the miss could be chance.",
            )
        return Status(
            OFF_TRACK,
            f"Off track: {what} ({shown}) misses the target ({_fmt(t, decimals)}) and the "
            f"whole 95% interval ({_fmt(lo, decimals)} to {_fmt(hi, decimals)}) is on the "
            f"wrong side of it.",
        )
    planned = abs(float(target) - float(baseline))
    margin = AT_RISK_SHARE * planned
    if abs(judged - t) <= margin:
        return Status(
            AT_RISK,
            f"At risk: {what} ({shown}) misses the target ({_fmt(t, decimals)}) by no more "
            f"than 10% of the planned change ({_fmt(planned, decimals)}).",
        )
    return Status(
        OFF_TRACK,
        f"Off track: {what} ({shown}) misses the target ({_fmt(t, decimals)}) by more than "
        f"10% of the planned change ({_fmt(planned, decimals)}).",
    )


def margin_against_target(*, direction: str, value: float, target: float) -> float:
    """South Derbyshire's "+ above target / - below target" (place-name: cited):
    positive when better than target.

    For "lower is better" it is ``target - value`` (Burglary Dwelling: 388 - 396 = -8).
    """
    return target - value if direction == "lower" else value - target


def count_interval(count: int, scale: float = 1.0) -> tuple[float, float]:
    """95% exact Poisson interval of a count, in the indicator's unit (``count x scale``)."""
    lo, hi = poisson_ci(int(count))
    return float(np.asarray(lo).item()) * scale, float(np.asarray(hi).item()) * scale
