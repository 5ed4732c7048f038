"""Writes of geography: the import of ONS boundaries, lookups, population and IMD.

Rules stated here and in docs/decisions/0101-lsoa-2011-to-2021.md:

* A 2011 LSOA whose code is in the 2021 lookup is **unchanged**. A 2011 LSOA of the force
  area that is not in the lookup is **split**: its children are the new 2021 LSOAs (codes
  not among the 2011 codes) whose interior point lies inside its 2011 boundary. Children
  are ordered by code; the first is used when a row has no coordinates.
* Population of a split parent is divided among its children in **equal shares** (the
  remainder, in whole persons, goes to the first children); IMD 2019 rank and decile of a
  split parent are **inherited** by each child.
* Ward, LAD, CSP, neighbourhood and force populations are sums of their 2021 LSOAs
  (best-fit lookup).
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
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from shapely import ops
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from saferhub.accounts.audit import audit_record
from saferhub.core.models import Job, live_q
from saferhub.core.services import stamp
from saferhub.geography import hooks, loaders, selectors
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

    say("CSP areas: one per local authority (those defined in SaferHub are kept)")
    defined = set(
        Area.objects.filter(level=Area.Level.CSP, source=DEFINED_SOURCE).values_list(
            "code", flat=True
        )
    )
    for code in FORCE_LADS:
        if code in defined:
            continue
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
    # CSP areas and neighbourhoods: sums of the LSOAs they are made of.
    for area in selectors.defined_areas():
        area_population_refresh(area)
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


# Custom CSP areas and neighbourhoods ---------------------------------------------------

DEFINED_SOURCE = "Defined by its members (boundary dissolved from theirs)"
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
                f"No {selectors.MEMBER_NAMES[member_level]} of the force area with "
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
            live_q("from_area"), from_area__level=Area.Level.CSP, to_area__in=members
        )
        .exclude(from_area__code=code)
        .values_list("to_area__code", "from_area__name", "from_area__code")
    ):
        held[f"{csp_name} ({csp_code})"].append(member_code)
    if member_level == Area.Level.LAD:
        # A CSP area with no members is the local authority of the same code.
        for csp_name, csp_code in (
            Area.objects.live()
            .filter(level=Area.Level.CSP, members__isnull=True, code__in=[m.code for m in members])
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
    """A CSP area is part of the force; a neighbourhood of its local authority, if one."""
    if level == Area.Level.CSP:
        return Area.objects.live().filter(level=Area.Level.FORCE).first()
    lads = set(
        Lsoa.objects.filter(code__in=selectors.lsoa_codes_of(members)).values_list(
            "lad_code", flat=True
        )
    )
    if len(lads) != 1:
        return None
    return Area.objects.filter(level=Area.Level.LAD, code=lads.pop()).first()


def area_population_refresh(area: Area) -> int:
    """Population of a defined area: the sum of its 2021 LSOAs, per year and source."""
    lsoas = selectors.area_lsoa_codes(area)
    Population.objects.filter(area=area, source__in=[CENSUS_SOURCE, IOD_SOURCE]).delete()
    sums = (
        Population.objects.filter(
            area__level=Area.Level.LSOA,
            area__vintage=2021,
            area__code__in=lsoas,
            source__in=[CENSUS_SOURCE, IOD_SOURCE],
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
