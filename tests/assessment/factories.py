"""Test data for the assessment: a small made-up area, and saved versions of it."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from saferhub.assessment.sources import INCIDENT_COLUMNS, AreaInputs


def _square(x: float, y: float) -> dict[str, Any]:
    d = 0.01
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def small_area(
    incidents: pd.DataFrame | None = None, months: list[str] | None = None
) -> AreaInputs:
    """Four LSOAs in a row, two wards, no records unless given (an area with no data)."""
    codes = ["E01900001", "E01900002", "E01900003", "E01900004"]
    lsoas = pd.DataFrame(
        {
            "lsoa": codes,
            "lsoa_name": [f"Testshire 001{c}" for c in "ABCD"],
            "ward": ["E05900001", "E05900001", "E05900002", "E05900002"],
            "ward_name": ["North", "North", "South", "South"],
            "lad": "E07900001",
            "lad_name": "Testshire",
            "population": [1500.0, 1600.0, 1400.0, 1500.0],
            "households": [600.0, 650.0, 560.0, 610.0],
            "imd_decile": [1, 3, 5, 9],
        }
    )
    features = [
        {
            "type": "Feature",
            "properties": {"lsoa": c, "name": n, "ward": w},
            "geometry": _square(-1.5 + 0.01 * i, 52.9),
        }
        for i, (c, n, w) in enumerate(
            zip(codes, lsoas["lsoa_name"], lsoas["ward_name"], strict=True)
        )
    ]
    frame = incidents if incidents is not None else pd.DataFrame(columns=INCIDENT_COLUMNS)
    in_data = months if months is not None else sorted(frame["month"].unique().tolist())
    family_counts = (
        frame.assign(lad="E07900001")
        .groupby(["lad", "month", "crime_type"])
        .size()
        .rename("count")
        .reset_index()
        if len(frame)
        else pd.DataFrame(columns=["lad", "month", "crime_type", "count"])
    )
    return AreaInputs(
        code="E07900001",
        name="Testshire",
        kind="community safety partnership area (local authority)",
        lsoas=lsoas,
        incidents=frame,
        family=pd.DataFrame(
            {"lad": ["E07900001"], "lad_name": ["Testshire"], "population": [6000.0]}
        ),
        family_incidents=family_counts,
        boundaries={"type": "FeatureCollection", "features": features},
        months_in_data=in_data,
        force_rows_by_month={m: int((frame["month"] == m).sum()) for m in in_data},
        no_location_rows=0,
        recoded_2011_rows=0,
        rows_outside_area_lads=0,
    )


@functools.cache
def empty_assessment() -> dict[str, Any]:
    from saferhub.assessment.build import build_assessment

    return build_assessment("Testshire", inputs=small_area())


def make_version(data: dict[str, Any] | None = None, user: Any = None) -> Any:
    from saferhub.assessment.build import content_hash
    from saferhub.assessment.models import AssessmentVersion

    data = data or empty_assessment()
    return AssessmentVersion.objects.create(
        area_code=data["area"]["code"],
        area_name=data["area"]["name"],
        period_from=data["period"]["from"],
        period_to=data["period"]["to"],
        data=data,
        sources=data["provenance"]["sources"],
        reference_tables=data["provenance"]["reference_tables"],
        content_hash=content_hash(data),
        created_by=user,
    )
