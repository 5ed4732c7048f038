"""Rates and exact Poisson intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from saferhub.analysis import poisson_ci, rate_table


def test_garwood_interval_matches_published_table_values() -> None:
    # Standard exact Poisson 95% limits (e.g. PHE technical guide tables):
    # 0 -> (0, 3.689); 1 -> (0.0253, 5.572); 10 -> (4.795, 18.390).
    lower, upper = poisson_ci([0, 1, 10])
    np.testing.assert_allclose(lower, [0.0, 0.025318, 4.795389], atol=1e-5)
    np.testing.assert_allclose(upper, [3.688879, 5.571643, 18.390356], atol=1e-5)


@given(st.integers(min_value=1, max_value=5000), st.sampled_from([0.05, 0.01, 0.1]))
def test_garwood_limits_have_exact_tail_probabilities(k: int, alpha: float) -> None:
    # The defining property: P(X >= k | mu_L) = alpha/2 and P(X <= k | mu_U) = alpha/2.
    lower, upper = poisson_ci(k, alpha)
    assert stats.poisson.sf(k - 1, lower) == pytest.approx(alpha / 2, rel=1e-7)
    assert stats.poisson.cdf(k, upper) == pytest.approx(alpha / 2, rel=1e-7)
    assert lower < k < upper


def test_poisson_ci_rejects_non_counts() -> None:
    with pytest.raises(ValueError):
        poisson_ci([-1])
    with pytest.raises(ValueError):
        poisson_ci([1.5])
    with pytest.raises(ValueError):
        poisson_ci([1], alpha=1.5)


def test_rate_table_states_denominator_and_year() -> None:
    data = pd.DataFrame({"ward": ["A", "B"], "crimes": [50, 0], "pop": [10_000, 2_000]})
    out = rate_table(
        data,
        count_col="crimes",
        denominator_col="pop",
        denominator_type="population",
        denominator_year=2021,
        area_col="ward",
    )
    assert out["rate"].tolist() == pytest.approx([5.0, 0.0])
    assert (out["denominator_type"] == "population").all()
    assert (out["denominator_year"] == "2021").all()
    assert out.attrs["denominator_year"] == "2021"
    assert "Garwood" in out.attrs["method"]
    lower, upper = poisson_ci([50, 0])
    np.testing.assert_allclose(out["rate_lower"], 1000 * lower / [10_000, 2_000], rtol=1e-12)
    np.testing.assert_allclose(out["rate_upper"], 1000 * upper / [10_000, 2_000], rtol=1e-12)
    # zero count: lower limit 0, upper 3.689 per 2,000 -> 1.844 per 1,000
    assert out.loc[1, "rate_lower"] == 0
    assert out.loc[1, "rate_upper"] == pytest.approx(1.8444, abs=1e-4)


def test_rate_table_households_per_100000() -> None:
    data = pd.DataFrame({"n": [12], "hh": [4000]})
    out = rate_table(
        data,
        count_col="n",
        denominator_col="hh",
        denominator_type="households",
        denominator_year="Census 2021",
        per=100_000,
    )
    assert out.loc[0, "rate"] == pytest.approx(300.0)
    assert "households" in out.attrs["method"]


def test_rate_table_rejects_bad_denominators() -> None:
    data = pd.DataFrame({"n": [1], "pop": [0]})
    with pytest.raises(ValueError):
        rate_table(
            data,
            count_col="n",
            denominator_col="pop",
            denominator_type="population",
            denominator_year=2021,
        )
