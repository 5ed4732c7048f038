"""Reading one row of a partner file through its source's mapping.

:class:`RowReader` turns a row into an unsaved :class:`Incident` (date, category, place,
pseudonymous references, stable key) or records why it cannot (:class:`Problem`). Only
the mapped columns are read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from saferhub.core.tables import column_letter
from saferhub.incidents.loading import INCIDENT_COLUMNS
from saferhub.incidents.models import Category, PartnerSource, RowProblem
from saferhub.incidents.partner_place import Place, Placer
from saferhub.incidents.partner_read import Cell, FileRefused, Table
from saferhub.incidents.placement import UK_BOUNDS, inside_uk
from saferhub.incidents.services import category_create

if TYPE_CHECKING:
    from saferhub.incidents.partner import PartnerImportReport

# The extent of the British National Grid (the WGS84 box is the police.uk import's).
BNG_X = (0.0, 700_000.0)
BNG_Y = (0.0, 1_300_000.0)
REFERENCE_MAX = 100
EXCEL_SERIALS = (32874, 73051)  # 1 Jan 1990 to 31 Dec 2099 as Excel day numbers

# A refused cell of a column that may hold personal data (a reference, a place, free
# text) is reported by row, column and reason only: its content is never stored in the
# row-problem table, which every partner role can read (decision record 0011). A cell is
# shown only when it has the shape of what was expected (a date, an area code), so
# that the person fixing the file sees the typing mistake.
DATE_LIKE = re.compile(r"[0-9 /.:T+-]{1,30}")
AREA_CODE_LIKE = re.compile(r"[A-Z][0-9]{8}")
WITHHELD = ""


def shown_if(pattern: re.Pattern[str], text: str) -> str:
    """``text`` if it has the expected shape, else nothing (it may be personal)."""
    return text if pattern.fullmatch(text) else WITHHELD


@dataclass(slots=True)
class PreparedRow:
    """A row ready to insert: ``values`` by incident column, the category still by name."""

    dedupe_key: str
    month: dt.date
    category: str
    values: dict[str, Any]

    def as_tuple(self, *, batch_id: int, category_id: int) -> tuple[Any, ...]:
        row = dict(self.values, batch_id=batch_id, category_id=category_id)
        return tuple(row[column] for column in INCIDENT_COLUMNS)


@dataclass
class Problem:
    row_number: int
    column: str
    value: str
    problem: str
    severity: str = RowProblem.Severity.REFUSED


# --------------------------------------------------------------------------- header and rows


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().lower()


def check_header(
    source: PartnerSource, table: Table, report: PartnerImportReport
) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if not h:
            continue
        if _norm(h) in positions:
            first = table.header[positions[_norm(h)]]
            raise FileRefused(
                f"{report.file_name}: the columns {first!r} (column "
                f"{column_letter(positions[_norm(h)] + 1)}) and {h!r} (column "
                f"{column_letter(i + 1)}) have the same heading once spaces, case and "
                "punctuation are set aside. Give each column its own heading."
            )
        positions[_norm(h)] = i
    missing = [
        f"{column!r} ({role})"
        for role, column in source.mapped_columns().items()
        if _norm(column) not in positions
    ]
    if missing:
        shown = ", ".join(repr(h) for h in table.header if h) or "none"
        raise FileRefused(
            f"{report.file_name} does not have the columns the source {source.name!r} reads: "
            f"missing {', '.join(missing)}. The file's columns are: {shown}. Check it is the "
            "right file, or change the source's column mapping."
        )
    mapped = {_norm(c) for c in source.mapped_columns().values()}
    ignored = {_norm(c) for c in source.ignored_columns or []}
    report.ignored_columns = [h for h in table.header if h and _norm(h) in ignored]
    report.unmapped_columns = [
        h for h in table.header if h and _norm(h) not in mapped and _norm(h) not in ignored
    ]
    return {role: positions[_norm(col)] for role, col in source.mapped_columns().items()}


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowReader:
    """Turns one row into an unsaved :class:`Incident`, or records why it cannot."""

    def __init__(self, source: PartnerSource, index: dict[str, int], placer: Placer) -> None:
        self.source = source
        self.index = index
        self.placer = placer
        self.incident_source = f"partner:{source.name}"[:100]
        self.known = {c.name: c for c in Category.objects.all()}
        self.new_categories: set[str] = set()
        self.no_location = 0
        self.seen: Counter[str] = Counter()
        self.today = timezone.localdate()
        self.reported_by = (source.agency.name if source.agency else "")[:100]
        self._dates: dict[str, dt.date] = {}

    def cell(self, role: str, values: list[Cell]) -> Cell:
        position = self.index.get(role)
        if position is None or position >= len(values):
            return None
        return values[position]

    def read(
        self, number: int, values: list[Cell], report: PartnerImportReport
    ) -> PreparedRow | None:
        problems: list[Problem] = []
        day = self._date(number, values, problems)
        category = self._category(number, values, problems)
        place = self._place(number, values, problems)
        refs = {}
        for role in ("reference", "victim reference", "location reference"):
            text = cell_text(self.cell(role, values))
            if len(text) > REFERENCE_MAX:
                problems.append(
                    Problem(
                        number,
                        self.source.mapped_columns()[role],
                        WITHHELD,
                        f"{len(text)} characters, longer than {REFERENCE_MAX}: not a "
                        "pseudonymous reference (the content is not stored)",
                    )
                )
            refs[role] = text
        report.problems.extend(problems)
        if any(p.severity == RowProblem.Severity.REFUSED for p in problems):
            return None
        assert day is not None and category is not None and place is not None
        month = day.replace(day=1)
        if place.placement == "none":
            self.no_location += 1
            report.problems.append(
                Problem(number, "", "", "no location: loaded but not placed", "warning")
            )
        elif place.placement == "unknown":
            report.problems.append(
                Problem(
                    number,
                    f"{self.source.x_column}, {self.source.y_column}",
                    WITHHELD,
                    "point outside the LSOA boundaries held: loaded with no LSOA "
                    "(the coordinates are not repeated here)",
                    "warning",
                )
            )
        key = self._key(day, category, place, refs)
        return PreparedRow(
            dedupe_key=key,
            month=month,
            category=category,
            values={
                "source": self.incident_source,
                "dedupe_key": key,
                "crime_id": "",
                "month": month,
                "occurred_on": day if self.source.date_precision == "day" else None,
                "reported_by": self.reported_by,
                "falls_within": "",
                "force_code": "",
                "location": "",
                "lsoa_code_original": place.lsoa_original,
                "lsoa_code": place.lsoa,
                "ward_code": place.ward,
                "lad_code": place.lad,
                "csp_code": place.csp,
                "placement": place.placement,
                "longitude": place.longitude,
                "latitude": place.latitude,
                "bng_x": place.bng_x,
                "bng_y": place.bng_y,
                "outcome": "",
                "context": "",
                "victim_ref": refs["victim reference"],
                "location_ref": refs["location reference"],
            },
        )

    def _parse_date(self, text: str) -> dt.date:
        """strptime is slow and a file repeats its dates: parse each text once."""
        day = dt.datetime.strptime(text, self.source.date_format).date()
        if len(self._dates) < 100_000:
            self._dates[text] = day
        return day

    def _key(self, day: dt.date, category: str, place: Place, refs: dict[str, str]) -> str:
        if refs["reference"]:
            return f"ref:{refs['reference']}"[:80]
        basis = "|".join(
            [
                day.isoformat(),
                category,
                place.lsoa_original or place.ward or "",
                "" if place.bng_x is None else f"{place.bng_x},{place.bng_y}",
                refs["victim reference"],
                refs["location reference"],
            ]
        )
        self.seen[basis] += 1
        digest = hashlib.sha1(f"{basis}|{self.seen[basis]}".encode(), usedforsecurity=False)
        return f"row:{digest.hexdigest()}"

    def _date(self, number: int, values: list[Cell], problems: list[Problem]) -> dt.date | None:
        column = self.source.date_column
        value = self.cell("date", values)
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, int | float) and EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:
            # An Excel date in a cell formatted as a number (days since 30 Dec 1899).
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        else:
            text = cell_text(value)
            if not text:
                problems.append(Problem(number, column, "", "no date"))
                return None
            try:
                day = self._dates.get(text) or self._parse_date(text)
            except ValueError:
                problems.append(
                    Problem(
                        number,
                        column,
                        shown_if(DATE_LIKE, text),
                        f"not a date written as {self.source.date_format} "
                        f"(e.g. {dt.date(2024, 1, 31).strftime(self.source.date_format)})",
                    )
                )
                return None
        if day > self.today:
            problems.append(Problem(number, column, day.isoformat(), "date is in the future"))
            return None
        if day.year < 1990:
            problems.append(Problem(number, column, day.isoformat(), "date is before 1990"))
            return None
        return day

    def _category(self, number: int, values: list[Cell], problems: list[Problem]) -> str | None:
        if not self.source.category_column:
            name = self.source.name[:120]
            if name not in self.known:
                self.new_categories.add(name)
            return name
        text = re.sub(r"\s+", " ", cell_text(self.cell("category", values)))
        if not text:
            problems.append(Problem(number, self.source.category_column, "", "no category"))
            return None
        name = f"{self.source.name}: {text}"[:120]
        if name not in self.known:
            if not self.source.allow_new_categories:
                problems.append(
                    Problem(
                        number,
                        self.source.category_column,
                        text,
                        "unknown category: add it to the taxonomy, or allow new categories "
                        "for this source",
                    )
                )
                return None
            self.new_categories.add(name)
        return name

    def categories_for_load(self, *, actor: Any) -> dict[str, Category]:
        """The categories rows need, adding the new ones with the source's default theme."""
        for name in sorted(self.new_categories - set(self.known)):
            self.known[name] = category_create(
                actor=actor,
                name=name,
                source=self.incident_source[:60],
                theme_keys=[self.source.default_theme.key],
            )
        return self.known

    def _place(self, number: int, values: list[Cell], problems: list[Problem]) -> Place | None:
        kind = self.source.location_kind
        if kind in {"lsoa", "ward"}:
            column = self.source.area_column
            code = cell_text(self.cell("area", values)).upper()
            if not code:
                return Place.nowhere()
            place = self.placer.from_lsoa(code) if kind == "lsoa" else self.placer.from_ward(code)
            if place is None:
                what = "LSOA" if kind == "lsoa" else "ward"
                problems.append(
                    Problem(
                        number,
                        column,
                        shown_if(AREA_CODE_LIKE, code),
                        f"unknown {what} code (not in the ONS lookup)",
                    )
                )
            return place
        x_text = cell_text(self.cell("x", values))
        y_text = cell_text(self.cell("y", values))
        if not x_text and not y_text:
            return Place.nowhere()
        try:
            x, y = float(x_text), float(y_text)
        except ValueError:
            bad_col, bad = (
                (self.source.x_column, x_text)
                if not _is_number(x_text)
                else (self.source.y_column, y_text)
            )
            problems.append(
                Problem(number, bad_col, WITHHELD, "not a number (the content is not stored)")
            )
            return None
        if kind == "wgs84":
            if not inside_uk(x, y):
                west, south, east, north = UK_BOUNDS
                problems.append(
                    Problem(
                        number,
                        f"{self.source.x_column}, {self.source.y_column}",
                        f"{x_text}, {y_text}",
                        f"coordinates outside the UK (expected longitude {west} to {east}, "
                        f"latitude {south} to {north}; are they swapped?)",
                    )
                )
                return None
            return self.placer.from_point(lon=x, lat=y)
        if not (BNG_X[0] <= x <= BNG_X[1] and BNG_Y[0] <= y <= BNG_Y[1]):
            problems.append(
                Problem(
                    number,
                    f"{self.source.x_column}, {self.source.y_column}",
                    f"{x_text}, {y_text}",
                    "coordinates outside the UK (British National Grid eastings 0 to "
                    "700000, northings 0 to 1300000)",
                )
            )
            return None
        return self.placer.from_bng(x=x, y=y)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
