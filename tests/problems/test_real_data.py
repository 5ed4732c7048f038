"""Problems made from the real Derby assessment, measured against the raw police.uk files.

The before/after counts and the weighted displacement difference of a problem created
from a real hotspot and one from a real repeat location must equal an independent
computation: pandas over the CSV files, pyproj and shapely for the 200 m buffer around
the LSOA boundary (as imported). LSOAs re-drawn in 2021 (whose rows the import places by
coordinates) are passed over, so a plain match of the file's LSOA code is the truth.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from saferhub.accounts.actors import SystemActor
from tests.problems import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

VIOLENCE = "Violence and sexual offences"
BEFORE = (dt.date(2023, 1, 1), dt.date(2023, 12, 1))
AFTER = (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
LOOKUP = (
    "geography/lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
)
TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@pytest.fixture(scope="module")
def raw_all(data_dir: Path) -> pd.DataFrame:
    files = sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))
    cols = ["Month", "Longitude", "Latitude", "Location", "LSOA code", "Crime type"]
    frame = pd.concat(pd.read_csv(f, usecols=cols, dtype=str) for f in files)
    frame = frame.fillna({"Location": "", "LSOA code": ""})
    lon = pd.to_numeric(frame["Longitude"], errors="coerce").to_numpy()
    lat = pd.to_numeric(frame["Latitude"], errors="coerce").to_numpy()
    x, y = TO_BNG.transform(lon, lat)
    return frame.assign(x=np.rint(x), y=np.rint(y)).reset_index(drop=True)


@pytest.fixture(scope="module")
def raw(raw_all: pd.DataFrame) -> pd.DataFrame:
    return raw_all[raw_all["Crime type"] == VIOLENCE].reset_index(drop=True)


def _unchanged(code: str) -> bool:
    from saferhub.geography.models import Lsoa2011To2021

    return not Lsoa2011To2021.objects.filter(lsoa21_code=code).exclude(change="U").exists()


def _table(derby: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for th in derby["themes"] for t in th["tables"] if t["key"] == key)


def _comparison_ward(data_dir: Path, avoid: str) -> tuple[Any, set[str]]:
    """A Derby ward without the place's LSOA and without re-drawn LSOAs: (area, LSOAs)."""
    from saferhub.geography.models import Area

    lookup = pd.read_csv(data_dir / LOOKUP, dtype=str)
    derby = lookup[lookup["LAD23CD"] == factories.DERBY]
    for ward, rows in sorted(derby.groupby("WD23CD")):
        codes = set(rows["LSOA21CD"])
        if avoid not in codes and all(_unchanged(c) for c in codes):
            return Area.objects.get(level="ward", code=ward), codes
    raise AssertionError("no comparison ward")


def _months(frame: pd.DataFrame, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    lo, hi = f"{period[0]:%Y-%m}", f"{period[1]:%Y-%m}"
    return frame[(frame["Month"] >= lo) & (frame["Month"] <= hi)]


def _inside(frame: pd.DataFrame, geom: Any) -> pd.DataFrame:
    ok = frame["x"].notna() & frame["y"].notna()
    mask = np.zeros(len(frame), dtype=bool)
    mask[ok.to_numpy()] = shapely.contains_xy(geom, frame["x"][ok], frame["y"][ok])
    return frame[mask]


def _expected(treated: pd.DataFrame, control: pd.DataFrame, buffer: pd.DataFrame) -> dict[str, Any]:
    t0, t1 = len(_months(treated, BEFORE)), len(_months(treated, AFTER))
    c0, c1 = len(_months(control, BEFORE)), len(_months(control, AFTER))
    d0, d1 = len(_months(buffer, BEFORE)), len(_months(buffer, AFTER))
    # Wheeler and Ratcliffe's WDD with the treated area's control for the buffer too.
    wdd = (t1 - t0) + (d1 - d0) - 2 * (c1 - c0)
    wdq = (d1 / c1 - d0 / c0) / (t1 / c1 - t0 / c0)
    return {"counts": (t0, t1, c0, c1, d0, d1), "wdd": wdd, "wdq": wdq}


def _assess(problem: Any, ward: Any) -> Any:
    from saferhub.problems.services import assessment_record

    return assessment_record(
        actor=SystemActor.TEST,
        problem=problem,
        comparison_area=ward,
        before_from=BEFORE[0],
        before_to=BEFORE[1],
        after_from=AFTER[0],
        after_to=AFTER[1],
        buffer_m=200,
        impact="not_reduced",
        evidence="Counts from police.uk.",
    )


def _counts(a: Any) -> tuple[int, ...]:
    return (
        a.treated_before,
        a.treated_after,
        a.control_before,
        a.control_after,
        a.buffer_before,
        a.buffer_after,
    )


def test_hotspot_problem_before_after_and_wdd(
    derbyshire: Any, derby: dict[str, Any], raw: pd.DataFrame, data_dir: Path
) -> None:
    from saferhub.geography.models import Area
    from saferhub.problems.selectors import problem_initial
    from saferhub.problems.services import problem_create

    table = _table(derby, "violence_hotspots")
    row = next(r for r in table["rows"] if _unchanged(r[0]))
    initial = problem_initial(
        {"origin": "hotspot", "lsoa": row[0], "theme": "violence", "area": factories.DERBY}
    )
    assert initial["place_type"] == "lsoas" and initial["lsoa_codes"] == [row[0]]
    assert [c.name for c in initial["categories"]] == [VIOLENCE]
    categories = initial.pop("categories")
    problem = problem_create(
        actor=SystemActor.TEST,
        lead_partner=factories.lead_partner(),
        categories=categories,
        **initial,
    )
    ward, ward_lsoas = _comparison_ward(data_dir, row[0])
    assessment = _assess(problem, ward)

    geometry = json.loads(Area.objects.get(level="lsoa", vintage=2021, code=row[0]).geometry)
    # The national boundaries may be multipart: the whole shape, in British National Grid.
    place_shape = shapely.transform(
        shape(geometry), lambda c: np.column_stack(TO_BNG.transform(c[:, 0], c[:, 1]))
    )
    treated = raw[raw["LSOA code"] == row[0]]
    control = raw[raw["LSOA code"].isin(ward_lsoas)]
    ring = _inside(raw[raw["LSOA code"] != row[0]], place_shape.buffer(200))
    expected = _expected(treated, control, ring)
    assert _counts(assessment) == expected["counts"]
    # The assessment's own table counted this LSOA's 2024 violence too.
    assert assessment.treated_after == row[3]
    assert assessment.wdd == expected["wdd"]
    assert assessment.wdq == pytest.approx(expected["wdq"], rel=1e-12)


def test_repeat_location_problem_before_after_and_wdd(
    derbyshire: Any,
    derby: dict[str, Any],
    raw: pd.DataFrame,
    raw_all: pd.DataFrame,
    data_dir: Path,
) -> None:
    from saferhub.problems.selectors import problem_initial
    from saferhub.problems.services import problem_create

    table = _table(derby, "violence_repeat_locations")
    row = next(r for r in table["rows"] if _unchanged(r[1]))
    location, lsoa = row[0], row[1]
    initial = problem_initial(
        {
            "origin": "repeat_location",
            "location": location,
            "lsoa": lsoa,
            "theme": "violence",
            "area": factories.DERBY,
        }
    )
    assert initial["place_type"] == "location"
    categories = initial.pop("categories")
    problem = problem_create(
        actor=SystemActor.TEST,
        lead_partner=factories.lead_partner(),
        categories=categories,
        **initial,
    )
    ward, ward_lsoas = _comparison_ward(data_dir, lsoa)
    assessment = _assess(problem, ward)

    at_location = (raw["LSOA code"] == lsoa) & (raw["Location"] == location)
    treated = raw[at_location]
    # The location's map points: those of every incident recorded there, of any kind.
    everything = raw_all[(raw_all["LSOA code"] == lsoa) & (raw_all["Location"] == location)]
    points = everything[["x", "y"]]
    hull = shapely.MultiPoint(points.dropna().drop_duplicates().to_numpy()).buffer(200)
    ring = _inside(raw[~at_location], hull)
    control = raw[raw["LSOA code"].isin(ward_lsoas)]
    expected = _expected(treated, control, ring)
    assert _counts(assessment) == expected["counts"]
    assert assessment.treated_after == row[2]
    assert assessment.wdd == expected["wdd"]
    assert assessment.wdq == pytest.approx(expected["wdq"], rel=1e-12)
