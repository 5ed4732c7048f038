"""What an import did: per file and in total, with the row problems (downloadable)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from saferhub.core.exports import table_csv

PROBLEM_COLUMNS = ["file", "row", "column", "value", "problem", "severity"]
# A row problem as the police.uk readers report it, in PROBLEM_COLUMNS order.
Problem = tuple[str, int, str, Any, str, str]
# The warnings both police.uk street readers give (the row still loads).
UNKNOWN_LSOA = (
    "unknown LSOA: not in the 2021 lookup nor the 2011 to 2021 mapping;"
    " loaded without LSOA, ward or local authority"
)
UNKNOWN_LSOA_PLACED = (
    "unknown LSOA: not in the 2021 lookup nor the 2011 to 2021 mapping;"
    " placed by its point over the national LSOA boundaries"
)
# How each placement route reads in an import's message (placement.ROUTES).
ROUTE_WORDS = {
    "same": "by its 2021 LSOA code",
    "merged": "by the merged 2021 LSOA of its 2011 code",
    "split-point": "split 2011 code, by the point among the 2021 children",
    "split-nearest": "split 2011 code, nearest 2021 child to the point",
    "split-first": "split 2011 code with no point, first 2021 child",
    "irregular-point": "irregular 2011 code, by the point",
    "irregular-nearest": "irregular 2011 code, nearest 2021 LSOA to the point",
    "irregular-first": "irregular 2011 code with no point, first 2021 LSOA",
    "point": "no LSOA code, by the point over the national boundaries",
    "point-unknown-code": "unknown code, by the point over the national boundaries",
    "outside": "point in no LSOA (not placed)",
    "unknown": "unknown code and no point (not placed)",
    "none": "no location (kept, not placed)",
}
COORDINATES_NOT_NUMBERS = "not numbers: loaded without a map point"
COORDINATES_OUTSIDE_UK = "coordinates outside the UK: loaded without a map point"


@dataclass
class FileResult:
    name: str
    kind: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_refused: int = 0
    rows_warning: int = 0
    rows_no_location: int = 0
    months: set[dt.date] = field(default_factory=set)
    placements: Counter[str] = field(default_factory=Counter)
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    message: str = ""

    @property
    def rows_duplicate(self) -> int:
        return max(0, self.rows_read - self.rows_refused - self.rows_loaded)

    def finish(self) -> None:
        if self.months:
            self.first_month, self.last_month = min(self.months), max(self.months)
        parts = [f"{self.rows_read:,} rows read", f"{self.rows_loaded:,} loaded"]
        if self.rows_duplicate:
            parts.append(f"{self.rows_duplicate:,} already held")
        if self.rows_refused:
            parts.append(f"{self.rows_refused:,} refused")
        if self.rows_warning:
            parts.append(f"{self.rows_warning:,} loaded with a warning")
        if self.rows_no_location:
            parts.append(f"{self.rows_no_location:,} with no location (kept)")
        self.message = ", ".join(parts) + "."
        if self.placements:
            self.message += (
                " Placed: "
                + "; ".join(
                    f"{ROUTE_WORDS.get(route, route)} {n:,}"
                    for route, n in sorted(
                        self.placements.items(),
                        key=lambda kv: (
                            list(ROUTE_WORDS).index(kv[0]) if kv[0] in ROUTE_WORDS else 99
                        ),
                    )
                )
                + "."
            )


@dataclass
class ImportReport:
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    problems: list[tuple[Any, ...]] = field(default_factory=list)
    monthly_rows: int = 0
    outcomes_linked: int = 0

    def add(self, result: FileResult, problems: list[tuple[Any, ...]]) -> None:
        self.files.append(result)
        self.problems.extend(problems)

    def _sum(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def rows_read(self) -> int:
        return self._sum("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._sum("rows_loaded")

    @property
    def rows_duplicate(self) -> int:
        return self._sum("rows_duplicate")

    @property
    def rows_refused(self) -> int:
        return self._sum("rows_refused")

    @property
    def rows_warning(self) -> int:
        return self._sum("rows_warning")

    @property
    def rows_no_location(self) -> int:
        return self._sum("rows_no_location")

    @property
    def placements(self) -> dict[str, int]:
        """Rows per placement route, over every file."""
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.placements)
        return dict(total)

    def summary(self) -> str:
        head = "Dry run (nothing written): " if self.dry_run else ""
        skipped = sum(1 for f in self.files if f.status == "skipped")
        text = (
            f"{head}{len(self.files)} file(s), {skipped} skipped; {self.rows_read:,} rows read, "
            f"{self.rows_loaded:,} loaded, {self.rows_duplicate:,} already held, "
            f"{self.rows_refused:,} refused, {self.rows_warning:,} with a warning, "
            f"{self.rows_no_location:,} with no location."
        )
        return text

    def lines(self) -> list[str]:
        out = [f"{f.name}: {f.message}" for f in self.files]
        placements = self.placements
        if placements:
            out.append(
                "Placement, all files: "
                + "; ".join(
                    f"{route} {placements[route]:,}" for route in ROUTE_WORDS if route in placements
                )
                + "."
            )
        out += self.notes
        out += [f"  {p}" for p in self.first_problems(20)]
        if len(self.problems) > 20:
            out.append(f"  ... and {len(self.problems) - 20:,} more row problems.")
        return out

    def first_problems(self, n: int) -> list[str]:
        return [
            f"{file} row {row}, column {column or '-'} ({value!s:.40}): {problem} [{severity}]"
            for file, row, column, value, problem, severity in self.problems[:n]
        ]

    def problems_csv(self) -> str:
        return table_csv(PROBLEM_COLUMNS, self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_duplicate": self.rows_duplicate,
            "rows_refused": self.rows_refused,
            "rows_warning": self.rows_warning,
            "rows_no_location": self.rows_no_location,
            "placements": self.placements,
            "files": [
                {"name": f.name, "kind": f.kind, "status": f.status, "message": f.message}
                for f in self.files
            ],
            "notes": self.notes,
        }
