"""Measuring a problem from the imported incidents: monthly series, before and after.

A month missing from the source (no incidents imported at all for it) is a gap; so is a
month whose count is 0 where the other months average 10 or more (the rule of
docs/decisions/0251-gap-months-in-incident-data.md). Gaps are shown as gaps, never as
zeros, and are left out of before/after totals, the SPC chart and the change test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Sum

from saferhub.analysis.change import compare_counts
from saferhub.analysis.displacement import WddResult, weighted_displacement_difference
from saferhub.analysis.gaps import gap_months
from saferhub.analysis.trends import spc_chart
from saferhub.geography.models import Area
from saferhub.incidents.models import MonthlyCount
from saferhub.incidents.selectors import months_with_counts
from saferhub.problems import place as places
from saferhub.problems.models import Problem


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def counts_by_month(frame: pd.DataFrame, months: list[dt.date]) -> list[int]:
    by = frame.groupby("month").size() if not frame.empty else pd.Series(dtype="int64")
    return [int(by.get(m, 0)) for m in months]


@dataclass(frozen=True)
class MonthlySeries:
    """Counts per month; ``None`` where the month is a gap (not in the source, or a gap)."""

    months: list[str]
    counts: list[int | None]
    missing: list[str]
    gaps: list[str]
    response_month: str | None = None
    spc: list[dict[str, Any]] = field(default_factory=list)
    spc_method: str = ""

    @property
    def rows(self) -> list[dict[str, Any]]:
        by = {r["period"]: r for r in self.spc}
        return [
            {
                "month": m,
                "count": c,
                "gap": c is None,
                "after_response": bool(self.response_month and m >= self.response_month),
                "spc": by.get(m),
            }
            for m, c in zip(self.months, self.counts, strict=True)
        ]


def held_months() -> list[dt.date]:
    return months_with_counts()


def source_gaps(problem: Problem, months: list[dt.date]) -> list[str]:
    """Months held whose count of the problem's categories in the whole partnership area is
    0 although its other months average 10 or more: a gap in the source (decision 0251).

    Judged over the partnership's area, not the problem's small place: a place can truly
    have no incidents in a month; a whole area with none where hundreds are usual cannot.
    """
    held = set(held_months())
    present = [m for m in months if m in held]
    if not present:
        return []
    level = problem.area.level if problem.area.level in ("csp", "lad", "force") else "lad"
    qs = MonthlyCount.objects.filter(level=level, area_code=problem.area.code, month__in=present)
    categories = places.category_ids(problem)
    if categories is not None:
        qs = qs.filter(category_id__in=categories)
    totals = dict(qs.values("month").annotate(total=Sum("count")).values_list("month", "total"))
    return gap_months([month_label(m) for m in present], [int(totals.get(m, 0)) for m in present])


def problem_series(problem: Problem, *, months_before: int = 12) -> MonthlySeries:
    """The problem's monthly counts from ``months_before`` months before its response began
    (or the last 24 months held, with no response yet) to the last month held."""
    held = held_months()
    if not held:
        return MonthlySeries([], [], [], [])
    last = held[-1]
    if problem.response_started_on:
        start_month = problem.response_started_on.replace(day=1)
        for _ in range(months_before):
            start_month = (start_month - dt.timedelta(days=1)).replace(day=1)
    else:
        start_month = held[max(0, len(held) - 24)]
    if start_month > last:  # a response begun after the last month held
        start_month = held[max(0, len(held) - 24)]
    start_month = max(start_month, held[0])
    months = months_between(start_month, last)
    place = places.resolve(problem, shape=False)  # a point or polygon keeps its shape
    frame = places.place_incidents(place, places.category_ids(problem), months[0], last)
    counts = counts_by_month(frame, months)
    labels = [month_label(m) for m in months]
    held_set = set(held)
    missing = [month_label(m) for m in months if m not in held_set]
    gaps = source_gaps(problem, months)
    bad = set(missing) | set(gaps)
    values: list[int | None] = [None if lab in bad else c for lab, c in zip(labels, counts)]
    spc_rows: list[dict[str, Any]] = []
    spc_method = ""
    kept = [(lab, c) for lab, c in zip(labels, values, strict=True) if c is not None]
    if len(kept) >= 3:
        chart = spc_chart([c for _, c in kept], [lab for lab, _ in kept], chart="c")
        spc_method = f"{chart.attrs.get('method', '')}; rules: {chart.attrs.get('rules', '')}"
        spc_rows = [{str(k): v for k, v in r.items()} for r in chart.to_dict("records")]
    response = month_label(problem.response_started_on) if problem.response_started_on else None
    return MonthlySeries(labels, values, missing, gaps, response, spc_rows, spc_method)


@dataclass(frozen=True)
class ChangeSinceResponse:
    before: int
    after: int
    months_before: int
    months_after: int
    percent_change: float
    p_value: float
    significant: bool
    interpretation: str
    method: str


def change_since_response(series: MonthlySeries) -> ChangeSinceResponse | None:
    """Months since the response began against the same number of months before it."""
    if not series.response_month:
        return None
    after = [c for m, c in zip(series.months, series.counts) if m >= series.response_month]
    before = [c for m, c in zip(series.months, series.counts) if m < series.response_month]
    after_held = [c for c in after if c is not None]
    before_held = [c for c in before if c is not None][-max(1, len(after)) :]
    if not after_held or not before_held:
        return None
    result = compare_counts(
        sum(before_held), sum(after_held), len(before_held), len(after_held), method="exact"
    )
    return ChangeSinceResponse(
        sum(before_held),
        sum(after_held),
        len(before_held),
        len(after_held),
        result.percent_change,
        result.p_value,
        result.significant,
        result.interpretation,
        result.method + "; exposure = months held in each period",
    )


@dataclass(frozen=True)
class BeforeAfter:
    treated_before: int
    treated_after: int
    control_before: int
    control_after: int
    buffer_before: int
    buffer_after: int
    months_before: list[str]
    months_after: list[str]
    gaps: list[str]
    wdd: WddResult


def before_after(
    problem: Problem,
    *,
    comparison: Area,
    buffer_m: int,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
) -> BeforeAfter:
    """Counts before and after for the place, its buffer and the comparison area, and the
    weighted displacement difference and quotient (Wheeler and Ratcliffe 2018; Bowers and
    Johnson 2003). Months missing from the source or gaps in any of the three are left
    out of both periods' totals and listed."""
    place = places.resolve(problem)
    cats = places.category_ids(problem)
    start, end = before[0].replace(day=1), after[1].replace(day=1)
    frames = {
        "treated": places.place_incidents(place, cats, start, end),
        "control": places.area_incidents(comparison, cats, start, end),
        "buffer": places.buffer_incidents(place, buffer_m, cats, start, end),
    }
    months = months_between(start, end)
    held = set(held_months())
    labels = [month_label(m) for m in months]
    counts = {k: counts_by_month(f, months) for k, f in frames.items()}
    bad = {month_label(m) for m in months if m not in held}
    bad |= set(source_gaps(problem, months))
    b_months = [lab for m, lab in zip(months, labels) if before[0] <= m <= before[1]]
    a_months = [lab for m, lab in zip(months, labels) if after[0] <= m <= after[1]]

    def total(key: str, wanted: list[str]) -> int:
        return sum(c for lab, c in zip(labels, counts[key]) if lab in wanted and lab not in bad)

    t0, t1 = total("treated", b_months), total("treated", a_months)
    c0, c1 = total("control", b_months), total("control", a_months)
    d0, d1 = total("buffer", b_months), total("buffer", a_months)
    result = weighted_displacement_difference(t0, t1, c0, c1, d0, d1)
    return BeforeAfter(
        t0,
        t1,
        c0,
        c1,
        d0,
        d1,
        [m for m in b_months if m not in bad],
        [m for m in a_months if m not in bad],
        sorted(bad & (set(b_months) | set(a_months))),
        result,
    )
