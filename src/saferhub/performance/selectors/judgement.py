"""The judgement of an indicator for a period.

Its value; the change against the baseline with its significance; the SPC signal;
the forecast to the target date; the status with the rule that produced it.
Statistics come from :mod:`saferhub.analysis`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from saferhub.analysis import compare_counts, percent_change, rolling_sum, spc_chart
from saferhub.performance import rules, sources
from saferhub.performance.models import Indicator, Measurement, Milestone
from saferhub.performance.periods import parse_period
from saferhub.performance.selectors.records import (
    indicators_for_user,
    live_measurements,
    live_milestones,
)


@dataclass(frozen=True)
class Current:
    """The value judged: the latest whole period, or the latest rolling 12 months."""

    label: str
    end: pd.Period
    months: int
    value: float
    count: int | None
    population: int | None


def _current(latest: Measurement | None) -> Current | None:
    if latest is None:
        return None
    period = parse_period(latest.period)
    return Current(
        label=period.label,
        end=period.end,
        months=latest.months_of_data or period.months,
        value=float(latest.value),
        count=latest.count,
        population=latest.population,
    )


@dataclass
class Judgement:
    indicator: Indicator
    period: str | None
    value: float | None
    count: int | None
    baseline: float | None
    target: float | None
    change_percent: float | None
    significance: str
    significance_method: str
    significant: bool | None
    p_value: float | None
    spc_signal: bool | None
    spc_text: str
    spc_method: str
    forecast: rules.Forecast
    status: rules.Status
    latest_milestone: Milestone | None
    milestone_met: bool | None
    months_of_data: int
    series: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def data_note(self) -> str:
        if not self.gaps:
            return ""
        return (
            f"Gap in the source data: {', '.join(self.gaps)} ha"
            f"{'s' if len(self.gaps) == 1 else 've'} no records of this kind although the "
            f"other months average {sources.GAP_MEAN:.0f} or more. Values covering "
            f"{'it' if len(self.gaps) == 1 else 'them'} are taken pro rata over the months held."
        )

    @property
    def decimals(self) -> int:
        return int(self.indicator.decimals)


def _monthly(indicator: Indicator, start: pd.Period, end: pd.Period) -> pd.DataFrame:
    try:
        return sources.monthly_counts(
            area_code=indicator.area_code,
            categories=list(indicator.categories),
            start=start,
            end=end,
        )
    except sources.DataUnavailable:
        return pd.DataFrame({"month": [], "count": []})


def indicator_judgement(indicator: Indicator, *, as_of: str | None = None) -> Judgement:
    """Value, change and significance, SPC signal, forecast and status for one indicator.

    ``as_of`` (a period) judges the indicator as it stood at the end of that
    period (for a quarterly report); by default, on all values held.
    """
    baseline_period = parse_period(indicator.baseline_period)
    target_period = parse_period(indicator.target_period)
    cutoff = parse_period(as_of).end if as_of else None
    milestones = live_milestones(indicator)
    measurements = [
        m
        for m in live_measurements(indicator)
        if parse_period(m.period).end > baseline_period.end
        and (cutoff is None or parse_period(m.period).end <= cutoff)
    ]
    latest = measurements[-1] if measurements else None
    baseline = float(indicator.baseline_value) if indicator.baseline_value is not None else None
    target = float(indicator.resolved_target) if indicator.resolved_target is not None else None
    series: list[dict[str, Any]] = []
    spc_signal: bool | None = None
    spc_text = "Not enough values for an SPC chart."
    spc_method = ""
    months_of_data = 0
    scale = 1.0
    gaps: list[str] = []
    if indicator.data_driven:
        end = cutoff or max(target_period.end, pd.Period(pd.Timestamp.now(), "M"))
        monthly = _monthly(indicator, baseline_period.start, end)
        months_of_data = len(monthly)
        if indicator.kind == Indicator.Kind.INCIDENT_RATE:
            pop = sources.population(indicator.area_code, baseline_period.year)
            scale = indicator.rate_per / pop.value if pop else math.nan
        full = pd.DataFrame({"month": [], "count": []})
        if months_of_data:
            full = pd.DataFrame(
                {
                    "month": [
                        str(m)
                        for m in pd.period_range(
                            monthly["month"].iloc[0], monthly["month"].iloc[-1], freq="M"
                        )
                    ]
                }
            )
            full = full.merge(monthly, on="month", how="left").fillna({"count": 0})
            gaps = sources.gap_months(list(full["month"]), [int(c) for c in full["count"]])
            full["held"] = [0 if m in gaps else 1 for m in full["month"]]
            rolled = rolling_sum(full, window=12).rename(columns={"rolling_12": "rolling_count"})
            rolled = rolling_sum(rolled, value_col="held", window=12)
            by_month = {m.end_month: m for m in milestones}
            for month, count, r12, held in zip(
                rolled["month"],
                rolled["count"],
                rolled["rolling_count"],
                rolled["rolling_12"],
                strict=True,
            ):
                mstone = by_month.get(str(month))
                series.append(
                    {
                        "month": str(month),
                        "count": int(count),
                        "gap": str(month) in gaps,
                        "held": None if pd.isna(held) else int(held),
                        "rolling": None
                        if pd.isna(r12) or not held
                        else float(r12) * 12 / float(held) * scale,
                        "milestone": float(mstone.value) if mstone else None,
                    }
                )
        held_counts = [float(r["count"]) for r in series if not r["gap"]]
        forecast = rules.forecast_rolling(
            held_counts, months_per_period=target_period.months, scale=scale
        )
        if gaps:
            forecast = rules.Forecast(
                forecast.value,
                forecast.lower,
                forecast.upper,
                forecast.method + f"; gap months left out ({', '.join(gaps)})",
            )
        if len(held_counts) >= 12:
            labels = [r["month"] for r in series if not r["gap"]]
            chart = spc_chart(held_counts, labels, chart="xmr")
            spc_method = str(chart.attrs["method"]) + "; rules: " + str(chart.attrs["rules"])
            recent = chart.tail(6)
            flagged = recent[recent["signal"]]
            spc_signal = bool(len(flagged))
            if spc_signal:
                texts = sorted({str(t) for t in flagged["signal_description"] if str(t)})
                spc_text = "Signal in the last 6 months: " + "; ".join(texts[:3])
            else:
                spc_text = (
                    "No signal in the last 6 months: the variation is what the process "
                    "usually shows (common cause)."
                )
            if gaps:
                spc_text += f" Gap months left out of the chart: {', '.join(gaps)}."
    else:
        points = [(int(parse_period(m.period).end.ordinal), float(m.value)) for m in measurements]
        if baseline is not None and points:  # no forecast before a value after the baseline
            points = [(int(baseline_period.end.ordinal), baseline), *points]
        forecast = rules.forecast_linear(points, int(target_period.end.ordinal))
        if len(measurements) >= 6:
            chart = spc_chart(
                [float(m.value) for m in measurements],
                [m.period for m in measurements],
                chart="xmr",
            )
            spc_method = str(chart.attrs["method"])
            spc_signal = bool(chart["signal"].iloc[-1])
            spc_text = (
                str(chart["signal_description"].iloc[-1])
                if spc_signal
                else "No signal at the latest value."
            )
        by_period = {m.period: m for m in measurements}
        for m in milestones:
            series.append({"month": m.end_month, "milestone": float(m.value), "rolling": None})
        for period_label, measured in by_period.items():
            series.append(
                {
                    "month": str(parse_period(period_label).end),
                    "milestone": None,
                    "rolling": float(measured.value),
                }
            )
        series.sort(key=lambda r: r["month"])
    current = _current(latest)
    if indicator.data_driven and months_of_data >= 12 and series:
        last = series[-1]
        last_month = pd.Period(last["month"], "M")
        if current is None or last_month > current.end:
            count = int(sum(r["count"] for r in series[-12:] if not r["gap"]))
            held_months = int(last["held"] or 12)
            pop = (
                sources.population(indicator.area_code, int(last_month.year))
                if indicator.kind == Indicator.Kind.INCIDENT_RATE
                else None
            )
            current = Current(
                label=f"12 months to {last_month}",
                end=last_month,
                months=held_months,
                value=float(last["rolling"]) if last["rolling"] is not None else math.nan,
                count=count,
                population=pop.value if pop else None,
            )
    value = current.value if current else None
    # Change against the baseline and its significance.
    change_percent = None
    significance = "No value after the baseline yet."
    significance_method = ""
    significant: bool | None = None
    p_value: float | None = None
    baseline_count = _baseline_count(indicator)
    if current is not None and baseline is not None:
        change_percent = percent_change(baseline, value or 0.0)
        if current.count is not None and baseline_count is not None:
            exposure_before: float = baseline_period.months
            exposure_after: float = current.months
            if indicator.kind == Indicator.Kind.INCIDENT_RATE and current.population:
                base_pop = _baseline_population(indicator) or current.population
                exposure_before *= base_pop
                exposure_after *= current.population
            result = compare_counts(baseline_count, current.count, exposure_before, exposure_after)
            significance = result.interpretation
            significance_method = result.method
            significant = result.significant
            p_value = result.p_value
        elif indicator.is_count_based and baseline_count is None and current.count is None:
            try:
                result = compare_counts(int(baseline), int(value or 0))
                significance = result.interpretation
                significance_method = result.method
                significant = result.significant
                p_value = result.p_value
            except ValueError:
                significance = "No significance test: the values are not whole counts."
        else:
            significance = (
                "No significance test: the value is not a count (no sample size is held)."
            )
    latest_milestone = None
    milestone_met = None
    if current is not None:
        due = [m for m in milestones if m.end_month <= str(current.end)]
        if due:
            latest_milestone = due[-1]
            milestone_met = (
                float(value or 0) <= float(latest_milestone.value)
                if indicator.direction == "lower"
                else float(value or 0) >= float(latest_milestone.value)
            )
    target_complete = latest is not None and parse_period(latest.period).end >= target_period.end
    target_measure = next((m for m in measurements if m.period == target_period.label), None)
    judged_value = float(target_measure.value) if target_measure else value
    interval = None
    if target_complete and target_measure and target_measure.count is not None:
        unit_scale = (
            float(target_measure.value) / target_measure.count if target_measure.count else 1.0
        )
        interval = rules.count_interval(target_measure.count, unit_scale)
    elif target_complete and target_measure and indicator.is_count_based:
        try:
            interval = rules.count_interval(int(target_measure.value))
        except ValueError:
            interval = None
    status = rules.judge_status(
        direction=indicator.direction,
        baseline=indicator.baseline_value,
        target=indicator.resolved_target,
        value=judged_value,
        target_period_complete=target_complete and target_measure is not None,
        forecast=forecast,
        is_count=indicator.is_count_based,
        decimals=indicator.decimals,
        target_label=target_period.label,
        value_interval=interval,
    )
    if gaps:
        status = rules.Status(
            status.key,
            f"{status.rule} The value is pro rata: {', '.join(gaps)} "
            f"{'is a gap' if len(gaps) == 1 else 'are gaps'} in the source data.",
        )
    return Judgement(
        indicator=indicator,
        period=current.label if current else None,
        value=value,
        count=current.count if current else None,
        baseline=baseline,
        target=target,
        change_percent=change_percent,
        significance=significance,
        significance_method=significance_method,
        significant=significant,
        p_value=p_value,
        spc_signal=spc_signal,
        spc_text=spc_text,
        spc_method=spc_method,
        forecast=forecast,
        status=status,
        latest_milestone=latest_milestone,
        milestone_met=milestone_met,
        months_of_data=months_of_data,
        series=series,
        gaps=gaps,
    )


def _baseline_count(indicator: Indicator) -> int | None:
    if indicator.kind == Indicator.Kind.INCIDENT_COUNT and indicator.baseline_value is not None:
        return int(indicator.baseline_value)
    if indicator.kind == Indicator.Kind.INCIDENT_RATE:
        return sources.period_count(
            area_code=indicator.area_code,
            categories=list(indicator.categories),
            period=parse_period(indicator.baseline_period),
        ).count
    return None


def _baseline_population(indicator: Indicator) -> int | None:
    pop = sources.population(indicator.area_code, parse_period(indicator.baseline_period).year)
    return pop.value if pop else None


def judgements_for_user(*, user: Any, as_of: str | None = None) -> list[Judgement]:
    return [indicator_judgement(i, as_of=as_of) for i in indicators_for_user(user=user)]
