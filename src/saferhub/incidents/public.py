"""Crime and ASB by ward and neighbourhood for the public site (registered in ``ready``).

The area is the partnership's own CSP area (setting ``SAFERHUB_PUBLIC_AREA``, its code).
Counts are the monthly aggregate of the last 12 months held. police.uk's crime and ASB
are already published by the police and are shown in full; a count from partner data is
published only when it is at least 5 (smaller counts are "fewer than 5"). A month missing
from the source is left out, never shown as zero.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from saferhub.core.periods import parse_month
from saferhub.geography.models import Area
from saferhub.geography.selectors import areas_in, boundaries_geojson
from saferhub.incidents.models import Category
from saferhub.incidents.selectors import monthly_counts, months_with_counts
from saferhub.public.charts import area_map_svg
from saferhub.public.registry import PublicSection, PublicTable, public_section
from saferhub.public.selectors import published_count

POLICE_UK = "police.uk"
ASB = "Anti-social behaviour"
COLUMNS = ["area_level", "area_code", "area", "month", "crime_and_asb", "asb", "partner_data"]


def _area() -> Area | None:
    code = getattr(settings, "SAFERHUB_PUBLIC_AREA", "")
    if not code:
        return None
    return Area.objects.filter(code=code, archived_at__isnull=True).exclude(level="lsoa").first()


def _rows_for(level: str, areas: list[Area], months: list[Any]) -> list[list[Any]]:
    if not areas or not months:
        return []
    frame = monthly_counts(
        area_codes=[a.code for a in areas],
        level=level,
        themes=None,
        start=months[0],
        end=months[-1],
    )
    # One row per area, category and month (a category of several themes appears once each).
    frame = frame.drop_duplicates(["area_code", "category", "month"])
    partner = set(Category.objects.exclude(source=POLICE_UK).values_list("name", flat=True))
    sums: dict[tuple[str, Any], list[int]] = defaultdict(lambda: [0, 0, 0])
    for code, category, month, count in frame[
        ["area_code", "category", "month", "count"]
    ].itertuples(index=False):
        totals = sums[(code, month)]
        if category in partner:
            totals[2] += int(count)
        else:
            totals[0] += int(count)
            if category == ASB:
                totals[1] += int(count)
    names = {a.code: a.name for a in areas}
    held = set(frame["month"])
    return [
        [level, a.code, names[a.code], m.strftime("%Y-%m"), *_published(sums.get((a.code, m)))]
        for a in sorted(areas, key=lambda x: x.name)
        for m in months
        if m in held
    ]


def _published(totals: list[int] | None) -> list[Any]:
    crime, asb, partner = totals or [0, 0, 0]
    return [crime, asb, published_count(partner)]


def crime_rows() -> list[list[Any]] | None:
    """Monthly counts by ward and neighbourhood of the partnership's area; None if unset."""
    area = _area()
    if area is None:
        return None
    months = months_with_counts()[-12:]
    wards = list(areas_in(area, Area.Level.WARD))
    neighbourhoods = list(areas_in(area, Area.Level.NEIGHBOURHOOD))
    return _rows_for("ward", wards, months) + _rows_for("neighbourhood", neighbourhoods, months)


CAPTIONS = {
    "ward": _("Monthly counts by ward"),
    "neighbourhood": _("Monthly counts by neighbourhood"),
}
MAP_TITLES = {
    "ward": _("Crime and anti-social behaviour by ward, %(month)s"),
    "neighbourhood": _("Crime and anti-social behaviour by neighbourhood, %(month)s"),
}


def _level(area: Area, level: str, title: Any, rows: list[list[Any]]) -> dict[str, Any]:
    """One level's table (months as dates, for the page's language) and its map of the
    latest month held (police.uk crime and ASB, which are published in full)."""
    shown = [
        {
            "code": r[1],
            "name": r[2],
            "month": parse_month(r[3]),
            "crime": r[4],
            "asb": r[5],
            "partner": r[6],
        }
        for r in rows
    ]
    latest = max((r["month"] for r in shown), default=None)
    counts = {r["code"]: r["crime"] for r in shown if r["month"] == latest}
    names = {r["code"]: r["name"] for r in shown}
    boundaries = boundaries_geojson(area, level)
    map_title = (
        str(MAP_TITLES[level]) % {"month": date_format(latest, "YEAR_MONTH_FORMAT")}
        if latest
        else ""
    )
    return {
        "key": level,
        "title": title,
        "caption": CAPTIONS[level],
        "rows": shown,
        "latest": latest,
        "map": area_map_svg(boundaries, counts, names, title=map_title, chart_id=f"map-{level}")
        if counts
        else "",
    }


def _content() -> dict[str, Any] | None:
    area = _area()
    rows = crime_rows()
    if area is None or rows is None:
        return None
    return {
        "levels": [
            _level(area, "ward", _("By ward"), [r for r in rows if r[0] == "ward"]),
            _level(
                area,
                "neighbourhood",
                _("By neighbourhood"),
                [r for r in rows if r[0] == "neighbourhood"],
            ),
        ]
    }


def _table() -> PublicTable | None:
    rows = crime_rows()
    if rows is None:
        return None
    return PublicTable(
        COLUMNS,
        rows,
        "Crime and anti-social behaviour: police.uk (data.police.uk), street-level data; "
        "partner data as supplied by partners, counts below 5 shown as fewer than 5.",
    )


def register() -> None:
    public_section(
        PublicSection(
            "crime",
            _("Crime and anti-social behaviour in your area"),
            _("Monthly counts of crime and anti-social behaviour by ward and neighbourhood."),
            order=30,
            template="public/crime.html",
            content=_content,
            table=_table,
            depends_on=("geography.Area", "incidents.Category"),
        )
    )
