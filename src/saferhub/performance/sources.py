"""Where data-driven indicators get their figures: the incident data and the populations.

The one seam between performance and the incidents/geography apps: every
count and every population used by an indicator passes through here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from saferhub.analysis import gaps as gap_rule
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
    frame = pd.DataFrame()
    for level in _levels(area_code):
        frame = pd.DataFrame(
            incident_selectors.monthly_counts(
                area_codes=[area_code],
                level=level,
                themes=None,
                start=start.to_timestamp().date(),
                end=end.to_timestamp().date(),
            )
        )
        if not frame.empty:
            break
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
        # A category counting towards several themes appears once per theme: count it once.
        frame = frame[mask].drop_duplicates(["area_code", "category", "month"])
    else:
        frame = frame.drop_duplicates(["area_code", "category", "month"])
    counts = frame.groupby("month")["count"].sum() if not frame.empty else pd.Series(dtype=int)
    return pd.DataFrame(
        {"month": months_with_data, "count": [int(counts.get(m, 0)) for m in months_with_data]}
    )


def _levels(area_code: str) -> list[str]:
    level = area_level(area_code)
    # A unitary authority or district is also a partnership (CSP) area.
    return ["csp", "lad"] if level == "lad" else [level]


#: The one gap rule (docs/decisions/0210): a month with no records of a kind that averages at
#: least ``GAP_MEAN`` a month is a gap in the source, not a true zero.
GAP_MEAN = gap_rule.GAP_MEAN
gap_months = gap_rule.gap_months


@dataclass(frozen=True)
class PeriodCount:
    count: int
    missing: list[str]  # months with no incident data at all for the area
    gaps: list[str]  # months with data for the area but none of this kind (see GAP_MEAN)

    def months_used(self, months: int) -> int:
        return months - len(self.missing) - len(self.gaps)


def period_count(*, area_code: str, categories: list[str], period: ReportingPeriod) -> PeriodCount:
    """The count over a whole period, the months missing and the months that look like gaps."""
    series = monthly_counts(
        area_code=area_code, categories=categories, start=period.start, end=period.end
    )
    held = set(series["month"])
    missing = [m for m in period.month_labels() if m not in held]
    gaps = gap_months(list(series["month"]), [int(c) for c in series["count"]])
    return PeriodCount(int(series["count"].sum()), missing, gaps)


def population(area_code: str, year: int) -> PopulationFigure | None:
    """The area's population for ``year``, else the latest year held; None when none is held."""
    try:
        geo_selectors: Any = importlib.import_module("saferhub.geography.selectors")
    except ImportError:  # pragma: no cover
        return None
    for level in _levels(area_code):
        for wanted in (year, None):
            frame = geo_selectors.population([area_code], level, year=wanted)
            if frame is not None and len(frame) and frame["persons"].iloc[0]:
                row = frame.iloc[0]
                return PopulationFigure(
                    int(row["persons"]), int(row["year"]), str(row.get("source", "") or "")
                )
    return None
