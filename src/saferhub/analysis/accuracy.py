"""How well a hotspot map predicts later crime: PAI, PEI and RRI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from saferhub.analysis._frames import _column, as_float, grid_spec_from_options, points_in_metres
from saferhub.analysis.density import kernel_density, rule_of_thumb_bandwidth
from saferhub.analysis.grid import grid_counts

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def predictive_accuracy_index(
    captured: float, total: float, hotspot_area: float, study_area: float
) -> float:
    """Predictive Accuracy Index ``PAI = (n / N) / (a / A)``.

    ``n`` crimes of ``N`` fall in hotspots covering ``a`` of the study area
    ``A``: the hit rate divided by the share of area (Chainey, Tompson and
    Uhlig 2008). PAI = 1 is no better than chance; higher is better.

    References
    ----------
    Chainey, S., Tompson, L. and Uhlig, S. (2008) The utility of hotspot
    mapping for predicting spatial patterns of crime. *Security Journal*
    21(1-2), 4-28.
    """
    if total <= 0 or hotspot_area <= 0 or study_area <= 0:
        raise ValueError("total, hotspot_area and study_area must be positive")
    if not 0 <= captured <= total or hotspot_area > study_area:
        raise ValueError("need 0 <= captured <= total and hotspot_area <= study_area")
    return (captured / total) / (hotspot_area / study_area)


@dataclass(frozen=True)
class HotspotAccuracy:
    """Accuracy of a hotspot map against a later period's crimes.

    ``hit_rate = n / N``; ``area_share = a / A``; ``pai`` as
    :func:`predictive_accuracy_index`; ``pai_max`` the PAI of the best
    possible map of the same area for the test period; ``pei = pai /
    pai_max``; ``rri`` the Recapture Rate Index when the earlier period's
    counts were given (else NaN).
    """

    captured: float
    total: float
    hotspot_area: float
    study_area: float
    hit_rate: float
    area_share: float
    pai: float
    captured_max: float
    pai_max: float
    pei: float
    captured_before: float
    total_before: float
    rri: float

    def to_frame(self) -> pd.DataFrame:
        """A one-row DataFrame of every field."""
        return pd.DataFrame([asdict(self)])


def select_hotspot_cells(
    scores: npt.ArrayLike, coverage: float, *, cell_area: npt.ArrayLike | float = 1.0
) -> BoolArray:
    """The highest-scoring cells that together cover ``coverage`` of the area.

    Cells are taken in descending score (ties: lower cell index first) while
    the running area stays within ``coverage * total area``; at least one
    cell is always selected.

    Parameters
    ----------
    scores : array_like
        A hotspot surface per cell (density, count, Gi* z ...).
    coverage : float
        Share of the study area to flag, in (0, 1], e.g. 0.05.
    cell_area : float or array_like
        Area of each cell (default equal areas).
    """
    s = np.asarray(scores, dtype=np.float64).ravel()
    if not 0 < coverage <= 1:
        raise ValueError("coverage must be in (0, 1]")
    area = np.broadcast_to(np.asarray(cell_area, dtype=np.float64), s.shape)
    order = np.lexsort((np.arange(s.size), -s))
    running = np.cumsum(area[order])
    limit = coverage * running[-1] * (1 + 1e-12)
    k = max(1, int(np.searchsorted(running, limit, side="right")))
    mask = np.zeros(s.size, dtype=bool)
    mask[order[:k]] = True
    return mask


def _best_capture(counts: FloatArray, area: FloatArray, hotspot_area: float) -> float:
    """Most crimes any set of cells of total area ``hotspot_area`` can hold.

    Equal cell areas: the sum of the ``k`` largest counts (exact). Unequal
    areas: cells by descending count per unit area, the last one taken
    fractionally (the linear-programming bound, an upper bound on the exact
    0/1 optimum, so PEI is then conservative).
    """
    if np.allclose(area, area[0]):
        k = int(round(hotspot_area / area[0]))
        return float(np.sort(counts)[::-1][:k].sum())
    order = np.argsort(-(counts / area), kind="stable")
    filled = np.cumsum(area[order])
    full = np.searchsorted(filled, hotspot_area, side="right")
    best = counts[order[:full]].sum()
    if full < order.size:
        remaining = hotspot_area - (filled[full - 1] if full else 0.0)
        best += counts[order[full]] * remaining / area[order[full]]
    return float(best)


def hotspot_accuracy(
    hotspot: npt.ArrayLike,
    test_counts: npt.ArrayLike,
    *,
    cell_area: npt.ArrayLike | float = 1.0,
    earlier_counts: npt.ArrayLike | None = None,
) -> HotspotAccuracy:
    """PAI, PEI and RRI of a hotspot map (a set of flagged cells).

    * PAI (Chainey, Tompson and Uhlig 2008): ``(n / N) / (a / A)``.
    * PEI (Hunt 2016): ``PAI / PAI*`` where ``PAI* = (n* / N) / (a / A)`` and
      ``n*`` is the largest number of test-period crimes any map of the same
      area could have captured, so ``PEI = n / n*`` in [0, 1].
    * RRI (Levine 2008): ``(n2 / n1) / (N2 / N1)``, crimes captured in the
      test period over those in the earlier (map-making) period, relative to
      the change in the total; about 1 when hotspots keep their share.

    Parameters
    ----------
    hotspot : array_like of bool
        True for cells in the hotspot map.
    test_counts : array_like
        Crimes per cell in the later (test) period.
    cell_area : float or array_like
        Area of each cell (same unit throughout).
    earlier_counts : array_like, optional
        Crimes per cell in the period the map was made from, for the RRI.

    Returns
    -------
    HotspotAccuracy

    References
    ----------
    Chainey, S., Tompson, L. and Uhlig, S. (2008), see
    :func:`predictive_accuracy_index`. Hunt, J. M. (2016) *Do crime hot spots
    move? Exploring the effects of the modifiable areal unit problem and
    modifiable temporal unit problem on crime hot spot stability*. PhD thesis,
    American University. Levine, N. (2008) The "hottest" part of a hotspot:
    comments on "The utility of hotspot mapping for predicting spatial
    patterns of crime". *Security Journal* 21, 295-302.
    """
    mask = np.asarray(hotspot, dtype=bool).ravel()
    counts = np.asarray(test_counts, dtype=np.float64).ravel()
    if mask.shape != counts.shape:
        raise ValueError("hotspot and test_counts must have one value per cell")
    if np.any(counts < 0):
        raise ValueError("counts must not be negative")
    area = np.broadcast_to(np.asarray(cell_area, dtype=np.float64), counts.shape).astype(np.float64)
    if np.any(area <= 0):
        raise ValueError("cell areas must be positive")
    if not mask.any():
        raise ValueError("the hotspot map flags no cells")
    n = float(counts[mask].sum())
    total = float(counts.sum())
    a = float(area[mask].sum())
    big_a = float(area.sum())
    pai = predictive_accuracy_index(n, total, a, big_a)
    n_best = _best_capture(counts, area, a)
    pai_max = predictive_accuracy_index(min(n_best, total), total, a, big_a)
    n1 = total1 = rri = float("nan")
    if earlier_counts is not None:
        before = np.asarray(earlier_counts, dtype=np.float64).ravel()
        if before.shape != counts.shape:
            raise ValueError("earlier_counts must have one value per cell")
        n1 = float(before[mask].sum())
        total1 = float(before.sum())
        rri = (n / n1) / (total / total1) if n1 > 0 and total1 > 0 else float("nan")
    return HotspotAccuracy(
        captured=n,
        total=total,
        hotspot_area=a,
        study_area=big_a,
        hit_rate=n / total,
        area_share=a / big_a,
        pai=pai,
        captured_max=n_best,
        pai_max=pai_max,
        pei=n / n_best if n_best > 0 else float("nan"),
        captured_before=n1,
        total_before=total1,
        rri=rri,
    )


def cli_pai(df: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """PAI/PEI/RRI for ``saferhub analyse pai``.

    Two input shapes:

    * a cell table with columns ``hotspot`` (1/0 or true/false) and ``count``
      (test period), optional ``earlier_count`` and ``area``;
    * incident rows with ``x,y`` or ``longitude,latitude`` and a ``period``
      column holding ``before`` (to make the map) and ``after`` (to test it):
      a quartic KDE of the ``before`` events on a grid (option ``cell_size``,
      default 100 m; ``bandwidth`` default rule of thumb) flags the densest
      cells covering ``coverage`` (default 0.05) of the grid (option
      ``extent`` "x_min,y_min,x_max,y_max" fixes the grid; default the box of
      all the points).
    """
    hotspot_col = _column(df, "hotspot")
    if hotspot_col is not None:
        count_col = _column(df, str(options.get("count", "count")))
        if count_col is None:
            raise ValueError("a cell table needs a count column")
        earlier_col = _column(df, "earlier_count")
        area_col = _column(df, "area")
        flags = df[hotspot_col].astype(str).str.strip().str.lower().isin(["1", "true", "yes", "y"])
        result = hotspot_accuracy(
            flags.to_numpy(),
            df[count_col].to_numpy(dtype=np.float64),
            cell_area=1.0 if area_col is None else df[area_col].to_numpy(dtype=np.float64),
            earlier_counts=None
            if earlier_col is None
            else df[earlier_col].to_numpy(dtype=np.float64),
        )
        frame = result.to_frame()
        frame.insert(0, "method", "PAI (Chainey et al. 2008), PEI (Hunt 2016), RRI (Levine 2008)")
        return frame
    period_col = _column(df, "period")
    if period_col is None:
        raise ValueError("need a hotspot column (cell table) or a period column (incidents)")
    x, y = points_in_metres(df, options)
    period = df[period_col].astype(str).str.strip().str.lower().to_numpy()
    before, after = period == "before", period == "after"
    if not before.any() or not after.any():
        raise ValueError("period must contain both 'before' and 'after' rows")
    given = options.get("bandwidth")
    bandwidth = rule_of_thumb_bandwidth(x[before], y[before]) if given is None else float(given)
    cell = as_float(options, "cell_size", 100.0)
    surface = kernel_density(
        x[before],
        y[before],
        cell_size=cell,
        bandwidth=bandwidth,
        spec=grid_spec_from_options(x, y, cell, options),
    )
    coverage = as_float(options, "coverage", 0.05)
    mask = select_hotspot_cells(surface.density.ravel(), coverage)
    test = grid_counts(x[after], y[after], spec=surface.spec)
    earlier = grid_counts(x[before], y[before], spec=surface.spec)
    result = hotspot_accuracy(
        mask,
        test.counts.ravel(),
        cell_area=surface.spec.cell_area,
        earlier_counts=earlier.counts.ravel(),
    )
    frame = result.to_frame()
    frame["after_outside_grid"] = test.outside
    frame.insert(
        0,
        "method",
        f"top {coverage:.0%} of a quartic KDE (bandwidth {surface.bandwidth:.0f} m); "
        "PAI (Chainey et al. 2008), PEI (Hunt 2016), RRI (Levine 2008)",
    )
    return frame
