"""Helpers shared by the hotspot statistics (private)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Seed = int | np.random.Generator | None

#: Confidence levels of the hot/cold classes and their two-sided alpha.
CONFIDENCE_LEVELS: tuple[tuple[int, float], ...] = ((99, 0.01), (95, 0.05), (90, 0.10))


def make_rng(seed: Seed, permutations: int) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None and permutations > 0:
        raise ValueError("permutation inference needs an explicit seed= for reproducibility")
    return np.random.default_rng(seed)


def benjamini_hochberg(p_values: npt.ArrayLike) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values).

    ``q_(i) = min_{k >= i} min(1, m p_(k) / k)`` over the ``m`` finite p-values
    sorted ascending; rejecting ``q <= alpha`` controls the false discovery
    rate at ``alpha`` for independent or positively dependent tests.

    Parameters
    ----------
    p_values : array_like
        p-values; NaN entries are ignored (not counted in ``m``) and stay NaN.

    Returns
    -------
    ndarray
        Adjusted p-values in input order.

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995) Controlling the false discovery rate:
    a practical and powerful approach to multiple testing. *Journal of the
    Royal Statistical Society B* 57(1), 289-300.
    """
    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    pf = p[finite]
    m = pf.size
    if m == 0:
        return q
    if np.any((pf < 0) | (pf > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(pf, kind="stable")
    ranked = pf[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    q[finite] = out
    return q


def confidence_classes(
    z: FloatArray, p_two_sided: FloatArray, fdr: bool
) -> tuple[FloatArray, npt.NDArray[np.int64], npt.NDArray[np.str_]]:
    """q-values, signed confidence bins (-3..3) and labels ('hot spot 99%', ...)."""
    q = benjamini_hochberg(p_two_sided) if fdr else p_two_sided.copy()
    level = np.zeros(z.size, dtype=np.int64)
    qn = np.nan_to_num(q, nan=1.0)
    for rank, (_, alpha) in zip((3, 2, 1), CONFIDENCE_LEVELS):
        level = np.where((level == 0) & (qn <= alpha), rank, level)
    sign = np.sign(np.nan_to_num(z)).astype(np.int64)
    bins = level * sign
    names = {0: "not significant"}
    for rank, (pct, _) in zip((3, 2, 1), CONFIDENCE_LEVELS):
        names[rank] = f"hot spot {pct}%"
        names[-rank] = f"cold spot {pct}%"
    labels = np.array([names[int(b)] for b in bins], dtype=np.str_)
    return q, bins, labels
