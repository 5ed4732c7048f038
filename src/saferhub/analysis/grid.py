"""Regular grids of counts in British National Grid metres.

Crime points published by police.uk are in WGS84 longitude/latitude. Grid
methods (grid Gi*, kernel density, hotspot accuracy) need planar coordinates in
metres, so points are projected to the Ordnance Survey National Grid
(EPSG:27700) first and then binned into square cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import Transformer

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

WGS84 = "EPSG:4326"
BRITISH_NATIONAL_GRID = "EPSG:27700"


def wgs84_to_bng(
    longitude: npt.ArrayLike, latitude: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Project WGS84 longitude/latitude to British National Grid metres.

    Parameters
    ----------
    longitude, latitude : array_like
        Decimal degrees, WGS84 (EPSG:4326), as in police.uk CSV files.

    Returns
    -------
    easting, northing : ndarray
        Metres in the Ordnance Survey National Grid (EPSG:27700).

    Notes
    -----
    Uses PROJ's EPSG:4326 -> EPSG:27700 transformation (Helmert-based unless a
    finer grid shift file such as OSTN15 is installed, good to a few metres),
    with axis order forced to (longitude, latitude). A metre-level error is
    immaterial for police.uk points, which are already moved to anonymous snap
    points (see ``docs/analysis-spatial.md``).
    """
    lon = np.asarray(longitude, dtype=np.float64)
    lat = np.asarray(latitude, dtype=np.float64)
    if lon.shape != lat.shape:
        raise ValueError("longitude and latitude must have the same shape")
    if np.any(~np.isfinite(lon)) or np.any(~np.isfinite(lat)):
        raise ValueError("longitude and latitude must be finite")
    transformer = Transformer.from_crs(WGS84, BRITISH_NATIONAL_GRID, always_xy=True)
    easting, northing = transformer.transform(lon, lat)
    return np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)


@dataclass(frozen=True)
class GridSpec:
    """A regular grid of square cells.

    Cell ``(row, col)`` covers ``x_min + col*cell_size <= x < x_min + (col+1)*cell_size``
    and ``y_min + row*cell_size <= y < y_min + (row+1)*cell_size``; rows run
    south to north. Cell ids are ``row * n_cols + col``.
    """

    x_min: float
    y_min: float
    cell_size: float
    n_cols: int
    n_rows: int

    def __post_init__(self) -> None:
        if not self.cell_size > 0:
            raise ValueError("cell_size must be positive")
        if self.n_cols < 1 or self.n_rows < 1:
            raise ValueError("a grid needs at least one row and one column")

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.n_cols * self.n_rows

    @property
    def cell_area(self) -> float:
        """Area of one cell in square units (m^2 for BNG)."""
        return self.cell_size * self.cell_size

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """Centre coordinates of every cell, in cell-id order."""
        ids = np.arange(self.n_cells, dtype=np.int64)
        col = ids % self.n_cols
        row = ids // self.n_cols
        x = self.x_min + (col + 0.5) * self.cell_size
        y = self.y_min + (row + 0.5) * self.cell_size
        return x.astype(np.float64), y.astype(np.float64)

    def cell_ids(self, x: npt.ArrayLike, y: npt.ArrayLike) -> IntArray:
        """Cell id of each point, or -1 for points outside the grid."""
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
        col = np.floor((xa - self.x_min) / self.cell_size).astype(np.int64)
        row = np.floor((ya - self.y_min) / self.cell_size).astype(np.int64)
        inside = (col >= 0) & (col < self.n_cols) & (row >= 0) & (row < self.n_rows)
        return np.where(inside, row * self.n_cols + col, -1).astype(np.int64)


#: Largest grid built automatically from points (a guard against stray points).
MAX_AUTO_CELLS = 5_000_000


def grid_spec_for_points(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    cell_size: float,
    *,
    margin: float = 0.0,
    max_cells: int = MAX_AUTO_CELLS,
) -> GridSpec:
    """Smallest grid aligned to multiples of ``cell_size`` that covers the points.

    Parameters
    ----------
    x, y : array_like
        Planar coordinates (metres).
    cell_size : float
        Side of a square cell, same unit as ``x`` and ``y``.
    margin : float, default 0
        Extra distance added on every side before snapping to the grid, e.g.
        the kernel bandwidth so that a density surface is not cut off.
    max_cells : int, default 5,000,000
        Refuse larger grids: a few police.uk points are snapped far outside
        the force area (one county force's 2024 file spans 550 km north to south),
        so clip the points or give an explicit extent first.

    Returns
    -------
    GridSpec
        Grid whose origin is a whole multiple of ``cell_size``, so grids built
        from different periods of the same area line up cell for cell.
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.size == 0:
        raise ValueError("at least one point is needed to size a grid")
    if not cell_size > 0:
        raise ValueError("cell_size must be positive")
    if margin < 0:
        raise ValueError("margin must not be negative")
    x_min = np.floor((xa.min() - margin) / cell_size) * cell_size
    y_min = np.floor((ya.min() - margin) / cell_size) * cell_size
    n_cols = int(np.floor((xa.max() + margin - x_min) / cell_size)) + 1
    n_rows = int(np.floor((ya.max() + margin - y_min) / cell_size)) + 1
    if n_cols * n_rows > max_cells:
        raise ValueError(
            f"the points span a grid of {n_cols:,} x {n_rows:,} cells (limit {max_cells:,}): "
            "clip the points to the area of interest, give an extent, or use larger cells"
        )
    return GridSpec(float(x_min), float(y_min), float(cell_size), n_cols, n_rows)


@dataclass(frozen=True)
class GridCounts:
    """Counts of points per grid cell (``counts[row, col]``)."""

    spec: GridSpec
    counts: FloatArray
    outside: int

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: ``cell_id, row, col, x, y, count`` (x, y = centre)."""
        x, y = self.spec.centres()
        ids = np.arange(self.spec.n_cells, dtype=np.int64)
        return pd.DataFrame(
            {
                "cell_id": ids,
                "row": ids // self.spec.n_cols,
                "col": ids % self.spec.n_cols,
                "x": x,
                "y": y,
                "count": self.counts.ravel(),
            }
        )


def grid_counts(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    cell_size: float | None = None,
    *,
    spec: GridSpec | None = None,
    weights: npt.ArrayLike | None = None,
) -> GridCounts:
    """Count points (or sum weights) in the cells of a regular grid.

    Parameters
    ----------
    x, y : array_like
        Planar coordinates in metres (use :func:`wgs84_to_bng` first).
    cell_size : float, optional
        Cell side in metres; used with :func:`grid_spec_for_points` when no
        ``spec`` is given.
    spec : GridSpec, optional
        An existing grid, e.g. the one a hotspot map was made on.
    weights : array_like, optional
        Weight of each point (default 1), e.g. a harm score.

    Returns
    -------
    GridCounts
        ``counts`` has shape ``(n_rows, n_cols)``; ``outside`` is the number of
        points that fell outside ``spec`` and were not counted. With a grid built
        from the points themselves nothing falls outside and the counts sum to
        the number of points (or total weight).
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.shape != ya.shape:
        raise ValueError("x and y must have the same shape")
    if spec is None:
        if cell_size is None:
            raise ValueError("give either cell_size or spec")
        spec = grid_spec_for_points(xa, ya, cell_size)
    w = np.ones_like(xa) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != xa.shape:
        raise ValueError("weights must have one value per point")
    ids = spec.cell_ids(xa, ya)
    inside = ids >= 0
    counts = np.bincount(ids[inside], weights=w[inside], minlength=spec.n_cells)
    return GridCounts(
        spec=spec,
        counts=counts.reshape(spec.n_rows, spec.n_cols).astype(np.float64),
        outside=int((~inside).sum()),
    )


def grid_spec_for_extent(
    x_min: float, y_min: float, x_max: float, y_max: float, cell_size: float
) -> GridSpec:
    """Grid covering the box ``[x_min, x_max] x [y_min, y_max]`` (metres).

    The origin is snapped down to a whole multiple of ``cell_size``.
    """
    if not (x_max > x_min and y_max > y_min):
        raise ValueError("extent must have x_max > x_min and y_max > y_min")
    if not cell_size > 0:
        raise ValueError("cell_size must be positive")
    x0 = float(np.floor(x_min / cell_size) * cell_size)
    y0 = float(np.floor(y_min / cell_size) * cell_size)
    n_cols = int(np.floor((x_max - x0) / cell_size)) + 1
    n_rows = int(np.floor((y_max - y0) / cell_size)) + 1
    return GridSpec(x0, y0, float(cell_size), n_cols, n_rows)
