"""Peer (family) comparison and funnel-plot limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from saferhub.analysis import funnel_limits, peer_comparison, poisson_ci, poisson_funnel_quantile

FAMILY = pd.DataFrame(
    {
        "csp": ["A", "B", "C", "D", "E"],
        "crimes": [100, 150, 80, 300, 150],
        "pop": [50_000, 60_000, 55_000, 70_000, 60_000],
    }
)


def compare(data: pd.DataFrame = FAMILY) -> pd.DataFrame:
    return peer_comparison(data, area_col="csp", count_col="crimes", population_col="pop")


def test_family_rate_is_pooled_not_mean_of_rates() -> None:
    out = compare()
    pooled = 1000 * FAMILY["crimes"].sum() / FAMILY["pop"].sum()
    assert out["family_rate"].tolist() == pytest.approx([pooled] * len(FAMILY))
    assert pooled != pytest.approx(out["rate"].mean())


def test_rates_intervals_flags_and_ranks() -> None:
    out = compare().set_index("area")
    lower, upper = poisson_ci(FAMILY["crimes"])
    np.testing.assert_allclose(out["rate_lower"], 1000 * lower / FAMILY["pop"].to_numpy())
    np.testing.assert_allclose(out["rate_upper"], 1000 * upper / FAMILY["pop"].to_numpy())
    assert out.at["D", "compared_with_family"] == "higher"
    assert out.at["C", "compared_with_family"] == "lower"
    assert out.at["B", "compared_with_family"] == "similar"
    assert not out.at["B", "excludes_family_rate"]
    # highest rate ranks 1; B and E tie at 2.5 per 1,000 and share rank 2
    assert out.at["D", "rank"] == 1
    assert out.at["B", "rank"] == out.at["E", "rank"] == 2
    assert out.at["A", "rank"] == 4 and out.at["C", "rank"] == 5


families = st.lists(
    st.tuples(st.integers(0, 2000), st.integers(1_000, 400_000)), min_size=2, max_size=12
)


@given(families, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_independent_of_row_order(rows, rnd) -> None:
    data = pd.DataFrame(rows, columns=["crimes", "pop"])
    data["csp"] = [f"area{i}" for i in range(len(data))]
    out = compare(data).set_index("area").sort_index()
    shuffled = data.sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    again = compare(shuffled).set_index("area").sort_index()
    pd.testing.assert_frame_equal(out, again)


def test_funnel_quantile_interpolation_by_hand() -> None:
    theta, p = 4.0, 0.975
    r = 0
    while stats.poisson.cdf(r, theta) < p:
        r += 1
    f_r, f_rm1 = stats.poisson.cdf(r, theta), stats.poisson.cdf(r - 1, theta)
    expected = r - (f_r - p) / (f_r - f_rm1)
    assert poisson_funnel_quantile([theta], p)[0] == pytest.approx(expected, abs=1e-12)
    assert r - 1 <= expected <= r


def test_funnel_limits_shape_and_normal_approximation() -> None:
    pops = np.array([1_000, 10_000, 100_000, 1_000_000, 10_000_000])
    rate = 0.02  # 20 per 1,000
    out = funnel_limits(pops, rate)
    for level in ("95", "99_8"):
        assert (out[f"lower_{level}"] <= 20).all() and (out[f"upper_{level}"] >= 20).all()
    # 99.8% limits are outside the 95% limits
    assert (out["upper_99_8"] >= out["upper_95"]).all()
    assert (out["lower_99_8"] <= out["lower_95"]).all()
    # the funnel narrows as the population grows
    assert np.all(np.diff(out["upper_95"] - out["lower_95"]) < 0)
    # for a large expected count the limits approach theta +/- z sqrt(theta)
    theta = 10_000_000 * rate
    z = stats.norm.ppf(0.975)
    assert out["upper_95"].iloc[-1] == pytest.approx(
        1000 * (theta + z * np.sqrt(theta)) / 1e7, rel=1e-4
    )
    assert out["lower_95"].iloc[-1] == pytest.approx(
        1000 * (theta - z * np.sqrt(theta)) / 1e7, rel=1e-4
    )


def test_peer_funnel_flags_agree_with_funnel_limits() -> None:
    out = compare()
    pooled = FAMILY["crimes"].sum() / FAMILY["pop"].sum()
    limits = funnel_limits(FAMILY["pop"], pooled)
    outside = (out["rate"] > limits["upper_99_8"]) | (out["rate"] < limits["lower_99_8"])
    assert out["outside_99_8"].tolist() == outside.tolist()
    assert out.set_index("area").at["D", "outside_99_8"]


def test_invalid_population() -> None:
    with pytest.raises(ValueError):
        funnel_limits([0, 10], 0.1)
    bad = FAMILY.assign(pop=[0, 1, 1, 1, 1])
    with pytest.raises(ValueError):
        compare(bad)
