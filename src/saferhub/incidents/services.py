"""Writes of incident data: police.uk imports, the ledger, the taxonomy, and the
re-placement of incidents in CSP areas after a CSP area is defined or changed.

An import is one transaction over every file it is given. A file of the wrong shape
refuses the whole import (nothing is written); row problems are recorded and the good
rows load, unless ``all_or_nothing``. A file whose SHA-256 is already in the ledger with
no refused rows is skipped; any other file is read and its rows are added only where
their key (Crime ID and its occurrence in the file, or the stable ASB key) is new, so
importing the same data again changes nothing. ``dry_run`` does all the work and rolls
it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.core.locks import hold_lock
from saferhub.core.services import stamp
from saferhub.geography.selectors import csp_for_places
from saferhub.incidents import loading
from saferhub.incidents.hooks import imports_changed
from saferhub.incidents.models import (
    Category,
    ImportBatch,
    Outcome,
    RowProblem,
    StopAndSearch,
    Theme,
)
from saferhub.incidents.police_uk import ImportRefused, SourceFile, discover, open_table
from saferhub.incidents.reports import FileResult, ImportReport
from saferhub.incidents.street import StreetFileReader
from saferhub.incidents.street_columns import read_columns

Progress = Callable[[int, int, str], None]
IMPORT_LOCK = "incidents.import"
monthly_counts_recompute = loading.monthly_counts_recompute
incidents_load = loading.incidents_insert


def batch_start(*, actor: Any, kind: str, source: str, source_file: SourceFile) -> ImportBatch:
    """The ledger row for a file: the existing one (to re-read) or a new one."""
    batch = ImportBatch.objects.filter(kind=kind, sha256=source_file.sha256).first()
    if batch is None:
        batch = ImportBatch(
            kind=kind,
            source=source,
            file_name=source_file.name[:300],
            sha256=source_file.sha256,
            size_bytes=len(source_file.data),
        )
        stamp(batch, actor)
        batch.full_clean()
        batch.save()
    return batch


def batch_finish(
    *, actor: Any, batch: ImportBatch, result: FileResult, problems: list[tuple[Any, ...]]
) -> None:
    """Record a file's counts and problems in the ledger (replacing an earlier read's)."""
    old = model_values(batch)
    batch.rows_read = result.rows_read
    batch.rows_loaded += result.rows_loaded
    batch.rows_duplicate = result.rows_read - result.rows_refused - batch.rows_loaded
    batch.rows_refused = result.rows_refused
    batch.rows_warning = result.rows_warning
    batch.rows_no_location = result.rows_no_location
    batch.first_month = result.first_month
    batch.last_month = result.last_month
    batch.status = (
        ImportBatch.Status.LOADED_WITH_PROBLEMS
        if result.rows_refused
        else ImportBatch.Status.LOADED
    )
    batch.message = result.message[:2000]
    stamp(batch, actor)
    batch.full_clean()
    batch.save()
    batch.problems.all().delete()
    RowProblem.objects.bulk_create(
        [
            RowProblem(
                batch=batch,
                row_number=row,
                column=column[:100],
                value=str(value)[:300],
                problem=problem[:300],
                severity=severity,
            )
            for _, row, column, value, problem, severity in problems
        ],
        batch_size=5000,
    )
    before, after = changed_values(old, model_values(batch))
    audit_record(actor=actor, action="incidents.import", obj=batch, old=before, new=after)


def police_uk_import(
    *,
    actor: Any,
    paths: list[Path],
    dry_run: bool = False,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import police.uk files (CSV, folders, zips) in one transaction; see the module doc."""
    files, notes = discover([Path(p) for p in paths])
    report = ImportReport(dry_run=dry_run, notes=notes)
    total = sum(f.size for f in files)  # progress is counted in bytes of the files
    say = progress or (lambda done, total, message: None)
    done = 0
    with transaction.atomic():
        hold_lock(IMPORT_LOCK)  # the same file twice at once: one waits, then skips it
        reader = StreetFileReader.load()
        upgraded = loading.force_codes_upgrade(reader.forces)
        if upgraded:
            report.notes.append(
                f"{upgraded:,} incidents held under a force's name now carry its police "
                "force area's code."
            )
        months: set[dt.date] = set()
        seen: dict[str, str] = {}
        for source_file in files:
            sha = source_file.sha256
            if sha in seen:
                report.files.append(
                    FileResult(
                        source_file.name,
                        "",
                        "skipped",
                        message=f"Same content as {seen[sha]} in this import: skipped.",
                    )
                )
                continue
            seen[sha] = source_file.name
            kind, header, rows = open_table(source_file)
            held = ImportBatch.objects.filter(kind=kind, sha256=sha).first()
            if held is not None and held.rows_refused == 0:
                report.files.append(
                    FileResult(
                        source_file.name,
                        kind,
                        "skipped",
                        message=(
                            f"Already imported on {held.created_at:%d %b %Y} as {held.file_name} "
                            "(same content): nothing changed."
                        ),
                    )
                )
                done += source_file.size
                source_file.release()
                continue
            batch = batch_start(actor=actor, kind=kind, source="police.uk", source_file=source_file)
            if kind == "police_uk_street":
                lines = max(1, source_file.data.count(b"\n"))

                def step(
                    n: int,
                    name: str = source_file.name,
                    start: int = done,
                    size: int = source_file.size,
                    lines: int = lines,
                ) -> None:
                    say(start + min(size, size * n // lines), total, name)

                read = read_columns(reader, source_file.name, source_file.data, batch.pk, step)
                if read is None:  # not well-formed: row by row, naming each refused row
                    read = reader.read(source_file.name, header, rows, batch.pk, step)
                result, problems = read
                months |= result.months
            elif kind == "police_uk_outcomes":
                result, problems = _outcomes(source_file.name, header, rows, batch)
            else:
                result, problems = _searches(source_file.name, header, rows, batch)
            done += source_file.size
            source_file.release()
            say(done, total, source_file.name)
            batch_finish(actor=actor, batch=batch, result=result, problems=problems)
            report.add(result, problems)
        report.monthly_rows = loading.monthly_counts_recompute(months=months)
        if months:
            imports_changed(actor=actor)
        report.outcomes_linked = loading.outcomes_link()
        if all_or_nothing and report.rows_refused:
            raise ImportRefused(
                f"{report.rows_refused:,} row(s) refused and all-or-nothing was asked for: "
                "nothing imported. " + "; ".join(report.first_problems(5)),
                report,
            )
        if dry_run:
            transaction.set_rollback(True)
    say(total, total, "finished")
    return report


def _outcomes(
    name: str, header: list[str], rows: Any, batch: ImportBatch
) -> tuple[FileResult, list[tuple[Any, ...]]]:
    from saferhub.core.periods import month_or_none

    idx = {h: i for i, h in enumerate(header)}
    result = FileResult(name, "police_uk_outcomes", "loaded")
    problems: list[tuple[Any, ...]] = []
    objs = []
    for line, row in enumerate(rows, start=2):
        result.rows_read += 1
        if len(row) != len(header):
            result.rows_refused += 1
            problems.append(
                (
                    name,
                    line,
                    "",
                    len(row),
                    f"row has {len(row)} fields, the header has {len(header)}",
                    "refused",
                )
            )
            continue
        month = month_or_none(row[idx["Month"]])
        crime_id = row[idx["Crime ID"]].strip()
        if month is None or not crime_id:
            result.rows_refused += 1
            column, value = ("Month", row[idx["Month"]]) if month is None else ("Crime ID", "")
            problems.append(
                (name, line, column, value, f"{column} is missing or not YYYY-MM", "refused")
            )
            continue
        result.months.add(month)
        objs.append(
            Outcome(
                batch=batch,
                crime_id=crime_id,
                month=month,
                outcome_type=row[idx["Outcome type"]].strip()[:150],
                reported_by=row[idx["Reported by"]][:100],
                lsoa_code=row[idx["LSOA code"]].strip()[:9],
            )
        )
    before = Outcome.objects.count()
    Outcome.objects.bulk_create(objs, batch_size=5000, ignore_conflicts=True)
    result.rows_loaded = Outcome.objects.count() - before
    result.finish()
    return result, problems


def _searches(
    name: str, header: list[str], rows: Any, batch: ImportBatch
) -> tuple[FileResult, list[tuple[Any, ...]]]:
    import hashlib
    from collections import Counter

    idx = {h: i for i, h in enumerate(header)}
    result = FileResult(name, "police_uk_stop_search", "loaded")
    problems: list[tuple[Any, ...]] = []
    occurrences: Counter[str] = Counter()
    objs = []
    for line, row in enumerate(rows, start=2):
        result.rows_read += 1
        if len(row) != len(header):
            result.rows_refused += 1
            problems.append(
                (
                    name,
                    line,
                    "",
                    len(row),
                    f"row has {len(row)} fields, the header has {len(header)}",
                    "refused",
                )
            )
            continue
        text = row[idx["Date"]].strip()
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            result.rows_refused += 1
            problems.append(
                (name, line, "Date", text, "not a date and time (YYYY-MM-DDTHH:MM:SS)", "refused")
            )
            continue
        if timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        basis = "|".join(row)
        occurrences[basis] += 1
        key = hashlib.sha256(f"{basis}|{occurrences[basis]}".encode()).hexdigest()
        lat, lon = row[idx["Latitude"]].strip(), row[idx["Longitude"]].strip()
        if not (lat and lon):
            result.rows_no_location += 1
        result.months.add(when.date().replace(day=1))
        g = {h: row[i].strip() for h, i in idx.items()}
        objs.append(
            StopAndSearch(
                batch=batch,
                dedupe_key=key,
                searched_at=when,
                month=when.date().replace(day=1),
                search_type=g["Type"][:100],
                latitude=float(lat) if lat else None,
                longitude=float(lon) if lon else None,
                gender=g["Gender"][:30],
                age_range=g["Age range"][:30],
                self_defined_ethnicity=g["Self-defined ethnicity"][:150],
                officer_defined_ethnicity=g["Officer-defined ethnicity"][:60],
                legislation=g["Legislation"][:200],
                object_of_search=g["Object of search"][:100],
                outcome=g["Outcome"][:150],
            )
        )
    before = StopAndSearch.objects.count()
    StopAndSearch.objects.bulk_create(objs, batch_size=5000, ignore_conflicts=True)
    result.rows_loaded = StopAndSearch.objects.count() - before
    result.months = set()  # stop and search is not part of the monthly crime aggregate
    result.finish()
    return result, problems


@transaction.atomic
def category_set_themes(*, actor: Any, category: Category, theme_keys: list[str]) -> Category:
    """Change which themes a category counts towards (the editable taxonomy)."""
    themes = list(Theme.objects.filter(key__in=theme_keys))
    unknown = sorted(set(theme_keys) - {t.key for t in themes})
    if unknown:
        raise ValueError(f"Unknown theme(s): {', '.join(unknown)}.")
    old = sorted(category.themes.values_list("key", flat=True))
    category.themes.set(themes)
    stamp(category, actor)
    category.full_clean()
    category.save()
    audit_record(
        actor=actor,
        action="incidents.taxonomy_change",
        obj=category,
        old={"themes": old},
        new={"themes": sorted(theme_keys)},
    )
    return category


@transaction.atomic
def category_create(*, actor: Any, name: str, source: str, theme_keys: list[str]) -> Category:
    """Add a category (a new police.uk crime type or a partner category) with its themes."""
    category = Category(name=name.strip(), source=source)
    stamp(category, actor)
    category.full_clean()
    category.save()
    audit_record(
        actor=actor, action="incidents.category_create", obj=category, new=model_values(category)
    )
    return category_set_themes(actor=actor, category=category, theme_keys=theme_keys)


@dataclass
class CspReplaceReport:
    """What :func:`incidents_csp_replace` did."""

    moves: dict[tuple[str, str], int] = field(default_factory=dict)
    months: int = 0
    monthly_rows: int = 0

    @property
    def moved(self) -> int:
        return sum(self.moves.values())

    def summary(self) -> str:
        if not self.moved:
            return (
                f"No incident changed CSP area; the CSP counts of {self.months} months "
                "were rebuilt."
            )
        return (
            f"{self.moved:,} incidents moved CSP area; the CSP counts of {self.months} "
            "months were rebuilt."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "moved": self.moved,
            "moves": [
                {"from": old, "to": new, "incidents": n} for (old, new), n in self.moves.items()
            ],
            "months": self.months,
            "monthly_rows": self.monthly_rows,
            "summary": self.summary(),
        }


@transaction.atomic
def incidents_csp_replace(
    *, actor: Any, reason: str = "", progress: Progress | None = None
) -> CspReplaceReport:
    """Place every incident held in its CSP area again, from the CSP areas held now, and
    rebuild the monthly aggregate at CSP level for every month held; one transaction.

    The rule is the import's (LSOA beats ward beats local authority; see
    ``saferhub.geography.selectors.csp_for_places``), applied in SQL on both engines.
    Audited, with how many incidents moved from which CSP area to which.
    """
    say = progress or (lambda done, total, message: None)
    say(0, 3, "Reading the CSP areas")
    by_lad, by_ward, by_lsoa = csp_for_places()
    say(1, 3, "Placing incidents in their CSP areas")
    moves = loading.csp_codes_replace(by_lad, by_ward, by_lsoa)
    say(2, 3, "Rebuilding the monthly counts of CSP areas")
    months = loading.months_held()
    report = CspReplaceReport(
        moves=moves,
        months=len(months),
        monthly_rows=loading.monthly_counts_recompute(months=months, levels=["csp"]),
    )
    audit_record(
        actor=actor,
        action="incidents.csp_replace",
        object_type="incidents.Incident",
        new={
            "moved": report.moved,
            "moves": {
                f"{old or '(none)'} -> {new or '(none)'}": n for (old, new), n in moves.items()
            },
            "months": report.months,
            "monthly_rows": report.monthly_rows,
        },
        detail=reason[:500],
    )
    if report.moved:
        imports_changed(actor=actor)  # re-measure indicators after the commit
    say(3, 3, "Finished")
    return report
