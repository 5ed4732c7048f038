"""The one place months, quarters and financial years are read and written."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhub.core.periods import (
    PeriodError,
    financial_year_of,
    format_financial_year,
    format_month,
    format_quarter,
    month_bounds,
    month_label,
    month_or_none,
    month_range,
    parse_financial_year,
    parse_month,
    parse_period_text,
    parse_quarter,
    shift_month,
)


def test_months_parse_format_and_shift() -> None:
    assert parse_month("2024-06") == dt.date(2024, 6, 1)
    assert format_month(dt.date(2024, 6, 30)) == "2024-06"
    assert month_label("2024-06") == "June 2024"
    assert shift_month("2024-01", -1) == "2023-12"
    assert shift_month("2023-12", 13) == "2025-01"
    for bad in ("2024-13", "2024-00", "24-06", "2024-6", "1899-01", "June 2024", ""):
        assert month_or_none(bad) is None, bad
        with pytest.raises(PeriodError, match="YYYY-MM"):
            parse_month(bad)


def test_month_range_is_every_month_both_ends_included() -> None:
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert month_range("2024-06", "2024-06") == ["2024-06"]
    assert len(month_range("2023-01", "2024-12")) == 24
    with pytest.raises(PeriodError, match="after"):
        month_range("2024-02", "2024-01")
    assert month_bounds([dt.date(2024, 3, 1), dt.date(2023, 1, 1)]) == (
        dt.date(2023, 1, 1),
        dt.date(2024, 3, 1),
    )
    assert month_bounds([]) == (None, None)


def test_quarters_and_financial_years() -> None:
    assert parse_quarter("2024-Q1") == ("2024-01", "2024-03")
    assert parse_quarter("2024-q4") == ("2024-10", "2024-12")
    assert format_quarter(dt.date(2024, 8, 15)) == "2024-Q3"
    with pytest.raises(PeriodError, match="Q1 to Q4"):
        parse_quarter("2024-Q5")
    assert parse_financial_year("2024/25") == ("2024-04", "2025-03")
    assert parse_financial_year("1999/00") == ("1999-04", "2000-03")
    assert format_financial_year(2024) == "2024/25"
    assert financial_year_of(dt.date(2025, 3, 31)) == "2024/25"
    assert financial_year_of(dt.date(2025, 4, 1)) == "2025/26"
    with pytest.raises(PeriodError, match="write it as 2024/25"):
        parse_financial_year("2024/26")


def test_any_period_names_its_kind_and_months() -> None:
    assert parse_period_text("2024") == ("year", "2024", "2024-01", "2024-12")
    assert parse_period_text(" 2024/25 ") == ("financial_year", "2024/25", "2024-04", "2025-03")
    assert parse_period_text("2024-q2") == ("quarter", "2024-Q2", "2024-04", "2024-06")
    assert parse_period_text("2024-02") == ("month", "2024-02", "2024-02", "2024-02")
    with pytest.raises(PeriodError, match="months run from 01 to 12"):
        parse_period_text("2024-13")
    with pytest.raises(PeriodError, match="between 1990 and 2100"):
        parse_period_text("2204")
    with pytest.raises(PeriodError, match="Enter a period"):
        parse_period_text("  ")
