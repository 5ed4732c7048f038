"""Helpers for the command-line adapters: columns and options (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from saferhub.analysis.grid import (
    GridSpec,
    grid_spec_for_extent,
    grid_spec_for_points,
    wgs84_to_bng,
)

FloatArray = npt.NDArray[np.float64]


def _column(df: pd.DataFrame, name: str) -> str | None:
    """The column called ``name``, matched case-insensitively."""
    lookup = {str(c).strip().lower(): str(c) for c in df.columns}
    return lookup.get(name.lower())


def points_in_metres(df: pd.DataFrame, options: Mapping[str, Any]) -> tuple[FloatArray, FloatArray]:
    """Planar coordinates from ``x``/``y`` (metres) or ``longitude``/``latitude``.

    Column names can be overridden with options ``x``, ``y``, ``longitude``,
    ``latitude``. Longitude/latitude (WGS84, as police.uk) are projected to
    British National Grid metres.
    """
    x_col = _column(df, str(options.get("x", "x")))
    y_col = _column(df, str(options.get("y", "y")))
    if x_col is not None and y_col is not None:
        return (
            df[x_col].to_numpy(dtype=np.float64),
            df[y_col].to_numpy(dtype=np.float64),
        )
    lon_col = _column(df, str(options.get("longitude", "longitude")))
    lat_col = _column(df, str(options.get("latitude", "latitude")))
    if lon_col is None or lat_col is None:
        raise ValueError("need columns x,y (metres) or longitude,latitude (WGS84)")
    return wgs84_to_bng(
        df[lon_col].to_numpy(dtype=np.float64), df[lat_col].to_numpy(dtype=np.float64)
    )


def day_numbers(df: pd.DataFrame, options: Mapping[str, Any]) -> tuple[npt.NDArray[np.int64], str]:
    """Whole time units per row and the unit's name.

    Uses option ``time`` (a column of whole numbers, unit from option
    ``time_unit``, default ``"days"``), else a ``date`` column (days since
    1970-01-01), else a police.uk ``month`` column ``YYYY-MM`` (months since
    1970-01; month-only data cannot be analysed in days).
    """
    time_col = options.get("time")
    if time_col is not None:
        col = _column(df, str(time_col))
        if col is None:
            raise ValueError(f"no column {time_col!r}")
        values = df[col].to_numpy()
        if not np.all(np.equal(np.mod(values, 1), 0)):
            raise ValueError("time values must be whole numbers")
        return values.astype(np.int64), str(options.get("time_unit", "days"))
    date_col = _column(df, "date")
    if date_col is not None:
        dates = pd.to_datetime(df[date_col], errors="raise").to_numpy(dtype="datetime64[D]")
        return dates.astype(np.int64), "days"
    month_col = _column(df, "month")
    if month_col is not None:
        months = pd.to_datetime(df[month_col], format="%Y-%m").to_numpy(dtype="datetime64[M]")
        return months.astype(np.int64), "months"
    raise ValueError("need a date column, a month column (YYYY-MM) or option time=")


def as_float(options: Mapping[str, Any], key: str, default: float) -> float:
    """Option ``key`` as a float."""
    return float(options.get(key, default))


def as_int(options: Mapping[str, Any], key: str, default: int) -> int:
    """Option ``key`` as an int."""
    return int(options.get(key, default))


def as_bool(options: Mapping[str, Any], key: str, default: bool) -> bool:
    """Option ``key`` as a bool (accepts true/false/yes/no/1/0)."""
    value = options.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return bool(value)


def as_float_list(options: Mapping[str, Any], key: str, default: list[float]) -> list[float]:
    """Option ``key`` as a list of floats (a list or a comma-separated string)."""
    value = options.get(key, default)
    if isinstance(value, str):
        return [float(v) for v in value.split(",") if v.strip()]
    return [float(v) for v in value]


def grid_spec_from_options(
    x: FloatArray,
    y: FloatArray,
    cell_size: float,
    options: Mapping[str, Any],
    *,
    margin: float = 0.0,
) -> GridSpec:
    """A grid from option ``extent`` ("x_min,y_min,x_max,y_max" in BNG metres), else from the points."""
    if "extent" in options:
        box = as_float_list(options, "extent", [])
        if len(box) != 4:
            raise ValueError("extent must be x_min,y_min,x_max,y_max")
        return grid_spec_for_extent(box[0], box[1], box[2], box[3], cell_size)
    return grid_spec_for_points(x, y, cell_size, margin=margin)
