"""Command-line adapter for the Knox test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from saferhub.analysis._frames import as_bool, as_float_list, as_int, day_numbers, points_in_metres
from saferhub.analysis.nearrepeat.bands import band_edges
from saferhub.analysis.nearrepeat.knox import knox_test


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
