"""Candidate pairs from a k-d tree and per-permutation pair counts (private)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Metric = Literal["manhattan", "euclidean"]

#: Number of query points per k-d tree chunk while collecting candidate pairs.
_QUERY_CHUNK = 4_096
#: Number of pairs processed at once when counting (bounds temporary memory).
_PAIR_CHUNK = 1_048_576


@dataclass(frozen=True)
class PairTable:
    """Candidate pairs (i < j within the largest distance), grouped by distance band.

    Pairs of distance band ``d`` are ``i[starts[d]:starts[d + 1]]`` and the same
    slice of ``j``; 8 bytes a pair.
    """

    i: npt.NDArray[np.int32]
    j: npt.NDArray[np.int32]
    starts: IntArray
    t_range: int
    fold: IntArray  # (2R + 1, n_t + 1) one-hot: time difference + R -> time band
    time_dtype: np.dtype[Any]


def _distance_bands(
    d: FloatArray, edges: tuple[int, ...], same_location: bool
) -> npt.NDArray[np.int64]:
    rounded = np.floor(d + 0.5)
    if same_location:
        return np.where(rounded == 0, 0, np.searchsorted(edges, rounded, side="left") + 1)
    return np.searchsorted(edges, rounded, side="left")


def _collect_pairs(
    xy: FloatArray, edges: tuple[int, ...], same_location: bool, metric: Metric
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], IntArray]:
    """All pairs ``i < j`` within the last edge, ordered by distance band."""
    p = 1.0 if metric == "manhattan" else 2.0
    reach = np.nextafter(edges[-1] + 0.5, 0.0)  # d < last + 0.5 rounds to <= last
    n_d = len(edges) + int(same_location)
    parts: list[list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]]] = [
        [] for _ in range(n_d)
    ]
    n = xy.shape[0]
    for start in range(0, n, _QUERY_CHUNK):
        # Query this chunk against itself and the points after it only, so
        # each pair i < j is produced once. Zero distances are kept.
        sub = cKDTree(xy[start : start + _QUERY_CHUNK])
        rest = cKDTree(xy[start:])
        rec = sub.sparse_distance_matrix(rest, reach, p=p, output_type="ndarray")
        keep = rec["j"] > rec["i"]
        i = rec["i"][keep].astype(np.int32) + np.int32(start)
        j = rec["j"][keep].astype(np.int32) + np.int32(start)
        band = _distance_bands(rec["v"][keep], edges, same_location)
        del rec, keep
        for b in range(n_d):
            in_band = band == b
            parts[b].append((i[in_band], j[in_band]))
        del i, j, band
    sizes = [sum(part[0].size for part in band_parts) for band_parts in parts]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    i_all = np.empty(int(starts[-1]), dtype=np.int32)
    j_all = np.empty(int(starts[-1]), dtype=np.int32)
    pos = 0
    for band_parts in parts:  # copy into place, freeing the pieces as we go
        while band_parts:
            pi, pj = band_parts.pop(0)
            i_all[pos : pos + pi.size] = pi
            j_all[pos : pos + pj.size] = pj
            pos += pi.size
    return i_all, j_all, starts


def build_pairs(
    xy: FloatArray,
    t_range: int,
    distance_edges: tuple[int, ...],
    time_edges: tuple[int, ...],
    same_location: bool,
    metric: Metric,
) -> PairTable:
    i, j, starts = _collect_pairs(xy, distance_edges, same_location, metric)
    n_t = len(time_edges)
    dt = np.abs(np.arange(-t_range, t_range + 1))
    t_band = np.searchsorted(time_edges, dt, side="left")  # == n_t beyond the last edge
    fold = np.zeros((dt.size, n_t + 1), dtype=np.int64)
    fold[np.arange(dt.size), t_band] = 1
    small = 2 * t_range < np.iinfo(np.int16).max
    return PairTable(
        i=i,
        j=j,
        starts=starts,
        t_range=t_range,
        fold=fold,
        time_dtype=np.dtype(np.int16) if small else np.dtype(np.int32),
    )


def count_pairs(
    pairs: PairTable, times: npt.NDArray[np.signedinteger[Any]], pool: ThreadPoolExecutor | None
) -> IntArray:
    """Pair counts per (distance band, time band incl. "beyond") for one assignment of times.

    For each distance band, a histogram of ``t_i - t_j + R`` (``R`` the time
    range) over its pairs, folded into time bands; three array passes a pair.
    """
    span = 2 * pairs.t_range + 1
    shifted = times + times.dtype.type(pairs.t_range)
    n_d = pairs.starts.size - 1
    jobs = [
        (band, start, min(start + _PAIR_CHUNK, int(pairs.starts[band + 1])))
        for band in range(n_d)
        for start in range(int(pairs.starts[band]), int(pairs.starts[band + 1]), _PAIR_CHUNK)
    ]

    def block(job: tuple[int, int, int]) -> tuple[int, IntArray]:
        band, start, stop = job
        dt = shifted.take(pairs.i[start:stop])
        dt -= times.take(pairs.j[start:stop])
        return band, np.bincount(dt, minlength=span)

    hist = np.zeros((n_d, span), dtype=np.int64)
    results = pool.map(block, jobs) if pool is not None else map(block, jobs)
    for band, part in results:
        hist[band] += part
    return hist @ pairs.fold
