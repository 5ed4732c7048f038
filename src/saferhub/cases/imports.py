"""The case-review exchange format: ``complaints.csv``, ``applications.csv``, ``reviews.csv``.

One import is one transaction: every row of every file is checked first, and if any row has
a problem nothing is saved and every problem is reported by file, row, column and reason.
References make it idempotent: a row whose reference exists updates that record, and
importing the same set twice changes nothing. Row numbers count the header as row 1.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import CaseReviewApplication, Complaint
from saferhub.cases.services.case_review import decision_due

COLUMNS: dict[str, list[str]] = {
    "complaints.csv": [
        "complaint_ref",
        "victim_ref",
        "behaviour_date",
        "reported_date",
        "agency_code",
        "location_ref",
    ],
    "applications.csv": [
        "application_ref",
        "victim_ref",
        "received_date",
        "applicant_type",
        "consent",
    ],
    "reviews.csv": ["application_ref", "review_date", "recommendations"],
}
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 50
APPLICANT_TYPES = {c.value for c in CaseReviewApplication.ApplicantType}


@dataclass(frozen=True)
class ExchangeExtension:
    """Another case type's exchange files (``saferhub.cases.marac_imports``): its columns,
    a check of the parsed rows (problems go to the report; returns what to save) and the
    save, called inside the import's one transaction only when no file has a problem."""

    columns: dict[str, list[str]]
    check: Any  # (parsed files, report) -> checked rows
    save: Any  # (checked rows, report, actor) -> None


EXTENSIONS: list[ExchangeExtension] = []


def register_extension(extension: ExchangeExtension) -> None:
    COLUMNS.update(extension.columns)
    EXTENSIONS.append(extension)


class ExchangeRefused(ValueError):
    """The set as a whole cannot be read (no known file, wrong columns, too large)."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def read_exchange_path(path: Path) -> dict[str, bytes]:
    """The exchange files of a folder or a zip (by file name; other files ignored)."""
    if path.is_dir():
        return {n: (path / n).read_bytes() for n in COLUMNS if (path / n).is_file()}
    if path.is_file() and zipfile.is_zipfile(path):
        return read_exchange_zip(path.read_bytes())
    raise ExchangeRefused(f"{path.name} is neither a folder nor a zip file.")


def read_exchange_zip(content: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ExchangeRefused("The file is not a readable zip file.") from exc
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ExchangeRefused(f"The zip holds {len(entries)} files; at most {MAX_ZIP_ENTRIES}.")
    out = {}
    for info in entries:
        name = info.filename.rsplit("/", 1)[-1]
        if name not in COLUMNS:
            continue
        if info.file_size > MAX_FILE_BYTES:
            raise ExchangeRefused(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB.")
        out[name] = archive.read(info)
    return out


def _rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of one file of the exchange, read by the shared reader (UTF-8 only, no NUL
    bytes, balanced quotes, no duplicated heading: ``core/tables.py``)."""
    from saferhub.core.tables import TableRefused, header_and_rows, read_sheets

    try:
        sheet = read_sheets(content, filename=name)["Sheet1"]
        _, raw_header, data = header_and_rows(sheet, filename=name)
    except TableRefused as exc:
        raise ExchangeRefused(str(exc)) from exc
    header = [str(h).strip() for h in raw_header]
    missing = [c for c in COLUMNS[name] if c not in header]
    unknown = [c for c in header if c not in COLUMNS[name]]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing columns " + ", ".join(missing))
        if unknown:
            parts.append("unknown columns " + ", ".join(unknown))
        raise ExchangeRefused(
            f"{name}: {'; '.join(parts)}. The columns are exactly: {','.join(COLUMNS[name])}."
        )
    return [
        {h: (str(values[i]) if i < len(values) else "").strip() for i, h in enumerate(header)}
        for _, values in data
    ]


class _Checker:
    def __init__(self, name: str, report: ImportReport) -> None:
        self.name, self.report = name, report

    def problem(self, row: int, column: str, reason: str) -> None:
        self.report.problems.append(RowProblem(self.name, row, column, reason))

    def required(self, row: int, data: dict[str, str], column: str) -> str | None:
        if not data.get(column):
            self.problem(row, column, "is empty")
            return None
        return data[column]

    def date(self, row: int, data: dict[str, str], column: str) -> dt.date | None:
        text = self.required(row, data, column)
        if text is None:
            return None
        try:
            if len(text) != 10:
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(row, column, f"“{text}” is not a date that exists (write YYYY-MM-DD)")
            return None


def _check_complaints(rows: list[dict[str, str]], report: ImportReport) -> list[dict[str, Any]]:
    check = _Checker("complaints.csv", report)
    agencies = {a.code: a for a in Agency.objects.all()}
    seen: set[str] = set()
    good = []
    for n, row in enumerate(rows, start=2):
        ref = check.required(n, row, "complaint_ref")
        if ref and ref in seen:
            check.problem(n, "complaint_ref", f"“{ref}” appears twice in the file")
        seen.add(ref or "")
        victim = check.required(n, row, "victim_ref")
        location = check.required(n, row, "location_ref")
        behaviour = check.date(n, row, "behaviour_date")
        reported = check.date(n, row, "reported_date")
        if behaviour and reported and behaviour > reported:
            check.problem(n, "behaviour_date", "the behaviour is dated after it was reported")
        code = check.required(n, row, "agency_code")
        if code and code not in agencies:
            check.problem(n, "agency_code", f"“{code}” is not a SaferHub agency code")
        good.append(
            {
                "complaint_ref": ref,
                "victim_ref": victim,
                "behaviour_date": behaviour,
                "reported_date": reported,
                "agency": agencies.get(code or ""),
                "location_ref": location,
            }
        )
    return good


def _consent(check: _Checker, n: int, row: dict[str, str]) -> bool | None:
    text = row.get("consent", "").lower()
    if text not in {"", "yes", "no"}:
        check.problem(n, "consent", f"“{row['consent']}” is not yes or no")
        return None
    consent = {"yes": True, "no": False}.get(text)
    if row.get("applicant_type") == "third_party" and consent is not True:
        check.problem(n, "consent", "a third party can apply only with the victim's consent (yes)")
    return consent


def _check_applications(
    rows: list[dict[str, str]], victims_with_complaints: set[str], report: ImportReport
) -> list[dict[str, Any]]:
    check = _Checker("applications.csv", report)
    seen: set[str] = set()
    good = []
    for n, row in enumerate(rows, start=2):
        ref = check.required(n, row, "application_ref")
        if ref and ref in seen:
            check.problem(n, "application_ref", f"“{ref}” appears twice in the file")
        seen.add(ref or "")
        victim = check.required(n, row, "victim_ref")
        if victim and victim not in victims_with_complaints:
            check.problem(n, "victim_ref", f"there are no complaints for victim “{victim}”")
        received = check.date(n, row, "received_date")
        kind = check.required(n, row, "applicant_type")
        if kind and kind not in APPLICANT_TYPES:
            check.problem(
                n, "applicant_type", f"“{kind}” is not one of {', '.join(sorted(APPLICANT_TYPES))}"
            )
        good.append(
            {
                "application_ref": ref,
                "victim_ref": victim,
                "received_date": received,
                "applicant_type": kind,
                "consent": _consent(check, n, row),
            }
        )
    return good


def _check_reviews(
    rows: list[dict[str, str]], received: dict[str, dt.date], report: ImportReport
) -> list[dict[str, Any]]:
    check = _Checker("reviews.csv", report)
    good = []
    for n, row in enumerate(rows, start=2):
        ref = check.required(n, row, "application_ref")
        if ref and ref not in received:
            check.problem(n, "application_ref", f"there is no application “{ref}”")
        day = check.date(n, row, "review_date")
        if day and ref in received and day < received[ref]:
            check.problem(
                n, "review_date", "the review is dated before the application was received"
            )
        text = row.get("recommendations", "")
        if not text.isdigit():
            check.problem(n, "recommendations", f"“{text}” is not a whole number, 0 or more")
        good.append(
            {
                "application_ref": ref,
                "review_date": day,
                "recommendations": int(text) if text.isdigit() else 0,
            }
        )
    return good


LOOKUP_CHUNK = 10_000


def _upsert(model: Any, key: str, rows: list[dict[str, Any]], report: ImportReport) -> None:
    label = model._meta.model_name
    keys = [r[key] for r in rows]
    existing = {}
    # In pieces: SQLite allows a limited number of variables in one statement.
    for start in range(0, len(keys), LOOKUP_CHUNK):
        piece = keys[start : start + LOOKUP_CHUNK]
        existing.update({getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": piece})})
    new = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            new.append(model(**row))
            continue
        changed = [k for k, v in row.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, row[k])
            obj.save(update_fields=changed)
            report.updated[label] = report.updated.get(label, 0) + 1
        else:
            report.unchanged[label] = report.unchanged.get(label, 0) + 1
    model.objects.bulk_create(new, batch_size=2000)
    report.created[label] = report.created.get(label, 0) + len(new)


def exchange_import(
    *, actor: Actor, files: dict[str, bytes], dry_run: bool = False
) -> ImportReport:
    """Check and import an exchange set; nothing is saved if any row has a problem."""
    if not files:
        raise ExchangeRefused(
            "No exchange file found: expected one or more of " + ", ".join(COLUMNS) + "."
        )
    parsed = {name: _rows(name, content) for name, content in files.items()}
    report = ImportReport(dry_run=dry_run)
    complaints = _check_complaints(parsed.get("complaints.csv", []), report)
    victims = {c["victim_ref"] for c in complaints if c["victim_ref"]}
    applications_rows = parsed.get("applications.csv", [])
    wanted = {r.get("victim_ref", "") for r in applications_rows} - victims
    victims |= set(
        Complaint.objects.filter(victim_ref__in=wanted).values_list("victim_ref", flat=True)
    )
    applications = _check_applications(applications_rows, victims, report)
    received = {
        a["application_ref"]: a["received_date"] for a in applications if a["application_ref"]
    }
    review_refs = {r.get("application_ref", "") for r in parsed.get("reviews.csv", [])} - set(
        received
    )
    received |= dict(
        CaseReviewApplication.objects.filter(application_ref__in=review_refs).values_list(
            "application_ref", "received_date"
        )
    )
    reviews = _check_reviews(parsed.get("reviews.csv", []), received, report)
    extended = [(ext, ext.check(parsed, report)) for ext in EXTENSIONS]
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        for ext, checked in extended:
            ext.save(checked, report, actor)
        _upsert(Complaint, "complaint_ref", complaints, report)
        for a in applications:
            a["decision_due"] = decision_due(a["received_date"])
        _upsert(CaseReviewApplication, "application_ref", applications, report)
        _apply_reviews(reviews, report)
        audit_record(
            actor=actor,
            action=CaseAction.CASE_REVIEW_IMPORT,
            object_type="cases.CaseReviewApplication",
            new={"created": report.created, "updated": report.updated},
        )
    return report


def _apply_reviews(reviews: list[dict[str, Any]], report: ImportReport) -> None:
    apps = CaseReviewApplication.objects.in_bulk(
        [r["application_ref"] for r in reviews], field_name="application_ref"
    )
    for r in reviews:
        app = apps[r["application_ref"]]
        if (app.review_date, app.recommendations) == (r["review_date"], r["recommendations"]):
            report.unchanged["review"] = report.unchanged.get("review", 0) + 1
            continue
        app.review_date, app.recommendations = r["review_date"], r["recommendations"]
        app.save(update_fields=["review_date", "recommendations"])
        report.updated["review"] = report.updated.get("review", 0) + 1
