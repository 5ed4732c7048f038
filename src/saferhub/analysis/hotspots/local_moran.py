"""Local Moran's I (LISA) with HH/LL/HL/LH cluster classes."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from saferhub.analysis._conditional import conditional_permutation
from saferhub.analysis.hotspots._common import Seed, benjamini_hochberg, make_rng
from saferhub.analysis.spatial_weights import as_sparse_weights

QUADRANTS: tuple[str, ...] = ("HH", "LH", "LL", "HL")


def local_moran(
    values: npt.ArrayLike,
    weights: sp.sparray | sp.spmatrix | npt.ArrayLike,
    *,
    permutations: int = 0,
    seed: Seed = None,
    alpha: float = 0.05,
    fdr: bool = False,
    ids: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Local Moran's I with row-standardised weights (Anselin 1995).

    With ``z_i = (x_i - x_bar) / s`` (``s`` the population standard
    deviation) and row-standardised weights ``w_ij = 1 / k_i`` over the
    ``k_i`` neighbours of ``i`` (no self-weight):

    ``I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2``

    the scaling used by PySAL ``esda.Moran_Local``. Analytical moments are
    those under total randomisation (Sokal, Oden and Thomson 1998, eqs. A3
    and A4*, as in PySAL): ``E[I_i] = -w_i / (n - 1)`` and

    ``Var[I_i] = w_i(2) (n - b2) / (n - 1)
    + (w_i^2 - w_i(2)) (2 b2 - n) / ((n - 1)(n - 2)) - E[I_i]^2``

    with ``w_i = sum_j w_ij``, ``w_i(2) = sum_j w_ij^2``, ``b2 = m4 / m2^2``.

    Parameters
    ----------
    values : array_like
        Counts or rates per area.
    weights : sparse matrix or array
        Binary (or general non-negative) weights; the diagonal is ignored and
        rows are standardised here. Sites without neighbours get ``I = 0``.
    permutations : int, default 0
        Conditional permutation inference if positive (recommended: 999).
    seed : int or numpy.random.Generator
        Required when ``permutations > 0``.
    alpha : float, default 0.05
        Significance level for the cluster classes.
    fdr : bool, default False
        Apply Benjamini-Hochberg across sites before comparing with ``alpha``.
    ids : array_like, optional
        Site identifiers.

    Returns
    -------
    pandas.DataFrame
        ``id, value, z_value, lag, local_i, expected, variance, z, p_norm``
        (two-sided), with permutations ``p_sim`` (folded one-sided pseudo
        p-value as in PySAL) and ``z_sim``; then ``q_value`` (the p-value the
        classes use, FDR-adjusted if ``fdr``), ``quadrant`` (``HH``: high value,
        high neighbours; ``LH``; ``LL``; ``HL``; same rule as PySAL: "high"
        means ``> 0`` after centring) and ``cluster`` (the quadrant where
        significant, else ``"not significant"``). Significance uses ``p_sim``
        when permuting (as is usual for LISA), else ``p_norm``.

    References
    ----------
    Anselin, L. (1995) Local indicators of spatial association - LISA.
    *Geographical Analysis* 27(2), 93-115. Sokal, R. R., Oden, N. L. and
    Thomson, B. A. (1998) Local spatial autocorrelation in a biological model.
    *Geographical Analysis* 30(4), 331-354.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    n = x.size
    w = as_sparse_weights(weights)
    if w.shape[0] != n:
        raise ValueError("weights must be n x n for n values")
    if n < 3:
        raise ValueError("Local Moran's I needs at least three sites")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    rng = make_rng(seed, permutations)
    off = sp.csr_array(w - sp.diags_array(w.diagonal()))
    off.eliminate_zeros()
    row_sum = np.asarray(off.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inv = np.where(row_sum > 0, 1.0 / row_sum, 0.0)
    wr = sp.csr_array(sp.diags_array(inv) @ off)
    sd = x.std()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - x.mean()) / sd
    lag = wr @ z
    den = float((z * z).sum())
    local_i = (n - 1) * z * lag / den
    m2 = den / n
    m4 = float((z**4).sum()) / n
    b2 = m4 / (m2 * m2)
    wi = np.asarray(wr.sum(axis=1)).ravel()
    wi2 = np.asarray(wr.multiply(wr).sum(axis=1)).ravel()
    expected = -wi / (n - 1)
    variance = wi2 * (n - b2) / (n - 1)
    variance = variance + (wi * wi - wi2) * (2 * b2 - n) / ((n - 1) * (n - 2))
    variance = variance - expected * expected
    with np.errstate(divide="ignore", invalid="ignore"):
        z_i = (local_i - expected) / np.sqrt(variance)
    z_i = np.where(np.isfinite(z_i), z_i, np.nan)
    p_norm = 2.0 * stats.norm.sf(np.abs(z_i))
    high = z > 0
    high_lag = lag > 0
    quadrant_index = np.select(
        [high & high_lag, ~high & high_lag, ~high & ~high_lag], [0, 1, 2], default=3
    )
    out: dict[str, Any] = {
        "id": np.arange(n) if ids is None else np.asarray(ids),
        "value": x,
        "z_value": z,
        "lag": lag,
        "local_i": local_i,
        "expected": expected,
        "variance": variance,
        "z": z_i,
        "p_norm": p_norm,
    }
    p_used = p_norm
    if permutations > 0:
        scale = (n - 1) * z / den
        summary = conditional_permutation(
            wr, z, lag, scale, offset=np.zeros(n), permutations=permutations, rng=rng
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            z_sim = (local_i - summary.mean) / summary.sd
        out["p_sim"] = summary.p_sim
        out["z_sim"] = np.where(np.isfinite(z_sim), z_sim, np.nan)
        p_used = summary.p_sim
    q = benjamini_hochberg(p_used) if fdr else np.asarray(p_used, dtype=np.float64).copy()
    significant = np.nan_to_num(q, nan=1.0) <= alpha
    quadrant = np.array(QUADRANTS, dtype=object)[quadrant_index]
    out["q_value"] = q
    out["quadrant"] = quadrant
    out["cluster"] = np.where(significant, quadrant, "not significant")
    return pd.DataFrame(out)
