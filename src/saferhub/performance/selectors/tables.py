"""The report tables: the scorecard and the year-end table (South Derbyshire's shape; place-name: cited)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from saferhub.performance import rules
from saferhub.performance.models import Indicator
from saferhub.performance.periods import parse_period
from saferhub.performance.selectors.judgement import Judgement
from saferhub.performance.selectors.records import (
    indicators_for_user,
    live_measurements,
    live_milestones,
)

SCORECARD_COLUMNS = [
    "Priority",
    "Indicator",
    "Unit",
    "Lead partner",
    "Baseline period",
    "Baseline",
    "Period",
    "Value",
    "Change from baseline (%)",
    "Significance",
    "SPC",
    "Forecast",
    "Forecast method",
    "Target period",
    "Target",
    "Status",
    "Rule",
]


def _num(value: float | None, decimals: int) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, decimals)


def scorecard_rows(judgements: list[Judgement]) -> list[list[Any]]:
    rows = []
    for j in judgements:
        ind = j.indicator
        rows.append(
            [
                ind.priority.title,
                str(ind),
                ind.unit,
                ind.lead_agency.name if ind.lead_agency else "",
                ind.baseline_period,
                _num(j.baseline, j.decimals),
                j.period or "",
                _num(j.value, j.decimals),
                _num(j.change_percent, 1),
                j.significance,
                j.spc_text,
                _num(j.forecast.value, j.decimals),
                j.forecast.method,
                ind.target_period,
                _num(j.target, j.decimals),
                j.status.label,
                j.status.rule,
            ]
        )
    return rows


YEAR_END_COLUMNS = [
    "Priority",
    "Previous level",
    "Current level",
    "Target",
    "+ Above / - Below target",
]


@dataclass(frozen=True)
class YearEndRow:
    priority: str
    indicator: Indicator
    previous_period: str
    previous: float | None
    current_period: str
    current: float | None
    target: float | None
    margin: float | None

    @property
    def margin_text(self) -> str:
        if self.margin is None:
            return "Not yet measurable"
        d = int(self.indicator.decimals)
        if self.margin >= 0:
            return f"+{self.margin:,.{d}f} (target met)"
        return f"{self.margin:,.{d}f} (target missed)"


def year_end_rows(*, user: Any, period: str | None = None) -> list[YearEndRow]:
    """South Derbyshire's table: priority, previous level, current level, target, +/- target. (place-name: cited)

    The current level is the value for ``period`` (default: each indicator's
    latest whole period); the previous level the period before it (the
    baseline when that is the one before). The last column is positive when
    the value is better than the target (for "lower is better",
    ``target - current``).
    """
    rows = []
    for ind in indicators_for_user(user=user):
        values = {m.period: m for m in live_measurements(ind)}
        baseline = parse_period(ind.baseline_period)
        if period:
            current_label = parse_period(period).label
        else:
            current_label = max(values, key=lambda p: parse_period(p).end) if values else ""
        current = values.get(current_label)
        previous_label = ""
        previous_value: float | None = None
        if current_label:
            cp = parse_period(current_label)
            before = [
                p
                for p in values
                if parse_period(p).end < cp.end and parse_period(p).kind == cp.kind
            ]
            if before:
                previous_label = max(before, key=lambda p: parse_period(p).end)
                previous_value = float(values[previous_label].value)
            elif baseline.end < cp.end and ind.baseline_value is not None:
                previous_label, previous_value = baseline.label, float(ind.baseline_value)
        milestone = next(
            (m for m in live_milestones(ind) if current_label and m.period == current_label),
            None,
        )
        target = (
            float(milestone.value)
            if milestone
            else (float(ind.resolved_target) if ind.resolved_target is not None else None)
        )
        current_value = float(current.value) if current else None
        margin = (
            rules.margin_against_target(direction=ind.direction, value=current_value, target=target)
            if current_value is not None and target is not None
            else None
        )
        rows.append(
            YearEndRow(
                priority=ind.priority.title,
                indicator=ind,
                previous_period=previous_label,
                previous=previous_value,
                current_period=current_label,
                current=current_value,
                target=target,
                margin=margin,
            )
        )
    return rows


def year_end_table(rows: list[YearEndRow]) -> list[list[Any]]:
    return [
        [
            f"{r.priority}: {r.indicator}",
            f"{r.previous:,.{r.indicator.decimals}f} ({r.previous_period})"
            if r.previous is not None
            else "",
            f"{r.current:,.{r.indicator.decimals}f} ({r.current_period})"
            if r.current is not None
            else "",
            f"{r.target:,.{r.indicator.decimals}f}" if r.target is not None else "",
            r.margin_text,
        ]
        for r in rows
    ]
