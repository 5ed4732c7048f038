"""Change between periods: exact tests, E-test, rate-ratio CI."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import rates as sm_rates

from saferhub.analysis import (
    compare_counts,
    e_test,
    exact_poisson_test,
    percent_change,
    rate_ratio_ci,
)

counts = st.integers(min_value=0, max_value=400)
exposures = st.sampled_from([1.0, 2.0, 3.0, 12.0, 0.5])


def brute_force_e_test(x1: int, x2: int, n1: float, n2: float, kmax: int = 150) -> float:
    """Direct transcription of Krishnamoorthy and Thomson (2004), eq. (2.4)."""

    def t(k1: int, k2: int) -> float:
        var = k1 / n1**2 + k2 / n2**2
        return 0.0 if var == 0 else (k1 / n1 - k2 / n2) / math.sqrt(var)

    lam = (x1 + x2) / (n1 + n2)
    t_obs = abs(t(x1, x2))
    pmf1 = [math.exp(-n1 * lam) * (n1 * lam) ** k / math.factorial(k) for k in range(kmax)]
    pmf2 = [math.exp(-n2 * lam) * (n2 * lam) ** k / math.factorial(k) for k in range(kmax)]
    total = 0.0
    for k1 in range(kmax):
        for k2 in range(kmax):
            if abs(t(k1, k2)) >= t_obs - 1e-12:
                total += pmf1[k1] * pmf2[k2]
    return total


def test_percent_change() -> None:
    assert percent_change(100, 112) == pytest.approx(12.0)
    assert percent_change(50, 25) == pytest.approx(-50.0)
    assert math.isnan(percent_change(0, 5))


@given(counts, counts, exposures, exposures)
def test_exact_test_is_scipy_binomial_test(b: int, a: int, tb: float, ta: float) -> None:
    p = exact_poisson_test(b, a, tb, ta)
    if a + b == 0:
        assert p == 1.0
    else:
        expected = stats.binomtest(a, a + b, ta / (ta + tb)).pvalue
        assert p == pytest.approx(expected, abs=1e-12)
    assert 0.0 <= p <= 1.0


@pytest.mark.parametrize(
    ("before", "after", "t_before", "t_after"),
    [
        (100, 130, 1, 1),
        (3, 12, 1, 1),
        (10, 20, 2, 3),
        (0, 5, 1, 1),
        (14, 36, 1, 2),
        (250, 200, 12, 12),
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_e_test_matches_statsmodels_and_brute_force(
    before: int, after: int, t_before: float, t_after: float
) -> None:
    p = e_test(before, after, t_before, t_after)
    # statsmodels' "etest-wald" is K&T's statistic with the constrained MLE.
    peer = sm_rates.test_poisson_2indep(
        after, t_after, before, t_before, method="etest-wald"
    ).pvalue
    assert p == pytest.approx(peer, abs=1e-9)
    if before + after < 60:
        assert p == pytest.approx(brute_force_e_test(after, before, t_after, t_before), abs=1e-9)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "published"),
    # Krishnamoorthy and Thomson (2004), section 6, Example 1 (p-values to 4 dp)
    [(0, 100, 3, 100, 0.0884), (2, 100, 6, 100, 0.1749)],
)
def test_e_test_reproduces_krishnamoorthy_thomson_example(
    x1: int, n1: float, x2: int, n2: float, published: float
) -> None:
    assert e_test(x1, x2, n1, n2) == pytest.approx(published, abs=5e-5)


@pytest.mark.parametrize(
    ("after", "t_after", "before", "t_before", "alternative"),
    [
        (3, 100, 20, 300, "two-sided"),
        (3, 12, 4, 20, "greater"),
        (4, 20, 3, 100, "greater"),
        (4, 20, 3, 10, "less"),
        (1, 1, 50, 15, "less"),
        (140, 1, 100, 1, "greater"),
    ],
)
def test_e_test_matches_scipy_poisson_means_test(
    after: int, t_after: float, before: int, t_before: float, alternative: str
) -> None:
    peer = stats.poisson_means_test(after, t_after, before, t_before, alternative=alternative)
    mine = e_test(before, after, t_before, t_after, alternative=alternative)  # type: ignore[arg-type]
    assert mine == pytest.approx(peer.pvalue, abs=1e-9)


@pytest.mark.parametrize(("before", "after"), [(100, 130), (20, 8), (5, 5)])
def test_exact_test_matches_statsmodels_exact_conditional(before: int, after: int) -> None:
    peer = sm_rates.test_poisson_2indep(after, 1, before, 1, method="exact-cond").pvalue
    assert exact_poisson_test(before, after) == pytest.approx(peer, abs=1e-12)


@given(counts, counts, exposures, exposures)
@settings(max_examples=60, deadline=None)
def test_p_values_in_unit_interval_and_e_test_symmetric(
    b: int, a: int, tb: float, ta: float
) -> None:
    p = e_test(b, a, tb, ta)
    assert 0.0 <= p <= 1.0
    # two-sided test: swapping the periods (with their exposures) changes nothing
    assert e_test(a, b, ta, tb) == pytest.approx(p, abs=1e-10)


def test_e_test_large_counts_bounded_and_near_normal() -> None:
    # 50,000 vs 50,600: the E-test approaches the pooled z-test
    z = (50_600 - 50_000) / math.sqrt(100_600)
    assert e_test(50_000, 50_600) == pytest.approx(2 * stats.norm.sf(z), abs=1e-3)


def test_one_sided_e_test_halves_roughly() -> None:
    two = e_test(100, 140)
    greater = e_test(100, 140, alternative="greater")
    less = e_test(100, 140, alternative="less")
    assert greater < two < 1
    assert less > 0.9
    assert greater == pytest.approx(
        sm_rates.test_poisson_2indep(
            140, 1, 100, 1, method="etest-wald", alternative="larger"
        ).pvalue,
        abs=1e-9,
    )


@given(st.integers(1, 300), st.integers(1, 300), exposures, exposures)
def test_rate_ratio_ci_has_exact_tail_probabilities(b: int, a: int, tb: float, ta: float) -> None:
    lower, upper = rate_ratio_ci(b, a, tb, ta, alpha=0.05)
    n = a + b
    ratio = (a / ta) / (b / tb)
    assert lower <= ratio <= upper
    # map the ratio limits back to binomial p and check the Clopper-Pearson tails
    p_lower = lower * ta / tb / (1 + lower * ta / tb)
    p_upper = upper * ta / tb / (1 + upper * ta / tb)
    if a > 0:
        assert stats.binom.sf(a - 1, n, p_lower) == pytest.approx(0.025, rel=1e-6)
    if a < n:
        assert stats.binom.cdf(a, n, p_upper) == pytest.approx(0.025, rel=1e-6)


def test_compare_counts_result_and_interpretation() -> None:
    up = compare_counts(100, 160)
    assert up.significant
    assert up.interpretation.startswith("significant increase")
    assert up.percent_change == pytest.approx(60.0)
    assert up.rate_ratio == pytest.approx(1.6)
    assert up.ratio_lower > 1
    flat = compare_counts(100, 112)
    assert not flat.significant
    assert flat.interpretation.startswith("no significant change")
    assert "+12.0%" in flat.interpretation
    down = compare_counts(200, 120, method="e-test")
    assert down.significant and "decrease" in down.interpretation
    assert "Krishnamoorthy" in down.method


def test_compare_counts_uses_exposure() -> None:
    # 60 in 6 months vs 120 in 12 months: same rate, no change at all
    res = compare_counts(60, 120, exposure_before=6, exposure_after=12)
    assert res.rate_ratio == pytest.approx(1.0)
    assert res.percent_change == pytest.approx(0.0)
    assert res.p_value == pytest.approx(1.0)
    assert not res.significant


def test_compare_counts_zero_counts() -> None:
    res = compare_counts(0, 0)
    assert res.p_value == 1.0 and not res.significant
    assert math.isnan(res.rate_ratio)
    res = compare_counts(0, 9)
    assert math.isinf(res.rate_ratio)
    assert math.isnan(res.percent_change)
    assert "n/a" in res.interpretation


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError):
        compare_counts(-1, 5)
    with pytest.raises(ValueError):
        compare_counts(1, 5, exposure_before=0)
    with pytest.raises(ValueError):
        compare_counts(1, 5, method="chi2")  # type: ignore[arg-type]
