"""Partner incident files: the saved column mapping (``PartnerSource``) and the import.

A partner file (council ASB, fire service deliberate fires, domestic abuse services ...)
is read through its source's column mapping. Each row becomes an :class:`Incident` in the
same incident table as police.uk, with ``source = "partner:<name>"``, so the monthly
aggregates and every analysis include it. The import follows the same rules as police.uk:

* one transaction for the whole file; a file of the wrong shape is refused with a message
  naming the column; row-level problems (bad date, coordinates outside the UK, unknown
  LSOA or ward, unknown category) are counted and kept, and the good rows still load
  unless ``all_or_nothing`` is asked for;
* idempotent: the ledger (:class:`ImportBatch`) knows each file by the SHA-256 of its
  bytes, and each row has a stable key (the partner's own reference where the source has
  one, otherwise a hash of the mapped values and the occurrence of those values in the
  file), so importing the same file, or an overlapping one, again changes nothing;
* ``dry_run`` reports what would happen and writes nothing.

Only mapped columns are read; free-text columns are never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from saferhub.accounts.audit import audit_record, model_values
from saferhub.core.locks import hold_lock
from saferhub.core.services import model_update, stamp
from saferhub.incidents.hooks import imports_changed
from saferhub.incidents.models import ImportBatch, PartnerSource, RowProblem
from saferhub.incidents.partner_place import Placer
from saferhub.incidents.partner_read import FileRefused, Table, open_table
from saferhub.incidents.partner_rows import PreparedRow, Problem, RowReader, check_header
from saferhub.incidents.services import IMPORT_LOCK, incidents_load, monthly_counts_recompute

Progress = Callable[[int, int | None], None]

MAX_PROBLEMS_KEPT = 100_000
CHUNK_ROWS = 5_000


@dataclass
class PartnerImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    source: str
    file_name: str
    sha256: str = ""
    status: str = "loaded"  # loaded, loaded_with_problems, already_imported, refused
    message: str = ""
    dry_run: bool = False
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_refused: int = 0
    rows_warning: int = 0
    rows_no_location: int = 0
    months: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    batch_id: int | None = None

    def as_dict(self, *, max_problems: int = 1000) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems[:max_problems]]
        data["problems_total"] = len(self.problems)
        return data


# --------------------------------------------------------------------------- sources


SOURCE_FIELDS = [
    "name",
    "agency",
    "default_theme",
    "allow_new_categories",
    "encoding",
    "sheet_name",
    "date_column",
    "date_precision",
    "date_format",
    "category_column",
    "location_kind",
    "x_column",
    "y_column",
    "area_column",
    "reference_column",
    "victim_ref_column",
    "location_ref_column",
    "ignored_columns",
]


@transaction.atomic
def partner_source_create(*, actor: Any, name: str, **mapping: Any) -> PartnerSource:
    """Save a partner source and its column mapping (validated, audited)."""
    unknown = set(mapping) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner source fields: {', '.join(sorted(unknown))}.")
    source = PartnerSource(name=name.strip(), **mapping)
    stamp(source, actor)
    source.full_clean()
    source.save()
    audit_record(
        actor=actor, action="incidents.partner_source_create", obj=source, new=model_values(source)
    )
    return source


@transaction.atomic
def partner_source_update(*, actor: Any, source: PartnerSource, **changes: Any) -> PartnerSource:
    """Change a partner source's mapping (validated, audited with old and new values)."""
    model_update(
        actor=actor,
        instance=source,
        fields=changes,
        allowed=SOURCE_FIELDS,
        action="incidents.partner_source_update",
        values=lambda changed: model_values(changed, SOURCE_FIELDS),
    )
    return source


def partner_source_list() -> Any:
    return PartnerSource.objects.live().select_related("default_theme", "agency")


def partner_source_get(name_or_id: str | int) -> PartnerSource:
    qs = partner_source_list()
    text = str(name_or_id)
    source = qs.filter(name__iexact=text).first()
    if source is None and text.isdigit():
        source = qs.filter(pk=int(text)).first()
    if source is None:
        names = ", ".join(qs.values_list("name", flat=True)) or "none yet"
        raise FileRefused(f"There is no partner source called {text!r}. Sources: {names}.")
    return source


# --------------------------------------------------------------------------- import


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _already_held(report: PartnerImportReport) -> bool:
    """Whether the file is in the ledger already; if so, say so on the report."""
    held = ImportBatch.objects.filter(kind=ImportBatch.Kind.PARTNER, sha256=report.sha256).first()
    if held is None:
        return False
    report.status = "already_imported"
    report.batch_id = held.pk
    report.message = (
        f"{report.file_name} was already imported on {held.created_at:%d %B %Y} as "
        f"{held.file_name} (source {held.source}): nothing has changed."
    )
    return True


def partner_import(
    *,
    actor: Any,
    source: PartnerSource,
    path: Path,
    file_name: str = "",
    dry_run: bool = False,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
) -> PartnerImportReport:
    """Import one partner file through ``source``'s mapping (one transaction)."""
    path = Path(path)
    report = PartnerImportReport(source=source.name, file_name=file_name or path.name)
    report.dry_run = dry_run
    report.sha256, size = sha256_file(path)
    if _already_held(report):
        return report
    try:
        with transaction.atomic():
            hold_lock(IMPORT_LOCK)  # the same file twice at once: one waits, then skips it
            if _already_held(report):
                return report
            _run(actor, source, path, size, report, dry_run, all_or_nothing, progress)
            if dry_run or report.status == "refused":
                transaction.set_rollback(True)
    except FileRefused as exc:
        report.status = "refused"
        report.message = str(exc)
        report.rows_loaded = 0
    return report


def _run(
    actor: Any,
    source: PartnerSource,
    path: Path,
    size: int,
    report: PartnerImportReport,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress | None,
) -> None:
    """Read, check and insert in chunks inside the caller's transaction.

    A dry run or an all-or-nothing refusal does the same work; the caller rolls it back,
    so the counts reported are exactly what a real import would do.
    """
    table = open_table(path, encoding=source.encoding, sheet_name=source.sheet_name)
    index = check_header(source, table, report)
    rows = RowReader(source, index, Placer.load())
    batch = ImportBatch(
        kind=ImportBatch.Kind.PARTNER,
        source=source.name,
        file_name=report.file_name[:300],
        sha256=report.sha256,
        size_bytes=size,
    )
    stamp(batch, actor)
    batch.full_clean()
    batch.save()
    total = _estimate_rows(path, table)
    chunk: list[PreparedRow] = []
    months: set[dt.date] = set()
    prepared = 0

    def flush() -> None:
        if not chunk:
            return
        ids = {name: c.pk for name, c in rows.categories_for_load(actor=actor).items()}
        report.rows_loaded += incidents_load(
            [row.as_tuple(batch_id=batch.pk, category_id=ids[row.category]) for row in chunk]
        )
        chunk.clear()

    for number, values in table.rows:
        report.rows_read += 1
        row = rows.read(number, values, report)
        if row is not None:
            chunk.append(row)
            months.add(row.month)
            prepared += 1
            if len(chunk) >= CHUNK_ROWS:
                flush()
        if progress and report.rows_read % 1000 == 0:
            progress(report.rows_read, total)
    flush()
    if report.rows_read == 0:
        raise FileRefused(f"{report.file_name} has a header row but no data rows.")
    report.rows_refused = sum(1 for p in report.problems if p.severity == "refused")
    report.rows_warning = len({p.row_number for p in report.problems if p.severity == "warning"})
    report.rows_no_location = rows.no_location
    report.months = sorted(f"{m:%Y-%m}" for m in months)
    if all_or_nothing and report.rows_refused:
        report.status = "refused"
        report.rows_loaded = 0
        report.message = (
            f"All-or-nothing: {report.rows_refused} of {report.rows_read} rows have problems, "
            "so nothing was loaded. Download the problems, correct the file and import it again."
        )
        return
    if not prepared:
        raise FileRefused(
            f"None of the {report.rows_read} rows of {report.file_name} could be loaded: "
            f"{_top_problems(report)}."
        )
    report.new_categories = sorted(rows.new_categories)
    report.status = "loaded_with_problems" if report.rows_refused else "loaded"
    report.rows_duplicate = prepared - report.rows_loaded
    report.message = ("Dry run (nothing written): " if dry_run else "") + _summary(report)
    batch.status = (
        ImportBatch.Status.LOADED_WITH_PROBLEMS
        if report.rows_refused
        else ImportBatch.Status.LOADED
    )
    batch.rows_read = report.rows_read
    batch.rows_loaded = report.rows_loaded
    batch.rows_duplicate = report.rows_duplicate
    batch.rows_refused = report.rows_refused
    batch.rows_warning = report.rows_warning
    batch.rows_no_location = report.rows_no_location
    batch.first_month = min(months)
    batch.last_month = max(months)
    batch.message = report.message[:5000]
    batch.full_clean()
    batch.save()
    RowProblem.objects.bulk_create(
        [
            RowProblem(
                batch=batch,
                row_number=p.row_number,
                column=p.column[:100],
                value=p.value[:300],
                problem=p.problem[:300],
                severity=p.severity,
            )
            for p in report.problems[:MAX_PROBLEMS_KEPT]
        ],
        batch_size=2000,
    )
    monthly_counts_recompute(months=months)
    imports_changed(actor=actor)
    if dry_run:
        return
    report.batch_id = batch.pk
    audit_record(
        actor=actor,
        action="incidents.partner_import",
        obj=batch,
        new={
            "source": source.name,
            "file_name": report.file_name,
            "sha256": report.sha256,
            "rows_read": report.rows_read,
            "rows_loaded": report.rows_loaded,
            "rows_duplicate": report.rows_duplicate,
            "rows_refused": report.rows_refused,
        },
    )
    if progress:
        progress(report.rows_read, report.rows_read)


def _estimate_rows(path: Path, table: Table) -> int | None:
    if table.kind == "csv":
        with path.open("rb") as handle:
            return max(
                0, sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1
            )
    return None


def _top_problems(report: PartnerImportReport) -> str:
    counts = Counter(re.sub(r"'.*?'", "…", p.problem) for p in report.problems)
    return "; ".join(f"{n} × {text}" for text, n in counts.most_common(3))


def _summary(report: PartnerImportReport) -> str:
    parts = [
        f"{report.rows_read} rows read",
        f"{report.rows_loaded} loaded",
        f"{report.rows_duplicate} already held",
        f"{report.rows_refused} refused",
    ]
    if report.rows_no_location:
        parts.append(f"{report.rows_no_location} with no location (loaded, not placed)")
    text = ", ".join(parts) + "."
    if report.new_categories:
        text += (
            f" New categories, counted towards the source's default theme until you change "
            f"them in the taxonomy: {', '.join(report.new_categories)}."
        )
    if report.ignored_columns:
        text += f" Columns left out (never stored): {', '.join(report.ignored_columns)}."
    return text
