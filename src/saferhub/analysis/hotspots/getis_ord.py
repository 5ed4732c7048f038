"""Getis-Ord local Gi* on areas or grid cells."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from saferhub.analysis._conditional import conditional_permutation
from saferhub.analysis.hotspots._common import Seed, confidence_classes, make_rng
from saferhub.analysis.spatial_weights import as_sparse_weights


def getis_ord_gi_star(
    values: npt.ArrayLike,
    weights: sp.sparray | sp.spmatrix | npt.ArrayLike,
    *,
    binary: bool = True,
    permutations: int = 0,
    seed: Seed = None,
    fdr: bool = True,
    ids: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Getis-Ord local Gi* (self included) with analytical and permutation inference.

    With weights ``w_ij`` including ``w_ii`` (set to 1), ``W_i = sum_j w_ij``,
    ``S1_i = sum_j w_ij^2``, mean ``x_bar`` and ``s^2 = sum_j x_j^2 / n - x_bar^2``:

    ``G*_i = sum_j w_ij x_j / sum_j x_j``, ``E[G*_i] = W_i / n``,

    ``z_i = (sum_j w_ij x_j - x_bar W_i) / (s sqrt((n S1_i - W_i^2) / (n - 1)))``

    (Ord and Getis 1995, the star form with ``j = i`` included). For binary weights
    this equals PySAL ``esda.G_Local(y, w, star=True, transform="B").Zs``.

    Parameters
    ----------
    values : array_like
        Counts or rates per area/cell.
    weights : sparse matrix or array
        Spatial weights between sites (diagonal ignored and replaced by 1).
        Build them with :func:`~saferhub.analysis.spatial_weights.contiguity_weights`
        or :func:`~saferhub.analysis.spatial_weights.distance_band_weights`.
    binary : bool, default True
        Treat every non-zero weight as 1 (PySAL ``transform="B"``).
    permutations : int, default 0
        If positive, conditional permutation inference (Anselin 1995): the
        value at ``i`` is fixed and the others are re-assigned at random.
    seed : int or numpy.random.Generator
        Required when ``permutations > 0``.
    fdr : bool, default True
        Classify with Benjamini-Hochberg q-values instead of raw p-values.
    ids : array_like, optional
        Site identifiers, returned as column ``id``.

    Returns
    -------
    pandas.DataFrame
        ``id, value, gi_star, expected, variance, z, p_norm`` (two-sided
        normal), when permuting ``p_sim`` (folded one-sided pseudo p-value,
        ``(1 + min(#sim >= obs, #sim <= obs)) / (1 + permutations)``),
        ``z_sim`` and ``p_sim_two_sided``; then ``q_value``, ``gi_bin``
        (-3..3) and ``hotspot_class`` ("hot spot 99%", "cold spot 90%",
        "not significant"). Classes use the permutation p-values (doubled)
        when ``permutations > 0``, else ``p_norm``.

    References
    ----------
    Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use
    of distance statistics. *Geographical Analysis* 24(3), 189-206.
    Ord, J. K. and Getis, A. (1995) Local spatial autocorrelation statistics:
    distributional issues and an application. *Geographical Analysis* 27(4),
    286-306. Anselin, L. (1995) Local indicators of spatial association - LISA.
    *Geographical Analysis* 27(2), 93-115.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    n = x.size
    w = as_sparse_weights(weights)
    if w.shape[0] != n:
        raise ValueError("weights must be n x n for n values")
    if n < 3:
        raise ValueError("Gi* needs at least three sites")
    if permutations < 0:
        raise ValueError("permutations must not be negative")
    rng = make_rng(seed, permutations)
    off = sp.csr_array(w - sp.diags_array(w.diagonal()))
    off.eliminate_zeros()
    if binary:
        off.data[:] = 1.0
    full = sp.csr_array(off + sp.eye_array(n, format="csr"))
    total = x.sum()
    lag = full @ x
    w_sum = np.asarray(full.sum(axis=1)).ravel()
    s1 = np.asarray(full.multiply(full).sum(axis=1)).ravel()
    x_bar = total / n
    s = np.sqrt(max(float((x * x).sum() / n - x_bar * x_bar), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        gi = lag / total
        expected = w_sum / n
        spread = (n * s1 - w_sum * w_sum) / (n - 1)
        variance = spread * s * s / (n * n * x_bar * x_bar)
        z = (lag - x_bar * w_sum) / (s * np.sqrt(spread))
    z = np.where(np.isfinite(z), z, np.nan)
    p_norm = 2.0 * stats.norm.sf(np.abs(z))
    out: dict[str, Any] = {
        "id": np.arange(n) if ids is None else np.asarray(ids),
        "value": x,
        "gi_star": gi,
        "expected": expected,
        "variance": variance,
        "z": z,
        "p_norm": p_norm,
    }
    p_for_class = p_norm
    if permutations > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.full(n, 1.0 / total) if total != 0 else np.full(n, np.nan)
            offset = x * scale
        summary = conditional_permutation(
            off,
            x,
            off @ x,
            scale,
            offset=offset,
            permutations=permutations,
            rng=rng,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            z_sim = (gi - summary.mean) / summary.sd
        out["p_sim"] = summary.p_sim
        out["z_sim"] = np.where(np.isfinite(z_sim), z_sim, np.nan)
        out["p_sim_two_sided"] = np.minimum(1.0, 2.0 * summary.p_sim)
        p_for_class = out["p_sim_two_sided"]
    q, bins, labels = confidence_classes(z, p_for_class, fdr)
    out["q_value"] = q
    out["gi_bin"] = bins
    out["hotspot_class"] = labels
    return pd.DataFrame(out)
