"""The "Create a problem" links on the assessment's tables: which row gives which values.

Hotspots (a row per LSOA), repeat locations (a street location and its LSOA) and the
ward table's rises (an emerging increase: this period above the period before) each give
the query that pre-fills the new problem's form (``selectors.problem_initial``).
"""

from __future__ import annotations

from typing import Any


def _theme(table_key: str, suffix: str) -> str:
    return table_key[: -len(suffix)]


def hotspot_params(
    key: str, columns: list[str], row: list[Any], extra: dict[str, Any]
) -> dict[str, str] | None:
    if not row or "LSOA" not in columns:
        return None
    lsoa = row[columns.index("LSOA")]
    return {
        "origin": "hotspot",
        "lsoa": str(lsoa),
        "theme": _theme(key, "_hotspots"),
        "area": extra.get("area", ""),
    }


def repeat_params(
    key: str, columns: list[str], row: list[Any], extra: dict[str, Any]
) -> dict[str, str] | None:
    if "Location" not in columns or "LSOA" not in columns:
        return None
    return {
        "origin": "repeat_location",
        "location": str(row[columns.index("Location")]),
        "lsoa": str(row[columns.index("LSOA")]),
        "theme": _theme(key, "_repeat_locations"),
        "area": extra.get("area", ""),
    }


def emerging_params(
    key: str, columns: list[str], row: list[Any], extra: dict[str, Any]
) -> dict[str, str] | None:
    """Only rows that rose: this period above the period before."""
    if "Ward" not in columns or "Change (%)" not in columns:
        return None
    change = row[columns.index("Change (%)")]
    if change is None or change <= 0:
        return None
    return {
        "origin": "emerging_increase",
        "ward": str(row[columns.index("Ward")]),
        "theme": _theme(key, "_wards"),
        "area": extra.get("area", ""),
    }


def area_params(
    key: str, columns: list[str], row: list[Any], extra: dict[str, Any]
) -> dict[str, str] | None:
    """An area page: an LSOA, a ward or a neighbourhood can be a problem's place."""
    code, level = row[0], row[1]
    if level not in ("lsoa", "ward", "neighbourhood"):
        return None
    return {"origin": "area", "place": str(code)}
