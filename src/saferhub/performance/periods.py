"""Reporting periods as the partnership writes them, and their months.

A period is written as a calendar year (``2024``), a financial year
(``2024/25``, April to March), a calendar quarter (``2024-Q1``) or a month
(``2024-01``). Every period is a run of whole months; months are
``pandas.Period`` values so they compare and subtract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

PERIOD_HELP = (
    "Write a period as a year (2024), a financial year (2024/25), "
    "a quarter (2024-Q1) or a month (2024-01)."
)

_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d+)$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A period that cannot exist, with a message that says why."""


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
        return [str(m) for m in pd.period_range(self.start, self.end, freq="M")]


def parse_period(text: str) -> ReportingPeriod:
    """The period ``text`` names; :class:`PeriodError` with the reason when it cannot exist."""
    label = (text or "").strip()
    if not label:
        raise PeriodError(f"Enter a period. {PERIOD_HELP}")
    if m := _YEAR.match(label):
        year = int(m.group(1))
        _check_year(label, year)
        return ReportingPeriod(
            label, "year", pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-12", "M")
        )
    if m := _FINANCIAL.match(label):
        year, second = int(m.group(1)), int(m.group(2))
        _check_year(label, year)
        if second != (year + 1) % 100:
            raise PeriodError(
                f"“{label}” is not a financial year: a financial year runs April to March, "
                f"so write it as {year}/{(year + 1) % 100:02d}."
            )
        return ReportingPeriod(
            label, "financial_year", pd.Period(f"{year}-04", "M"), pd.Period(f"{year + 1}-03", "M")
        )
    if m := _QUARTER.match(label):
        year, quarter = int(m.group(1)), int(m.group(2))
        _check_year(label, year)
        if not 1 <= quarter <= 4:
            raise PeriodError(f"“{label}” is not a period: quarters run from Q1 to Q4.")
        first = pd.Period(f"{year}-{3 * quarter - 2:02d}", "M")
        return ReportingPeriod(f"{year}-Q{quarter}", "quarter", first, first + 2)
    if m := _MONTH.match(label):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(label, year)
        if not 1 <= month <= 12:
            raise PeriodError(f"“{label}” is not a period: months run from 01 to 12.")
        month_period = pd.Period(f"{year}-{month:02d}", "M")
        return ReportingPeriod(label, "month", month_period, month_period)
    raise PeriodError(f"“{label}” is not a period we recognise. {PERIOD_HELP}")


def _check_year(label: str, year: int) -> None:
    if not 1990 <= year <= 2100:
        raise PeriodError(f"“{label}” is not a period: the year must be between 1990 and 2100.")


def period_ending(end: pd.Period, kind: str) -> ReportingPeriod:
    """The period of ``kind`` that ends with the month ``end``."""
    if kind == "year":
        return parse_period(str(end.year))
    if kind == "financial_year":
        return parse_period(f"{end.year - 1}/{end.year % 100:02d}")
    if kind == "quarter":
        return parse_period(f"{end.year}-Q{(end.month - 1) // 3 + 1}")
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
