"""Wilson intervals and the change test between survey waves, checked against scipy."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from saferhub.analysis.proportions import compare_proportions, fisher_exact, wilson_interval


@pytest.mark.parametrize(("x", "n"), [(814, 1085), (0, 20), (20, 20), (3, 399), (200, 399)])
def test_wilson_interval_equals_scipy(x: int, n: int) -> None:
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(x, n) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_large_samples_use_the_z_test_equal_to_scipy() -> None:
    # 75% of 1,085 residents, then 71% of 1,100.
    x1, n1, x2, n2 = 814, 1085, 781, 1100
    result = compare_proportions(x1, n1, x2, n2)
    assert result.method.startswith("two-proportion z test")
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert result.statistic == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    # Against scipy's chi-squared test without continuity correction (z squared).
    chi2, p, _, _ = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
    assert result.statistic**2 == pytest.approx(chi2, rel=1e-9)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.significant and result.verdict == "significant decrease"


@pytest.mark.parametrize(
    "table", [(1, 9, 6, 4), (0, 12, 4, 8), (3, 2, 1, 20), (2, 18, 2, 18), (5, 0, 0, 5)]
)
def test_fisher_exact_equals_scipy(table: tuple[int, int, int, int]) -> None:
    a, b, c, d = table
    _, p = stats.fisher_exact([[a, b], [c, d]], alternative="two-sided")
    assert fisher_exact(a, b, c, d) == pytest.approx(p, rel=1e-9)


def test_small_counts_use_fishers_exact_test() -> None:
    result = compare_proportions(1, 10, 6, 10)
    assert result.method.startswith("Fisher")
    _, p = stats.fisher_exact([[1, 9], [6, 4]])
    assert result.p_value == pytest.approx(p, rel=1e-9)
    same = compare_proportions(2, 20, 2, 20)
    assert same.verdict == "no significant change" and same.p_value == pytest.approx(1.0)


def test_a_count_above_its_sample_is_refused() -> None:
    with pytest.raises(ValueError, match="from 0 to its sample size"):
        wilson_interval(1086, 1085)
    with pytest.raises(ValueError):
        compare_proportions(5, 4, 1, 10)
