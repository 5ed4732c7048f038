"""A cohort's offending before and after adoption (Integrated Offender Management).

The measure IOM schemes report: offences per person-month in a fixed window before each
person's adoption onto the cohort, against the same window after it (cut short by
de-selection or by the end of the data), compared with the exact conditional test for
two Poisson rates (:func:`saferhub.analysis.change.compare_counts`).

**Regression to the mean.** People are adopted *because* their recent offending is high;
some of that height is chance, and would fall without any intervention. A fall after
adoption is therefore expected even if the scheme did nothing, and this comparison alone
cannot say the scheme caused it. Every result carries that caveat in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from saferhub.analysis.change import ChangeResult, compare_counts

__all__ = ["REGRESSION_TO_THE_MEAN", "CohortOffending", "offending_before_after"]

DAYS_PER_MONTH = 365.25 / 12
REGRESSION_TO_THE_MEAN = (
    "People are adopted onto the cohort because their recent offending is high. Part of that "
    "is chance and would fall back without any intervention (regression to the mean), so a "
    "fall after adoption does not by itself show that the scheme caused it."
)


@dataclass(frozen=True)
class CohortOffending:
    """Offences per person-month before and after adoption, with the test of the change.

    Attributes
    ----------
    people : int
        Members counted (adopted on or before ``as_of``).
    offences_before, offences_after : int
        Offences in the windows before and after adoption, summed over members.
    person_months_before, person_months_after : float
        Exposure: days in each member's windows over 365.25/12, summed.
    rate_before, rate_after : float
        Offences per person-month; NaN where the exposure is 0.
    change : ChangeResult or None
        The exact conditional test of the two rates (None without exposure on both sides).
    window_months : int
        Length of the windows, in months.
    method, caveat : str
        The method in words and the regression-to-the-mean caveat.
    """

    people: int
    offences_before: int
    offences_after: int
    person_months_before: float
    person_months_after: float
    rate_before: float
    rate_after: float
    change: ChangeResult | None
    window_months: int
    method: str
    caveat: str = REGRESSION_TO_THE_MEAN


def _months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    stamp = pd.Timestamp(day) - pd.DateOffset(months=months)
    return stamp.date()


def _months_on(day: dt.date, months: int) -> dt.date:
    stamp = pd.Timestamp(day) + pd.DateOffset(months=months)
    return stamp.date()


def offending_before_after(
    adoptions: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    as_of: dt.date,
    window_months: int = 12,
    alpha: float = 0.05,
) -> CohortOffending:
    r"""Offending per person-month in the ``window_months`` before and after adoption.

    For member :math:`i` adopted on day :math:`A_i` and de-selected on :math:`D_i`
    (or still adopted), the *before* window is :math:`[A_i - w, A_i)` and the *after*
    window :math:`[A_i, \min(A_i + w, D_i, \text{as\_of} + 1))`, with :math:`w` calendar
    months. An offence on the adoption day counts after. Exposure is each window's days
    over 365.25/12; the rates are :math:`\sum x / \sum t` and are compared with the exact
    conditional binomial test for two Poisson counts (Przyborowski and Wilenski 1940).

    Parameters
    ----------
    adoptions : DataFrame
        Columns ``person`` (any hashable id), ``adopted`` (date) and ``ended`` (date or
        missing). One row per adoption; a person adopted twice counts twice.
    offences : DataFrame
        Columns ``person`` and ``date``: one row per offence recorded against a person.
    as_of : date
        The last day of the data: after-windows stop here.
    window_months : int, default 12
        Window length either side of adoption.
    alpha : float, default 0.05
        Significance level of the test.
    """
    if window_months < 1:
        raise ValueError("window_months must be at least 1")
    members = adoptions[pd.to_datetime(adoptions["adopted"]).dt.date <= as_of]
    by_person: dict[object, list[dt.date]] = {}
    for person, day in zip(offences["person"], pd.to_datetime(offences["date"]).dt.date):
        by_person.setdefault(person, []).append(day)
    before = after = 0
    days_before = days_after = 0
    last_day = as_of + dt.timedelta(days=1)
    for person, adopted_raw, ended_raw in zip(
        members["person"], members["adopted"], members["ended"], strict=True
    ):
        adopted = pd.Timestamp(adopted_raw).date()
        start = _months_back(adopted, window_months)
        stop = min(_months_on(adopted, window_months), last_day)
        if ended_raw is not None and not pd.isna(ended_raw):
            stop = min(stop, pd.Timestamp(ended_raw).date())
        stop = max(stop, adopted)
        days_before += (adopted - start).days
        days_after += (stop - adopted).days
        for day in by_person.get(person, ()):
            if start <= day < adopted:
                before += 1
            elif adopted <= day < stop:
                after += 1
    pm_before = days_before / DAYS_PER_MONTH
    pm_after = days_after / DAYS_PER_MONTH
    change = (
        compare_counts(before, after, pm_before, pm_after, alpha=alpha)
        if pm_before > 0 and pm_after > 0
        else None
    )
    return CohortOffending(
        people=len(members),
        offences_before=before,
        offences_after=after,
        person_months_before=pm_before,
        person_months_after=pm_after,
        rate_before=before / pm_before if pm_before else float("nan"),
        rate_after=after / pm_after if pm_after else float("nan"),
        change=change,
        window_months=window_months,
        method=(
            f"Offences per person-month in the {window_months} months before adoption against "
            "the same window after it (cut short by de-selection or the end of the data), "
            "compared with the exact conditional binomial test for two Poisson rates."
        ),
    )
