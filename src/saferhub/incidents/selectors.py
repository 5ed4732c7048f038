"""Reads of incident data: monthly counts, incidents for hotspots, the import ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet

from saferhub.geography import selectors as geo
from saferhub.incidents.models import (
    Category,
    ImportBatch,
    Incident,
    MonthlyCount,
    RowProblem,
    Theme,
)

AGGREGATE_LEVELS = ("force", "csp", "lad", "ward", "lsoa")
# Levels that have counts: the stored aggregate's, and neighbourhoods (sums of members).
COUNT_LEVELS = (*AGGREGATE_LEVELS, "neighbourhood")
MONTHLY_COLUMNS = ["area_code", "theme", "category", "month", "count"]
INCIDENT_COLUMNS = [
    "month",
    "category",
    "theme",
    "lsoa",
    "ward",
    "lad",
    "csp",
    "x",
    "y",
    "longitude",
    "latitude",
    "location",
    "outcome",
    "crime_id",
    "source",
    "victim_ref",
    "location_ref",
]


def _month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def category_themes() -> dict[int, list[str]]:
    """Category id -> theme keys it counts towards (the editable taxonomy)."""
    result: dict[int, list[str]] = {c: [] for c in Category.objects.values_list("pk", flat=True)}
    for cat_id, key in Category.themes.through.objects.values_list(
        "category_id", "theme__key"
    ).order_by("theme__position"):
        result.setdefault(cat_id, []).append(key)
    return result


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.live().prefetch_related("categories")


def category_list() -> QuerySet[Category]:
    return Category.objects.live().prefetch_related("themes")


def monthly_counts(
    *,
    area_codes: list[str] | None,
    level: str,
    themes: list[str] | None,
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    """Counts per area, theme, category and month from the monthly aggregate.

    A category that counts towards several themes appears once per theme (so sum within
    one theme, never across themes). Columns: area_code, theme, category, month (date,
    first of the month), count. ``themes=None`` keeps every theme; a category with no
    theme appears with theme "" only when ``themes`` is None.

    ``level="neighbourhood"`` gives each neighbourhood the sum of its members' counts
    (its wards or its LSOAs: one level per neighbourhood, so each incident counts once);
    no aggregate is stored for neighbourhoods.
    """
    if level not in COUNT_LEVELS:
        raise ValueError(f"Level must be one of {', '.join(COUNT_LEVELS)}.")
    counts: Iterable[tuple[str, int, dt.date, int]]
    if level == "neighbourhood":
        counts = _neighbourhood_counts(area_codes, start, end)
    else:
        qs = MonthlyCount.objects.filter(
            level=level, month__gte=_month_start(start), month__lte=_month_start(end)
        )
        if area_codes is not None:
            qs = qs.filter(area_code__in=area_codes)
        counts = qs.values_list("area_code", "category_id", "month", "count").iterator(
            chunk_size=20000
        )
    names = dict(Category.objects.values_list("pk", "name"))
    cat_themes = category_themes()
    wanted = set(themes) if themes is not None else None
    rows: list[tuple[Any, ...]] = []
    for area_code, cat_id, month, count in counts:
        keys = cat_themes.get(cat_id) or []
        if wanted is None:
            for key in keys or [""]:
                rows.append((area_code, key, names[cat_id], month, count))
        else:
            for key in keys:
                if key in wanted:
                    rows.append((area_code, key, names[cat_id], month, count))
    frame = pd.DataFrame(rows, columns=MONTHLY_COLUMNS)
    frame["count"] = frame["count"].astype("int64")
    return frame.sort_values(["area_code", "theme", "category", "month"]).reset_index(drop=True)


def gap_months_by_category(frame: pd.DataFrame, months: Iterable[dt.date]) -> dict[str, list[str]]:
    """The gap months ("YYYY-MM") of each category in a :func:`monthly_counts` frame.

    The one gap rule (``saferhub.analysis.gaps``, docs/decisions/0210) over ``months``
    (the months the source holds): a category with no count in a month although its other
    months average 10 or more has a gap there, not a zero.
    """
    from saferhub.analysis.gaps import category_gaps

    labels = [f"{m:%Y-%m}" for m in months]
    if frame.empty:
        return {}
    rows = frame.drop_duplicates(["area_code", "category", "month"])
    rows = rows.assign(month=[f"{m:%Y-%m}" for m in rows["month"]])
    return category_gaps(rows, labels, category_col="category", count_col="count")


def with_gap_rows(frame: pd.DataFrame, months: Iterable[dt.date]) -> pd.DataFrame:
    """A :func:`monthly_counts` frame with a ``gap`` column, and one row (count None,
    gap True) for each month of ``months`` that the one gap rule judges a gap in an
    area's category: a month missing from the source is a gap, never a zero."""
    months = list(months)
    out = frame.assign(gap=False)
    if frame.empty:
        return out
    extra = []
    theme_of = dict(zip(frame["category"], frame["theme"], strict=False))
    for area_code, rows in frame.groupby("area_code", sort=True):
        for category, gap_months in gap_months_by_category(rows, months).items():
            for label in gap_months:
                extra.append(
                    {
                        "area_code": area_code,
                        "theme": theme_of.get(category, ""),
                        "category": category,
                        "month": dt.date.fromisoformat(f"{label}-01"),
                        "count": None,
                        "gap": True,
                    }
                )
    if extra:
        out = pd.concat([out.astype({"count": object}), pd.DataFrame(extra)], ignore_index=True)
    return out.sort_values(["area_code", "theme", "category", "month"]).reset_index(drop=True)


def months_with_counts() -> list[dt.date]:
    """The months the monthly aggregate holds (first of each month), oldest first."""
    return list(
        MonthlyCount.objects.filter(level="force")
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )


def _neighbourhood_counts(
    area_codes: list[str] | None, start: dt.date, end: dt.date
) -> list[tuple[str, int, dt.date, int]]:
    """(neighbourhood, category id, month, count): sums of the members' aggregate rows."""
    members = geo.members_of("neighbourhood", area_codes)
    owners: dict[tuple[str, str], list[str]] = {}
    for hood, by_level in members.items():
        for member_level, codes in by_level.items():
            if member_level in AGGREGATE_LEVELS:
                for code in codes:
                    owners.setdefault((member_level, code), []).append(hood)
    sums: dict[tuple[str, int, dt.date], int] = {}
    for member_level in sorted({lv for lv, _ in owners}):
        codes = sorted(code for lv, code in owners if lv == member_level)
        for code, cat_id, month, count in (
            MonthlyCount.objects.filter(
                level=member_level,
                area_code__in=codes,
                month__gte=_month_start(start),
                month__lte=_month_start(end),
            )
            .values_list("area_code", "category_id", "month", "count")
            .iterator(chunk_size=20000)
        ):
            for hood in owners[(member_level, code)]:
                key = (hood, cat_id, month)
                sums[key] = sums.get(key, 0) + count
    return [(hood, cat_id, month, n) for (hood, cat_id, month), n in sums.items()]


def incidents_frame(
    *,
    area_code: str,
    start: dt.date,
    end: dt.date,
    themes: list[str] | None = None,
    level: str | None = None,
    lad_codes: Iterable[str] | None = None,
    source_prefix: str | None = None,
) -> pd.DataFrame:
    """One row per incident in an area and month range, for hotspot and repeat analysis.

    ``lad_codes`` (optional): the local authorities the area lies in, when the caller
    knows them; the read then goes through the month and local authority index, so its
    time does not grow with the other areas (and forces) held. Rows with no local
    authority (a partner row given only the area) are kept. ``source_prefix`` (optional)
    keeps only the rows whose source starts with it (e.g. ``"partner:"``).

    ``area_code`` is matched at ``level`` (csp, lad, ward, lsoa, force, or neighbourhood:
    the incidents of its members); when no level is given, the broadest level holding
    the code is used. Columns: month, category,
    theme (the first of ``themes`` the category counts towards; with no ``themes``, the
    category's own specific theme, e.g. "violence" rather than "all-crime"), lsoa, ward,
    lad, csp, x, y (BNG metres),
    longitude, latitude, location, outcome, crime_id, source ("police.uk" or
    "partner:<name>"), victim_ref and location_ref (pseudonymous; blank where the source
    has none).
    """
    field = {
        "force": "force_code",
        "csp": "csp_code",
        "lad": "lad_code",
        "ward": "ward_code",
        "lsoa": "lsoa_code",
    }
    qs = Incident.objects.filter(month__gte=_month_start(start), month__lte=_month_start(end))
    if lad_codes is not None:
        qs = qs.filter(Q(lad_code__in=sorted(set(lad_codes))) | Q(lad_code=""))
    if source_prefix is not None:
        qs = qs.filter(source__startswith=source_prefix)
    if level is None:
        for candidate in ("force", "csp", "lad", "ward", "lsoa"):
            if qs.filter(**{field[candidate]: area_code}).exists():
                level = candidate
                break
        else:
            level = "neighbourhood" if geo.members_of("neighbourhood", [area_code]) else "lad"
    if level == "neighbourhood":
        members = geo.members_of("neighbourhood", [area_code]).get(area_code, {})
        where = Q(pk__in=[])
        for member_level, codes in members.items():
            if member_level in field:
                where |= Q(**{f"{field[member_level]}__in": codes})
        qs = qs.filter(where)
    elif level in field:
        qs = qs.filter(**{field[level]: area_code})
    else:
        raise ValueError(f"Level must be one of {', '.join(COUNT_LEVELS)}.")
    cat_themes = category_themes()
    names = dict(Category.objects.values_list("pk", "name"))
    if themes is not None:
        wanted = set(themes)
        cat_ids = [c for c, keys in cat_themes.items() if wanted & set(keys)]
        qs = qs.filter(category_id__in=cat_ids)
    else:
        wanted = set()
    fields = [
        "month",
        "category_id",
        "lsoa_code",
        "ward_code",
        "lad_code",
        "csp_code",
        "bng_x",
        "bng_y",
        "longitude",
        "latitude",
        "location",
        "outcome",
        "crime_id",
        "source",
        "victim_ref",
        "location_ref",
    ]
    # One columnar read: the rows go straight into a DataFrame, and the category's name
    # and theme are mapped per category (a few dozen), not per incident.
    raw = pd.DataFrame.from_records(
        qs.values_list(*fields).iterator(chunk_size=20000), columns=fields, coerce_float=False
    )
    theme_of: dict[int, str] = {}
    for cat_id, keys in cat_themes.items():
        keys = keys or [""]
        theme_of[cat_id] = next((k for k in keys if k in wanted), keys[0]) if wanted else keys[-1]
    renamed = raw.rename(
        columns={
            "lsoa_code": "lsoa",
            "ward_code": "ward",
            "lad_code": "lad",
            "csp_code": "csp",
            "bng_x": "x",
            "bng_y": "y",
        }
    )
    renamed["category"] = raw["category_id"].map(names)
    renamed["theme"] = raw["category_id"].map(theme_of).fillna("")
    frame = renamed[INCIDENT_COLUMNS].reset_index(drop=True)
    for col in ("x", "y"):
        frame[col] = frame[col].astype("Int64")
    return frame


def batch_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.live().order_by("-created_at", "file_name")


def batch_problems(batch: ImportBatch) -> QuerySet[RowProblem]:
    return batch.problems.order_by("row_number", "column")


def incident_totals_by_month_and_category() -> pd.DataFrame:
    """Counts of incidents held, per month and category (from the incident table itself)."""
    from django.db.models import Count

    rows = (
        Incident.objects.values("month", "category__name")
        .annotate(n=Count("id"))
        .order_by("month", "category__name")
    )
    return pd.DataFrame(
        [(r["month"], r["category__name"], r["n"]) for r in rows],
        columns=["month", "category", "count"],
    )


# Reporting forces: whose records an area's figures count --------------------------------

# Placement routes that leave a record without a place (placement.UNPLACED).
UNPLACED_ROUTES = ("none", "outside", "unknown")
_PLACE_FIELDS = {"csp": "csp_code", "lad": "lad_code", "ward": "ward_code", "lsoa": "lsoa_code"}


def _area_incidents(area: Any) -> QuerySet[Incident]:
    """The incidents placed in an area (of any level), whatever force reported them."""
    field = _PLACE_FIELDS.get(area.level)
    if field is not None and not (area.level == "lsoa" and area.vintage == 2011):
        return Incident.objects.filter(**{field: area.code})
    if area.level == "force":
        lads = geo.areas_in(area, "lad").values_list("code", flat=True)
        return Incident.objects.filter(lad_code__in=list(lads))
    return Incident.objects.filter(lsoa_code__in=sorted(geo.area_lsoa_codes(area)))


def _in_months(
    qs: QuerySet[Incident], start: dt.date | None, end: dt.date | None
) -> QuerySet[Incident]:
    """``qs`` limited to the whole months ``start`` to ``end`` (either may be open)."""
    if start is not None:
        qs = qs.filter(month__gte=_month_start(start))
    if end is not None:
        qs = qs.filter(month__lte=_month_start(end))
    return qs


def forces_held(start: dt.date | None = None, end: dt.date | None = None) -> list[str]:
    """The codes of the forces whose police.uk records are held (any area; months
    ``start`` to ``end`` when given, whole months)."""
    qs = Incident.objects.filter(source="police.uk")
    qs = _in_months(qs, start, end)
    return sorted(
        code for code in qs.order_by().values_list("force_code", flat=True).distinct() if code
    )


def forces_by_lad(
    lad_codes: Iterable[str], start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, set[str]]:
    """For each of ``lad_codes``, the codes of the forces whose police.uk records placed
    in it are held (months ``start`` to ``end`` when given); authorities with none are
    left out."""
    qs = Incident.objects.filter(source="police.uk", lad_code__in=list(lad_codes))
    qs = _in_months(qs, start, end)
    out: dict[str, set[str]] = {}
    for lad, force in qs.order_by().values_list("lad_code", "force_code").distinct():
        out.setdefault(lad, set()).add(force)
    return out


def reporting_forces(
    area: Any, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each force whose police.uk records are placed in ``area`` (months ``start`` to
    ``end``, whole months), with its name and count, most records first:
    ``[{"force_code", "force_name", "records"}]``. Partner records are not counted here."""
    qs = _area_incidents(area).filter(source="police.uk")
    qs = _in_months(qs, start, end)
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for code, name, n in (
        qs.values_list("force_code", "falls_within")
        .annotate(n=Count("id"))
        .order_by("force_code", "-n")
    ):
        counts[code] = counts.get(code, 0) + n
        names.setdefault(code, name or code)
    return [
        {"force_code": code, "force_name": names[code], "records": n}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    ]


def source_line(forces: list[dict[str, Any]]) -> str:
    """ "31,021 records: <force> 30,994, <other force> 27" (most records first)."""
    total = sum(f["records"] for f in forces)
    if not forces:
        return "0 records: no police.uk records are held for this area."
    parts = ", ".join(f"{f['force_name']} {f['records']:,}" for f in forces)
    return f"{total:,} records: {parts}"


def unplaced_by_force(
    force_codes: Iterable[str], start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """Per reporting force, its records that could not be placed, by route (no location,
    point outside every LSOA, unknown code without a point): for the caveats of an area,
    shown only for the forces that report in it."""
    # An unplaced record has no local authority: saying so lets the (month, local
    # authority) index answer without reading the placed rows.
    qs = Incident.objects.filter(
        source="police.uk",
        force_code__in=list(force_codes),
        placement__in=UNPLACED_ROUTES,
        lad_code="",
    )
    qs = _in_months(qs, start, end)
    out: dict[str, dict[str, int]] = {}
    for code, how, n in qs.values_list("force_code", "placement").annotate(n=Count("id")):
        out.setdefault(code, {})[how] = n
    return out


def victim_incident_dates(
    *, victim_refs: Iterable[str], since: dt.date
) -> list[tuple[str, dt.date]]:
    """(victim reference, date) of partner incidents of these pseudonymous victims from
    ``since`` on, the date being the day where the source has it, else the month's first
    day (for the repeat-victim rule)."""
    refs = sorted({r for r in victim_refs if r})
    if not refs:
        return []
    rows = Incident.objects.filter(victim_ref__in=refs, month__gte=_month_start(since))
    return [
        (ref, day)
        for ref, occurred, month in rows.values_list("victim_ref", "occurred_on", "month")
        if (day := occurred or month) >= since
    ]
