"""Command-line adapters: DataFrame and options in, DataFrame out.

Each ``cli_*`` function has the signature ``(df, options) -> DataFrame`` so the
``saferhub analyse`` command can register it by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from saferhub.analysis._frames import (
    _column,
    as_bool,
    as_float,
    as_int,
    grid_spec_from_options,
    points_in_metres,
)
from saferhub.analysis.grid import grid_counts
from saferhub.analysis.hotspots.excess_risk import excess_risk
from saferhub.analysis.hotspots.grid_hotspots import grid_gi_star
from saferhub.analysis.hotspots.local_moran import local_moran
from saferhub.analysis.spatial_weights import distance_band_weights


def cli_hotspots(df: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Area excess risk from a table of areas or of incidents.

    Options: ``area`` (column, default ``area``), ``count`` (column of counts;
    if absent each row is one incident and rows are counted per area),
    ``population`` or ``expected`` (column; the first value per area is
    used, so incident rows may repeat their area's population),
    ``confidence`` (0.95), ``fdr`` (0.05). See
    :func:`~saferhub.analysis.hotspots.excess_risk`.
    """
    area_col = _column(df, str(options.get("area", "area")))
    if area_col is None:
        raise ValueError("need an area column (option area=)")
    count_col = _column(df, str(options.get("count", "count")))
    pop_col = _column(df, str(options.get("population", "population")))
    exp_col = _column(df, str(options.get("expected", "expected")))
    if count_col is None:  # one row per incident
        df = df.assign(_incidents=1)
        count_col = "_incidents"
    table = df.groupby(area_col, sort=True).agg(
        observed=(count_col, "sum"),
        **({"population": (pop_col, "first")} if pop_col else {}),
        **({"expected": (exp_col, "first")} if exp_col else {}),
    )
    result = excess_risk(
        table["observed"].to_numpy(),
        population=table["population"].to_numpy() if pop_col and not exp_col else None,
        expected=table["expected"].to_numpy() if exp_col else None,
        areas=table.index.to_numpy(),
        confidence=as_float(options, "confidence", 0.95),
        fdr=as_float(options, "fdr", 0.05),
    )
    result.insert(0, "method", "excess risk, exact Poisson (Garwood 1936), BH FDR")
    return result


def cli_gistar(df: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Grid Gi* from incident points.

    Options: ``cell_size`` (metres, default 250), ``threshold`` (distance band
    in metres, default 1.5 x cell size), ``permutations`` (0), ``seed`` (0,
    used only when permuting), ``fdr`` (true), ``extent``
    ("x_min,y_min,x_max,y_max" in metres; default the points' box; points
    outside are not counted). Columns ``x,y`` (metres) or
    ``longitude,latitude``. See :func:`~saferhub.analysis.hotspots.grid_gi_star`.
    """
    x, y = points_in_metres(df, options)
    cell = as_float(options, "cell_size", 250.0)
    threshold = options.get("threshold")
    result = grid_gi_star(
        x,
        y,
        cell,
        spec=grid_spec_from_options(x, y, cell, options),
        threshold=None if threshold is None else float(threshold),
        permutations=as_int(options, "permutations", 0),
        seed=as_int(options, "seed", 0),
        fdr=as_bool(options, "fdr", True),
    )
    result.insert(0, "method", "Getis-Ord Gi* (Ord and Getis 1995), binary distance band")
    return result


def cli_local_moran(df: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Local Moran's I on a grid of incident counts (queen-style distance band).

    Options: ``cell_size`` (250), ``threshold`` (1.5 x cell size),
    ``permutations`` (999), ``seed`` (0), ``alpha`` (0.05), ``fdr`` (false),
    ``extent`` (as :func:`cli_gistar`).
    """
    x, y = points_in_metres(df, options)
    cell = as_float(options, "cell_size", 250.0)
    cells = grid_counts(x, y, spec=grid_spec_from_options(x, y, cell, options)).to_frame()
    w = distance_band_weights(
        cells["x"].to_numpy(), cells["y"].to_numpy(), as_float(options, "threshold", 1.5 * cell)
    )
    lisa = local_moran(
        cells["count"].to_numpy(),
        w,
        permutations=as_int(options, "permutations", 999),
        seed=as_int(options, "seed", 0),
        alpha=as_float(options, "alpha", 0.05),
        fdr=as_bool(options, "fdr", False),
    )
    result = pd.concat([cells, lisa.drop(columns=["id", "value"])], axis=1)
    result.insert(0, "method", "Local Moran's I (Anselin 1995), row-standardised")
    return result
