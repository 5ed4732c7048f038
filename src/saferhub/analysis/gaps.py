"""Gap months: a month with no records of a kind the source normally has is a gap, not a 0.

The one rule for the whole system (docs/decisions/0251 and 0210). A force's police.uk
file for a month may, for example, have no anti-social behaviour rows at all although
every other month has a thousand or more: counted as a zero, that month would read as a
sudden fall. Every page, export and statistic that uses monthly counts of incident data
asks this module which months are gaps, and then

- compares periods per month of data (the gap months are not exposure),
- leaves gap months out of control charts (SPC) and rolling forecasts,
- names the gap wherever a figure it touches is shown.

Pure: lists and DataFrames in, lists and dicts out; no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import pandas as pd

__all__ = ["GAP_MEAN", "category_gaps", "gap_months", "gap_text", "months_of_data"]

#: A month with no records of a kind that averages at least this many a month in the
#: other months is taken as a gap in the source, not a true zero: a Poisson count with
#: mean 10 is 0 with probability e^-10 (about 1 in 22,000). Small counts keep their
#: zeros: a zero among single figures can be true.
GAP_MEAN = 10.0


def gap_months(
    months: Sequence[str], counts: Sequence[float], *, min_mean: float = GAP_MEAN
) -> list[str]:
    r"""Months whose count is 0 although the other months with records average ``min_mean``+.

    For month :math:`i` with :math:`n_i = 0`, let :math:`\bar n_{-i}` be the mean of
    the other non-zero months; the month is a gap when :math:`\bar n_{-i} \ge`
    ``min_mean``. A Poisson count with mean :math:`\mu` is 0 with probability
    :math:`e^{-\mu}`, so at the default :math:`\mu = 10` a true zero has odds of
    about 1 in 22,000.

    Parameters
    ----------
    months : sequence of str
        Month labels ("YYYY-MM"), one per count; only months the source covers (a
        month with no file at all is *missing*, which is another matter).
    counts : sequence of numbers
        The count of the kind (a category, or a sum of categories) in each month.
    min_mean : float, default :data:`GAP_MEAN`

    Returns
    -------
    list of str
        The gap months, in the order given.
    """
    if len(months) != len(counts):
        raise ValueError("months and counts must have the same length")
    gaps = []
    values = [float(c) for c in counts]
    for i, (month, count) in enumerate(zip(months, values, strict=True)):
        if count:
            continue
        others = [c for j, c in enumerate(values) if j != i and c]
        if others and sum(others) / len(others) >= min_mean:
            gaps.append(str(month))
    return gaps


def category_gaps(
    frame: pd.DataFrame,
    months: Iterable[str],
    *,
    month_col: str = "month",
    category_col: str = "category",
    count_col: str | None = None,
    min_mean: float = GAP_MEAN,
) -> dict[str, list[str]]:
    """The gap months of each category over ``months`` (:func:`gap_months` per category).

    Parameters
    ----------
    frame : DataFrame
        Either one row per record (``count_col=None``) or counts per category and month
        (``count_col`` names the count). Months outside ``months`` are ignored.
    months : iterable of str
        The months the source covers (files held); a category with no row in one of
        them has 0 there.

    Returns
    -------
    dict
        Category -> its gap months (sorted); categories with no gap are left out.
    """
    wanted = sorted({str(m) for m in months})
    if not wanted or frame.empty:
        return {}
    rows = frame[frame[month_col].astype(str).isin(wanted)]
    if count_col is None:
        counts = rows.groupby([category_col, month_col]).size()
    else:
        counts = rows.groupby([category_col, month_col])[count_col].sum()
    out: dict[str, list[str]] = {}
    by_key: dict[tuple[str, str], float] = {}
    for key, n in counts.items():
        category, month = cast(tuple[Any, Any], key)
        by_key[(str(category), str(month))] = float(n)
    for category in sorted({str(c) for c in rows[category_col].unique()}):
        values = [by_key.get((category, m), 0.0) for m in wanted]
        gaps = gap_months(wanted, values, min_mean=min_mean)
        if gaps:
            out[category] = gaps
    return out


def months_of_data(months: Iterable[str], gaps: Iterable[str]) -> list[str]:
    """The months that count as data: ``months`` without the gap months."""
    left_out = set(gaps)
    return [m for m in months if m not in left_out]


def gap_text(gaps_by_category: dict[str, list[str]]) -> str:
    """One sentence naming each category's gap months ("" when there is none)."""
    if not gaps_by_category:
        return ""
    parts = [f"{category} {', '.join(months)}" for category, months in gaps_by_category.items()]
    return (
        "Gap in the source (no records where the source normally has them, so not a zero): "
        + "; ".join(parts)
        + "."
    )
