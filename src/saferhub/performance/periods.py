"""Reporting periods as the partnership writes them, and their months.

A period is written as a calendar year (``2024``), a financial year
(``2024/25``, April to March), a calendar quarter (``2024-Q1``) or a month
(``2024-01``). Every period is a run of whole months; months are
``pandas.Period`` values so they compare and subtract.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from saferhub.core.periods import (
    PERIOD_HELP,
    PeriodError,
    format_financial_year,
    format_quarter,
    month_range,
    parse_period_text,
)

__all__ = [
    "PERIOD_HELP",
    "PeriodError",
    "ReportingPeriod",
    "parse_period",
    "period_ending",
    "steps_between",
]


@dataclass(frozen=True)
class ReportingPeriod:
    label: str
    kind: str  # "year", "financial_year", "quarter", "month"
    start: pd.Period  # first month
    end: pd.Period  # last month (inclusive)

    @property
    def months(self) -> int:
        return int((self.end - self.start).n) + 1

    @property
    def year(self) -> int:
        """The calendar year the period mostly lies in (for population figures)."""
        middle = self.start + (self.months - 1) // 2
        return int(middle.year)

    @property
    def end_date(self) -> str:
        return str(self.end.end_time.date())

    def month_labels(self) -> list[str]:
        return month_range(str(self.start), str(self.end))


def parse_period(text: str) -> ReportingPeriod:
    """The period ``text`` names; :class:`PeriodError` with the reason when it cannot exist."""
    kind, label, first, last = parse_period_text(text)
    return ReportingPeriod(label, kind, pd.Period(first, "M"), pd.Period(last, "M"))


def period_ending(end: pd.Period, kind: str) -> ReportingPeriod:
    """The period of ``kind`` that ends with the month ``end``."""
    if kind == "year":
        return parse_period(str(end.year))
    if kind == "financial_year":
        return parse_period(format_financial_year(end.year - 1))
    if kind == "quarter":
        return parse_period(format_quarter(end.start_time.date()))
    return parse_period(str(end))


def steps_between(baseline: ReportingPeriod, target: ReportingPeriod, step_months: int) -> int:
    """How many whole steps of ``step_months`` lead from the baseline's end to the target's end."""
    months = int((target.end - baseline.end).n)
    if months <= 0:
        raise PeriodError(
            f"The target period ({target.label}) must end after the baseline period "
            f"({baseline.label})."
        )
    if months % step_months:
        what = "years" if step_months == 12 else "quarters"
        raise PeriodError(
            f"The target period ({target.label}) must end a whole number of {what} after "
            f"the baseline period ({baseline.label}) to set milestones."
        )
    return months // step_months
