"""Rates per 1,000 population or households with exact Poisson intervals.

A rate is only meaningful with its denominator: every output states which
denominator was used (population or households) and the year it refers to.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

__all__ = ["poisson_ci", "rate_table"]

DenominatorType = Literal["population", "households"]

FloatArray = npt.NDArray[np.float64]


def poisson_ci(count: npt.ArrayLike, alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
    r"""Exact (Garwood) confidence interval for a Poisson mean.

    For an observed count :math:`k`, the two-sided :math:`1-\alpha` interval
    for the Poisson mean :math:`\mu` is

    .. math::

        \mu_L = \tfrac12 \chi^2_{2k,\ \alpha/2}, \qquad
        \mu_U = \tfrac12 \chi^2_{2k+2,\ 1-\alpha/2},

    with :math:`\mu_L = 0` when :math:`k = 0`.

    Parameters
    ----------
    count : array_like
        Observed non-negative integer count(s).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    lower, upper : ndarray of float
        Interval limits for the mean count, same shape as ``count``.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution.
    *Biometrika*, 28(3/4), 437-442.
    """
    _check_alpha(alpha)
    k = np.asarray(count, dtype=np.float64)
    if np.any(k < 0) or np.any(~np.isfinite(k)) or np.any(k != np.floor(k)):
        raise ValueError("counts must be finite non-negative integers")
    lower = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def rate_table(
    data: pd.DataFrame,
    *,
    count_col: str,
    denominator_col: str,
    denominator_type: DenominatorType,
    denominator_year: int | str,
    area_col: str | None = None,
    per: float = 1000.0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Rate per ``per`` population or households, with an exact Poisson CI.

    .. math::

        r = 1000 \cdot k / N, \qquad
        [r_L, r_U] = 1000 \cdot [\mu_L, \mu_U] / N,

    where :math:`k` is the count, :math:`N` the denominator and
    :math:`[\mu_L, \mu_U]` the Garwood interval of :func:`poisson_ci`. The
    denominator is treated as known without error.

    Parameters
    ----------
    data : DataFrame
        One row per area (or issue) holding a count and its denominator.
    count_col, denominator_col : str
        Column names of the count and of the denominator.
    denominator_type : {"population", "households"}
        What the denominator counts; stated in the output.
    denominator_year : int or str
        Year (or vintage, e.g. ``"Census 2021"``) of the denominator; stated
        in the output because a rate is only comparable with the same base.
    area_col : str, optional
        Column identifying the rows; copied to the output.
    per : float, default 1000
        Rate multiplier.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    DataFrame
        Columns ``[area_col], count, denominator, denominator_type,
        denominator_year, per, rate, rate_lower, rate_upper``; ``attrs``
        record the method, denominator and confidence level.

    References
    ----------
    Garwood, F. (1936), *Biometrika* 28, 437-442. Public Health England
    (2018), *Technical guide: confidence intervals*, section on exact
    Poisson limits for counts and rates.
    """
    if denominator_type not in ("population", "households"):
        raise ValueError("denominator_type must be 'population' or 'households'")
    if per <= 0:
        raise ValueError("per must be positive")
    counts = data[count_col].to_numpy(dtype=np.float64)
    denominators = data[denominator_col].to_numpy(dtype=np.float64)
    if np.any(~np.isfinite(denominators)) or np.any(denominators <= 0):
        raise ValueError("denominators must be positive and finite")
    lower, upper = poisson_ci(counts, alpha)
    out = pd.DataFrame(index=data.index)
    if area_col is not None:
        out[area_col] = data[area_col]
    out["count"] = data[count_col].astype("int64")
    out["denominator"] = denominators
    out["denominator_type"] = denominator_type
    out["denominator_year"] = str(denominator_year)
    out["per"] = per
    out["rate"] = per * counts / denominators
    out["rate_lower"] = per * lower / denominators
    out["rate_upper"] = per * upper / denominators
    out.attrs.update(
        {
            "method": f"rate per {per:g} {denominator_type}; exact Poisson (Garwood) {1 - alpha:.0%} interval",
            "denominator_type": denominator_type,
            "denominator_year": str(denominator_year),
            "confidence_level": 1 - alpha,
        }
    )
    return out


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
