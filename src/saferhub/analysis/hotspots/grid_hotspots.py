"""Gi* on a regular grid of incident counts."""

from __future__ import annotations

import numpy.typing as npt
import pandas as pd

from saferhub.analysis.grid import GridSpec, grid_counts
from saferhub.analysis.hotspots._common import Seed
from saferhub.analysis.hotspots.getis_ord import getis_ord_gi_star
from saferhub.analysis.spatial_weights import distance_band_weights


def grid_gi_star(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    cell_size: float,
    *,
    threshold: float | None = None,
    spec: GridSpec | None = None,
    permutations: int = 0,
    seed: Seed = None,
    fdr: bool = True,
) -> pd.DataFrame:
    """Count points on a regular grid and run Gi* with distance-band weights.

    Parameters
    ----------
    x, y : array_like
        Incident coordinates in metres (British National Grid).
    cell_size : float
        Cell side in metres.
    threshold : float, optional
        Distance band between cell centres, inclusive; default
        ``1.5 * cell_size`` (the 8 queen neighbours plus the cell itself).
    spec : GridSpec, optional
        Use an existing grid instead of the points' bounding box.
    permutations, seed, fdr
        As :func:`~saferhub.analysis.hotspots.getis_ord_gi_star`.

    Returns
    -------
    pandas.DataFrame
        Grid columns ``cell_id, row, col, x, y, count`` followed by the Gi*
        columns. Every cell of the bounding grid is an observation, including
        empty ones (zeros are data, not missing).

    Notes
    -----
    The statistic and its reference are described in
    :func:`~saferhub.analysis.hotspots.getis_ord_gi_star`; grid Gi* as used by
    crime analysts follows Chainey (2014) *Examining the extent to which
    hotspot analysis can support spatial predictions of crime*, UCL PhD thesis.
    """
    counts = grid_counts(x, y, cell_size, spec=spec)
    cells = counts.to_frame()
    band = 1.5 * cell_size if threshold is None else threshold
    w = distance_band_weights(cells["x"].to_numpy(), cells["y"].to_numpy(), band)
    gi = getis_ord_gi_star(
        cells["count"].to_numpy(),
        w,
        permutations=permutations,
        seed=seed,
        fdr=fdr,
        ids=cells["cell_id"].to_numpy(),
    )
    return pd.concat([cells, gi.drop(columns=["id", "value"])], axis=1)
