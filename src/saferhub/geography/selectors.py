"""Reads of areas, boundaries and populations (other apps call these, never the models)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from django.db.models import Q, QuerySet

from saferhub.core.models import live_q
from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population

LEVELS = ["force", "csp", "lad", "ward", "lsoa", "neighbourhood"]
# Plain words for each level, for messages and pages.
LEVEL_NAMES = {
    "force": "force area",
    "csp": "CSP area",
    "lad": "local authority",
    "ward": "ward",
    "lsoa": "LSOA",
    "neighbourhood": "neighbourhood",
}
MEMBER_NAMES = {"lad": "local authority", "ward": "ward", "lsoa": "LSOA"}
MEMBER_NAMES_PLURAL = {"lad": "local authorities", "ward": "wards", "lsoa": "LSOAs"}
# When a code exists at several levels (a CSP made of one LAD has the LAD's code),
# the broadest level wins.
_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}


def area_list(*, level: str | None = None, include_archived: bool = False) -> QuerySet[Area]:
    qs = Area.objects.all()
    if level:
        qs = qs.filter(level=level)
    if not include_archived:
        qs = qs.live()
    return qs.order_by("level", "name")


def area_get(code_or_name: str, *, level: str | None = None) -> Area:
    """The area with this code (or, failing that, this name); broadest level first.

    Raises ``Area.DoesNotExist`` when there is none.
    """
    qs = Area.objects.live()
    if level:
        qs = qs.filter(level=level)
    matches = list(qs.filter(code=code_or_name)) or list(qs.filter(name__iexact=code_or_name))
    if not matches and code_or_name.strip().upper() != code_or_name:
        matches = list(qs.filter(code=code_or_name.strip().upper()))
    if not matches:
        raise Area.DoesNotExist(area_not_found_message(code_or_name, level=level))
    matches.sort(key=lambda a: (_LEVEL_ORDER.get(a.level, 99), -a.vintage))
    return matches[0]


def nearest_area(text: str, *, level: str | None = None) -> Area | None:
    """The held area whose code (or, for words, name) is nearest to ``text`` (difflib)."""
    import difflib

    wanted = text.strip()
    if not wanted:
        return None
    qs = Area.objects.live()
    if level:
        qs = qs.filter(level=level)
    looks_like_code = any(ch.isdigit() for ch in wanted)
    if looks_like_code:
        prefix = wanted[:3].upper()
        pool = dict(qs.filter(code__istartswith=prefix).values_list("code", "pk")) or dict(
            qs.values_list("code", "pk")
        )
        best = difflib.get_close_matches(wanted.upper(), list(pool), n=1, cutoff=0.5)
    else:
        pool = {}
        for name, pk in qs.values_list("name", "pk"):
            pool.setdefault(name.lower(), pk)
        best = difflib.get_close_matches(wanted.lower(), list(pool), n=1, cutoff=0.5)
    return Area.objects.get(pk=pool[best[0]]) if best else None


def area_not_found_message(text: str, *, level: str | None = None) -> str:
    """ "No ... with code X is held; the nearest is ..." for a code that resolves to nothing."""
    kinds = (
        LEVEL_NAMES[level] if level else ("LSOA, ward, local authority, CSP or police force area")
    )
    message = f"No {kinds} with code or name {text!r} is held."
    near = nearest_area(text, level=level)
    if near is not None:
        message += (
            f" The nearest is {near.code} ({near.name}, {LEVEL_NAMES.get(near.level, near.level)})."
        )
    return message


def area_lsoa_codes(area: Area) -> set[str]:
    """The 2021 LSOA codes an area is made of (by the ONS best-fit lookup)."""
    if area.level == Area.Level.LSOA:
        if area.vintage == 2011:
            return set(
                Lsoa2011To2021.objects.filter(lsoa11_code=area.code).values_list(
                    "lsoa21_code", flat=True
                )
            )
        return {area.code}
    if area.level == Area.Level.WARD:
        field = "ward_code_2023" if area.code_year == 2023 else "ward_code"
        return set(Lsoa.objects.filter(**{field: area.code}).values_list("code", flat=True))
    if area.level == Area.Level.LAD:
        return set(Lsoa.objects.filter(lad_code=area.code).values_list("code", flat=True))
    members = list(area.members.all())
    if not members and area.level == Area.Level.CSP:
        return set(Lsoa.objects.filter(lad_code=area.code).values_list("code", flat=True))
    return lsoa_codes_of(members)


def lsoa_codes_of(areas: list[Area]) -> set[str]:
    """The 2021 LSOA codes a list of areas is made of (a few queries, whatever its size)."""
    codes: set[str] = set()
    by_level: dict[str, list[Area]] = {}
    for a in areas:
        by_level.setdefault(a.level, []).append(a)
    lsoas = by_level.pop(Area.Level.LSOA, [])
    codes |= {a.code for a in lsoas if a.vintage == 2021}
    old = [a.code for a in lsoas if a.vintage == 2011]
    if old:
        codes |= set(
            Lsoa2011To2021.objects.filter(lsoa11_code__in=old).values_list("lsoa21_code", flat=True)
        )
    retired_wards = [a for a in by_level.get(Area.Level.WARD, []) if a.code_year == 2023]
    if retired_wards:
        by_level[Area.Level.WARD] = [a for a in by_level[Area.Level.WARD] if a.code_year != 2023]
        codes |= set(
            Lsoa.objects.filter(ward_code_2023__in=[a.code for a in retired_wards]).values_list(
                "code", flat=True
            )
        )
    for level, field in ((Area.Level.WARD, "ward_code"), (Area.Level.LAD, "lad_code")):
        items = by_level.pop(level, [])
        if items:
            codes |= set(
                Lsoa.objects.filter(**{f"{field}__in": [a.code for a in items]}).values_list(
                    "code", flat=True
                )
            )
    for rest in by_level.values():
        for a in rest:
            codes |= area_lsoa_codes(a)
    return codes


def areas_in(area: Area, level: str) -> QuerySet[Area]:
    """The areas of ``level`` that make up ``area`` (best fit through its LSOAs)."""
    if level not in LEVELS:
        raise ValueError(f"Level must be one of {', '.join(LEVELS)}.")
    if area.level == level:
        return Area.objects.filter(pk=area.pk)
    lsoas = area_lsoa_codes(area)
    base = Area.objects.live().filter(level=level)
    if level == Area.Level.LSOA:
        return base.filter(code__in=lsoas, vintage=2021)
    if level == Area.Level.WARD:
        codes = set(Lsoa.objects.filter(code__in=lsoas).values_list("ward_code", flat=True))
        return base.filter(code__in=codes)
    if level == Area.Level.LAD:
        codes = set(Lsoa.objects.filter(code__in=lsoas).values_list("lad_code", flat=True))
        return base.filter(code__in=codes)
    inside = [a.pk for a in base if area_lsoa_codes(a) and area_lsoa_codes(a) <= lsoas]
    return base.filter(pk__in=inside)


def member_candidates(level: str) -> QuerySet[Area]:
    """The areas a CSP area or neighbourhood may be made of at ``level``: the force's
    local authorities, its wards, or its 2021 LSOAs (by code; empty for other levels)."""
    qs = Area.objects.live().filter(level=level)
    if level == Area.Level.LAD:
        return qs.order_by("name")
    if level == Area.Level.WARD:
        return qs.order_by("name")
    if level == Area.Level.LSOA:
        return qs.filter(vintage=2021).order_by("code")
    return qs.none()


def members_by_lad(level: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Wards or 2021 LSOAs of the force grouped under their local authority:
    ``[(lad code, lad name, [(code, name), ...]), ...]``, authorities by name."""
    lads = list(member_candidates(Area.Level.LAD).values_list("code", "name"))
    lookup = Lsoa.objects.filter(lad_code__in=[code for code, _ in lads])
    lad_of: dict[str, str] = {}
    if level == Area.Level.WARD:
        lad_of = dict(lookup.values_list("ward_code", "lad_code"))
    elif level == Area.Level.LSOA:
        lad_of = dict(lookup.values_list("code", "lad_code"))
    groups: dict[str, list[tuple[str, str]]] = {code: [] for code, _ in lads}
    for code, name in member_candidates(level).values_list("code", "name"):
        lad = lad_of.get(code)
        if lad in groups:
            groups[lad].append((code, name))
    return [(code, name, groups[code]) for code, name in lads if groups[code]]


def force_areas() -> list[tuple[str, str]]:
    """Police force areas held, ``[(code, name)]`` by name (live areas only)."""
    return list(
        Area.objects.live()
        .filter(level=Area.Level.FORCE)
        .order_by("name")
        .values_list("code", "name")
    )


def lad_force_codes() -> dict[str, str]:
    """Local authority code -> the code of the police force area it lies in (by the
    lookup held on its LSOAs; authorities with none are left out)."""
    return dict(
        Lsoa.objects.exclude(force_code="").values_list("lad_code", "force_code").distinct()
    )


def defined_areas(*, level: str | None = None) -> QuerySet[Area]:
    """CSP areas and neighbourhoods held (not removed), with their members, by level and
    name."""
    levels = [level] if level else [Area.Level.CSP, Area.Level.NEIGHBOURHOOD]
    return (
        Area.objects.live()
        .filter(level__in=levels)
        .prefetch_related("members")
        .order_by("level", "name")
    )


def area_members(area: Area) -> QuerySet[Area]:
    return area.members.order_by("level", "name")


def members_of(level: str, codes: list[str] | None = None) -> dict[str, dict[str, list[str]]]:
    """The members of the areas of ``level`` (all, or those ``codes``):
    ``{area code: {member level: [member codes]}}`` (removed areas left out)."""
    qs = Area.members.through.objects.filter(live_q("from_area"), from_area__level=level)
    if codes is not None:
        qs = qs.filter(from_area__code__in=codes)
    result: dict[str, dict[str, list[str]]] = {}
    for area_code, member_level, member_code in qs.values_list(
        "from_area__code", "to_area__level", "to_area__code"
    ).order_by("from_area__code", "to_area__code"):
        result.setdefault(area_code, {}).setdefault(member_level, []).append(member_code)
    return result


def lsoa_lookup_dict() -> dict[str, tuple[str, str]]:
    """LSOA 2021 code -> (ward code, LAD code), for imports."""
    return {
        code: (ward, lad)
        for code, ward, lad in Lsoa.objects.values_list("code", "ward_code", "lad_code")
    }


def lsoa_2011_map() -> dict[str, list[tuple[str, str]]]:
    """LSOA 2011 code -> [(2021 code, change)] in the stated order (first child first)."""
    result: dict[str, list[tuple[str, str]]] = {}
    for old, new, change in Lsoa2011To2021.objects.order_by("lsoa11_code", "position").values_list(
        "lsoa11_code", "lsoa21_code", "change"
    ):
        result.setdefault(old, []).append((new, change))
    return result


DEFINED_SOURCE = "Defined by its members (boundary dissolved from theirs)"


def csp_for_places() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Which CSP area each LAD, ward and LSOA belongs to (LSOA beats ward beats LAD).

    A CSP area defined in SaferHub beats the ONS lookup's for the places it holds. A
    local authority the lookup lists under several CSPs (former districts of a new
    unitary authority) is given to none of them, unless a defined CSP area holds it.
    """
    by_lad: dict[str, str] = {}
    by_ward: dict[str, str] = {}
    by_lsoa: dict[str, str] = {}
    claims: dict[str, set[str]] = {}
    csps = Area.objects.live().filter(level=Area.Level.CSP).prefetch_related("members")
    ordered = sorted(csps, key=lambda a: (a.source != DEFINED_SOURCE, a.code))
    for csp in ordered:
        defined = csp.source == DEFINED_SOURCE
        members = list(csp.members.all())
        if not members:
            by_lad.setdefault(csp.code, csp.code)
        for m in members:
            target = {"lad": by_lad, "ward": by_ward, "lsoa": by_lsoa}.get(m.level)
            if target is None:
                continue
            if m.level == Area.Level.LAD and not defined:
                if m.code in by_lad and m.code not in claims:
                    continue  # held by a defined CSP area
                claims.setdefault(m.code, set()).add(csp.code)
            target.setdefault(m.code, csp.code)
    for lad, held_by in claims.items():
        if len(held_by) > 1:
            by_lad.pop(lad, None)
    return by_lad, by_ward, by_lsoa


# Words a force's own name adds to its police force area's name.
FORCE_NAME_WORDS = frozenset({"constabulary", "police", "service", "force"})


def force_slug(name: str) -> str:
    """A force's name as a slug without the words forces add ("... Police", "...
    Constabulary"), so that police.uk's 'Falls within' and the ONS police force area
    name give the same slug."""
    from django.utils.text import slugify

    words = [w for w in slugify(name).split("-") if w and w not in FORCE_NAME_WORDS]
    return "-".join(words)[:40]


def force_area_codes() -> dict[str, str]:
    """Slug of each police force area's name -> its code (live areas only)."""
    return {
        force_slug(name): code
        for code, name in Area.objects.live()
        .filter(level=Area.Level.FORCE)
        .values_list("code", "name")
    }


def population(
    area_codes: list[str] | None, level: str, *, year: int | None = None
) -> pd.DataFrame:
    """Population of areas at ``level``: the latest year held (or ``year``), with its source.

    Columns: area_code, area_name, year, source, persons, households, method,
    households_year, households_source (households from the latest year that counts them).
    """
    qs = Population.objects.filter(live_q("area"), area__level=level)
    if area_codes is not None:
        qs = qs.filter(area__code__in=area_codes)
    if level == Area.Level.LSOA:
        qs = qs.filter(area__vintage=2021)
    if year is not None:
        qs = qs.filter(year=year)
    rows = list(
        qs.order_by("area__code", "-year").values_list(
            "area__code", "area__name", "year", "source", "persons", "households", "method"
        )
    )
    columns = ["area_code", "area_name", "year", "source", "persons", "households", "method"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame.assign(households_year=pd.Series(dtype="Int64"), households_source="")
    # Households come from the latest year that counts them (the newest population
    # estimate may count persons only), with that year and source stated beside them.
    homes = (
        frame.dropna(subset=["households"])
        .drop_duplicates("area_code", keep="first")
        .set_index("area_code")
    )
    latest = frame.drop_duplicates("area_code", keep="first").reset_index(drop=True)
    latest["households"] = latest["area_code"].map(homes["households"])
    latest["households_year"] = latest["area_code"].map(homes["year"]).astype("Int64")
    latest["households_source"] = latest["area_code"].map(homes["source"]).fillna("")
    return latest


def imd(lsoa_codes: list[str] | None = None) -> pd.DataFrame:
    """IMD 2019 decile per 2021 LSOA (split children carry their parent's figure)."""
    qs = Imd.objects.filter(vintage=2021)
    if lsoa_codes is not None:
        qs = qs.filter(lsoa_code__in=lsoa_codes)
    columns = ["lsoa_code", "lsoa11_code", "rank", "decile", "crime_rank", "crime_decile", "rule"]
    return pd.DataFrame(list(qs.values_list(*columns)), columns=columns)


def boundaries_geojson(area: Area, level: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (WGS84) of the areas of ``level`` in ``area``."""
    features = []
    for a in areas_in(area, level).exclude(geometry=""):
        features.append(
            {
                "type": "Feature",
                "properties": {"code": a.code, "name": a.name, "level": a.level},
                "geometry": json.loads(a.geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def area_search(text: str) -> QuerySet[Area]:
    return Area.objects.filter(Q(code__iexact=text) | Q(name__icontains=text))


# Rural-Urban Classification 2021: rural codes start with "R" (e.g. RLN1, RSF1).
RURAL_PREFIX = "R"
