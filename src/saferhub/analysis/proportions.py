r"""Survey proportions: the Wilson interval and the test of a change between two waves.

Pure arithmetic (``math`` only), so it can be checked against scipy.

* **Wilson score interval** for a proportion :math:`\hat p = x/n` (Wilson 1927):

  .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

  It behaves well near 0 % and 100 % and for small samples, where the textbook
  normal interval does not (Brown, Cai and DasGupta 2001).
* **Change between waves**: with every expected cell count of the 2 × 2 table at least 5,
  the **two-proportion z test** with the pooled proportion (Agresti 2013, section 3.1);
  otherwise **Fisher's exact test** (two-sided, summing the probabilities of the tables
  no more likely than the one observed, as R and scipy do). "No significant change" is
  an answer.
* **Weighting**: a weighted survey should pass its *effective* sample size (Kish:
  :math:`n_{\text{eff}} = (\sum w)^2 / \sum w^2`) and the weighted count scaled to it,
  rounded; the caller states that it did so.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA* 22, 209-212. Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation
for a binomial proportion. *Statistical Science* 16, 101-133. Agresti, A. (2013).
*Categorical Data Analysis*, 3rd ed. Kish, L. (1965). *Survey Sampling*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

__all__ = ["ProportionChange", "compare_proportions", "fisher_exact", "wilson_interval"]

MIN_EXPECTED = 5.0


def _check(x: int, n: int) -> None:
    if n <= 0 or x < 0 or x > n:
        raise ValueError(f"a count must be from 0 to its sample size (got {x} of {n})")


def wilson_interval(x: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for ``x`` of ``n`` (as proportions, 0 to 1)."""
    _check(x, n)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p of Fisher's exact test for the table [[a, b], [c, d]]."""
    row1, col1, total = a + b, a + c, a + b + c + d
    low, high = max(0, col1 - (total - row1)), min(row1, col1)
    denominator = _log_choose(total, col1)

    def prob(k: int) -> float:
        return math.exp(_log_choose(row1, k) + _log_choose(total - row1, col1 - k) - denominator)

    observed = prob(a)
    # Tables no more likely than the observed one (relative tolerance as in R and scipy).
    p = sum(q for k in range(low, high + 1) if (q := prob(k)) <= observed * (1 + 1e-7))
    return min(1.0, p)


@dataclass(frozen=True)
class ProportionChange:
    p1: float
    p2: float
    difference: float  # p2 - p1, in proportion points
    method: str
    statistic: float | None  # z for the z test; None for Fisher's
    p_value: float
    significant: bool
    alpha: float

    @property
    def verdict(self) -> str:
        if not self.significant:
            return "no significant change"
        return "significant increase" if self.difference > 0 else "significant decrease"


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, *, alpha: float = 0.05
) -> ProportionChange:
    """Test the change from ``x1/n1`` (first wave) to ``x2/n2`` (second wave)."""
    _check(x1, n1)
    _check(x2, n2)
    pooled = (x1 + x2) / (n1 + n2)
    expected = [n * pooled for n in (n1, n2)] + [n * (1 - pooled) for n in (n1, n2)]
    p1, p2 = x1 / n1, x2 / n2
    if min(expected) >= MIN_EXPECTED:
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (p2 - p1) / se
        p_value = 2 * NormalDist().cdf(-abs(z))
        method, statistic = "two-proportion z test (pooled)", z
    else:
        p_value = fisher_exact(x1, n1 - x1, x2, n2 - x2)
        method, statistic = "Fisher's exact test (an expected count below 5)", None
    return ProportionChange(
        p1=p1,
        p2=p2,
        difference=p2 - p1,
        method=method,
        statistic=statistic,
        p_value=p_value,
        significant=p_value < alpha,
        alpha=alpha,
    )
