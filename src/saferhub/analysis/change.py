"""Change between two periods: % change, exact tests and displacement.

"No significant change" is a valid answer: every result carries the test
used, its p-value, a confidence interval for the rate ratio and a sentence a
Board can read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

__all__ = [
    "ChangeResult",
    "WddResult",
    "compare_counts",
    "e_test",
    "exact_poisson_test",
    "percent_change",
    "rate_ratio_ci",
    "weighted_displacement_difference",
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


@dataclass(frozen=True)
class WddResult:
    """Weighted displacement difference and quotient.

    Attributes
    ----------
    wdd : float
        Weighted displacement difference (negative = fewer crimes than
        expected from the control).
    variance, standard_error, z, p_value : float
        Poisson variance of ``wdd``, its square root, ``wdd / se`` and the
        two-sided normal p-value.
    significant : bool
        ``p_value < alpha``.
    alpha : float
        Significance level used.
    wdq : float
        Bowers & Johnson's weighted displacement quotient; NaN without a
        buffer or where undefined.
    method : str
        Description of the calculation.
    interpretation : str
        Plain-language sentence.
    """

    wdd: float
    variance: float
    standard_error: float
    z: float
    p_value: float
    significant: bool
    alpha: float
    wdq: float
    method: str
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
    The double sum is evaluated exactly over
    :math:`0 \le k \le F^{-1}(1 - \varepsilon)` of each Poisson.

    Parameters
    ----------
    before, after : int
        Counts in the earlier and later period.
    exposure_before, exposure_after : float, default 1
        Period lengths (or populations).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: the later rate is higher.
    tail_eps : float, default 1e-14
        Probability mass left out of each Poisson's upper tail.

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
    ka = np.arange(int(stats.poisson.ppf(1 - tail_eps, mean_a)) + 2)
    kb = np.arange(int(stats.poisson.ppf(1 - tail_eps, mean_b)) + 2)
    pa = stats.poisson.pmf(ka, mean_a)
    pb = stats.poisson.pmf(kb, mean_b)
    t_obs = _e_stat(np.array([after]), np.array([before]), exposure_after, exposure_before)[0]
    grid = _e_stat(ka[:, None], kb[None, :], exposure_after, exposure_before)
    tol = 1e-12 * max(1.0, abs(t_obs))
    if alternative == "two-sided":
        mask = np.abs(grid) >= abs(t_obs) - tol
    elif alternative == "greater":
        mask = grid >= t_obs - tol
    elif alternative == "less":
        mask = grid <= t_obs + tol
    else:
        raise ValueError(f"unknown alternative {alternative!r}")
    p = float(np.sum(np.outer(pa, pb)[mask]))
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


def weighted_displacement_difference(
    treated_before: int,
    treated_after: int,
    control_before: int,
    control_after: int,
    buffer_before: int | None = None,
    buffer_after: int | None = None,
    buffer_control_before: int | None = None,
    buffer_control_after: int | None = None,
    *,
    alpha: float = 0.05,
) -> WddResult:
    r"""Weighted displacement difference test of a place-based intervention.

    With treated area :math:`T`, its control :math:`C`, a displacement
    (buffer) area :math:`D` and the buffer's control :math:`C_d` (0 = before,
    1 = after):

    .. math::

        \mathrm{WDD} = (T_1 - T_0) - (C_1 - C_0) + (D_1 - D_0) - (C_{d1} - C_{d0}).

    Writing WDD as :math:`\sum_i a_i X_i` over the distinct counts and
    treating each as Poisson (variance estimated by the count),

    .. math:: \mathrm{Var}(\mathrm{WDD}) = \sum_i a_i^2 X_i,
              \qquad z = \mathrm{WDD}/\sqrt{\mathrm{Var}}.

    When the buffer has no control of its own the treated area's control is
    used for both, so its counts enter with weight 2 (variance weight 4).
    Without a buffer, :math:`\mathrm{WDD} = \Delta T - \Delta C`.

    The weighted displacement quotient (needs a buffer) is

    .. math::

        \mathrm{WDQ} = \frac{D_1/C_{d1} - D_0/C_{d0}}{T_1/C_1 - T_0/C_0};

    WDQ > 1 diffusion of benefit larger than the direct effect, 0 < WDQ <= 1
    diffusion of benefit, WDQ < 0 displacement (read only when the
    denominator, the success measure, is negative).

    Parameters
    ----------
    treated_before, treated_after, control_before, control_after : int
        Counts in the treated and control areas before and after.
    buffer_before, buffer_after : int, optional
        Counts in the buffer (displacement) area.
    buffer_control_before, buffer_control_after : int, optional
        Counts in a separate control for the buffer.
    alpha : float, default 0.05
        Significance level.

    Returns
    -------
    WddResult

    References
    ----------
    Bowers, K. J. and Johnson, S. D. (2003). Measuring the geographical
    displacement and diffusion of benefit effects of crime prevention
    activity. *Journal of Quantitative Criminology*, 19(3), 275-301.
    Wheeler, A. P. and Ratcliffe, J. H. (2018). A simple weighted
    displacement difference test to evaluate place based crime
    interventions. *Crime Science*, 7, 11.
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    has_buffer = buffer_before is not None or buffer_after is not None
    if has_buffer and (buffer_before is None or buffer_after is None):
        raise ValueError("give both buffer_before and buffer_after")
    has_buffer_control = buffer_control_before is not None or buffer_control_after is not None
    if has_buffer_control and (buffer_control_before is None or buffer_control_after is None):
        raise ValueError("give both buffer_control_before and buffer_control_after")
    if has_buffer_control and not has_buffer:
        raise ValueError("a buffer control needs buffer counts")
    # coefficient of each distinct count in the WDD
    terms: list[tuple[float, int]] = [
        (-1.0, treated_before),
        (1.0, treated_after),
    ]
    control_weight = 1.0
    if has_buffer:
        assert buffer_before is not None and buffer_after is not None
        terms += [(-1.0, buffer_before), (1.0, buffer_after)]
        if has_buffer_control:
            assert buffer_control_before is not None and buffer_control_after is not None
            terms += [(1.0, buffer_control_before), (-1.0, buffer_control_after)]
        else:
            control_weight = 2.0
    terms += [(control_weight, control_before), (-control_weight, control_after)]
    for _, count in terms:
        if count < 0 or int(count) != count:
            raise ValueError("counts must be non-negative integers")
    wdd = float(sum(a * x for a, x in terms))
    variance = float(sum(a * a * x for a, x in terms))
    se = math.sqrt(variance)
    if se > 0:
        z = wdd / se
        p = float(2 * stats.norm.sf(abs(z)))
    else:
        z, p = math.nan, 1.0
    wdq = math.nan
    if has_buffer:
        assert buffer_before is not None and buffer_after is not None
        cd0 = buffer_control_before if has_buffer_control else control_before
        cd1 = buffer_control_after if has_buffer_control else control_after
        assert cd0 is not None and cd1 is not None
        if min(control_before, control_after, cd0, cd1) > 0:
            success = treated_after / control_after - treated_before / control_before
            displacement = buffer_after / cd1 - buffer_before / cd0
            if success != 0:
                wdq = displacement / success
    significant = bool(p < alpha)
    if significant:
        direction = "fewer" if wdd < 0 else "more"
        text = (
            f"significant: {abs(wdd):g} {direction} crimes than expected from the "
            f"control (WDD = {wdd:g}, z = {z:.2f}, p = {p:.3g})"
        )
    else:
        z_text = "undefined" if math.isnan(z) else f"{z:.2f}"
        text = f"no significant change relative to the control (WDD = {wdd:g}, z = {z_text}, p = {p:.3g})"
    method = (
        "weighted displacement difference, Poisson variance and normal z-test "
        "(Wheeler and Ratcliffe 2018); WDQ of Bowers and Johnson (2003)"
    )
    return WddResult(
        wdd=wdd,
        variance=variance,
        standard_error=se,
        z=z,
        p_value=p,
        significant=significant,
        alpha=alpha,
        wdq=wdq,
        method=method,
        interpretation=text,
    )


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
