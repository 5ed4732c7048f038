"""Comparison with a family of similar areas, and funnel-plot limits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from saferhub.analysis.rates import poisson_ci

__all__ = ["funnel_limits", "peer_comparison", "poisson_funnel_quantile"]


def peer_comparison(
    data: pd.DataFrame,
    *,
    area_col: str,
    count_col: str,
    population_col: str,
    per: float = 1000.0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Each area's rate against its family's pooled mean.

    .. math::

        r_i = \text{per}\cdot k_i/N_i, \qquad
        \bar r = \text{per}\cdot\frac{\sum_i k_i}{\sum_i N_i},

    each :math:`r_i` with an exact Poisson (Garwood) :math:`1-\alpha`
    interval; an area is flagged ``"higher"`` or ``"lower"`` when its interval
    excludes :math:`\bar r`, otherwise ``"similar"``. Rank 1 is the highest
    rate; tied rates share the lowest rank of the tie.

    Parameters
    ----------
    data : DataFrame
        One row per area of the family.
    area_col, count_col, population_col : str
        Column names.
    per : float, default 1000
        Rate multiplier.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    DataFrame
        Columns ``area, count, population, rate, rate_lower, rate_upper,
        family_rate, rank, excludes_family_rate, compared_with_family`` and,
        from :func:`funnel_limits`, whether the rate lies outside the 95%
        and 99.8% funnel limits at the area's population.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
    performance. *Statistics in Medicine*, 24(8), 1185-1202. Home Office
    Most Similar Groups / CSP families.
    """
    counts = data[count_col].to_numpy(dtype=np.float64)
    pops = data[population_col].to_numpy(dtype=np.float64)
    if np.any(pops <= 0):
        raise ValueError("populations must be positive")
    lower, upper = poisson_ci(counts, alpha)
    family_rate = per * counts.sum() / pops.sum()
    rate = per * counts / pops
    out = pd.DataFrame(
        {
            "area": data[area_col].to_numpy(),
            "count": counts.astype(np.int64),
            "population": pops,
            "rate": rate,
            "rate_lower": per * lower / pops,
            "rate_upper": per * upper / pops,
            "family_rate": family_rate,
        }
    )
    out["rank"] = out["rate"].rank(ascending=False, method="min").astype("int64")
    higher = out["rate_lower"] > family_rate
    lower_flag = out["rate_upper"] < family_rate
    out["excludes_family_rate"] = higher | lower_flag
    out["compared_with_family"] = np.select([higher, lower_flag], ["higher", "lower"], "similar")
    funnel = funnel_limits(pops, family_rate / per, per=per)
    out["outside_95"] = (rate < funnel["lower_95"].to_numpy()) | (
        rate > funnel["upper_95"].to_numpy()
    )
    out["outside_99_8"] = (rate < funnel["lower_99_8"].to_numpy()) | (
        rate > funnel["upper_99_8"].to_numpy()
    )
    out.attrs["method"] = (
        f"rate per {per:g}; family rate pooled (sum of counts / sum of populations); "
        f"exact Poisson {1 - alpha:.0%} intervals; funnel limits per Spiegelhalter (2005)"
    )
    return out


def poisson_funnel_quantile(expected: npt.ArrayLike, p: float) -> npt.NDArray[np.float64]:
    r"""Interpolated Poisson quantile used for funnel-plot limits.

    For mean :math:`\theta`, let :math:`r_p` be the smallest integer with
    :math:`F(r_p) \ge p`. Spiegelhalter (2005, appendix A.1.1) smooths the
    step by

    .. math::

        \alpha = \frac{F(r_p) - p}{F(r_p) - F(r_p - 1)}, \qquad
        y_p = r_p - \alpha,

    so the limit on the count scale is :math:`y_p`.

    Parameters
    ----------
    expected : array_like
        Poisson means :math:`\theta = N \bar r`.
    p : float
        Probability level, e.g. 0.975.

    Returns
    -------
    ndarray
        Interpolated quantiles, at least 0.
    """
    theta = np.asarray(expected, dtype=np.float64)
    r = stats.poisson.ppf(p, theta)
    f_r = stats.poisson.cdf(r, theta)
    f_rm1 = stats.poisson.cdf(r - 1, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(f_r > f_rm1, (f_r - p) / (f_r - f_rm1), 0.0)
    return np.asarray(np.maximum(r - a, 0.0), dtype=np.float64)


def funnel_limits(
    populations: npt.ArrayLike | Sequence[float],
    family_rate: float,
    *,
    per: float = 1000.0,
    levels: Sequence[float] = (0.95, 0.998),
) -> pd.DataFrame:
    r"""Exact Poisson funnel-plot control limits by population.

    With target rate :math:`\bar r` (per person) and population :math:`N`,
    the expected count is :math:`\theta = N\bar r` and the two-sided
    :math:`L` limits on the rate scale are

    .. math:: \text{per}\cdot y_{(1-L)/2}(\theta)/N, \quad
              \text{per}\cdot y_{(1+L)/2}(\theta)/N,

    with :math:`y_p` from :func:`poisson_funnel_quantile`.

    Parameters
    ----------
    populations : array_like
        Populations at which to evaluate the limits (e.g. a grid for drawing
        the funnel, or each area's population).
    family_rate : float
        Target rate **per person** (e.g. the family's pooled rate).
    per : float, default 1000
        Multiplier for the returned limits.
    levels : sequence of float, default (0.95, 0.998)
        Coverage of each pair of limits.

    Returns
    -------
    DataFrame
        Columns ``population, expected`` and ``lower_<L>``, ``upper_<L>`` for
        each level, labelled ``95`` and ``99_8``.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
    performance. *Statistics in Medicine*, 24(8), 1185-1202.
    """
    pops = np.asarray(populations, dtype=np.float64)
    if np.any(pops <= 0):
        raise ValueError("populations must be positive")
    if family_rate < 0:
        raise ValueError("family_rate must be non-negative")
    expected = pops * family_rate
    out = pd.DataFrame({"population": pops, "expected": expected})
    for level in levels:
        if not 0 < level < 1:
            raise ValueError("levels must lie strictly between 0 and 1")
        name = f"{100 * level:g}".replace(".", "_")
        out[f"lower_{name}"] = per * poisson_funnel_quantile(expected, (1 - level) / 2) / pops
        out[f"upper_{name}"] = per * poisson_funnel_quantile(expected, (1 + level) / 2) / pops
    out.attrs["method"] = "exact Poisson funnel limits with interpolation (Spiegelhalter 2005)"
    return out
