"""Area excess risk: observed against expected counts with exact Poisson inference."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from saferhub.analysis.hotspots._common import benjamini_hochberg


def excess_risk(
    observed: npt.ArrayLike,
    *,
    population: npt.ArrayLike | None = None,
    expected: npt.ArrayLike | None = None,
    areas: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    fdr: float = 0.05,
) -> pd.DataFrame:
    """Observed against expected counts per area, with exact Poisson inference.

    ``E_i = T * P_i / sum_k P_k`` (population share of the total ``T = sum O``)
    unless ``expected`` is given. The ratio ``R_i = O_i / E_i`` (standardised
    incidence ratio) has the exact Poisson interval (Garwood 1936; Ulm 1990)

    ``[chi2_{a/2}(2 O_i) / (2 E_i), chi2_{1-a/2}(2 O_i + 2) / (2 E_i)]``

    (lower bound 0 when ``O_i = 0``). One-sided p-values are
    ``P(X >= O_i)`` and ``P(X <= O_i)`` for ``X ~ Poisson(E_i)``; the two-sided
    p-value doubles the smaller one (capped at 1). Benjamini-Hochberg q-values
    over all areas control the false discovery rate.

    Parameters
    ----------
    observed : array_like of int
        Counts per area.
    population, expected : array_like, optional
        Exactly one of them: population (or households) per area, or expected
        counts (e.g. from an earlier period or a model).
    areas : array_like, optional
        Area codes, returned as column ``area``.
    confidence : float, default 0.95
        Level of the interval for the ratio.
    fdr : float, default 0.05
        False discovery rate for the ``significant`` flag.

    Returns
    -------
    pandas.DataFrame
        ``area, observed, expected, ratio, ratio_lower, ratio_upper, p_higher,
        p_lower, p_value, q_value, significant, result`` where ``result`` is
        ``"higher than expected"``, ``"lower than expected"`` or
        ``"not significant"``.

    Notes
    -----
    Expected counts from population shares of the same total are conditional
    on that total; the Poisson treatment is the usual approximation (Breslow
    and Day 1987, ch. 2). Areas with ``E_i = 0`` get NaN statistics.

    References
    ----------
    Garwood, F. (1936) Fiducial limits for the Poisson distribution.
    *Biometrika* 28, 437-442. Ulm, K. (1990) A simple method to calculate the
    confidence interval of a standardized mortality ratio. *American Journal
    of Epidemiology* 131(2), 373-375. Benjamini and Hochberg (1995), see
    :func:`benjamini_hochberg`.
    """
    obs = np.asarray(observed, dtype=np.float64)
    if obs.ndim != 1:
        raise ValueError("observed must be one-dimensional")
    if np.any(obs < 0) or np.any(obs != np.round(obs)):
        raise ValueError("observed counts must be non-negative whole numbers")
    if (population is None) == (expected is None):
        raise ValueError("give exactly one of population or expected")
    if not 0 < confidence < 1 or not 0 < fdr < 1:
        raise ValueError("confidence and fdr must lie strictly between 0 and 1")
    if expected is not None:
        exp = np.asarray(expected, dtype=np.float64)
    else:
        pop = np.asarray(population, dtype=np.float64)
        if pop.shape != obs.shape or np.any(pop < 0) or pop.sum() <= 0:
            raise ValueError("population must be non-negative with a positive total")
        exp = obs.sum() * pop / pop.sum()
    if exp.shape != obs.shape or np.any(exp < 0):
        raise ValueError("expected must be non-negative, one value per area")
    alpha = 1.0 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = exp > 0
        ratio = np.where(valid, obs / exp, np.nan)
        lower = np.where(obs > 0, stats.chi2.ppf(alpha / 2, 2 * obs) / (2 * exp), 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * obs + 2) / (2 * exp)
    p_higher = np.where(valid, stats.poisson.sf(obs - 1, exp), np.nan)
    p_lower = np.where(valid, stats.poisson.cdf(obs, exp), np.nan)
    p_two = np.minimum(1.0, 2.0 * np.minimum(p_higher, p_lower))
    q = benjamini_hochberg(p_two)
    significant = np.nan_to_num(q, nan=1.0) <= fdr
    result = np.where(
        significant,
        np.where(obs > exp, "higher than expected", "lower than expected"),
        "not significant",
    )
    return pd.DataFrame(
        {
            "area": np.arange(obs.size) if areas is None else np.asarray(areas),
            "observed": obs,
            "expected": exp,
            "ratio": ratio,
            "ratio_lower": np.where(valid, lower, np.nan),
            "ratio_upper": np.where(valid, upper, np.nan),
            "p_higher": p_higher,
            "p_lower": p_lower,
            "p_value": p_two,
            "q_value": q,
            "significant": significant,
            "result": result,
        }
    )
