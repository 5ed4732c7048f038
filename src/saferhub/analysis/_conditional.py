"""Conditional permutation inference for local spatial statistics (private).

References: Anselin, L. (1995) Local indicators of spatial association - LISA.
*Geographical Analysis* 27(2), 93-115. Hope, A. C. A. (1968) A simplified
Monte Carlo significance test procedure. *Journal of the Royal Statistical
Society B* 30(3), 582-598.

Under conditional randomisation (Anselin 1995, section 4) the value at site
``i`` is held fixed and the other ``n - 1`` values are randomly re-assigned to
the remaining sites; only the ``k_i`` values that land on ``i``'s neighbours
matter, so each draw is a sample of ``k_i`` distinct sites from the ``n - 1``
others. Every site gets its own independent draws (PySAL's ``crand`` shares one
set of draws across sites); randomness comes only from the generator passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]

#: Soft cap on the number of elements in one block of draws (keeps memory flat).
_BLOCK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class PermutationSummary:
    """Per-site summary of the simulated statistics."""

    p_sim: FloatArray
    mean: FloatArray
    sd: FloatArray


def _distinct_draws(
    rng: np.random.Generator, n_others: int, size: tuple[int, int], k: int
) -> npt.NDArray[np.int64]:
    """``(k,) + size`` integers in ``[0, n_others)``, distinct along the first axis.

    Rejection sampling when collisions are rare (``4 k^2 <= n_others``), with
    the clash test done column pair by column pair for small ``k`` (cheaper
    than sorting); otherwise the first ``k`` of a random permutation.
    """
    if k * k * 4 <= n_others:
        draws = rng.integers(0, n_others, size=(k, *size), dtype=np.int64)
        redo = np.ones(size, dtype=bool)
        while True:
            clash = np.zeros(size, dtype=bool)
            if k <= 12:
                for a in range(k):
                    for b in range(a + 1, k):
                        clash |= draws[a] == draws[b]
            else:
                ordered = np.sort(draws, axis=0)
                clash = (np.diff(ordered, axis=0) == 0).any(axis=0)
            clash &= redo
            n_clash = int(clash.sum())
            if n_clash == 0:
                return draws
            draws[:, clash] = rng.integers(0, n_others, size=(k, n_clash), dtype=np.int64)
            redo = clash
    keys = rng.random((*size, n_others))
    picks = np.argsort(keys, axis=-1, kind="stable")[..., :k].astype(np.int64)
    return np.moveaxis(picks, -1, 0)


def conditional_permutation(
    neighbour_weights: sp.csr_array,
    values: FloatArray,
    observed_lag: FloatArray,
    scale: FloatArray,
    *,
    offset: FloatArray,
    permutations: int,
    rng: np.random.Generator,
) -> PermutationSummary:
    """Pseudo p-values for statistics of the form ``offset_i + scale_i * lag_i``.

    Parameters
    ----------
    neighbour_weights : csr_array
        Weights without the diagonal (``w_ii`` is handled by ``offset``).
    values : ndarray
        The variable being permuted.
    observed_lag : ndarray
        ``sum_j w_ij values_j`` over neighbours for the observed data.
    scale, offset : ndarray
        Map a simulated lag to the statistic (used for the mean and sd only;
        ranks are taken on the lag with the sign of ``scale``).
    permutations : int
        Number of simulated re-assignments per site (``>= 1``).
    rng : numpy.random.Generator

    Returns
    -------
    PermutationSummary
        ``p_sim = (1 + min(#{sim >= obs}, #{sim <= obs})) / (1 + permutations)``,
        the folded one-sided pseudo p-value of Hope (1968) as used by PySAL, in
        ``(0, 1]``; mean and standard deviation of the simulated statistic.
    """
    n = values.size
    indptr, data = neighbour_weights.indptr, neighbour_weights.data
    k_all = np.diff(indptr)
    p_sim = np.ones(n, dtype=np.float64)
    mean = np.full(n, np.nan)
    sd = np.full(n, np.nan)
    # Sites with the same neighbour count are processed together.
    order = np.argsort(k_all, kind="stable")
    boundaries = np.flatnonzero(np.diff(k_all[order])) + 1
    for group in np.split(order, boundaries):
        k = int(k_all[group[0]])
        if k == 0 or n < 2:
            mean[group] = offset[group]
            sd[group] = 0.0
            continue
        per_site = permutations * max(k, n - 1 if k * k * 4 > n - 1 else k)
        block = max(1, _BLOCK_ELEMENTS // per_site)
        for start in range(0, group.size, block):
            sites = group[start : start + block]
            starts = indptr[sites]
            pos = starts[:, None] + np.arange(k)[None, :]
            w = data[pos]
            draws = _distinct_draws(rng, n - 1, (sites.size, permutations), k)
            lag = np.zeros((sites.size, permutations), dtype=np.float64)
            for m in range(k):
                others = draws[m]
                others += others >= sites[:, None]
                lag += values[others] * w[:, m][:, None]
            obs = observed_lag[sites][:, None]
            tol = 1e-9 * (np.abs(obs) + np.abs(lag).max(axis=1, keepdims=True) + 1.0)
            ge = (lag >= obs - tol).sum(axis=1)
            le = (lag <= obs + tol).sum(axis=1)
            p_sim[sites] = (1.0 + np.minimum(ge, le)) / (1.0 + permutations)
            with np.errstate(invalid="ignore"):
                stat = offset[sites][:, None] + scale[sites][:, None] * lag
                mean[sites] = stat.mean(axis=1)
                sd[sites] = stat.std(axis=1)
    return PermutationSummary(p_sim=p_sim, mean=mean, sd=sd)
