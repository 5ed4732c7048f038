"""Where data-driven indicators get their figures: the incident data and the populations.

The one seam between performance and the incidents/geography apps: every
count and every population used by an indicator passes through here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from saferhub.performance.periods import ReportingPeriod


class DataUnavailable(Exception):
    """The incident data or population needed is not there; the message says which."""


@dataclass(frozen=True)
class PopulationFigure:
    value: int
    year: int
    source: str

    @property
    def note(self) -> str:
        return f"{self.source}, {self.year}".strip(", ")


def area_level(area_code: str) -> str:
    """The geography level of a GSS code (E06/E07/E08/E09/W06 authority, E05 ward, E01 LSOA)."""
    prefix = area_code[:3].upper()
    if prefix in {"E05", "W05"}:
        return "ward"
    if prefix in {"E01", "W01"}:
        return "lsoa"
    return "lad"


def monthly_counts(
    *, area_code: str, categories: list[str], start: pd.Period, end: pd.Period
) -> pd.DataFrame:
    """Monthly counts for an area, summed over the indicator's themes or categories.

    Returns columns ``month`` ("YYYY-MM") and ``count``; months with no incident
    data imported at all for the area are left out (so a gap is not a zero).
    """
    try:
        incident_selectors: Any = importlib.import_module("saferhub.incidents.selectors")
    except ImportError as exc:  # pragma: no cover - the incidents app is part of the project
        raise DataUnavailable("The incident data are not available.") from exc
    frame = incident_selectors.monthly_counts(
        area_codes=[area_code], level=area_level(area_code), start=str(start), end=str(end)
    )
    frame = pd.DataFrame(frame)
    if frame.empty:
        return pd.DataFrame({"month": pd.Series(dtype=str), "count": pd.Series(dtype=int)})
    frame["month"] = frame["month"].astype(str).str.slice(0, 7)
    months_with_data = sorted(set(frame["month"]))
    wanted = {c.strip().lower() for c in categories if c.strip()}
    if wanted:
        mask = pd.Series(False, index=frame.index)
        for column in ("theme", "category"):
            if column in frame.columns:
                mask |= frame[column].astype(str).str.strip().str.lower().isin(wanted)
        frame = frame[mask]
    counts = frame.groupby("month")["count"].sum() if not frame.empty else pd.Series(dtype=int)
    return pd.DataFrame(
        {"month": months_with_data, "count": [int(counts.get(m, 0)) for m in months_with_data]}
    )


def data_months() -> tuple[str, str] | None:
    """The first and last month of incident data held for any area (None when none)."""
    try:
        incident_selectors: Any = importlib.import_module("saferhub.incidents.selectors")
    except ImportError:  # pragma: no cover
        return None
    fn: Any = getattr(incident_selectors, "data_months", None)
    if fn is None:
        return None
    result = fn()
    return (str(result[0])[:7], str(result[1])[:7]) if result else None


def period_count(
    *, area_code: str, categories: list[str], period: ReportingPeriod
) -> tuple[int, list[str]]:
    """The count over a whole period, and the list of months missing from the data."""
    series = monthly_counts(
        area_code=area_code, categories=categories, start=period.start, end=period.end
    )
    held = set(series["month"])
    missing = [m for m in period.month_labels() if m not in held]
    return int(series["count"].sum()), missing


def population(area_code: str, year: int) -> PopulationFigure | None:
    """The area's population for ``year`` (the nearest year held), or None."""
    try:
        geo_selectors: Any = importlib.import_module("saferhub.geography.selectors")
    except ImportError:  # pragma: no cover
        return None
    fn: Any = getattr(geo_selectors, "population", None)
    if fn is None:
        return None
    try:
        result = fn(area_code=area_code, year=year)
    except Exception:  # an area with no population is reported as "no population"
        return None
    if result is None:
        return None
    if isinstance(result, int | float):
        return PopulationFigure(int(result), year, "")
    value = getattr(result, "value", None)
    if value is None and isinstance(result, dict):
        value = result.get("value") or result.get("population")
    if value is None:
        value = getattr(result, "population", None)
    if not value:
        return None

    def attr(name: str, default: Any) -> Any:
        if isinstance(result, dict):
            return result.get(name, default)
        return getattr(result, name, default)

    return PopulationFigure(int(value), int(attr("year", year)), str(attr("source", "")))
