"""Change between two periods: % change, exact tests for two Poisson counts.

"No significant change" is a valid answer: every result carries the test
used, its p-value, a confidence interval for the rate ratio and a sentence a
Board can read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = [
    "ChangeResult",
    "compare_counts",
    "e_test",
    "exact_poisson_test",
    "percent_change",
    "rate_ratio_ci",
]

Alternative = Literal["two-sided", "greater", "less"]
ChangeMethod = Literal["exact", "e-test"]


@dataclass(frozen=True)
class ChangeResult:
    """Outcome of a comparison of two Poisson counts.

    Attributes
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float
        Period lengths (or populations at risk) the counts refer to.
    percent_change : float
        ``100 * (after/exposure_after - before/exposure_before) /
        (before/exposure_before)``; NaN when ``before`` is 0.
    rate_ratio, ratio_lower, ratio_upper : float
        Later rate over earlier rate and its exact interval.
    p_value : float
        P-value of ``method`` under the null of equal rates.
    significant : bool
        ``p_value < alpha``.
    alpha : float
        Significance level used.
    method : str
        Name of the test, stated for the output.
    alternative : str
        ``"two-sided"``, ``"greater"`` (later rate higher) or ``"less"``.
    interpretation : str
        Plain-language sentence, e.g. ``"no significant change"``.
    """

    before: int
    after: int
    exposure_before: float
    exposure_after: float
    percent_change: float
    rate_ratio: float
    ratio_lower: float
    ratio_upper: float
    p_value: float
    significant: bool
    alpha: float
    method: str
    alternative: str
    interpretation: str


def percent_change(before: float, after: float) -> float:
    r"""Percentage change from ``before`` to ``after``.

    .. math:: \Delta\% = 100\,(a - b) / b

    Returns NaN when ``before`` is 0 (a change from nothing has no
    percentage).

    Parameters
    ----------
    before, after : float
        Values (counts or rates) in the earlier and later period.

    Returns
    -------
    float
    """
    if before == 0:
        return math.nan
    return 100.0 * (after - before) / before


def rate_ratio_ci(
    before: int,
    after: int,
    exposure_before: float = 1.0,
    exposure_after: float = 1.0,
    alpha: float = 0.05,
) -> tuple[float, float]:
    r"""Exact confidence interval for the ratio of two Poisson rates.

    Conditional on the total :math:`n = x_b + x_a`, :math:`x_a` is binomial
    with :math:`p = \lambda_a t_a / (\lambda_a t_a + \lambda_b t_b)`, so the
    Clopper-Pearson interval :math:`[p_L, p_U]` for :math:`p` maps to the
    rate ratio :math:`R = \lambda_a/\lambda_b` by

    .. math:: R = \frac{p}{1-p}\cdot\frac{t_b}{t_a}.

    Parameters
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float, default 1
        Period lengths (or populations).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    lower, upper : float
        ``(0, inf)`` when both counts are 0; ``upper`` is ``inf`` when
        ``before`` is 0.

    References
    ----------
    Clopper, C. J. and Pearson, E. S. (1934), *Biometrika* 26, 404-413.
    Ederer, F. and Mantel, N. (1974). Confidence limits on the ratio of two
    Poisson variables. *American Journal of Epidemiology*, 100(3), 165-167.
    """
    _check_counts(before, after, exposure_before, exposure_after)
    n = before + after
    if n == 0:
        return 0.0, math.inf
    ci = stats.binomtest(after, n, 0.5).proportion_ci(1 - alpha, method="exact")
    scale = exposure_before / exposure_after
    lower = 0.0 if ci.low <= 0 else ci.low / (1 - ci.low) * scale
    upper = math.inf if ci.high >= 1 else ci.high / (1 - ci.high) * scale
    return float(lower), float(upper)


def exact_poisson_test(
    before: int,
    after: int,
    exposure_before: float = 1.0,
    exposure_after: float = 1.0,
    alternative: Alternative = "two-sided",
) -> float:
    r"""Exact conditional (binomial) test that two Poisson rates are equal.

    Under :math:`H_0: \lambda_a = \lambda_b`, conditional on
    :math:`n = x_b + x_a`,

    .. math:: x_a \sim \mathrm{Binomial}\!\left(n,\ \frac{t_a}{t_a + t_b}\right),

    and the p-value is that of the exact binomial test (two-sided: the sum of
    the probabilities of outcomes no more likely than the one observed).

    Parameters
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float, default 1
        Period lengths (or populations).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: the later rate is higher.

    Returns
    -------
    float
        P-value in [0, 1]; 1 when both counts are 0.

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in
    testing samples from Poisson series. *Biometrika*, 31, 313-323.
    """
    _check_counts(before, after, exposure_before, exposure_after)
    n = before + after
    if n == 0:
        return 1.0
    p0 = exposure_after / (exposure_before + exposure_after)
    return float(stats.binomtest(after, n, p0, alternative=alternative).pvalue)


def e_test(
    before: int,
    after: int,
    exposure_before: float = 1.0,
    exposure_after: float = 1.0,
    alternative: Alternative = "two-sided",
    tail_eps: float = 1e-14,
) -> float:
    r"""E-test of Krishnamoorthy and Thomson (2004) for two Poisson means.

    With :math:`X_a, X_b` the counts and :math:`t_a, t_b` the exposures, the
    statistic is

    .. math::

        T(X_a, X_b) = \frac{X_a/t_a - X_b/t_b}
                           {\sqrt{X_a/t_a^2 + X_b/t_b^2}}

    (0 when both counts are 0). Under :math:`H_0` the common rate is
    estimated by :math:`\hat\lambda = (x_a + x_b)/(t_a + t_b)`, and the
    p-value is the probability, with :math:`K_a \sim \mathrm{Pois}(t_a
    \hat\lambda)` and :math:`K_b \sim \mathrm{Pois}(t_b\hat\lambda)`
    independent, that :math:`|T(K_a, K_b)| \ge |T(x_a, x_b)|` (two-sided),
    :math:`T(K) \ge T(x)` ("greater") or :math:`T(K) \le T(x)` ("less").
    The double sum is evaluated over
    :math:`F^{-1}(\varepsilon) \le k \le F^{-1}(1 - \varepsilon)` of each
    Poisson, in blocks, so memory stays bounded for large counts.

    Parameters
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float, default 1
        Period lengths (or populations).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: the later rate is higher.
    tail_eps : float, default 1e-14
        Probability mass left out of each tail of each Poisson (the p-value
        is exact to within about ``4 * tail_eps``).

    Returns
    -------
    float
        P-value in [0, 1].

    References
    ----------
    Krishnamoorthy, K. and Thomson, J. (2004). A more powerful test for
    comparing two Poisson means. *Journal of Statistical Planning and
    Inference*, 119(1), 23-35.
    """
    _check_counts(before, after, exposure_before, exposure_after)
    if before + after == 0:
        return 1.0
    lam = (before + after) / (exposure_before + exposure_after)
    mean_a, mean_b = exposure_after * lam, exposure_before * lam
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"unknown alternative {alternative!r}")
    ka = _support(mean_a, tail_eps)
    kb = _support(mean_b, tail_eps)
    pa = stats.poisson.pmf(ka, mean_a)
    pb = stats.poisson.pmf(kb, mean_b)
    t_obs = _e_stat(np.array([after]), np.array([before]), exposure_after, exposure_before)[0]
    tol = 1e-12 * max(1.0, abs(t_obs))
    # sum over the grid in row blocks so memory stays bounded for large counts
    block = max(1, 2_000_000 // kb.size)
    p = 0.0
    for start in range(0, ka.size, block):
        rows = slice(start, start + block)
        grid = _e_stat(ka[rows, None], kb[None, :], exposure_after, exposure_before)
        if alternative == "two-sided":
            mask = np.abs(grid) >= abs(t_obs) - tol
        elif alternative == "greater":
            mask = grid >= t_obs - tol
        else:
            mask = grid <= t_obs + tol
        p += float(pa[rows] @ (mask @ pb))
    return min(1.0, max(0.0, p))


def compare_counts(
    before: int,
    after: int,
    exposure_before: float = 1.0,
    exposure_after: float = 1.0,
    *,
    method: ChangeMethod = "exact",
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
) -> ChangeResult:
    r"""Compare two period counts: % change, significance test and rate ratio.

    The rate ratio is :math:`R = (x_a/t_a)/(x_b/t_b)`; its interval is the
    exact conditional one of :func:`rate_ratio_ci` whichever test is chosen.

    Parameters
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float, default 1
        Period lengths (e.g. months) or populations; use them when the
        periods differ in length.
    method : {"exact", "e-test"}
        ``"exact"``: conditional binomial test (:func:`exact_poisson_test`);
        ``"e-test"``: Krishnamoorthy and Thomson's E-test (:func:`e_test`),
        more powerful for small counts.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis; ``"greater"`` means the later rate is higher.
    alpha : float, default 0.05
        Significance level and one minus the confidence level.

    Returns
    -------
    ChangeResult

    References
    ----------
    Przyborowski and Wilenski (1940), *Biometrika* 31, 313-323;
    Krishnamoorthy and Thomson (2004), *J. Stat. Plann. Inference* 119,
    23-35.
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    if method == "exact":
        p = exact_poisson_test(before, after, exposure_before, exposure_after, alternative)
        method_name = "exact conditional binomial test for two Poisson counts"
    elif method == "e-test":
        p = e_test(before, after, exposure_before, exposure_after, alternative)
        method_name = "E-test for two Poisson means (Krishnamoorthy and Thomson 2004)"
    else:
        raise ValueError(f"unknown method {method!r}")
    rate_before = before / exposure_before
    rate_after = after / exposure_after
    ratio = math.nan if before == 0 and after == 0 else _safe_ratio(rate_after, rate_before)
    lower, upper = rate_ratio_ci(before, after, exposure_before, exposure_after, alpha)
    pct = percent_change(rate_before, rate_after)
    significant = bool(p < alpha)
    return ChangeResult(
        before=int(before),
        after=int(after),
        exposure_before=float(exposure_before),
        exposure_after=float(exposure_after),
        percent_change=pct,
        rate_ratio=ratio,
        ratio_lower=lower,
        ratio_upper=upper,
        p_value=p,
        significant=significant,
        alpha=alpha,
        method=method_name,
        alternative=alternative,
        interpretation=_interpret_change(before, after, pct, ratio, p, significant, alpha),
    )


def _support(mean: float, tail_eps: float) -> npt.NDArray[np.int64]:
    """Integers holding all but ``2 * tail_eps`` of a Poisson's mass."""
    low = int(stats.poisson.ppf(tail_eps, mean)) if mean > 0 else 0
    high = int(stats.poisson.ppf(1 - tail_eps, mean)) + 2
    return np.arange(max(0, low - 1), high, dtype=np.int64)


def _e_stat(ka: np.ndarray, kb: np.ndarray, exposure_a: float, exposure_b: float) -> np.ndarray:
    num = ka / exposure_a - kb / exposure_b
    var = ka / exposure_a**2 + kb / exposure_b**2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(var > 0, num / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    return np.asarray(t, dtype=np.float64)


def _check_counts(before: int, after: int, exposure_before: float, exposure_after: float) -> None:
    for name, value in (("before", before), ("after", after)):
        if value < 0 or int(value) != value:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if not (exposure_before > 0 and exposure_after > 0):
        raise ValueError("exposures must be positive")
    if not (math.isfinite(exposure_before) and math.isfinite(exposure_after)):
        raise ValueError("exposures must be finite")


def _safe_ratio(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.inf
    return numerator / denominator


def _interpret_change(
    before: int,
    after: int,
    pct: float,
    ratio: float,
    p: float,
    significant: bool,
    alpha: float,
) -> str:
    pct_text = "n/a" if math.isnan(pct) else f"{pct:+.1f}%"
    detail = f"{before} to {after} ({pct_text}), p = {p:.3g}"
    if not significant:
        return f"no significant change: {detail} (not significant at {alpha:g})"
    direction = "increase" if ratio > 1 else "decrease"
    return f"significant {direction}: {detail}"
