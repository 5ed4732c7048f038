"""The assessment's inputs from the imported data (geography and incidents apps).

Used when the database holds imported police.uk records for the area; otherwise the
assessment reads the bundled files (:mod:`saferhub.assessment.sources`). Both return the
same :class:`~saferhub.assessment.sources.AreaInputs`, so the build cannot tell them apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from saferhub.assessment.sources import (
    INCIDENT_COLUMNS,
    PARTNER_COLUMNS,
    AreaInputs,
    AreaNotFound,
    SourceFile,
)
from saferhub.core.periods import format_month

EARLIEST = dt.date(1900, 1, 1)
# Area levels incidents_frame reads directly (others, e.g. custom areas, it works out).
_READ_LEVELS = {"force", "csp", "lad", "ward", "lsoa", "neighbourhood"}
LATEST = dt.date(2999, 12, 1)


def imports_available() -> bool:
    """Whether any police.uk records have been imported."""
    from saferhub.incidents.models import Incident

    return Incident.objects.exists()


def _month(value: Any) -> str:
    return format_month(value) if value is not None else ""


def months_held() -> list[str]:
    """The months the imported police.uk data holds ("YYYY-MM"), oldest first."""
    from saferhub.incidents.selectors import months_with_counts

    return [_month(m) for m in months_with_counts()]


def _bounds(months: Sequence[str] | None) -> tuple[dt.date, dt.date]:
    if not months:
        return EARLIEST, LATEST
    first, last = min(months), max(months)
    return dt.date(int(first[:4]), int(first[5:7]), 1), dt.date(int(last[:4]), int(last[5:7]), 1)


def area_inputs_from_imports(
    name_or_code: str, months: Sequence[str] | None = None, family: list[str] | None = None
) -> AreaInputs:
    """The area's inputs from the imported records, reading only ``months`` (default: all).

    Every read is filtered in the database by the area (its LSOAs and local authorities,
    its family's areas, its reporting forces) and by the months wanted, so the time does
    not grow with the other areas and forces held (docs/decisions/0213).
    """
    from django.db.models import Count

    from saferhub.geography.family import partnership_family
    from saferhub.geography.models import Area, Lsoa
    from saferhub.geography.selectors import (
        area_get,
        area_list,
        area_lsoa_codes,
        imd,
        members_of,
        population,
    )
    from saferhub.incidents.models import ImportBatch, Incident, Theme
    from saferhub.incidents.selectors import (
        forces_by_lad,
        incidents_frame,
        monthly_counts,
        reporting_forces,
        source_line,
        unplaced_by_force,
    )

    start, end = _bounds(months)

    try:
        area = area_get(name_or_code.strip())
    except Area.DoesNotExist as exc:
        raise AreaNotFound(str(exc.args[0]) if exc.args else str(exc)) from exc
    codes = sorted(area_lsoa_codes(area))
    lsoa_rows = list(
        Lsoa.objects.filter(code__in=codes).values_list(
            "code", "name", "ward_code", "ward_name", "lad_code", "lad_name"
        )
    )
    lsoas = pd.DataFrame(
        lsoa_rows, columns=["lsoa", "lsoa_name", "ward", "ward_name", "lad", "lad_name"]
    ).sort_values("lsoa", ignore_index=True)
    people = population(codes, "lsoa")
    persons = dict(zip(people["area_code"], people["persons"], strict=True)) if len(people) else {}
    homes = dict(zip(people["area_code"], people["households"], strict=True)) if len(people) else {}
    lsoas["population"] = [float(persons.get(c, 0) or 0) for c in lsoas["lsoa"]]
    lsoas["households"] = [float(homes.get(c, 0) or 0) for c in lsoas["lsoa"]]
    deciles = imd(codes)
    decile_of = (
        dict(zip(deciles["lsoa_code"], deciles["decile"], strict=True)) if len(deciles) else {}
    )
    lsoas["imd_decile"] = [decile_of.get(c) for c in lsoas["lsoa"]]
    features = []
    names = dict(zip(lsoas["lsoa"], lsoas["lsoa_name"], strict=True))
    wards = dict(zip(lsoas["lsoa"], lsoas["ward_name"], strict=True))
    for code, geometry in (
        Area.objects.filter(level=Area.Level.LSOA, vintage=2021, code__in=codes)
        .exclude(geometry="")
        .values_list("code", "geometry")
    ):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "lsoa": code,
                    "name": names.get(code, code),
                    "ward": wards.get(code, ""),
                },
                "geometry": json.loads(geometry),
            }
        )
    features.sort(key=lambda f: f["properties"]["lsoa"])
    lads = sorted(set(lsoas["lad"]))
    level = area.level if area.level in _READ_LEVELS else None
    everything = incidents_frame(
        area_code=area.code, start=start, end=end, level=level, lad_codes=lads or None
    )
    is_partner = everything["source"].astype(str).str.startswith("partner:")
    frame = everything[~is_partner & everything["lsoa"].isin(set(codes))]
    # Partner rows: in the area (placed in one of its LSOAs, or given the area without
    # a place), each with its own category, theme and pseudonymous references. Every
    # month of them is read (they are few): a partner source's coverage is its first to
    # last month with records, whatever the period.
    partner = incidents_frame(
        area_code=area.code,
        start=EARLIEST,
        end=LATEST,
        level=level,
        lad_codes=lads or None,
        source_prefix="partner:",
    )
    partner_rows = partner[partner["lsoa"].isin(set(codes)) | (partner["lsoa"] == "")]
    theme_names = dict(Theme.objects.values_list("key", "name"))
    partner_incidents = pd.DataFrame(
        {
            "theme": partner_rows["theme"],
            "theme_title": partner_rows["theme"].map(theme_names).fillna(partner_rows["theme"]),
            "month": [_month(m) for m in partner_rows["month"]],
            "lsoa": partner_rows["lsoa"].replace("", None),
            "victim_id": partner_rows["victim_ref"].replace("", None),
            "location_ref": partner_rows["location_ref"].replace("", None),
            "source": partner_rows["source"].str.removeprefix("partner:"),
            "crime_type": partner_rows["category"],
        },
        columns=PARTNER_COLUMNS,
    ).reset_index(drop=True)
    in_area = Incident.objects.filter(
        month__gte=start, month__lte=end, lad_code__in=lads, lsoa_code__in=codes
    )
    recoded = in_area.exclude(lsoa_code_original="").exclude(lsoa_code_original__in=codes).count()
    incidents = pd.DataFrame(
        {
            "crime_id": frame["crime_id"].fillna(""),
            "month": [_month(m) for m in frame["month"]],
            "longitude": pd.to_numeric(frame["longitude"], errors="coerce"),
            "latitude": pd.to_numeric(frame["latitude"], errors="coerce"),
            "location": frame["location"].replace("", None),
            "lsoa": frame["lsoa"],
            "lsoa_as_reported": frame["lsoa"],
            "crime_type": frame["category"],
            "outcome": frame["outcome"].fillna(""),
        },
        columns=INCIDENT_COLUMNS,
    ).reset_index(drop=True)
    # The family: the most similar partnerships nationally (or the CSPs named), their
    # populations and monthly counts by crime type (docs/decisions/0214).
    home_forces = set(Lsoa.objects.filter(code__in=codes).values_list("force_code", flat=True))
    chosen = partnership_family(area, named=family)
    if chosen.family is not None:
        family_codes = chosen.codes
        family_description = chosen.description
    else:
        # Not a partnership area (a ward, a force area): the CSPs of its force area(s).
        family_codes = [
            a.code
            for a in area_list(level="csp").select_related("parent")
            if a.parent and a.parent.code in home_forces
        ]
        family_description = (
            "the Community Safety Partnership areas of the police force area(s) it lies in ("
            + chosen.reason.split(",")[0]
            + ")"
        )
    csps = list(
        Area.objects.live()
        .filter(level=Area.Level.CSP, code__in=family_codes)
        .select_related("parent")
    )
    # A partnership's figures are its own force's records: one whose force's records are
    # not held has no data, whatever few cross-border records of another force fall in
    # it (a neighbour's 3 records are not a rate of 0.01 per 1,000).
    # (A partnership defined here, with no force area above it, is judged by its records.)
    member_lads = {
        code: members.get(Area.Level.LAD, [])
        for code, members in members_of(Area.Level.CSP, [a.code for a in csps]).items()
    }
    reported = forces_by_lad({lad for lads in member_lads.values() for lad in lads}, start, end)
    with_data = [
        a.code
        for a in csps
        if a.parent is None
        or a.code == area.code
        or any(a.parent.code in reported.get(lad, ()) for lad in member_lads.get(a.code, []))
    ]
    csp_people = population([a.code for a in csps], "csp")
    family_frame = pd.DataFrame(
        {
            "lad": csp_people["area_code"] if len(csp_people) else [],
            "lad_name": csp_people["area_name"] if len(csp_people) else [],
            "population": csp_people["persons"].astype(float) if len(csp_people) else [],
        }
    )
    if chosen.family is not None:
        order = {c: i for i, c in enumerate(family_codes)}
        family_frame = family_frame.sort_values(
            "lad", key=lambda c: c.map(order), ignore_index=True
        )
        # The home partnership carries the assessed area's name (its own row of the table).
        family_frame.loc[family_frame["lad"] == chosen.home.code, "lad_name"] = area.name
    else:
        family_frame = family_frame.sort_values("lad", ignore_index=True)
    counts = monthly_counts(area_codes=with_data, level="csp", themes=None, start=start, end=end)
    counts = counts.drop_duplicates(["area_code", "category", "month"])
    without_data = sorted(
        set(family_frame["lad"]) - set(counts["area_code"]),
        key=lambda c: list(family_frame["lad"]).index(c),
    )
    family_incidents = pd.DataFrame(
        {
            "lad": counts["area_code"],
            "month": [_month(m) for m in counts["month"]],
            "crime_type": counts["category"],
            "count": counts["count"],
        }
    )
    # The forces that reported the area's police.uk records, and their rows by month.
    reporting = list(
        in_area.exclude(source__startswith="partner:")
        .values("falls_within", "force_code")
        .annotate(n=Count("id"))
        .order_by("falls_within")
    )
    force_codes = sorted({r["force_code"] for r in reporting if r["force_code"]})
    force = monthly_counts(area_codes=force_codes, level="force", themes=None, start=start, end=end)
    force = force.drop_duplicates(["area_code", "category", "month"])
    by_month = force.groupby(force["month"].map(_month))["count"].sum()
    batches = list(
        ImportBatch.objects.filter(first_month__lte=end, last_month__gte=start).order_by(
            "created_at", "file_name"
        )
    )
    forces = reporting_forces(area, start, end)
    # A force's unplaced rows are its own area's caveat: shown for the forces that report
    # in this area and whose force area holds it (not for a neighbour's few rows here).
    unplaced = unplaced_by_force(
        [f["force_code"] for f in forces if f["force_code"] in home_forces], start, end
    )
    year = people["year"].iloc[0] if len(people) else ""
    source = people["source"].iloc[0] if len(people) else "no population held"
    return AreaInputs(
        code=area.code,
        name=area.name,
        kind=area.get_level_display().lower(),
        lsoas=lsoas,
        incidents=incidents,
        family=family_frame,
        family_incidents=family_incidents,
        family_description=family_description,
        family_without_data=[
            str(family_frame.loc[family_frame["lad"] == c, "lad_name"].iloc[0])
            for c in without_data
        ],
        boundaries={"type": "FeatureCollection", "features": features},
        months_in_data=months_held(),
        force_rows_by_month={str(k): int(v) for k, v in by_month.items()},
        partner_incidents=partner_incidents,
        no_location_rows=sum(u.get("none", 0) for u in unplaced.values()),
        recoded_2011_rows=recoded,
        rows_outside_area_lads=sum(
            n for u in unplaced.values() for how, n in u.items() if how != "none"
        ),
        police_source=f"police.uk street-level crime and ASB ({source_line(forces)})",
        reporting_forces=forces,
        falls_within={str(r["falls_within"]): int(r["n"]) for r in reporting if r["falls_within"]},
        population_source=f"{source} (held in SaferHub)",
        population_year=str(year),
        sources=[
            SourceFile(
                b.file_name,
                b.sha256,
                b.rows_loaded,
                f"import batch {b.pk}: {b.get_kind_display()}, {b.get_status_display()}, "
                f"{_month(b.first_month)} to {_month(b.last_month)}",
            )
            for b in batches
        ],
    )
