"""Near-repeat analysis: the Knox test over space-time bands.

Pairs of events that are close in space *and* in time more often than chance
would give signal near-repeat victimisation (Townsley, Homel and Chaseling
2003; Johnson et al. 2007). The Knox (1964) test counts event pairs in each
(distance band, time band) cell and compares the counts with those obtained
when the event times are randomly re-assigned to the locations (Monte Carlo,
Besag and Diggle 1977). The Near Repeat Calculator (Ratcliffe 2009)
implements the same test.

Band convention (exact, both edges inclusive, whole units):

* distances are rounded to the nearest whole metre (halves up) first;
  ``"same location"`` holds pairs at 0 m (less than 0.5 m apart); with edges
  ``(200, 400)`` the next bands are ``"1–200 m"`` (1 to 200 m inclusive) and
  ``"201–400 m"``;
* times are whole days (or months for police.uk data); with edges ``(7, 14)``
  the bands are ``"0–7 days"`` (same day up to 7 days apart) and
  ``"8–14 days"``.

Pairs further apart than the last distance or time edge are not in the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

from saferhub.analysis._frames import as_bool, as_float_list, as_int, day_numbers, points_in_metres

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Metric = Literal["manhattan", "euclidean"]

#: Number of query points per k-d tree chunk while collecting candidate pairs.
_QUERY_CHUNK = 4_096
#: Number of pairs processed at once when counting (bounds temporary memory).
_PAIR_CHUNK = 1_048_576


def band_edges(width: int, count: int) -> tuple[int, ...]:
    """Upper edges ``(width, 2 width, ..., count x width)`` of equal bands."""
    if width < 1 or count < 1:
        raise ValueError("band width and count must be positive whole numbers")
    return tuple(width * k for k in range(1, count + 1))


def _check_edges(edges: Sequence[int], *, allow_zero: bool, name: str) -> tuple[int, ...]:
    out = tuple(int(e) for e in edges)
    if not out:
        raise ValueError(f"{name} needs at least one edge")
    if any(float(a) != float(b) for a, b in zip(out, edges)):
        raise ValueError(f"{name} must be whole numbers")
    if out[0] < (0 if allow_zero else 1) or any(b <= a for a, b in zip(out, out[1:])):
        raise ValueError(
            f"{name} must be strictly increasing and {'>= 0' if allow_zero else '> 0'}"
        )
    return out


def distance_band_labels(edges: Sequence[int], *, same_location: bool = True) -> tuple[str, ...]:
    """Labels for distance bands, e.g. ``("same location", "1–200 m", "201–400 m")``."""
    labels = ["same location"] if same_location else []
    low = 1 if same_location else 0
    for high in edges:
        labels.append(f"{low}–{high} m")
        low = high + 1
    return tuple(labels)


def time_band_labels(edges: Sequence[int], *, unit: str = "days") -> tuple[str, ...]:
    """Labels for time bands, e.g. ``("0–7 days", "8–14 days")``."""
    labels = []
    low = 0
    for high in edges:
        labels.append(f"{low}–{high} {unit}" if high != low else f"{low} {unit}")
        low = high + 1
    return tuple(labels)


def _as_time_units(times: npt.ArrayLike) -> IntArray:
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[D]").astype(np.int64)
    values = np.asarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
        raise ValueError("times must be whole numbers (days or months) or datetime64")
    return values.astype(np.int64)


@dataclass(frozen=True)
class _PairTable:
    """Candidate pairs (i < j within the largest distance) and their distance band.

    ``base = band * (2R + 1) + R`` so that ``code_lut[base + t_i - t_j]`` is the
    cell code ``band * (n_t + 1) + time_band`` (``time_band = n_t``: beyond the
    last time edge). Narrow integer types keep memory at 10-12 bytes a pair.
    """

    i: npt.NDArray[np.int32]
    j: npt.NDArray[np.int32]
    base: npt.NDArray[np.signedinteger[Any]]
    code_lut: npt.NDArray[np.signedinteger[Any]]
    n_codes: int
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
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int8]]:
    p = 1.0 if metric == "manhattan" else 2.0
    reach = np.nextafter(edges[-1] + 0.5, 0.0)  # d < last + 0.5 rounds to <= last
    parts_i: list[npt.NDArray[np.int32]] = []
    parts_j: list[npt.NDArray[np.int32]] = []
    parts_b: list[npt.NDArray[np.int8]] = []
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
        d = rec["v"][keep]
        parts_i.append(i)
        parts_j.append(j)
        parts_b.append(_distance_bands(d, edges, same_location).astype(np.int8))
        del rec, i, j, keep, d
    i_all = np.concatenate(parts_i)
    del parts_i
    j_all = np.concatenate(parts_j)
    del parts_j
    b_all = np.concatenate(parts_b)
    return i_all, j_all, b_all


def _build_pairs(
    xy: FloatArray,
    t_range: int,
    distance_edges: tuple[int, ...],
    time_edges: tuple[int, ...],
    same_location: bool,
    metric: Metric,
) -> _PairTable:
    i, j, band = _collect_pairs(xy, distance_edges, same_location, metric)
    n_d = len(distance_edges) + int(same_location)
    n_t = len(time_edges)
    span = 2 * t_range + 1
    small = n_d * span < np.iinfo(np.int16).max
    index_dtype = np.dtype(np.int16) if small else np.dtype(np.int32)
    dt = np.abs(np.arange(-t_range, t_range + 1))
    t_band = np.searchsorted(time_edges, dt, side="left")  # == n_t beyond the last edge
    code_lut = (np.arange(n_d)[:, None] * (n_t + 1) + t_band[None, :]).ravel()
    base: npt.NDArray[np.signedinteger[Any]] = band.astype(index_dtype)
    np.multiply(base, span, out=base, casting="unsafe")
    np.add(base, t_range, out=base, casting="unsafe")
    return _PairTable(
        i=i,
        j=j,
        base=base,
        code_lut=code_lut.astype(np.int16 if n_d * (n_t + 1) < 2**15 else np.int32),
        n_codes=n_d * (n_t + 1),
        time_dtype=index_dtype,
    )


def _count(
    pairs: _PairTable, times: npt.NDArray[np.signedinteger[Any]], pool: ThreadPoolExecutor | None
) -> IntArray:
    """Pair counts per cell code for one assignment of times to events."""

    def block(start: int) -> IntArray:
        stop = start + _PAIR_CHUNK
        dt = times[pairs.i[start:stop]]
        dt -= times[pairs.j[start:stop]]
        dt += pairs.base[start:stop]
        return np.bincount(pairs.code_lut[dt], minlength=pairs.n_codes)

    starts = range(0, pairs.i.size, _PAIR_CHUNK)
    total = np.zeros(pairs.n_codes, dtype=np.int64)
    parts = pool.map(block, starts) if pool is not None else map(block, starts)
    for part in parts:
        total += part
    return total


@dataclass(frozen=True)
class KnoxResult:
    """Result of :func:`knox_test`.

    ``observed``, ``expected`` (mean of the simulations), ``knox_ratio`` and
    ``p_value`` are arrays of shape ``(distance bands, time bands)``;
    ``simulated`` has shape ``(permutations, distance bands, time bands)``.
    """

    distance_labels: tuple[str, ...]
    time_labels: tuple[str, ...]
    distance_edges: tuple[int, ...]
    time_edges: tuple[int, ...]
    same_location: bool
    metric: str
    time_unit: str
    n_events: int
    n_candidate_pairs: int
    permutations: int
    seed: int | None
    observed: IntArray
    simulated: IntArray
    expected: FloatArray
    knox_ratio: FloatArray
    p_value: FloatArray

    def table(self) -> pd.DataFrame:
        """One row per (distance band, time band) with exact band limits."""
        d_low, d_high = _band_limits(self.distance_edges, self.same_location)
        t_low, t_high = _band_limits(self.time_edges, False)
        rows: list[dict[str, Any]] = []
        for a, d_label in enumerate(self.distance_labels):
            for b, t_label in enumerate(self.time_labels):
                rows.append(
                    {
                        "distance_band": d_label,
                        "time_band": t_label,
                        "distance_min_m": d_low[a],
                        "distance_max_m": d_high[a],
                        f"time_min_{self.time_unit}": t_low[b],
                        f"time_max_{self.time_unit}": t_high[b],
                        "observed": int(self.observed[a, b]),
                        "expected": float(self.expected[a, b]),
                        "knox_ratio": float(self.knox_ratio[a, b]),
                        "p_value": float(self.p_value[a, b]),
                    }
                )
        return pd.DataFrame(rows)

    def matrix(
        self, what: Literal["observed", "expected", "knox_ratio", "p_value"]
    ) -> pd.DataFrame:
        """A (distance band x time band) table of one quantity, labelled."""
        values = getattr(self, what)
        return pd.DataFrame(
            values, index=list(self.distance_labels), columns=list(self.time_labels)
        )


def _band_limits(edges: tuple[int, ...], same_location: bool) -> tuple[list[int], list[int]]:
    lows = [0] if same_location else []
    highs = [0] if same_location else []
    low = 1 if same_location else 0
    for high in edges:
        lows.append(low)
        highs.append(high)
        low = high + 1
    return lows, highs


def knox_test(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    distance_edges: Sequence[int] = (100, 200, 300, 400, 500),
    time_edges: Sequence[int] = (7, 14, 21, 28, 35, 42),
    metric: Metric = "manhattan",
    same_location: bool = True,
    permutations: int = 99,
    seed: int | np.random.Generator | None = None,
    time_unit: str = "days",
    workers: int = 1,
) -> KnoxResult:
    """Knox test of space-time clustering with Monte Carlo significance.

    For every unordered pair of events ``{i, j}`` with distance ``d_ij`` and
    time difference ``|t_i - t_j|``, the pair is counted in the cell
    ``(distance band, time band)`` it falls in (band convention in the module
    docstring). Under the null hypothesis of no space-time interaction the
    times are exchangeable over the locations, so each simulation randomly
    permutes the times (Besag and Diggle 1977) and recounts. For each cell

    * ``expected`` = mean simulated count,
    * ``knox_ratio`` = observed / expected (Johnson et al. 2007),
    * ``p_value`` = ``(1 + #{simulated >= observed}) / (1 + permutations)``
      (one-sided, testing for *more* pairs than chance; North, Curtis and
      Sham 2002).

    Parameters
    ----------
    x, y : array_like
        Event coordinates in metres (British National Grid).
    times : array_like
        Whole time units per event: day numbers, or month numbers for
        police.uk data (which has no day), or ``datetime64`` (converted to
        days).
    distance_edges : sequence of int
        Upper edges of the distance bands in whole metres, inclusive.
    time_edges : sequence of int
        Upper edges of the time bands in whole time units, inclusive.
    metric : {"manhattan", "euclidean"}
        Distance between events. Manhattan (city-block) is the Near Repeat
        Calculator's default and suits street grids.
    same_location : bool, default True
        Put pairs at 0 m in their own ``"same location"`` band.
    permutations : int, default 99
        Number of Monte Carlo simulations.
    seed : int or numpy.random.Generator
        Required when ``permutations > 0``.
    time_unit : str, default "days"
        Name of the time unit, used in labels.
    workers : int, default 1
        Threads used to count pairs; results do not depend on it.

    Returns
    -------
    KnoxResult

    Notes
    -----
    Candidate pairs within the largest distance are found once with a k-d tree
    (``scipy.spatial.cKDTree``, in chunks) and kept as two int32 indices and a
    distance band; each simulation only re-computes the time differences of
    those pairs, so memory grows with the number of close pairs, never with
    ``n^2``. Events are first put in a canonical order (by x, then y, then
    time), so results do not depend on input row order: simulation ``s`` uses
    the ``s``-th ``rng.permutation(n)`` of the times in that order.

    References
    ----------
    Knox, E. G. (1964) The detection of space-time interactions. *Journal of
    the Royal Statistical Society C* 13(1), 25-30. Besag, J. and Diggle, P. J.
    (1977) Simple Monte Carlo tests for spatial pattern. *Applied Statistics*
    26(3), 327-333. Townsley, M., Homel, R. and Chaseling, J. (2003)
    Infectious burglaries: a test of the near repeat hypothesis. *British
    Journal of Criminology* 43(3), 615-633. Johnson, S. D. et al. (2007)
    Space-time patterns of risk: a cross national assessment of residential
    burglary victimization. *Journal of Quantitative Criminology* 23, 201-219.
    North, B. V., Curtis, D. and Sham, P. C. (2002) A note on the
    calculation of empirical P values from Monte Carlo procedures. *American
    Journal of Human Genetics* 71(2), 439-441.
    Ratcliffe, J. H. (2009) Near Repeat Calculator (version 1.3), Temple
    University and the National Institute of Justice.
    """
    xa = np.asarray(x, dtype=np.float64).ravel()
    ya = np.asarray(y, dtype=np.float64).ravel()
    t = _as_time_units(times).ravel()
    if not (xa.size == ya.size == t.size):
        raise ValueError("x, y and times must have the same length")
    if xa.size < 2:
        raise ValueError("the Knox test needs at least two events")
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise ValueError("coordinates must be finite")
    if metric not in ("manhattan", "euclidean"):
        raise ValueError("metric must be 'manhattan' or 'euclidean'")
    if permutations < 0:
        raise ValueError("permutations must not be negative")
    if permutations > 0 and seed is None:
        raise ValueError("Monte Carlo inference needs an explicit seed= for reproducibility")
    d_edges = _check_edges(distance_edges, allow_zero=False, name="distance_edges")
    t_edges = _check_edges(time_edges, allow_zero=True, name="time_edges")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    order = np.lexsort((t, ya, xa))
    xy = np.column_stack([xa[order], ya[order]])
    t_sorted = t[order] - t.min()
    t_range = int(t_sorted.max())
    pairs = _build_pairs(xy, t_range, d_edges, t_edges, same_location, metric)
    times_c = t_sorted.astype(pairs.time_dtype)
    n_d = len(d_edges) + int(same_location)
    n_t = len(t_edges)

    def to_cells(codes: IntArray) -> IntArray:
        return codes.reshape(n_d, n_t + 1)[:, :n_t]

    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        observed = to_cells(_count(pairs, times_c, pool))
        simulated = np.zeros((permutations, n_d, n_t), dtype=np.int64)
        for s in range(permutations):
            shuffled = times_c[rng.permutation(xa.size)]
            simulated[s] = to_cells(_count(pairs, shuffled, pool))
    finally:
        if pool is not None:
            pool.shutdown()
    if permutations > 0:
        expected = simulated.mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(expected > 0, observed / expected, np.nan)
        p_value = (1.0 + (simulated >= observed[None]).sum(axis=0)) / (1.0 + permutations)
    else:
        expected = np.full((n_d, n_t), np.nan)
        ratio = np.full((n_d, n_t), np.nan)
        p_value = np.full((n_d, n_t), np.nan)
    return KnoxResult(
        distance_labels=distance_band_labels(d_edges, same_location=same_location),
        time_labels=time_band_labels(t_edges, unit=time_unit),
        distance_edges=d_edges,
        time_edges=t_edges,
        same_location=same_location,
        metric=metric,
        time_unit=time_unit,
        n_events=int(xa.size),
        n_candidate_pairs=int(pairs.i.size),
        permutations=permutations,
        seed=seed if isinstance(seed, int) else None,
        observed=observed,
        simulated=simulated,
        expected=expected,
        knox_ratio=ratio,
        p_value=p_value,
    )


def cli_knox(df: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Knox test from incident rows, for ``saferhub analyse knox``.

    Columns: ``x,y`` (metres) or ``longitude,latitude``; a ``date`` column
    (days), or police.uk ``month`` (``YYYY-MM``; analysed in months), or a
    whole-number column named by option ``time``. Options:
    ``distance_bandwidth`` (metres, 100), ``distance_bands`` (5) or
    ``distance_edges`` ("100,200,..."); ``time_bandwidth`` (7 days; 1 for
    months), ``time_bands`` (6) or ``time_edges``; ``metric`` (manhattan),
    ``same_location`` (true), ``permutations`` (99), ``seed`` (0),
    ``workers`` (1).
    """
    x, y = points_in_metres(df, options)
    t, unit = day_numbers(df, options)
    if "distance_edges" in options:
        d_edges = tuple(int(v) for v in as_float_list(options, "distance_edges", []))
    else:
        d_edges = band_edges(
            as_int(options, "distance_bandwidth", 100), as_int(options, "distance_bands", 5)
        )
    if "time_edges" in options:
        t_edges = tuple(int(v) for v in as_float_list(options, "time_edges", []))
    else:
        width = as_int(options, "time_bandwidth", 7 if unit == "days" else 1)
        t_edges = band_edges(width, as_int(options, "time_bands", 6))
    metric = str(options.get("metric", "manhattan")).lower()
    if metric not in ("manhattan", "euclidean"):
        raise ValueError("metric must be manhattan or euclidean")
    result = knox_test(
        x,
        y,
        t,
        distance_edges=d_edges,
        time_edges=t_edges,
        metric="manhattan" if metric == "manhattan" else "euclidean",
        same_location=as_bool(options, "same_location", True),
        permutations=as_int(options, "permutations", 99),
        seed=as_int(options, "seed", 0),
        time_unit=unit,
        workers=as_int(options, "workers", 1),
    )
    table = result.table()
    table.insert(
        0,
        "method",
        f"Knox test, {metric} distance, {result.permutations} permutations, seed {result.seed}",
    )
    return table
