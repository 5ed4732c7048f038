"""Two forces in one database (Derbyshire and Nottinghamshire, 24 months each) on the
national geography: each area's counts equal an independent count made from the CSV
files with pandas and shapely alone (no SaferHub code in the reference)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from django.db import models
from shapely.geometry import shape

from saferhub.geography import selectors as geo
from saferhub.incidents import selectors
from saferhub.incidents.models import Incident, MonthlyCount

pytestmark = pytest.mark.django_db

DERBYSHIRE_ROWS = 219_339
NOTTINGHAMSHIRE_ROWS = 258_417
NOTTINGHAMSHIRE_NO_LOCATION = 2_020
AREAS = {  # code -> level of the aggregate
    "E06000015": "lad",  # Derby
    "E06000018": "lad",  # Nottingham
    "E22000366": "csp",  # South Nottinghamshire (Broxtowe, Gedling, Rushcliffe)
    "E07000171": "lad",  # Bassetlaw
    "E07000036": "lad",  # Erewash
}


@functools.lru_cache(maxsize=1)
def placed_rows(data_dir: Path) -> pd.DataFrame:
    """Every row of both forces' files with its 2021 LSOA (``lsoa21``), local authority
    (``lad``) and CSP (``csp``), placed by the ONS lookups; the point decides only for
    split or irregular 2011 codes and rows without a code. Pandas and shapely alone."""
    lookups = data_dir / "geography/lookups/national"
    ward = pd.read_csv(lookups / "lookup_lsoa21_ward24_ltla24.csv")
    csp = pd.read_csv(lookups / "lookup_ltla24_csp24_pfa24.csv").drop_duplicates()
    link = pd.read_csv(lookups / "lookup_lsoa11_lsoa21_ltla22.csv")
    lad_of = dict(zip(ward["lsoa21_code"], ward["ltla24_code"]))
    single = csp.groupby("ltla24_code")["csp24_code"].nunique() == 1
    csp_of = dict(
        csp[csp["ltla24_code"].isin(single[single].index)][["ltla24_code", "csp24_code"]].values
    )
    children = link[~link["lsoa11_code"].isin(lad_of)].groupby("lsoa11_code")
    kids = {old: sorted(g["lsoa21_code"]) for old, g in children}
    decide = {old: g["change_code"].isin(["S", "X"]).any() for old, g in children}
    features = json.loads((data_dir / "geography/national/lsoa2021_bsc_v4_EW.geojson").read_text())[
        "features"
    ]
    codes = [f["properties"]["lsoa21_code"] for f in features]
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    by_code = dict(zip(codes, geoms))
    tree = shapely.STRtree(geoms)

    frames = []
    for force in ("derbyshire", "nottinghamshire"):
        for path in sorted((data_dir / "police_uk" / force).glob("*/*-street.csv")):
            frames.append(
                pd.read_csv(
                    path,
                    usecols=[
                        "Month",
                        "Crime type",
                        "LSOA code",
                        "Longitude",
                        "Latitude",
                        "Falls within",
                    ],
                    dtype={"LSOA code": str},
                )
            )
    rows = pd.concat(frames, ignore_index=True)
    rows["LSOA code"] = rows["LSOA code"].fillna("")

    def place(code: str, lon: float, lat: float) -> str:
        if code in lad_of:
            return code
        has_point = not (np.isnan(lon) or np.isnan(lat))
        if code in kids:
            options = kids[code]
            if not decide[code] or not has_point:
                return options[0]
            point = shapely.Point(lon, lat)
            inside = [k for k in options if by_code[k].contains(point)]
            if inside:
                return inside[0]
            return min(options, key=lambda k: by_code[k].distance(point))
        if has_point:
            hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
            if len(hits):
                return min(codes[i] for i in hits.tolist())
        return ""

    distinct = rows[["LSOA code", "Longitude", "Latitude"]].drop_duplicates()
    needs_point = ~distinct["LSOA code"].isin(lad_of)
    placed = dict(
        zip(
            distinct.index[~needs_point],
            distinct.loc[~needs_point, "LSOA code"],
        )
    )
    for i, code, lon, lat in distinct[needs_point].itertuples():
        placed[i] = place(code, lon, lat)
    distinct["lsoa21"] = pd.Series(placed)
    rows = rows.merge(distinct, on=["LSOA code", "Longitude", "Latitude"], how="left")
    rows["lad"] = rows["lsoa21"].map(lad_of)
    rows["csp"] = rows["lad"].map(csp_of)
    return rows


def _reference(data_dir: Path) -> pd.DataFrame:
    """(area code, month, crime type) -> rows of both forces."""
    rows = placed_rows(data_dir)
    out = []
    for code, level in AREAS.items():
        mine = rows[rows[level] == code]
        counts = mine.groupby(["Month", "Crime type"]).size().rename("count").reset_index()
        out.append(counts.assign(area=code))
    return pd.concat(out, ignore_index=True)


def test_every_row_of_both_forces_held(two_forces: dict[str, Any]) -> None:
    reports = two_forces["reports"]
    assert reports["derbyshire"].rows_loaded == DERBYSHIRE_ROWS
    assert reports["nottinghamshire"].rows_loaded == NOTTINGHAMSHIRE_ROWS
    assert Incident.objects.count() == DERBYSHIRE_ROWS + NOTTINGHAMSHIRE_ROWS
    forces = dict(Incident.objects.values_list("falls_within", "force_code").distinct())
    assert forces == {"Derbyshire Constabulary": "E23000018", "Nottinghamshire Police": "E23000019"}
    # The no-location rows are kept, counted and never placed.
    notts = reports["nottinghamshire"]
    assert notts.rows_no_location == NOTTINGHAMSHIRE_NO_LOCATION
    assert notts.placements["none"] == NOTTINGHAMSHIRE_NO_LOCATION
    assert not Incident.objects.filter(placement="none").exclude(lsoa_code="").exists()
    # Each route is counted, and only rows that neither code nor point can place are left.
    placed = sum(n for how, n in notts.placements.items() if how not in {"none", "outside"})
    assert placed + notts.placements["none"] + notts.placements.get("outside", 0) == (
        NOTTINGHAMSHIRE_ROWS
    )
    assert "Placed:" in notts.files[0].message


def test_counts_per_area_equal_the_independent_reference(
    two_forces: dict[str, Any], data_dir: Path
) -> None:
    expected = _reference(data_dir)
    for code, level in AREAS.items():
        held = pd.DataFrame(
            list(
                MonthlyCount.objects.filter(level=level, area_code=code).values_list(
                    "month", "category__name", "count"
                )
            ),
            columns=["month", "category", "count"],
        )
        got = {(m.strftime("%Y-%m"), c): n for m, c, n in held.itertuples(index=False)}
        want = {
            (m, c): int(n)
            for m, c, n in expected.loc[
                expected["area"] == code, ["Month", "Crime type", "count"]
            ].itertuples(index=False)
        }
        assert got == want, code


def test_source_line_lists_each_reporting_force(two_forces: dict[str, Any]) -> None:
    erewash = geo.area_get("E07000036")
    forces = selectors.reporting_forces(erewash)
    names = [f["force_name"] for f in forces]
    assert names[0] == "Derbyshire Constabulary" and "Nottinghamshire Police" in names
    line = selectors.source_line(forces)
    total = Incident.objects.filter(lad_code="E07000036").count()
    assert line.startswith(f"{total:,} records: Derbyshire Constabulary ")
    nottingham = selectors.reporting_forces(geo.area_get("E06000018"))
    assert nottingham[0]["force_name"] == "Nottinghamshire Police"
    # The no-location caveat is the reporting forces' own: Nottinghamshire's rows show
    # for Nottinghamshire areas; Derbyshire reports none.
    codes = [f["force_code"] for f in nottingham]
    unplaced = selectors.unplaced_by_force(codes)
    assert unplaced["E23000019"]["none"] == NOTTINGHAMSHIRE_NO_LOCATION
    derby = selectors.reporting_forces(geo.area_get("E06000015"))
    only_derbyshire = selectors.unplaced_by_force(
        [f["force_code"] for f in derby if f["force_code"] == "E23000018"]
    )
    assert "none" not in only_derbyshire.get("E23000018", {})


def test_area_pages_name_each_reporting_force(two_forces: dict[str, Any], client_as: Any) -> None:
    """An area's page says which forces reported the records it counts, with their counts,
    from the placed rows; a Nottinghamshire area's page never names Derbyshire unless
    Derbyshire's records are placed in it (and then with their count)."""
    client = client_as("analyst")
    for code in AREAS:
        area = geo.area_get(code)
        page = client.get(f"/areas/{area.level}/{code}/").content.decode()
        placed = Incident.objects.filter(
            source="police.uk", lsoa_code__in=geo.area_lsoa_codes(area)
        )
        by_force = dict(
            placed.values_list("falls_within").annotate(n=models.Count("id")).order_by()
        )
        line = ", ".join(
            f"{name} {n:,}" for name, n in sorted(by_force.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        assert f"{sum(by_force.values()):,} records: {line}." in page, code
        for force in ("Derbyshire Constabulary", "Nottinghamshire Police"):
            assert (force in page) == (force in by_force), (code, force)


def test_assessment_sources_name_only_the_reporting_forces(two_forces: dict[str, Any]) -> None:
    from saferhub.assessment.build import all_tables
    from saferhub.assessment.sources_imports import area_inputs_from_imports

    inputs = area_inputs_from_imports("E06000018")
    forces = [f["force_name"] for f in inputs.reporting_forces]
    assert forces[0] == "Nottinghamshire Police"
    assert inputs.police_source.startswith("police.uk street-level crime and ASB (")
    assert inputs.no_location_rows == NOTTINGHAMSHIRE_NO_LOCATION
    derby = area_inputs_from_imports("E06000015")
    assert derby.no_location_rows == 0 and derby.reporting_forces[0]["force_name"] == (
        "Derbyshire Constabulary"
    )
    if "Nottinghamshire Police" not in [f["force_name"] for f in derby.reporting_forces]:
        assert "Nottinghamshire" not in derby.police_source
    from saferhub.assessment.build import build_assessment

    data = build_assessment("E06000015", inputs=derby)
    police_lines = {
        t["source"] for t in all_tables(data) if t.get("source", "").startswith("police.uk")
    }
    assert police_lines and all(derby.police_source in line for line in police_lines)


def _incidents() -> set[tuple[Any, ...]]:
    return set(
        Incident.objects.values_list(
            "force_code",
            "dedupe_key",
            "month",
            "category__name",
            "lsoa_code",
            "ward_code",
            "lad_code",
            "csp_code",
            "placement",
        )
    )


def test_either_import_order_gives_identical_incidents(
    two_forces: dict[str, Any], data_dir: Path
) -> None:
    """Months with retired 2011 codes and cross-border rows, each force's files imported
    first and then second: the same incidents, and each force's own rows untouched."""
    from saferhub.incidents.services import police_uk_import
    from tests.incidents.conftest import wipe_incidents

    held = {
        force: Incident.objects.filter(falls_within__startswith=force.capitalize()).count()
        for force in ("derbyshire", "nottinghamshire")
    }
    months = ("2023-03", "2024-11")

    def files(force: str) -> list[Path]:
        return [data_dir / "police_uk" / force / m / f"{m}-{force}-street.csv" for m in months]

    results = []
    for order in (("derbyshire", "nottinghamshire"), ("nottinghamshire", "derbyshire")):
        wipe_incidents()
        first = police_uk_import(actor="test", paths=files(order[0]))
        alone = _incidents()
        police_uk_import(actor="test", paths=files(order[1]))
        both = _incidents()
        assert alone <= both  # the second force changed none of the first's rows
        results.append((both, first.rows_loaded))
    assert results[0][0] == results[1][0]
    expected = sum(
        len(pd.read_csv(p, usecols=["Month"]))
        for f in ("derbyshire", "nottinghamshire")
        for p in files(f)
    )
    assert len(results[0][0]) == expected  # no row of either force skipped as "already held"
    assert all(n > 0 for n in held.values())
