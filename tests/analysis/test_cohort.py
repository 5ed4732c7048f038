"""IOM cohort offending before and after adoption, against an independent computation."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from scipy import stats

from saferhub.analysis.cohort import REGRESSION_TO_THE_MEAN, offending_before_after


def _independent(adoptions, offences, as_of, window):
    """Plain loops with dateutil and scipy's binomial test (no SaferHub code)."""
    before = after = 0
    days_b = days_a = 0
    for row in adoptions.itertuples():
        a = row.adopted
        start = a - relativedelta(months=window)
        stop = min(a + relativedelta(months=window), as_of + dt.timedelta(days=1))
        if row.ended is not None and not pd.isna(row.ended):
            stop = min(stop, row.ended)
        stop = max(stop, a)
        days_b += (a - start).days
        days_a += (stop - a).days
        for o in offences.itertuples():
            if o.person != row.person:
                continue
            if start <= o.date < a:
                before += 1
            elif a <= o.date < stop:
                after += 1
    tb, ta = days_b / (365.25 / 12), days_a / (365.25 / 12)
    p = stats.binomtest(after, before + after, ta / (ta + tb)).pvalue
    return before, after, tb, ta, p


@pytest.fixture
def cohort():
    rng = np.random.default_rng(7)
    people = [f"P{i}" for i in range(40)]
    adopted = [dt.date(2023, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 500, 40)]
    ended = [
        (a + dt.timedelta(days=int(rng.integers(30, 300)))) if i % 4 == 0 else None
        for i, a in enumerate(adopted)
    ]
    adoptions = pd.DataFrame({"person": people, "adopted": adopted, "ended": ended})
    rows = []
    for person, a in zip(people, adopted, strict=True):
        for _ in range(int(rng.integers(2, 12))):
            rows.append((person, a - dt.timedelta(days=int(rng.integers(1, 365)))))
        for _ in range(int(rng.integers(0, 6))):
            rows.append((person, a + dt.timedelta(days=int(rng.integers(0, 365)))))
    offences = pd.DataFrame(rows, columns=["person", "date"])
    return adoptions, offences


def test_equals_an_independent_computation(cohort):
    adoptions, offences = cohort
    as_of = dt.date(2024, 12, 31)
    result = offending_before_after(adoptions, offences, as_of=as_of, window_months=12)
    before, after, tb, ta, p = _independent(adoptions, offences, as_of, 12)
    assert (result.offences_before, result.offences_after) == (before, after)
    assert result.person_months_before == pytest.approx(tb, rel=1e-12)
    assert result.person_months_after == pytest.approx(ta, rel=1e-12)
    assert result.rate_before == pytest.approx(before / tb)
    assert result.change is not None
    assert result.change.p_value == pytest.approx(p, rel=1e-9)
    assert result.people == 40
    assert result.caveat == REGRESSION_TO_THE_MEAN
    assert "regression to the mean" in result.caveat


def test_windows_on_their_edges():
    adoptions = pd.DataFrame({"person": ["A"], "adopted": [dt.date(2024, 3, 31)], "ended": [None]})
    offences = pd.DataFrame(
        {
            "person": ["A", "A", "A", "A", "B"],
            "date": [
                dt.date(2023, 3, 31),  # first day of the before window: counts
                dt.date(2023, 3, 30),  # a day earlier: outside
                dt.date(2024, 3, 31),  # adoption day: after
                dt.date(2024, 6, 30),  # after the data ends: outside
                dt.date(2024, 1, 1),  # someone else
            ],
        }
    )
    result = offending_before_after(adoptions, offences, as_of=dt.date(2024, 6, 29))
    assert (result.offences_before, result.offences_after) == (1, 1)
    assert result.person_months_before == pytest.approx(366 / (365.25 / 12))
    assert result.person_months_after == pytest.approx(91 / (365.25 / 12))


def test_de_selection_cuts_the_after_window_and_no_exposure_is_said():
    adoptions = pd.DataFrame(
        {"person": ["A"], "adopted": [dt.date(2024, 1, 10)], "ended": [dt.date(2024, 1, 10)]}
    )
    offences = pd.DataFrame({"person": ["A"], "date": [dt.date(2024, 1, 10)]})
    result = offending_before_after(adoptions, offences, as_of=dt.date(2024, 12, 31))
    assert result.offences_after == 0
    assert result.person_months_after == 0
    assert math.isnan(result.rate_after)
    assert result.change is None


def test_people_adopted_after_the_data_are_left_out():
    adoptions = pd.DataFrame(
        {
            "person": ["A", "B"],
            "adopted": [dt.date(2024, 1, 1), dt.date(2025, 1, 1)],
            "ended": [None, None],
        }
    )
    offences = pd.DataFrame({"person": ["B"], "date": [dt.date(2024, 6, 1)]})
    result = offending_before_after(adoptions, offences, as_of=dt.date(2024, 12, 31))
    assert result.people == 1
    assert result.offences_before == 0


def test_window_must_be_positive():
    empty = pd.DataFrame({"person": [], "adopted": [], "ended": []})
    with pytest.raises(ValueError, match="window_months"):
        offending_before_after(
            empty,
            pd.DataFrame({"person": [], "date": []}),
            as_of=dt.date(2024, 1, 1),
            window_months=0,
        )
