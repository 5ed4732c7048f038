"""The fast path for police.uk street-level crime rows: parse, check, place, insert.

Rows are streamed with the ``csv`` module and handled in chunks: lookups are plain
dicts, coordinates are transformed to British National Grid a chunk at a time, and
point-in-polygon runs only for rows whose 2011 LSOA was split in 2021.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from saferhub.core.periods import month_or_none
from saferhub.geography import selectors as geo
from saferhub.incidents import loading
from saferhub.incidents.models import Category
from saferhub.incidents.placement import Placer, inside_uk, to_bng_points
from saferhub.incidents.reports import (
    COORDINATES_NOT_NUMBERS,
    COORDINATES_OUTSIDE_UK,
    UNKNOWN_LSOA,
    UNKNOWN_LSOA_PLACED,
    FileResult,
    Problem,
)

CHUNK = 20_000
SOURCE = "police.uk"


@dataclass
class StreetFileReader:
    placer: Placer
    categories: dict[str, int]
    forces: dict[str, str]

    @classmethod
    def load(cls) -> StreetFileReader:
        return cls(
            Placer.load(),
            dict(Category.objects.values_list("name", "pk")),
            geo.force_area_codes(),
        )

    def force_code(self, falls_within: str) -> str:
        """The reporting force's code: its police force area's code where the slug of
        the name matches one held, else the slug itself."""
        slug = geo.force_slug(falls_within)
        code = self.forces.get(slug)
        if code is None:
            code = slug
            self.forces[slug] = code
        return code

    def read(
        self,
        name: str,
        header: list[str],
        rows: Iterator[list[str]],
        batch_id: int,
        step: Callable[[int], None],
    ) -> tuple[FileResult, list[Problem]]:
        idx = {h: i for i, h in enumerate(header)}
        i_id, i_month, i_rep, i_fw = (
            idx["Crime ID"],
            idx["Month"],
            idx["Reported by"],
            idx["Falls within"],
        )
        i_lon, i_lat, i_loc, i_lsoa = (
            idx["Longitude"],
            idx["Latitude"],
            idx["Location"],
            idx["LSOA code"],
        )
        i_type, i_out, i_ctx = idx["Crime type"], idx["Last outcome category"], idx["Context"]
        width = len(header)
        result = FileResult(name, "police_uk_street", "loaded")
        problems: list[Problem] = []
        crime_seen: Counter[str] = Counter()
        asb_seen: Counter[str] = Counter()
        pending: list[list[Any]] = []

        def flush() -> None:
            if not pending:
                return
            lons = [p[17] for p in pending]
            lats = [p[18] for p in pending]
            xs, ys = to_bng_points(lons, lats)
            places = self.placer.place_many([p[11] for p in pending], xs, ys)
            out = []
            for p, x, y, place in zip(pending, xs, ys, places):
                p[12], p[13], p[14], p[15], p[16] = (
                    place.lsoa,
                    place.ward,
                    place.lad,
                    place.csp,
                    place.placement,
                )
                p[19], p[20] = x, y
                out.append(p)
            for p, place in zip(pending, places):
                result.placements[place.placement] += 1
                if place.placement == "point-unknown-code":
                    problems.append(
                        (name, p[-1], "LSOA code", p[11], UNKNOWN_LSOA_PLACED, "warning")
                    )
                    result.rows_warning += 1
                if place.placement == "unknown":
                    result.rows_warning += 1
                    problems.append(
                        (
                            name,
                            p.pop(),
                            "LSOA code",
                            p[11],
                            UNKNOWN_LSOA,
                            "warning",
                        )
                    )
                else:
                    p.pop()
            result.rows_loaded += loading.incidents_insert(out)
            pending.clear()
            step(result.rows_read)

        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            result.rows_read += 1
            if len(row) != width:
                result.rows_refused += 1
                problems.append(
                    (
                        name,
                        line,
                        "",
                        len(row),
                        f"the row has {len(row)} fields, the header has {width}"
                        + (" (the file may be cut short)" if len(row) < width else ""),
                        "refused",
                    )
                )
                continue
            month_text = row[i_month]
            month = month_or_none(month_text)
            if month is None:
                result.rows_refused += 1
                problems.append(
                    (name, line, "Month", month_text, "not a month in the form YYYY-MM", "refused")
                )
                continue
            crime_type = row[i_type].strip()
            category_id = self.categories.get(crime_type)
            if category_id is None:
                result.rows_refused += 1
                problems.append(
                    (
                        name,
                        line,
                        "Crime type",
                        crime_type,
                        "unknown crime type: add it to the taxonomy, then import the file again",
                        "refused",
                    )
                )
                continue
            crime_id = row[i_id].strip()
            if len(crime_id) > 64:
                result.rows_refused += 1
                problems.append(
                    (name, line, "Crime ID", crime_id[:40], "longer than 64 characters", "refused")
                )
                continue
            lon_text, lat_text = row[i_lon].strip(), row[i_lat].strip()
            lon: float | None = None
            lat: float | None = None
            if lon_text or lat_text:
                try:
                    lon, lat = float(lon_text), float(lat_text)
                except ValueError:
                    lon = lat = None
                    result.rows_warning += 1
                    problems.append(
                        (
                            name,
                            line,
                            "Longitude/Latitude",
                            f"{lon_text},{lat_text}",
                            COORDINATES_NOT_NUMBERS,
                            "warning",
                        )
                    )
                else:
                    if not inside_uk(lon, lat):
                        result.rows_warning += 1
                        problems.append(
                            (
                                name,
                                line,
                                "Longitude/Latitude",
                                f"{lon_text},{lat_text}",
                                COORDINATES_OUTSIDE_UK,
                                "warning",
                            )
                        )
                        lon = lat = None
            location = row[i_loc].strip()
            lsoa = row[i_lsoa].strip()
            if lon is None and not lsoa:
                result.rows_no_location += 1
            if crime_id:
                n = crime_seen[crime_id]
                crime_seen[crime_id] += 1
                key = crime_id if n == 0 else f"{crime_id}#{n}"
            else:
                basis = f"{month_text}|{lon_text}|{lat_text}|{location}|{lsoa}|{crime_type}"
                n = asb_seen[basis]
                asb_seen[basis] += 1
                key = (
                    "asb:"
                    + hashlib.sha1(f"{basis}|{n}".encode(), usedforsecurity=False).hexdigest()
                )
            result.months.add(month)
            falls_within = row[i_fw].strip()
            pending.append(
                [
                    batch_id,
                    SOURCE,
                    key,
                    crime_id,
                    month,
                    None,
                    category_id,
                    row[i_rep].strip()[:100],
                    falls_within[:100],
                    self.force_code(falls_within),
                    location[:200],
                    lsoa[:9],
                    "",
                    "",
                    "",
                    "",
                    "",
                    lon,
                    lat,
                    None,
                    None,
                    row[i_out].strip()[:150],
                    row[i_ctx].strip(),
                    "",
                    "",
                    line,
                ]
            )
            if len(pending) >= CHUNK:
                flush()
        flush()
        result.finish()
        return result, problems
