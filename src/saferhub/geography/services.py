"""Writes of geography: the import of ONS boundaries, lookups, population and IMD.

Rules stated here and in docs/decisions/0101-lsoa-2011-to-2021.md:

* A 2011 LSOA whose code is in the 2021 lookup is **unchanged**. A 2011 LSOA of the force
  area that is not in the lookup is **split**: its children are the new 2021 LSOAs (codes
  not among the 2011 codes) whose interior point lies inside its 2011 boundary. Children
  are ordered by code; the first is used when a row has no coordinates.
* Population of a split parent is divided among its children in **equal shares** (the
  remainder, in whole persons, goes to the first children); IMD 2019 rank and decile of a
  split parent are **inherited** by each child.
* Ward, LAD, CSP and force populations are sums of their 2021 LSOAs (best-fit lookup).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from shapely import ops
from shapely.geometry.base import BaseGeometry

from saferhub.accounts.audit import audit_record
from saferhub.geography import loaders
from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population

FORCE_CODE = "derbyshire"
FORCE_NAME = "Derbyshire Constabulary"
# The 9 local authorities of the Derbyshire police force area (one CSP each).
FORCE_LADS = [
    "E06000015",
    "E07000032",
    "E07000033",
    "E07000034",
    "E07000035",
    "E07000036",
    "E07000037",
    "E07000038",
    "E07000039",
]
CENSUS_SOURCE = "Census 2011 (ONS), usual residents and households"
IOD_SOURCE = "IoD 2019 population denominators (ONS mid-2015, excluding prisoners)"

Progress = Callable[[str], None]


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
    }


def _area_upsert(
    *, level: str, code: str, name: str, vintage: int = 2021, source: str = "", **fields: Any
) -> Area:
    area, _ = Area.objects.update_or_create(
        level=level,
        code=code,
        defaults={"name": name, "vintage": vintage, "source": source, **fields},
    )
    return area


def _split_equal(total: int, parts: int) -> list[int]:
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


@transaction.atomic
def geography_import(
    *, actor: Any, data_dir: Path | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Import (or refresh) the force area's geography. Idempotent; one transaction."""
    root = Path(data_dir or settings.DATA_DIR)
    say = progress or (lambda message: None)
    geo = root / "geography"

    say("Reading the LSOA -> ward -> local authority lookup")
    lookup = loaders.read_lsoa_lookup(root)
    Lsoa.objects.all().delete()
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=r["LSOA21CD"],
                name=r["LSOA21NM"],
                ward_code=r["WD23CD"],
                ward_name=r["WD23NM"],
                lad_code=r["LAD23CD"],
                lad_name=r["LAD23NM"],
            )
            for r in lookup
        ],
        batch_size=5000,
    )
    codes_2021 = {r["LSOA21CD"] for r in lookup}
    force_rows = [r for r in lookup if r["LAD23CD"] in FORCE_LADS]

    say("Local authority boundaries (British National Grid shapefile)")
    force = _area_upsert(level=Area.Level.FORCE, code=FORCE_CODE, name=FORCE_NAME, source="ONS")
    lads: dict[str, Area] = {}
    lad_bng: dict[str, BaseGeometry] = {}
    source = "ONS Local Authority Districts (May 2025) BSC"
    for b in loaders.read_lad_shapes(root):
        lads[b.code] = _area_upsert(
            level=Area.Level.LAD,
            code=b.code,
            name=b.name,
            source=source,
            parent=force if b.code in FORCE_LADS else None,
            **_geometry_fields(b.geometry_wgs84, b.geometry_bng),
        )
        if b.code in FORCE_LADS:
            lad_bng[b.code] = b.geometry_bng
    for code in FORCE_LADS:
        if code not in lads:
            name = next((r["LAD23NM"] for r in force_rows if r["LAD23CD"] == code), code)
            lads[code] = _area_upsert(
                level=Area.Level.LAD, code=code, name=name, parent=force, source="ONS lookup"
            )
    if lad_bng:
        union = ops.unary_union(list(lad_bng.values()))
        for field, value in _geometry_fields(loaders.to_wgs84(union), union).items():
            setattr(force, field, value)
        force.save()

    force.members.set([lads[code] for code in FORCE_LADS])

    say("CSP areas: one per local authority")
    for code in FORCE_LADS:
        lad = lads[code]
        csp = _area_upsert(
            level=Area.Level.CSP,
            code=code,
            name=lad.name,
            parent=force,
            source="One CSP per local authority",
            geometry=lad.geometry,
            centroid_x=lad.centroid_x,
            centroid_y=lad.centroid_y,
            bbox_min_x=lad.bbox_min_x,
            bbox_min_y=lad.bbox_min_y,
            bbox_max_x=lad.bbox_max_x,
            bbox_max_y=lad.bbox_max_y,
        )
        csp.members.set([lad])

    say("Wards of the force area")
    wards: dict[str, Area] = {}
    for r in force_rows:
        if r["WD23CD"] not in wards:
            wards[r["WD23CD"]] = _area_upsert(
                level=Area.Level.WARD,
                code=r["WD23CD"],
                name=r["WD23NM"],
                parent=lads[r["LAD23CD"]],
                source="ONS Ward (May 2023) best-fit lookup",
            )

    say("LSOA boundaries (2011) and the split 2021 LSOAs")
    old = {
        b.code: b
        for b in loaders.read_boundaries(geo / loaders.LSOA2011_DIR, "LSOA11CD", "LSOA11NM")
    }
    new = {
        b.code: b
        for b in loaders.read_boundaries(geo / loaders.SPLIT_LSOA_DIR, "LSOA21CD", "LSOA21NM")
    }
    retired = sorted(code for code in old if code not in codes_2021)
    children: dict[str, list[str]] = defaultdict(list)
    for code, b in sorted(new.items()):
        point = b.geometry_bng.representative_point()
        parent = next((p for p in retired if old[p].geometry_bng.contains(point)), None)
        if parent is None:
            raise loaders.GeographyFileError(
                f"{code}.geojsonl: the 2021 LSOA lies in none of the retired 2011 LSOAs "
                f"({', '.join(retired)})."
            )
        children[parent].append(code)
    unsplit = [p for p in retired if not children[p]]
    if unsplit:
        raise loaders.GeographyFileError(
            f"2011 LSOA(s) {', '.join(unsplit)} are not in the 2021 lookup and no 2021 "
            "boundary lies inside them."
        )
    Lsoa2011To2021.objects.all().delete()
    links = [
        Lsoa2011To2021(lsoa11_code=c, lsoa21_code=c, change="U", source="same code in 2021 lookup")
        for c in sorted(old)
        if c in codes_2021
    ]
    for parent, kids in sorted(children.items()):
        links += [
            Lsoa2011To2021(
                lsoa11_code=parent,
                lsoa21_code=kid,
                change="S",
                position=i,
                source="2021 boundary inside the 2011 boundary",
            )
            for i, kid in enumerate(sorted(kids))
        ]
    Lsoa2011To2021.objects.bulk_create(links)

    by_code = {r["LSOA21CD"]: r for r in force_rows}
    lsoa_areas: dict[str, Area] = {}
    for code, r in sorted(by_code.items()):
        lb = old.get(code) or new.get(code)
        geom = _geometry_fields(lb.geometry_wgs84, lb.geometry_bng) if lb else {}
        lsoa_areas[code] = _area_upsert(
            level=Area.Level.LSOA,
            code=code,
            name=r["LSOA21NM"],
            parent=wards[r["WD23CD"]],
            source="ONS LSOA 2021",
            **geom,
        )
    for code in retired:
        b = old[code]
        _area_upsert(
            level=Area.Level.LSOA,
            code=code,
            name=b.name,
            vintage=2011,
            source="ONS LSOA 2011 (split in 2021)",
            **_geometry_fields(b.geometry_wgs84, b.geometry_bng),
        )

    say("Ward boundaries (Derby from ONS; elsewhere dissolved from LSOAs)")
    ward_official = {
        b.code: b for b in loaders.read_boundaries(geo / loaders.DERBY_WARD_DIR, "WD23CD", "WD23NM")
    }
    ward_lsoas: dict[str, list[BaseGeometry]] = defaultdict(list)
    for code, r in by_code.items():
        wl = old.get(code) or new.get(code)
        if wl:
            ward_lsoas[r["WD23CD"]].append(wl.geometry_bng)
    for code, ward in wards.items():
        wb = ward_official.get(code)
        if wb:
            fields = _geometry_fields(wb.geometry_wgs84, wb.geometry_bng)
            ward.source = "ONS Wards (December 2023) BGC"
        elif ward_lsoas.get(code):
            bng = ops.unary_union(ward_lsoas[code])
            fields = _geometry_fields(loaders.to_wgs84(bng), bng)
            ward.source = "Dissolved from LSOA boundaries (best fit)"
        else:
            continue
        for field, value in fields.items():
            setattr(ward, field, value)
        ward.save()

    say("Population and IMD 2019")
    population_rows, imd_rows = _population_and_imd(
        root, old_codes=set(old), children=children, by_code=by_code
    )
    areas_by_level = {
        "lsoa": lsoa_areas,
        "ward": wards,
        "lad": {c: lads[c] for c in FORCE_LADS},
        "csp": {a.code: a for a in Area.objects.filter(level="csp", code__in=FORCE_LADS)},
        "force": {FORCE_CODE: force},
    }
    Population.objects.filter(source__in=[CENSUS_SOURCE, IOD_SOURCE]).delete()
    pops = []
    for level, code, year, src, persons, households, method in population_rows:
        area = areas_by_level[level].get(code)
        if area is not None:
            pops.append(
                Population(
                    area=area,
                    year=year,
                    source=src,
                    persons=persons,
                    households=households,
                    method=method,
                )
            )
    Population.objects.bulk_create(pops, batch_size=2000)
    Imd.objects.all().delete()
    Imd.objects.bulk_create(imd_rows, batch_size=2000)

    summary = {
        "lsoa_lookup_rows": len(lookup),
        "lads": len(lads),
        "wards": len(wards),
        "lsoas_2021": len(lsoa_areas),
        "lsoas_split": len(retired),
        "lsoa_children": sum(len(k) for k in children.values()),
        "populations": len(pops),
        "imd_rows": len(imd_rows),
    }
    audit_record(actor=actor, action="geography.import", object_type="geography.Area", new=summary)
    return summary


def _population_and_imd(
    root: Path,
    *,
    old_codes: set[str],
    children: dict[str, list[str]],
    by_code: dict[str, dict[str, str]],
) -> tuple[list[tuple[Any, ...]], list[Imd]]:
    census = loaders.read_census_2011(root)
    iod = loaders.read_iod_population(root)
    imd = loaders.read_imd(root)
    parent_of = {kid: p for p, kids in children.items() for kid in kids}
    lsoa_figures: dict[str, dict[str, tuple[int, int | None, str]]] = defaultdict(dict)
    for code in by_code:
        parent = parent_of.get(code, code)
        kids = sorted(children.get(parent, [])) or [code]
        share = kids.index(code) if parent != code else 0
        rule = (
            f"equal share (1 of {len(kids)}) of 2011 LSOA {parent}"
            if parent != code
            else "same code"
        )
        if parent in census:
            persons, census_hh = census[parent]
            lsoa_figures[code][CENSUS_SOURCE] = (
                _split_equal(persons, len(kids))[share] if parent != code else persons,
                _split_equal(census_hh, len(kids))[share] if parent != code else census_hh,
                rule,
            )
        if parent in iod:
            persons = iod[parent]
            lsoa_figures[code][IOD_SOURCE] = (
                _split_equal(persons, len(kids))[share] if parent != code else persons,
                None,
                rule,
            )
    rows: list[tuple[Any, ...]] = []
    years = {CENSUS_SOURCE: 2011, IOD_SOURCE: 2015}
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for code, figures in lsoa_figures.items():
        r = by_code[code]
        for src, (persons, hh, rule) in figures.items():
            rows.append(("lsoa", code, years[src], src, persons, hh, rule))
            for level, area_code in (
                ("ward", r["WD23CD"]),
                ("lad", r["LAD23CD"]),
                ("csp", r["LAD23CD"]),
                ("force", FORCE_CODE),
            ):
                t = totals[(level, area_code, src)]
                t[0] += persons
                t[1] += hh or 0
                t[2] += 1
    for (level, code, src), (persons, households, n) in totals.items():
        rows.append(
            (
                level,
                code,
                years[src],
                src,
                persons,
                households if src == CENSUS_SOURCE else None,
                f"sum of {n} LSOAs (2021, best fit)",
            )
        )
    imd_rows = []
    for code in sorted(old_codes):
        if code in imd:
            e = imd[code]
            imd_rows.append(
                Imd(
                    lsoa_code=code,
                    vintage=2011,
                    lsoa11_code=code,
                    rank=e["rank"],
                    decile=e["decile"],
                    crime_rank=e.get("crime_rank"),
                    crime_decile=e.get("crime_decile"),
                    rule="IoD 2019",
                )
            )
    for code in sorted(by_code):
        parent = parent_of.get(code, code)
        if parent in imd:
            e = imd[parent]
            imd_rows.append(
                Imd(
                    lsoa_code=code,
                    vintage=2021,
                    lsoa11_code=parent,
                    rank=e["rank"],
                    decile=e["decile"],
                    crime_rank=e.get("crime_rank"),
                    crime_decile=e.get("crime_decile"),
                    rule="same code" if parent == code else f"inherited from 2011 LSOA {parent}",
                )
            )
    return rows, imd_rows


@transaction.atomic
def area_define(
    *, actor: Any, level: str, code: str, name: str, member_codes: list[str], member_level: str
) -> Area:
    """Create or change a CSP area or neighbourhood made of LADs, wards or LSOAs."""
    if level not in (Area.Level.CSP, Area.Level.NEIGHBOURHOOD):
        raise ValueError("Only CSP areas and neighbourhoods are defined by their members.")
    members = list(Area.objects.filter(level=member_level, code__in=member_codes))
    missing = sorted(set(member_codes) - {m.code for m in members})
    if missing:
        raise ValueError(f"No {member_level} area with code(s) {', '.join(missing)}.")
    area = Area.objects.filter(level=level, code=code).first()
    old = (
        {"name": area.name, "members": sorted(area.members.values_list("code", flat=True))}
        if area
        else {}
    )
    if area is None:
        area = Area(
            level=level,
            code=code,
            name=name,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    area.name = name
    area.full_clean()
    area.save()
    area.members.set(members)
    audit_record(
        actor=actor,
        action="geography.area_define",
        obj=area,
        old=old,
        new={"name": name, "members": sorted(member_codes)},
    )
    return area
