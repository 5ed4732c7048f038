"""Reads for the family of most similar partnerships: every CSP's profile from what is held.

The variables are built from the national geography (LSOA populations, extents, rural-urban
class and IMD 2019 deciles, summed to each CSP through its member local authorities); the
method is :func:`saferhub.analysis.family.most_similar`. A CSP lacking a figure (Welsh
LSOAs have no IMD 2019 rank, for example) is left out of the comparison and named; if the
home partnership itself lacks one, the family is built without that variable and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Q

from saferhub.analysis.family import (
    DEFAULT_FAMILY_SIZE,
    DEFAULT_VARIABLES,
    Family,
    most_similar,
)
from saferhub.geography.models import Area, Imd, Lsoa, Population

CENSUS_2021 = 2021
MOST_DEPRIVED_DECILES = 2


@dataclass(frozen=True)
class PartnershipFamily:
    """A family of CSPs with their names, for the assessment and its exports."""

    home: Area
    family: Family | None
    names: dict[str, str]
    description: str
    reason: str = ""  # why there is no family, when there is none

    @property
    def codes(self) -> list[str]:
        return list(self.family.members) if self.family else []


def csp_profiles() -> pd.DataFrame:
    """One row per live CSP: code, name, shares_a_local_authority, lsoas, population,
    extent_km2, density, deprived_share, rural_share (figures from Census 2021, the LSOA
    boundaries, IMD 2019 and the 2021 rural-urban class; NaN where a figure is not held for
    every LSOA, or where the CSP is one of several listed for one local authority)."""
    lsoas = pd.DataFrame(
        list(
            Area.objects.live()
            .filter(level=Area.Level.LSOA, vintage=2021)
            .values_list("code", "extent_km2", "rural_urban")
        ),
        columns=["lsoa", "extent_km2", "rural_urban"],
    )
    lad_of = dict(Lsoa.objects.values_list("code", "lad_code"))
    lsoas["lad"] = lsoas["lsoa"].map(lad_of)
    people = dict(
        Population.objects.filter(
            area__level=Area.Level.LSOA, area__vintage=2021, year=CENSUS_2021
        ).values_list("area__code", "persons")
    )
    lsoas["population"] = lsoas["lsoa"].map(people)
    deciles = dict(Imd.objects.filter(vintage=2021).values_list("lsoa_code", "decile"))
    lsoas["decile"] = lsoas["lsoa"].map(deciles)
    # Rural-urban class 2021: codes beginning "R" are rural; no code held is unknown.
    lsoas["rural"] = [None if not c else c.startswith("R") for c in lsoas["rural_urban"]]
    members = pd.DataFrame(
        list(
            Area.members.through.objects.filter(
                from_area__level=Area.Level.CSP,
                from_area__archived_at__isnull=True,
                to_area__level=Area.Level.LAD,
            ).values_list("from_area__code", "from_area__name", "to_area__code")
        ),
        columns=["code", "name", "lad"],
    )
    # A local authority listed under several CSPs (the former districts of a new unitary
    # authority) gives none of them figures of its own: those CSPs are left out, named.
    shared_lads = set(members.groupby("lad")["code"].nunique().loc[lambda n: n > 1].index)
    joined = members.merge(lsoas, on="lad", how="left")
    rows = []
    for (code, name), group in joined.groupby(["code", "name"], sort=True):
        shared = bool(set(group["lad"]) & shared_lads)
        complete = group["lsoa"].notna().all() and len(group) and not shared
        pop = group["population"]
        rows.append(
            {
                "code": code,
                "name": name,
                "shares_a_local_authority": shared,
                "lsoas": int(group["lsoa"].notna().sum()),
                "population": float(pop.sum()) if complete and pop.notna().all() else None,
                "extent_km2": float(group["extent_km2"].sum())
                if complete and group["extent_km2"].notna().all()
                else None,
                "deprived_share": float((group["decile"] <= MOST_DEPRIVED_DECILES).mean())
                if complete and group["decile"].notna().all()
                else None,
                "rural_share": float(pop[group["rural"] == True].sum() / pop.sum())  # noqa: E712
                if complete and group["rural"].notna().all() and pop.notna().all() and pop.sum()
                else None,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "code",
            "name",
            "shares_a_local_authority",
            "lsoas",
            "population",
            "extent_km2",
            "deprived_share",
            "rural_share",
        ],
    )
    frame["density"] = frame["population"] / frame["extent_km2"]
    return frame


def partnership_of(area: Area) -> Area | None:
    """The CSP an area is compared as: itself, or the CSP that is exactly this one
    local authority; ``None`` for any other area (a ward, a force, one LAD of several)."""
    if area.level == Area.Level.CSP:
        return area
    if area.level != Area.Level.LAD:
        return None
    for csp in Area.objects.live().filter(level=Area.Level.CSP, members=area):
        if list(csp.members.values_list("code", flat=True)) == [area.code]:
            return csp
    return None


def partnership_family(
    area: Area, *, size: int = DEFAULT_FAMILY_SIZE, named: list[str] | None = None
) -> PartnershipFamily:
    """The family the area is compared with: the ``size`` most similar CSPs nationally, or
    the CSPs ``named`` (codes of CSPs or of the local authorities that are one CSP)."""
    profiles = csp_profiles()
    names = dict(zip(profiles["code"], profiles["name"], strict=True))
    home = partnership_of(area) or area
    if named:
        codes = _named_codes(named)
        if home.code not in codes and home.level == Area.Level.CSP:
            codes.insert(0, home.code)
        names.update(dict(Area.objects.filter(code__in=codes).values_list("code", "name")))
        listed = ", ".join(names.get(c, c) for c in codes)
        return _named_family(home, codes, names, listed)
    if home.level != Area.Level.CSP or home.code not in names:
        return PartnershipFamily(
            home=home,
            family=None,
            names=names,
            description="",
            reason=f"{area.name} is not a Community Safety Partnership area, so it has no "
            "family of most similar partnerships; name the areas to compare with.",
        )
    mine = profiles[profiles["code"] == home.code].iloc[0]
    variables = tuple(v for v in DEFAULT_VARIABLES if pd.notna(mine[v.column]))
    dropped = [v.label for v in DEFAULT_VARIABLES if v not in variables]
    if not variables:
        return PartnershipFamily(
            home=home,
            family=None,
            names=names,
            description="",
            reason=f"No figures are held for {home.name} to build its family from.",
        )
    family = most_similar(profiles, home.code, size=size, variables=variables)
    note = f" ({'; '.join(dropped)} not held for {home.name}, so not used)" if dropped else ""
    return PartnershipFamily(
        home=home,
        family=family,
        names=names,
        description=f"the {len(family.members)} most similar partnerships in England and "
        f"Wales, built by SaferHub from open data{note}. {family.method}",
    )


def _named_family(
    home: Area, codes: list[str], names: dict[str, str], listed: str
) -> PartnershipFamily:
    table = pd.DataFrame({"code": codes, "distance": float("nan")})
    family = Family(
        home=home.code,
        members=tuple(codes),
        distances=table,
        variables=(),
        left_out=(),
        method="Areas named for this assessment.",
    )
    return PartnershipFamily(
        home=home, family=family, names=names, description=f"chosen for this assessment: {listed}"
    )


def _named_codes(named: list[str]) -> list[str]:
    """CSP codes for the names given (a CSP code, or a LAD code that is one CSP);
    ``ValueError`` naming each code that is neither, with the nearest match."""
    from saferhub.geography.selectors import area_not_found_message

    codes: list[str] = []
    problems = []
    for text in (t.strip() for t in named):
        if not text:
            continue
        area = (
            Area.objects.live()
            .filter(Q(code=text.upper()) | Q(name__iexact=text), level__in=["csp", "lad"])
            .order_by("level")
            .first()
        )
        csp = partnership_of(area) if area else None
        if csp is None:
            problems.append(area_not_found_message(text, level="csp"))
        elif csp.code not in codes:
            codes.append(csp.code)
    if problems:
        raise ValueError(" ".join(problems))
    return codes
