"""Writes of geography: the national import of ONS boundaries, lookups, population and IMD.

Rules stated here and in docs/decisions/0110-national-geography.md:

* The 2011 -> 2021 LSOA links are the ONS lookup's, with its change codes (U unchanged,
  S split, M merged, X irregular); a split parent's children are ordered by code.
* A 2011 population is carried to 2021 LSOAs in equal shares of each 2011 LSOA among its
  2021 LSOAs (remainders in whole persons to the first children), summed where 2011 LSOAs
  merged. IMD 2019: a 2021 LSOA takes the figure of the most deprived 2011 LSOA it comes
  from (the parent of a split child; the most deprived of merged or irregular parents).
* Ward, LAD, CSP and force populations are sums of their 2021 LSOAs (best-fit lookup);
  a CSP's are the sum of its member local authorities'.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
import numpy as np
import shapely
from shapely import ops
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from saferhub.accounts.audit import audit_record
from saferhub.core.models import Job, live_q
from saferhub.core.services import stamp
from saferhub.geography import hooks, loaders, selectors
from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population

CENSUS_2021_SOURCE = "Census 2021 (ONS), usual residents"
CENSUS_SOURCE = "Census 2011 (ONS), usual residents and households"
IOD_SOURCE = "IoD 2019 population denominators (ONS mid-2015, excluding prisoners)"
# Every population source the import writes, newest first (the first is the default
# denominator of rates), with the year each counts.
DENOMINATOR_SOURCES = (CENSUS_2021_SOURCE, CENSUS_SOURCE, IOD_SOURCE)
SOURCE_YEARS = {CENSUS_2021_SOURCE: 2021, CENSUS_SOURCE: 2011, IOD_SOURCE: 2015}
# The code lists the national lookups use (LSOA 2021; ward, LAD, CSP and PFA 2024).
CODE_YEARS = {"lsoa": 2021, "ward": 2024, "lad": 2024, "csp": 2024, "force": 2024}
IMPORTED_CSP_SOURCE = "ONS LAD (Dec 2024) to CSP to PFA lookup"
SHARED_CSP_SOURCE = (
    "ONS LAD (Dec 2024) to CSP to PFA lookup; the lookup lists its local authority under "
    "several CSPs (former districts), so its figures are the whole local authority's"
)
# CSP areas of an earlier import (one per local authority, with the authority's code).
LEGACY_CSP_SOURCE = "One CSP per local authority"

Progress = Callable[[str], None]
GEOMETRY_FIELDS = (
    "geometry",
    "centroid_x",
    "centroid_y",
    "bbox_min_x",
    "bbox_min_y",
    "bbox_max_x",
    "bbox_max_y",
    "extent_km2",
)


def _geometry_fields(wgs: BaseGeometry, bng: BaseGeometry) -> dict[str, Any]:
    centroid = bng.centroid
    minx, miny, maxx, maxy = bng.bounds
    return {
        "geometry": loaders.geojson_text(wgs),
        "centroid_x": round(centroid.x, 1),
        "centroid_y": round(centroid.y, 1),
        "bbox_min_x": round(minx, 1),
        "bbox_min_y": round(miny, 1),
        "bbox_max_x": round(maxx, 1),
        "bbox_max_y": round(maxy, 1),
        "extent_km2": round(bng.area / 1e6, 3),
    }


def _geometry_columns(wgs: np.ndarray, bng: np.ndarray) -> list[dict[str, Any]]:
    """The geometry fields of many areas at once (vectorised; 5 decimals of a degree)."""
    if len(wgs) == 0:
        return []
    rounded = shapely.transform(wgs, lambda c: np.round(c, 5))
    texts = shapely.to_geojson(rounded)
    centroids = shapely.centroid(bng)
    cx = np.round(shapely.get_x(centroids), 1)
    cy = np.round(shapely.get_y(centroids), 1)
    bounds = np.round(shapely.bounds(bng), 1)
    km2 = np.round(shapely.area(bng) / 1e6, 3)
    return [
        {
            "geometry": str(texts[i]),
            "centroid_x": float(cx[i]),
            "centroid_y": float(cy[i]),
            "bbox_min_x": float(bounds[i, 0]),
            "bbox_min_y": float(bounds[i, 1]),
            "bbox_max_x": float(bounds[i, 2]),
            "bbox_max_y": float(bounds[i, 3]),
            "extent_km2": float(km2[i]),
        }
        for i in range(len(wgs))
    ]


def _split_equal(total: int, parts: int) -> list[int]:
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _areas_put(level: str, rows: dict[str, dict[str, Any]]) -> dict[str, Area]:
    """Create or update the imported areas of one level, by code, in bulk.

    Only areas whose values changed are written (one ``UPDATE ... FROM`` a temporary
    table, so a refresh of 35,672 LSOAs is seconds, not minutes). Areas of the level held
    before but not in ``rows`` are left as they are (the caller decides about them).
    """
    existing = {a.code: a for a in Area.objects.filter(level=level)}
    fresh: list[Area] = []
    changed: list[Area] = []
    columns: set[str] = {"archived_at"}
    for code, values in rows.items():
        area = existing.get(code)
        if area is None:
            fresh.append(Area(level=level, code=code, **values))
            continue
        differs = area.archived_at is not None
        for key, value in values.items():
            attr = "parent_id" if key == "parent" else key
            new_value = value.pk if key == "parent" and value is not None else value
            if getattr(area, attr) != new_value:
                setattr(area, attr, new_value)
                columns.add(attr)
                differs = True
        area.archived_at = None
        if differs:
            changed.append(area)
    Area.objects.bulk_create(fresh, batch_size=2000)
    if changed:
        _areas_update(changed, sorted(columns))
    if fresh and fresh[0].pk is None:  # a backend that does not return keys
        ids = dict(
            Area.objects.filter(level=level, code__in=[a.code for a in fresh]).values_list(
                "code", "pk"
            )
        )
        for area in fresh:
            area.pk = ids[area.code]
    fresh_by_code = {a.code: a for a in fresh}
    return {code: existing.get(code) or fresh_by_code[code] for code in rows}


def _areas_update(areas: list[Area], columns: list[str]) -> None:
    """Write ``columns`` of many areas: rows into a temporary table, one UPDATE ... FROM."""
    table = Area._meta.db_table
    names = ["id", *columns]
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    temp = "geography_area_refresh"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {quoted} FROM {table} WHERE 1 = 0")
        marks = ", ".join(["%s"] * len(names))
        values = [[a.pk, *(getattr(a, c) for c in columns)] for a in areas]
        for start in range(0, len(values), 2000):
            cursor.executemany(
                f"INSERT INTO {temp} ({quoted}) VALUES ({marks})", values[start : start + 2000]
            )
        sets = ", ".join(
            f"{connection.ops.quote_name(c)} = t.{connection.ops.quote_name(c)}" for c in columns
        )
        cursor.execute(f"UPDATE {table} SET {sets} FROM {temp} t WHERE {table}.id = t.id")
        cursor.execute(f"DROP TABLE {temp}")


def _members_put(areas: list[Area], members: dict[str, list[Area]]) -> None:
    """Set the members of imported areas (one delete and one insert for all of them)."""
    through = Area.members.through
    through.objects.filter(from_area__in=areas).delete()
    through.objects.bulk_create(
        [
            through(from_area_id=area.pk, to_area_id=m.pk)
            for area in areas
            for m in members.get(area.code, [])
        ],
        batch_size=5000,
    )


def _dissolve(groups: dict[str, list[int]], bng: np.ndarray) -> dict[str, BaseGeometry]:
    """Union of the geometries of each group (by index into ``bng``)."""
    out: dict[str, BaseGeometry] = {}
    for code, idx in groups.items():
        parts = bng[idx]
        out[code] = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return out


def _wgs_columns(geoms: dict[str, BaseGeometry]) -> dict[str, dict[str, Any]]:
    codes = list(geoms)
    bng = np.array([geoms[c] for c in codes], dtype=object)
    return dict(zip(codes, _geometry_columns(loaders.to_wgs84(bng), bng)))


@dataclass
class _National:
    """The national lookups, read and checked, before anything is written."""

    lsoas: list[dict[str, str]]
    lad_rows: list[dict[str, str]]
    links: list[dict[str, str]]
    ward23: dict[str, tuple[str, str, str]]
    ruc: dict[str, tuple[str, str]]
    pfa_of_lad: dict[str, str]
    csps_of_lad: dict[str, list[str]]


def _read_national(root: Path) -> _National:
    lsoas = loaders.read_lsoa21_ward24(root)
    lad_rows = loaders.read_lad_csp_pfa(root)
    pfa_of_lad: dict[str, str] = {}
    csps_of_lad: dict[str, list[str]] = defaultdict(list)
    for r in lad_rows:
        pfa_of_lad.setdefault(r["ltla24_code"], r["pfa24_code"])
        csps_of_lad[r["ltla24_code"]].append(r["csp24_code"])
    missing = sorted({r["ltla24_code"] for r in lsoas} - set(pfa_of_lad))
    if missing:
        raise loaders.GeographyFileError(
            f"{Path(loaders.LAD24_CSP24_PFA24).name}: no CSP or police force area for "
            f"local authority {_listed(missing)} of {Path(loaders.LSOA21_WARD24).name}."
        )
    return _National(
        lsoas=lsoas,
        lad_rows=lad_rows,
        links=loaders.read_lsoa11_lsoa21(root),
        ward23=loaders.read_ward23_of_lsoa(root),
        ruc=loaders.read_ruc_2021(root),
        pfa_of_lad=pfa_of_lad,
        csps_of_lad=dict(csps_of_lad),
    )


@transaction.atomic
def geography_import(
    *, actor: Any, data_dir: Path | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Import (or refresh) the geography of England and Wales. Idempotent; one transaction.

    Every LSOA 2021 (boundary, ward 2024, LAD 2024, rural-urban class), every ward 2024
    (boundary dissolved from its LSOAs), every LAD 2024 (dissolved from its wards), every
    CSP of the ONS lookup with its member local authorities, and the 43 police force
    areas (their own boundaries); the ONS 2011 -> 2021 LSOA lookup; Census 2021 usual
    residents (the default denominator), Census 2011 and IoD 2019 denominators carried to
    2021 LSOAs; IMD 2019 carried to 2021 LSOAs. The rules are in
    docs/decisions/0110-national-geography.md. CSP areas and neighbourhoods defined in
    SaferHub are kept (their populations summed again).
    """
    root = Path(data_dir or settings.DATA_DIR)
    say = progress or (lambda message: None)

    say("Reading the national lookups (LSOA -> ward -> LAD -> CSP -> force area)")
    nat = _read_national(root)

    say("LSOA 2021 boundaries of England and Wales")
    codes, _names, wgs = loaders.read_feature_collection(
        root / loaders.NATIONAL_LSOA_BOUNDARIES, "lsoa21_code", "lsoa21_name"
    )
    bng = loaders.to_bng(wgs)
    index_of = {code: i for i, code in enumerate(codes)}
    lsoa_geo = dict(zip(codes, _geometry_columns(wgs, bng)))

    say("Police force areas")
    pfa_codes, pfa_names, pfa_wgs = loaders.read_feature_collection(
        root / loaders.NATIONAL_PFA_BOUNDARIES, "pfa20_code", "pfa20_name"
    )
    pfa_bng = loaders.to_bng(pfa_wgs)
    pfa_geo = dict(zip(pfa_codes, _geometry_columns(pfa_wgs, pfa_bng)))
    pfa_name = dict(zip(pfa_codes, pfa_names))
    for r in nat.lad_rows:
        pfa_name[r["pfa24_code"]] = r["pfa24_name"]
    forces = _areas_put(
        Area.Level.FORCE,
        {
            code: {
                "name": name,
                "code_year": CODE_YEARS["force"],
                "parent": None,
                "source": "ONS Police Force Areas (December 2020) EW BUC"
                if code in pfa_geo
                else "ONS LAD to CSP to PFA lookup (no boundary held)",
                **pfa_geo.get(code, {}),
            }
            for code, name in sorted(pfa_name.items())
        },
    )
    Area.objects.filter(level=Area.Level.FORCE, archived_at__isnull=True).exclude(
        code__in=forces
    ).update(archived_at=timezone.now())

    say("Local authorities and wards (boundaries dissolved from LSOAs)")
    ward_groups: dict[str, list[int]] = defaultdict(list)
    lad_groups: dict[str, list[int]] = defaultdict(list)
    lad_name: dict[str, str] = {}
    ward_name: dict[str, str] = {}
    ward_lad: dict[str, str] = {}
    for r in nat.lsoas:
        i = index_of.get(r["lsoa21_code"])
        lad_name[r["ltla24_code"]] = r["ltla24_name"]
        ward_name[r["ward24_code"]] = r["ward24_name"]
        ward_lad[r["ward24_code"]] = r["ltla24_code"]
        if i is not None:
            ward_groups[r["ward24_code"]].append(i)
            lad_groups[r["ltla24_code"]].append(i)
    ward_shapes = _dissolve(ward_groups, bng)
    lad_shapes = _dissolve(lad_groups, bng)
    ward_geo = _wgs_columns(ward_shapes)
    lad_geo = _wgs_columns(lad_shapes)
    lads = _areas_put(
        Area.Level.LAD,
        {
            code: {
                "name": name,
                "code_year": CODE_YEARS["lad"],
                "parent": forces[nat.pfa_of_lad[code]],
                "source": "ONS LAD (2024), boundary dissolved from LSOA 2021 BSC",
                **lad_geo.get(code, {}),
            }
            for code, name in sorted(lad_name.items())
        },
    )
    Area.objects.filter(level=Area.Level.LAD, archived_at__isnull=True).exclude(
        code__in=lads
    ).update(archived_at=timezone.now())
    wards = _areas_put(
        Area.Level.WARD,
        {
            code: {
                "name": name,
                "code_year": CODE_YEARS["ward"],
                "parent": lads[ward_lad[code]],
                "source": "ONS Ward (2024) best-fit lookup, boundary dissolved from LSOAs",
                **ward_geo.get(code, {}),
            }
            for code, name in sorted(ward_name.items())
        },
    )
    # Wards of an earlier (2023) lookup whose codes changed stay, as 2023 wards, so that
    # neighbourhoods made of them keep their LSOAs (through Lsoa.ward_code_2023).
    Area.objects.filter(level=Area.Level.WARD).exclude(code__in=wards).update(code_year=2023)

    say("LSOAs 2021 and the LSOA lookup")
    lsoas = _areas_put(
        Area.Level.LSOA,
        {
            r["lsoa21_code"]: {
                "name": r["lsoa21_name"],
                "vintage": 2021,
                "code_year": CODE_YEARS["lsoa"],
                "parent": wards[r["ward24_code"]],
                "rural_urban": nat.ruc.get(r["lsoa21_code"], ("", ""))[0],
                "source": "ONS LSOA (December 2021) BSC V4",
                **lsoa_geo.get(r["lsoa21_code"], {}),
            }
            for r in nat.lsoas
        },
    )
    Lsoa.objects.all()._raw_delete(Lsoa.objects.db)
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=r["lsoa21_code"],
                name=r["lsoa21_name"],
                ward_code=r["ward24_code"],
                ward_name=r["ward24_name"],
                lad_code=r["ltla24_code"],
                lad_name=r["ltla24_name"],
                ward_code_2023=nat.ward23.get(r["lsoa21_code"], ("", "", ""))[0],
                force_code=nat.pfa_of_lad[r["ltla24_code"]],
            )
            for r in nat.lsoas
        ],
        batch_size=5000,
    )
    position: dict[str, int] = defaultdict(int)
    mapping = []
    for r in sorted(nat.links, key=lambda r: (r["lsoa11_code"], r["lsoa21_code"])):
        mapping.append(
            Lsoa2011To2021(
                lsoa11_code=r["lsoa11_code"],
                lsoa21_code=r["lsoa21_code"],
                change=r["change_code"],
                position=position[r["lsoa11_code"]],
                source="ONS LSOA (2011) to LSOA (2021) to LAD (2022) lookup",
            )
        )
        position[r["lsoa11_code"]] += 1
    Lsoa2011To2021.objects.all()._raw_delete(Lsoa2011To2021.objects.db)
    Lsoa2011To2021.objects.bulk_create(mapping, batch_size=5000)

    say("CSP areas from the ONS lookup (those defined in SaferHub are kept)")
    csp_lads: dict[str, list[str]] = defaultdict(list)
    csp_name: dict[str, str] = {}
    for r in nat.lad_rows:
        csp_lads[r["csp24_code"]].append(r["ltla24_code"])
        csp_name[r["csp24_code"]] = r["csp24_name"]
    defined = set(
        Area.objects.filter(level=Area.Level.CSP, source=DEFINED_SOURCE).values_list(
            "code", flat=True
        )
    )
    csp_rows: dict[str, dict[str, Any]] = {}
    for code, members in sorted(csp_lads.items()):
        if code in defined:
            continue
        shared = any(len(nat.csps_of_lad[m]) > 1 for m in members)
        shapes = [lad_shapes[m] for m in members if m in lad_shapes]
        geom: dict[str, Any] = {}
        if len(shapes) == 1 and len(members) == 1:
            geom = {k: lad_geo[members[0]][k] for k in GEOMETRY_FIELDS}
        elif shapes:
            geom = _wgs_columns({code: shapely.union_all(np.array(shapes))})[code]
        csp_rows[code] = {
            "name": csp_name[code],
            "code_year": CODE_YEARS["csp"],
            "parent": forces[nat.pfa_of_lad[members[0]]],
            "source": SHARED_CSP_SOURCE if shared else IMPORTED_CSP_SOURCE,
            **geom,
        }
    csps = _areas_put(Area.Level.CSP, csp_rows)
    legacy = Area.objects.filter(
        level=Area.Level.CSP, source=LEGACY_CSP_SOURCE, archived_at__isnull=True
    )
    legacy_archived = legacy.update(archived_at=timezone.now())
    _members_put(
        list(csps.values()),
        {code: [lads[m] for m in csp_lads[code]] for code in csps},
    )
    force_lads: dict[str, list[Area]] = defaultdict(list)
    for code, lad in lads.items():
        force_lads[nat.pfa_of_lad[code]].append(lad)
    _members_put(list(forces.values()), dict(force_lads))
    for area in selectors.defined_areas(level=Area.Level.CSP):
        parent = _parent_of(Area.Level.CSP, list(area.members.all()))
        if parent is not None and area.parent_id != parent.pk:
            area.parent = parent
            area.save(update_fields=["parent"])

    say("Population (Census 2021, Census 2011, IoD 2019) and IMD 2019")
    pops, imd_rows = _population_and_imd(root, nat)
    areas_by_level: dict[str, dict[str, Area]] = {
        "lsoa": lsoas,
        "ward": wards,
        "lad": lads,
        "csp": csps,
        "force": forces,
    }
    Population.objects.filter(source__in=DENOMINATOR_SOURCES).delete()
    rows = []
    for level, code, year, src, persons, households, method in _population_sums(
        pops, nat, csp_lads={c: csp_lads[c] for c in csps}
    ):
        area = areas_by_level[level].get(code)
        if area is not None:
            rows.append(
                Population(
                    area_id=area.pk,
                    year=year,
                    source=src,
                    persons=persons,
                    households=households,
                    method=method,
                )
            )
    Population.objects.bulk_create(rows, batch_size=5000)
    for area in selectors.defined_areas():
        area_population_refresh(area)
    Imd.objects.all()._raw_delete(Imd.objects.db)
    Imd.objects.bulk_create(imd_rows, batch_size=5000)

    summary = {
        "lsoas_2021": len(lsoas),
        "lsoas_without_boundary": sum(1 for r in nat.lsoas if r["lsoa21_code"] not in index_of),
        "wards": len(wards),
        "lads": len(lads),
        "csps": len(csps),
        "csps_sharing_a_lad": sum(1 for r in csp_rows.values() if r["source"] == SHARED_CSP_SOURCE),
        "csps_defined_kept": len(defined),
        "csps_one_per_lad_archived": legacy_archived,
        "forces": len(forces),
        "lsoa_links_2011_2021": len(mapping),
        "populations": len(rows),
        "imd_rows": len(imd_rows),
    }
    audit_record(actor=actor, action="geography.import", object_type="geography.Area", new=summary)
    return summary


# One LSOA 2021's figure of one source: (persons, households or None, rule).
_Figure = tuple[int, int | None, str]


def _population_and_imd(
    root: Path, nat: _National
) -> tuple[dict[str, dict[str, _Figure]], list[Imd]]:
    """Per LSOA 2021 and source, persons (and households), and the IMD rows.

    Census 2021 is per 2021 LSOA. A 2011 figure is carried through the ONS lookup: each
    2011 LSOA's figure is divided in equal shares among its 2021 LSOAs (one for U and M,
    several for S and X; remainders in whole persons to the first by code), and a 2021
    LSOA sums the shares it receives (a merged LSOA sums its parents).
    IMD 2019: a 2021 LSOA takes the rank and decile of the most deprived of the 2011 LSOAs
    it comes from (U: the same LSOA; S: the parent; M and X: the most deprived parent).
    """
    census21 = loaders.read_census_2021(root)
    census11 = loaders.read_census_2011(root)
    iod = loaders.read_iod_population(root)
    imd = loaders.read_imd(root)
    kids: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for link in nat.links:
        kids[link["lsoa11_code"]].append(link["lsoa21_code"])
        parents[link["lsoa21_code"]].append(link["lsoa11_code"])
    figures: dict[str, dict[str, _Figure]] = defaultdict(dict)
    for r in nat.lsoas:
        code = r["lsoa21_code"]
        if code in census21:
            figures[code][CENSUS_2021_SOURCE] = (census21[code], None, "Census 2021 (same LSOA)")
    for src, table in ((CENSUS_SOURCE, census11), (IOD_SOURCE, iod)):
        shares: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        held: dict[str, list[str]] = defaultdict(list)
        for old, children in kids.items():
            value = table.get(old)
            if value is None:
                continue
            persons, households = (value, 0) if isinstance(value, int) else value
            ordered = sorted(children)
            for child, p, h in zip(
                ordered,
                _split_equal(persons, len(ordered)),
                _split_equal(households, len(ordered)),
            ):
                shares[child][0] += p
                shares[child][1] += h
                held[child].append(old if len(ordered) == 1 else f"{old} (1 of {len(ordered)})")
        for code, (persons, households) in shares.items():
            olds = held[code]
            rule = (
                "same code"
                if olds == [code]
                else "carried from 2011 LSOA " + ", ".join(sorted(olds))
                + " (equal shares of a split, sum of a merge)"
            )
            figures[code][src] = (persons, households if src == CENSUS_SOURCE else None, rule)
    imd_rows: list[Imd] = []
    for old, e in sorted(imd.items()):
        imd_rows.append(
            Imd(
                lsoa_code=old,
                vintage=2011,
                lsoa11_code=old,
                rank=e["rank"],
                decile=e["decile"],
                crime_rank=e.get("crime_rank"),
                crime_decile=e.get("crime_decile"),
                rule="IoD 2019",
            )
        )
    change_of = {(lk["lsoa11_code"], lk["lsoa21_code"]): lk["change_code"] for lk in nat.links}
    for r in nat.lsoas:
        code = r["lsoa21_code"]
        held_parents = [p for p in parents.get(code, []) if p in imd]
        if not held_parents:
            continue
        best = min(held_parents, key=lambda p: (imd[p]["rank"], p))
        change = change_of[(best, code)]
        if len(held_parents) == 1 and best == code:
            rule = "same code"
        elif change == "S":
            rule = f"inherited from 2011 LSOA {best} (split)"
        else:
            word = "merged" if change == "M" else "irregular"
            rule = (
                f"most deprived of the {word} 2011 LSOAs {', '.join(sorted(held_parents))}: "
                f"{best}"
            )
        e = imd[best]
        imd_rows.append(
            Imd(
                lsoa_code=code,
                vintage=2021,
                lsoa11_code=best,
                rank=e["rank"],
                decile=e["decile"],
                crime_rank=e.get("crime_rank"),
                crime_decile=e.get("crime_decile"),
                rule=rule,
            )
        )
    return figures, imd_rows


def _population_sums(
    figures: dict[str, dict[str, _Figure]], nat: _National, *, csp_lads: dict[str, list[str]]
) -> list[tuple[Any, ...]]:
    """LSOA rows, and ward, LAD, CSP and force sums of their 2021 LSOAs (best fit)."""
    rows: list[tuple[Any, ...]] = []
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    lad_totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in nat.lsoas:
        code = r["lsoa21_code"]
        for src, (persons, households, rule) in figures.get(code, {}).items():
            rows.append(("lsoa", code, SOURCE_YEARS[src], src, persons, households, rule))
            for level, area_code in (
                ("ward", r["ward24_code"]),
                ("force", nat.pfa_of_lad[r["ltla24_code"]]),
            ):
                t = totals[(level, area_code, src)]
                t[0] += persons
                t[1] += households or 0
                t[2] += 1
            t = lad_totals[(r["ltla24_code"], src)]
            t[0] += persons
            t[1] += households or 0
            t[2] += 1
    for (lad, src), t in lad_totals.items():
        totals[("lad", lad, src)] = t
    for csp, lad_codes in csp_lads.items():
        for src in DENOMINATOR_SOURCES:
            parts = [lad_totals[(m, src)] for m in lad_codes if (m, src) in lad_totals]
            if parts:
                totals[("csp", csp, src)] = [
                    sum(p[0] for p in parts),
                    sum(p[1] for p in parts),
                    sum(p[2] for p in parts),
                ]
    for (level, code, src), (persons, households, n) in totals.items():
        rows.append(
            (
                level,
                code,
                SOURCE_YEARS[src],
                src,
                persons,
                households if src == CENSUS_SOURCE else None,
                f"sum of {n} LSOAs (2021, best fit)",
            )
        )
    return rows


# Custom CSP areas and neighbourhoods ---------------------------------------------------

DEFINED_SOURCE = selectors.DEFINED_SOURCE
DEFINED_LEVELS: tuple[str, ...] = (Area.Level.CSP, Area.Level.NEIGHBOURHOOD)
# What each defined level may be made of (one level per area, so nothing counts twice).
MEMBER_LEVELS: dict[str, tuple[str, ...]] = {
    Area.Level.CSP: (Area.Level.LAD, Area.Level.WARD, Area.Level.LSOA),
    Area.Level.NEIGHBOURHOOD: (Area.Level.WARD, Area.Level.LSOA),
}
CODE_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
NAME_MAX = 200
# Members named in one error message at most (the rest are counted).
NAMED_AT_MOST = 10


@dataclass
class AreaDefined:
    """What :func:`area_define` or :func:`area_archive` did, and the jobs it started."""

    area: Area
    created: bool
    changed: bool
    jobs: list[Job] = field(default_factory=list)

    @property
    def job(self) -> Job | None:
        return self.jobs[0] if self.jobs else None


def _listed(codes: list[str]) -> str:
    shown = ", ".join(codes[:NAMED_AT_MOST])
    rest = len(codes) - NAMED_AT_MOST
    return f"{shown} and {rest} more" if rest > 0 else shown


def _clean_codes(codes: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for code in codes:
        text = str(code).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _validate(
    *, level: str, code: str, name: str, member_codes: list[str], member_level: str
) -> list[Area]:
    """The member areas; a ValidationError naming each field that is wrong."""
    errors: dict[str, list[str]] = defaultdict(list)
    if level not in DEFINED_LEVELS:
        errors["level"].append("Choose CSP area or neighbourhood.")
    if not code:
        errors["code"].append("Enter a code.")
    elif not CODE_RULE.match(code):
        errors["code"].append(
            "A code is 1 to 40 letters, digits, hyphens or underscores, starting with a "
            "letter or digit."
        )
    elif not Area.objects.filter(level=level, code=code).exists():
        # A new code: not one of another level's (an area held keeps its code, such as
        # the CSP area of one local authority, which has the authority's code).
        other = Area.objects.live().filter(code=code).exclude(level=level).first()
        if other is not None:
            errors["code"].append(
                f"The code {code} is already used by the "
                f"{selectors.LEVEL_NAMES.get(other.level, other.level)} {other.name}: "
                "choose another code."
            )
    if not name:
        errors["name"].append("Enter a name.")
    elif len(name) > NAME_MAX:
        errors["name"].append(f"A name is at most {NAME_MAX} characters.")
    elif (
        level in DEFINED_LEVELS
        and Area.objects.live().filter(level=level, name__iexact=name).exclude(code=code).exists()
    ):
        errors["name"].append(
            f"Another {selectors.LEVEL_NAMES[level]} is already called {name}: choose another name."
        )
    allowed = MEMBER_LEVELS.get(level, ())
    members: list[Area] = []
    if member_level not in allowed:
        kinds = " or ".join(selectors.MEMBER_NAMES_PLURAL[m] for m in allowed) or "members"
        label = selectors.LEVEL_NAMES.get(level, "area")
        errors["member_level"].append(f"A {label} is made of {kinds}.")
    elif not member_codes:
        errors["members"].append(f"Choose at least one {selectors.MEMBER_NAMES[member_level]}.")
    else:
        members = list(selectors.member_candidates(member_level).filter(code__in=member_codes))
        missing = sorted(set(member_codes) - {m.code for m in members})
        if missing:
            errors["members"].append(
                f"No {selectors.MEMBER_NAMES[member_level]} held with "
                f"code{'s' if len(missing) > 1 else ''} {_listed(missing)}."
            )
    if level == Area.Level.CSP and members and not errors:
        clashes = _csp_clashes(code, members, member_level)
        if clashes:
            errors["members"].append(
                "Each place belongs to one CSP area at a time: "
                + "; ".join(clashes)
                + ". Change or remove that CSP area first."
            )
    if errors:
        raise ValidationError(dict(errors))
    return members


def _csp_clashes(code: str, members: list[Area], member_level: str) -> list[str]:
    """Members already in another CSP area at the same level ("E05... is in Derby (...)")."""
    through = Area.members.through
    held: dict[str, list[str]] = defaultdict(list)
    for member_code, csp_name, csp_code in (
        through.objects.filter(
            live_q("from_area"),
            from_area__level=Area.Level.CSP,
            from_area__source=DEFINED_SOURCE,
            to_area__in=members,
        )
        .exclude(from_area__code=code)
        .values_list("to_area__code", "from_area__name", "from_area__code")
    ):
        held[f"{csp_name} ({csp_code})"].append(member_code)
    if member_level == Area.Level.LAD:
        # A CSP area with no members is the local authority of the same code.
        for csp_name, csp_code in (
            Area.objects.live()
            .filter(
                level=Area.Level.CSP,
                members__isnull=True,
                source=DEFINED_SOURCE,
                code__in=[m.code for m in members],
            )
            .exclude(code=code)
            .values_list("name", "code")
        ):
            held[f"{csp_name} ({csp_code})"].append(csp_code)
    noun = selectors.MEMBER_NAMES[member_level]
    return [
        f"{noun} {_listed(sorted(codes))} {'is' if len(codes) == 1 else 'are'} in {where}"
        for where, codes in sorted(held.items())
    ]


def _dissolved_boundary(members: list[Area]) -> dict[str, Any]:
    """Boundary, centroid and box of the members' union (blank if any has no boundary)."""
    blank: dict[str, Any] = {
        "geometry": "",
        "centroid_x": None,
        "centroid_y": None,
        "bbox_min_x": None,
        "bbox_min_y": None,
        "bbox_max_x": None,
        "bbox_max_y": None,
    }
    if not members or any(not m.geometry for m in members):
        return blank
    try:
        parts = [loaders.to_bng(shape(json.loads(m.geometry))) for m in members]
    except (ValueError, TypeError, KeyError):
        return blank
    union = ops.unary_union(parts)
    return _geometry_fields(loaders.to_wgs84(union), union)


def _parent_of(level: str, members: list[Area]) -> Area | None:
    """A CSP area is part of the force area its places are in (if one); a neighbourhood
    of its local authority, if one."""
    lookup = Lsoa.objects.filter(code__in=selectors.lsoa_codes_of(members))
    if level == Area.Level.CSP:
        forces = set(lookup.values_list("force_code", flat=True)) - {""}
        if len(forces) != 1:
            return None
        return Area.objects.live().filter(level=Area.Level.FORCE, code=forces.pop()).first()
    lads = set(lookup.values_list("lad_code", flat=True))
    if len(lads) != 1:
        return None
    return Area.objects.filter(level=Area.Level.LAD, code=lads.pop()).first()


def area_population_refresh(area: Area) -> int:
    """Population of a defined area: the sum of its 2021 LSOAs, per year and source."""
    lsoas = selectors.area_lsoa_codes(area)
    Population.objects.filter(area=area, source__in=DENOMINATOR_SOURCES).delete()
    sums = (
        Population.objects.filter(
            area__level=Area.Level.LSOA,
            area__vintage=2021,
            area__code__in=lsoas,
            source__in=DENOMINATOR_SOURCES,
        )
        .values("year", "source")
        .annotate(persons=Sum("persons"), households=Sum("households"), n=Count("id"))
        .order_by("year", "source")
    )
    rows = [
        Population(
            area=area,
            year=s["year"],
            source=s["source"],
            persons=s["persons"],
            households=s["households"] if s["source"] == CENSUS_SOURCE else None,
            method=f"sum of {s['n']} LSOAs (2021, best fit)",
        )
        for s in sums
    ]
    Population.objects.bulk_create(rows)
    return len(rows)


def _definition(area: Area) -> dict[str, Any]:
    members = list(area.members.order_by("code").values_list("level", "code"))
    return {
        "name": area.name,
        "member_level": members[0][0] if members else "",
        "members": [c for _, c in members],
    }


@transaction.atomic
def area_define(
    *,
    actor: Any,
    level: str,
    code: str,
    name: str,
    member_codes: list[str],
    member_level: str,
) -> AreaDefined:
    """Create or change a CSP area or neighbourhood made of LADs, wards or LSOAs.

    Every member is of one level (so each incident counts once in the area's figures).
    A place belongs to one CSP area at a time at each level: a ward already in another
    CSP area is refused; a CSP area made of wards takes them from the local authority's
    CSP area (an LSOA beats a ward, which beats a local authority). Wrong input raises
    ``ValidationError`` naming the field (level, code, name, member_level, members).

    Audited. For a CSP area the registered followers run (the re-placement of
    incidents, as a background job after this transaction commits).
    """
    code = (code or "").strip()
    name = " ".join((name or "").split())
    codes = _clean_codes(member_codes)
    members = _validate(
        level=level, code=code, name=name, member_codes=codes, member_level=member_level
    )
    area = Area.objects.filter(level=level, code=code).first()
    created = area is None or area.archived_at is not None
    old = _definition(area) if area is not None and area.archived_at is None else {}
    if area is None:
        area = Area(level=level, code=code)
    area.name = name
    area.archived_at = None
    area.source = DEFINED_SOURCE
    area.vintage = 2021
    stamp(area, actor)
    area.parent = _parent_of(level, members)
    for attr, value in _dissolved_boundary(members).items():
        setattr(area, attr, value)
    area.full_clean()
    area.save()
    area.members.set(members)
    area_population_refresh(area)
    new = {"name": name, "member_level": member_level, "members": sorted(m.code for m in members)}
    audit_record(
        actor=actor,
        action="geography.area_define",
        obj=area,
        old=old,
        new=new,
        detail=f"{level} {code}: {len(members)} {selectors.MEMBER_NAMES_PLURAL[member_level]}",
    )
    jobs = hooks.csp_changed(actor=actor, area=area) if level == Area.Level.CSP else []
    return AreaDefined(area=area, created=created, changed=old != new, jobs=jobs)


@transaction.atomic
def area_archive(*, actor: Any, level: str, code: str) -> AreaDefined:
    """Remove (archive) a CSP area or neighbourhood; audited. Its record is kept.

    For a CSP area the followers run: its incidents go to whichever CSP area now holds
    their place (none, if no other does).
    """
    if level not in DEFINED_LEVELS:
        raise ValidationError({"level": ["Only CSP areas and neighbourhoods can be removed."]})
    area = Area.objects.live().filter(level=level, code=code).first()
    if area is None:
        raise ValidationError(
            {"code": [f"No {selectors.LEVEL_NAMES[level]} with code {code} is held."]}
        )
    old = _definition(area)
    area.archived_at = timezone.now()
    stamp(area, actor)
    area.save(update_fields=["archived_at", "modified_by", "modified_at"])
    audit_record(
        actor=actor,
        action="geography.area_archive",
        obj=area,
        old=old,
        new={"archived_at": area.archived_at},
        detail=f"{level} {code}",
    )
    jobs = hooks.csp_changed(actor=actor, area=area) if level == Area.Level.CSP else []
    return AreaDefined(area=area, created=False, changed=True, jobs=jobs)
