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
from django.utils import timezone

from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.incidents.models import Category, ImportBatch, Incident, PartnerSource, RowProblem
from saferhub.incidents.partner_place import Place, Placer
from saferhub.incidents.partner_read import Cell, FileRefused, Table, open_table

Progress = Callable[[int, int | None], None]

# The UK with a margin (WGS84), and the extent of the British National Grid.
UK_LON = (-8.75, 1.85)
UK_LAT = (49.8, 60.95)
BNG_X = (0.0, 700_000.0)
BNG_Y = (0.0, 1_300_000.0)
REFERENCE_MAX = 100
MAX_PROBLEMS_KEPT = 100_000


@dataclass
class Problem:
    row_number: int
    column: str
    value: str
    problem: str
    severity: str = RowProblem.Severity.REFUSED


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
    if getattr(actor, "pk", None):
        source.created_by = source.modified_by = actor
    source.full_clean()
    source.save()
    audit_record(
        actor=actor, action="incidents.partner_source_create", obj=source, new=model_values(source)
    )
    return source


@transaction.atomic
def partner_source_update(*, actor: Any, source: PartnerSource, **changes: Any) -> PartnerSource:
    """Change a partner source's mapping (validated, audited with old and new values)."""
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner source fields: {', '.join(sorted(unknown))}.")
    before = model_values(source, SOURCE_FIELDS)
    for key, value in changes.items():
        setattr(source, key, value)
    if getattr(actor, "pk", None):
        source.modified_by = actor
    source.full_clean()
    source.save()
    old, new = changed_values(before, model_values(source, SOURCE_FIELDS))
    if new:
        audit_record(
            actor=actor, action="incidents.partner_source_update", obj=source, old=old, new=new
        )
    return source


def partner_source_list() -> Any:
    return PartnerSource.objects.filter(archived_at__isnull=True).select_related(
        "default_theme", "agency"
    )


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
    held = ImportBatch.objects.filter(kind=ImportBatch.Kind.PARTNER, sha256=report.sha256).first()
    if held is not None:
        report.status = "already_imported"
        report.batch_id = held.pk
        report.message = (
            f"{report.file_name} was already imported on {held.created_at:%d %B %Y} as "
            f"{held.file_name} (source {held.source}): nothing has changed."
        )
        return report
    try:
        with transaction.atomic():
            _run(actor, source, path, size, report, dry_run, all_or_nothing, progress)
            if dry_run or report.status == "refused":
                transaction.set_rollback(True)
    except FileRefused as exc:
        report.status = "refused"
        report.message = str(exc)
        report.rows_loaded = 0
    return report


class _Refused(Exception):
    pass


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
    table = open_table(path, encoding=source.encoding, sheet_name=source.sheet_name)
    index = _check_header(source, table, report)
    rows = _RowReader(source, index, Placer.load())
    prepared: list[Incident] = []
    total = _estimate_rows(path, table)
    for number, values in table.rows:
        report.rows_read += 1
        incident = rows.read(number, values, report)
        if incident is not None:
            prepared.append(incident)
        if progress and report.rows_read % 1000 == 0:
            progress(report.rows_read, total)
    if report.rows_read == 0:
        raise FileRefused(f"{report.file_name} has a header row but no data rows.")
    report.rows_refused = sum(1 for p in report.problems if p.severity == "refused")
    report.rows_warning = len({p.row_number for p in report.problems if p.severity == "warning"})
    report.rows_no_location = rows.no_location
    report.months = sorted({f"{i.month:%Y-%m}" for i in prepared})
    if all_or_nothing and report.rows_refused:
        report.status = "refused"
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
    categories = rows.categories_for_load(actor=actor, dry_run=dry_run)
    keys = [i.dedupe_key for i in prepared]
    existing = _existing_keys(rows.incident_source, keys)
    fresh = [i for i in prepared if i.dedupe_key not in existing]
    report.rows_duplicate = len(prepared) - len(fresh)
    report.rows_loaded = len(fresh)
    report.status = "loaded_with_problems" if report.rows_refused else "loaded"
    report.message = _summary(report)
    if dry_run:
        return
    batch = ImportBatch(
        kind=ImportBatch.Kind.PARTNER,
        source=source.name,
        file_name=report.file_name[:300],
        sha256=report.sha256,
        size_bytes=size,
        status=(
            ImportBatch.Status.LOADED_WITH_PROBLEMS
            if report.rows_refused
            else ImportBatch.Status.LOADED
        ),
        rows_read=report.rows_read,
        rows_loaded=report.rows_loaded,
        rows_duplicate=report.rows_duplicate,
        rows_refused=report.rows_refused,
        rows_warning=report.rows_warning,
        rows_no_location=report.rows_no_location,
        first_month=min((i.month for i in prepared), default=None),
        last_month=max((i.month for i in prepared), default=None),
        message=report.message[:5000],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    batch.full_clean()
    batch.save()
    for incident in fresh:
        incident.batch = batch
        incident.category = categories[incident.category.name]
    Incident.objects.bulk_create(fresh, batch_size=2000)
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
    _recompute_months(sorted({i.month for i in fresh}))
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


def _recompute_months(months: list[dt.date]) -> None:
    if not months:
        return
    try:
        from saferhub.incidents.services import monthly_counts_recompute
    except ImportError:  # TEMPORARY until the incidents services land
        return
    monthly_counts_recompute(months=months)


def _estimate_rows(path: Path, table: Table) -> int | None:
    if table.kind == "csv":
        with path.open("rb") as handle:
            return max(
                0, sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1
            )
    return None


def _existing_keys(incident_source: str, keys: list[str]) -> set[str]:
    held: set[str] = set()
    for i in range(0, len(keys), 900):
        held.update(
            Incident.objects.filter(
                source=incident_source, dedupe_key__in=keys[i : i + 900]
            ).values_list("dedupe_key", flat=True)
        )
    return held


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


# --------------------------------------------------------------------------- header and rows


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().lower()


def _check_header(
    source: PartnerSource, table: Table, report: PartnerImportReport
) -> dict[str, int]:
    positions = {_norm(h): i for i, h in enumerate(table.header) if h}
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


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _RowReader:
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

    def cell(self, role: str, values: list[Cell]) -> Cell:
        position = self.index.get(role)
        if position is None or position >= len(values):
            return None
        return values[position]

    def read(self, number: int, values: list[Cell], report: PartnerImportReport) -> Incident | None:
        problems: list[Problem] = []
        day = self._date(number, values, problems)
        category = self._category(number, values, problems)
        place = self._place(number, values, problems)
        refs = {}
        for role in ("reference", "victim reference", "location reference"):
            text = _text(self.cell(role, values))
            if len(text) > REFERENCE_MAX:
                problems.append(
                    Problem(
                        number,
                        self.source.mapped_columns()[role],
                        text[:40] + "…",
                        f"longer than {REFERENCE_MAX} characters: not a pseudonymous reference",
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
                    f"{place.longitude}, {place.latitude}",
                    "point outside the LSOA boundaries held: loaded with no LSOA",
                    "warning",
                )
            )
        key = self._key(day, category, place, refs)
        return Incident(
            source=self.incident_source,
            dedupe_key=key,
            month=month,
            occurred_on=day if self.source.date_precision == "day" else None,
            category=Category(name=category),
            reported_by=(self.source.agency.name if self.source.agency else "")[:100],
            lsoa_code_original=place.lsoa_original,
            lsoa_code=place.lsoa,
            ward_code=place.ward,
            lad_code=place.lad,
            csp_code=place.csp,
            placement=place.placement,
            longitude=place.longitude,
            latitude=place.latitude,
            bng_x=place.bng_x,
            bng_y=place.bng_y,
            victim_ref=refs["victim reference"],
            location_ref=refs["location reference"],
        )

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
        else:
            text = _text(value)
            if not text:
                problems.append(Problem(number, column, "", "no date"))
                return None
            try:
                day = dt.datetime.strptime(text, self.source.date_format).date()
            except ValueError:
                problems.append(
                    Problem(
                        number,
                        column,
                        text[:300],
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
        text = re.sub(r"\s+", " ", _text(self.cell("category", values)))
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

    def categories_for_load(self, *, actor: Any, dry_run: bool) -> dict[str, Category]:
        if dry_run:
            return dict(self.known)
        for name in sorted(self.new_categories):
            category = Category(name=name, source=self.incident_source[:60])
            if getattr(actor, "pk", None):
                category.created_by = category.modified_by = actor
            category.full_clean()
            category.save()
            category.themes.set([self.source.default_theme])
            audit_record(
                actor=actor,
                action="incidents.category_create",
                obj=category,
                new={"name": name, "themes": [self.source.default_theme.key]},
            )
            self.known[name] = category
        return self.known

    def _place(self, number: int, values: list[Cell], problems: list[Problem]) -> Place | None:
        kind = self.source.location_kind
        if kind in {"lsoa", "ward"}:
            column = self.source.area_column
            code = _text(self.cell("area", values)).upper()
            if not code:
                return Place.nowhere()
            place = self.placer.from_lsoa(code) if kind == "lsoa" else self.placer.from_ward(code)
            if place is None:
                what = "LSOA" if kind == "lsoa" else "ward"
                problems.append(
                    Problem(
                        number, column, code[:300], f"unknown {what} code (not in the ONS lookup)"
                    )
                )
            return place
        x_text = _text(self.cell("x", values))
        y_text = _text(self.cell("y", values))
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
            problems.append(Problem(number, bad_col, bad[:300], "not a number"))
            return None
        if kind == "wgs84":
            if not (UK_LON[0] <= x <= UK_LON[1] and UK_LAT[0] <= y <= UK_LAT[1]):
                problems.append(
                    Problem(
                        number,
                        f"{self.source.x_column}, {self.source.y_column}",
                        f"{x_text}, {y_text}",
                        "coordinates outside the UK (expected longitude -8.75 to 1.85, "
                        "latitude 49.8 to 60.95; are they swapped?)",
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
