"""Months, quarters and financial years as the partnership writes them: one place.

* a month is ``YYYY-MM`` (``2024-06``);
* a calendar quarter is ``YYYY-Qn`` (``2024-Q1``, January to March);
* a financial year is ``YYYY/YY`` (``2024/25``, April 2024 to March 2025).

Years run from 1990 to 2100 (nothing SaferHub holds is older, and a four-digit typo such
as ``2204`` is refused rather than accepted). ``month_range`` has one meaning everywhere:
every month from ``first`` to ``last``, both included, as ``YYYY-MM`` strings.
Bad text raises :class:`PeriodError` (a ``ValueError``) whose message says how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"
QUARTER_PATTERN = r"\d{4}-[Qq][1-4]"
FINANCIAL_YEAR_PATTERN = r"\d{4}/\d{2}"

MONTH_RE = re.compile(rf"^{MONTH_PATTERN}$")
_MONTH_PARTS = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_PARTS = re.compile(r"^(\d{4})-Q(\d+)$", re.IGNORECASE)
_FINANCIAL_PARTS = re.compile(r"^(\d{4})/(\d{2})$")
_YEAR_PARTS = re.compile(r"^(\d{4})$")

FIRST_YEAR, LAST_YEAR = 1990, 2100


class PeriodError(ValueError):
    """A month, quarter or financial year that cannot exist, with the reason."""


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


# --------------------------------------------------------------------------- months


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` -> the first day of that month; :class:`PeriodError` otherwise."""
    value = month_or_none(str(text))
    if value is None:
        raise PeriodError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2024-06.")
    return value


_MONTH_CACHE: dict[str, dt.date | None] = {}


def month_or_none(text: str) -> dt.date | None:
    """``YYYY-MM`` -> the first day of that month; None when it is not a real month.

    For readers of large files, which report a bad month as a row problem rather than
    raise: the answers for up to 10,000 distinct texts are remembered.
    """
    try:
        return _MONTH_CACHE[text]
    except KeyError:
        pass
    value: dt.date | None = None
    m = _MONTH_PARTS.match(text.strip())
    if m and 1 <= int(m.group(2)) <= 12 and year_in_range(int(m.group(1))):
        value = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if len(_MONTH_CACHE) < 10000:
        _MONTH_CACHE[text] = value
    return value


def is_month(text: str) -> bool:
    return month_or_none(str(text)) is not None


def format_month(value: dt.date) -> str:
    """A date -> its month, ``YYYY-MM``."""
    return f"{value:%Y-%m}"


def month_label(month: str) -> str:
    """``2024-06`` -> ``June 2024``."""
    return f"{parse_month(month):%B %Y}"


def shift_month(month: str, by: int) -> str:
    """The month ``by`` months after ``month`` (before it when ``by`` is negative)."""
    start = parse_month(month)
    index = start.year * 12 + (start.month - 1) + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included, as ``YYYY-MM``.

    :class:`PeriodError` when either is not a month or ``first`` is after ``last``.
    """
    start, end = parse_month(first), parse_month(last)
    if start > end:
        raise PeriodError(f"{first} is after {last}: the first month must come first.")
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [shift_month(format_month(start), i) for i in range(count)]


def month_bounds(months: Iterable[dt.date]) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and the latest of ``months`` (None, None when there are none)."""
    values = list(months)
    return (min(values), max(values)) if values else (None, None)


# --------------------------------------------------------------------------- quarters


def parse_quarter(text: str) -> tuple[str, str]:
    """``2024-Q1`` -> its first and last month, (``2024-01``, ``2024-03``)."""
    m = _QUARTER_PARTS.match((text or "").strip())
    if not m:
        raise PeriodError(f"{text!r} is not a quarter: write it as YYYY-Qn, e.g. 2024-Q1.")
    year, quarter = int(m.group(1)), int(m.group(2))
    _check_year(text, year)
    if not 1 <= quarter <= 4:
        raise PeriodError(f"“{text.strip()}” is not a period: quarters run from Q1 to Q4.")
    first = f"{year:04d}-{3 * quarter - 2:02d}"
    return first, shift_month(first, 2)


def format_quarter(value: dt.date) -> str:
    """The calendar quarter ``value`` falls in, ``YYYY-Qn``."""
    return f"{value.year}-Q{(value.month - 1) // 3 + 1}"


# --------------------------------------------------------------------------- financial years


def parse_financial_year(text: str) -> tuple[str, str]:
    """``2024/25`` -> its first and last month, (``2024-04``, ``2025-03``)."""
    m = _FINANCIAL_PARTS.match((text or "").strip())
    if not m:
        raise PeriodError(f"{text!r} is not a financial year: write it as YYYY/YY, e.g. 2024/25.")
    year, second = int(m.group(1)), int(m.group(2))
    _check_year(text, year)
    if second != (year + 1) % 100:
        raise PeriodError(
            f"“{text.strip()}” is not a financial year: a financial year runs April to "
            f"March, so write it as {format_financial_year(year)}."
        )
    return f"{year:04d}-04", f"{year + 1:04d}-03"


def format_financial_year(start_year: int) -> str:
    """The financial year that starts in April of ``start_year``: ``2024`` -> ``2024/25``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_of(value: dt.date) -> str:
    """The financial year (April to March) ``value`` falls in."""
    return format_financial_year(value.year if value.month >= 4 else value.year - 1)


# --------------------------------------------------------------------------- years


def parse_year(text: str) -> tuple[str, str]:
    """``2024`` -> its first and last month, (``2024-01``, ``2024-12``)."""
    m = _YEAR_PARTS.match((text or "").strip())
    if not m:
        raise PeriodError(f"{text!r} is not a year: write it as YYYY, e.g. 2024.")
    year = int(m.group(1))
    _check_year(text, year)
    return f"{year:04d}-01", f"{year:04d}-12"


# --------------------------------------------------------------------------- any period

PERIOD_HELP = (
    "Write a period as a year (2024), a financial year (2024/25), "
    "a quarter (2024-Q1) or a month (2024-01)."
)


def parse_period_text(text: str) -> tuple[str, str, str, str]:
    """Any period -> (kind, label, first month, last month).

    ``kind`` is ``year``, ``financial_year``, ``quarter`` or ``month``; ``label`` is the
    text as the partnership writes it (a quarter's ``q`` made upper case).
    """
    label = (text or "").strip()
    if not label:
        raise PeriodError(f"Enter a period. {PERIOD_HELP}")
    if _YEAR_PARTS.match(label):
        return ("year", label, *parse_year(label))
    if _FINANCIAL_PARTS.match(label):
        return ("financial_year", label, *parse_financial_year(label))
    if m := _QUARTER_PARTS.match(label):
        first, last = parse_quarter(label)
        return ("quarter", f"{int(m.group(1))}-Q{int(m.group(2))}", first, last)
    if m := _MONTH_PARTS.match(label):
        _check_year(label, int(m.group(1)))
        if not 1 <= int(m.group(2)) <= 12:
            raise PeriodError(f"“{label}” is not a period: months run from 01 to 12.")
        return ("month", label, label, label)
    raise PeriodError(f"“{label}” is not a period we recognise. {PERIOD_HELP}")


def _check_year(text: str, year: int) -> None:
    if not year_in_range(year):
        raise PeriodError(
            f"“{text.strip()}” is not a period: the year must be between "
            f"{FIRST_YEAR} and {LAST_YEAR}."
        )
