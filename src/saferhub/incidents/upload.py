"""Uploads: an analyst's file (web page or API) imported as a background job.

:func:`import_upload_start` keeps the uploaded file under ``MEDIA_ROOT/imports/`` and
starts the job ``incidents.import_upload``; the job runs the same import services as
the command line (:func:`saferhub.incidents.partner.partner_import`, or the police.uk
import), records the result (counts, messages and the problems) on the job, and removes
the uploaded file. The result page and the API read the result through
:func:`upload_job_for_user` and :func:`upload_problems`.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from saferhub.accounts.access import require_permission, scope_to_user
from saferhub.accounts.audit import audit_record
from saferhub.core.jobs import job_kind, job_progress, job_start
from saferhub.core.models import Job
from saferhub.incidents.models import ImportBatch, PartnerSource, RowProblem
from saferhub.incidents.partner import partner_import
from saferhub.incidents.partner_read import CSV_SUFFIXES, XLSX_SUFFIXES

JOB_KIND = "incidents.import_upload"
POLICE_UK = "police_uk"
PARTNER = "partner"
POLICE_SUFFIXES = {".csv", ".zip"}
PROBLEMS_IN_RESULT = 20_000
PROBLEM_COLUMNS = ["File", "Row", "Column", "Value", "Problem", "Severity"]


class UploadRefused(Exception):
    """The upload cannot be imported as asked (wrong kind of file for the source)."""


def _safe_name(name: str) -> str:
    base = Path(name).name
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or "upload"
    return cleaned[:150]


def upload_check(*, kind: str, file_name: str, source: PartnerSource | None) -> None:
    """Refuse, before anything is stored, a file that cannot be the kind asked for."""
    suffix = Path(file_name).suffix.lower()
    if kind == POLICE_UK:
        if suffix not in POLICE_SUFFIXES:
            raise UploadRefused(
                f"{file_name} is not a police.uk file: upload a street-level CSV "
                "(YYYY-MM-force-street.csv) or the zip archive as police.uk sends it."
            )
        return
    if kind != PARTNER:
        raise UploadRefused("Choose police.uk or a partner source.")
    if source is None:
        raise UploadRefused("Choose which partner source the file comes from.")
    if suffix == ".zip":
        raise UploadRefused(
            f"{file_name} is a zip: only police.uk archives come zipped. Upload the partner "
            "file itself (CSV or XLSX)."
        )
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise UploadRefused(f"{file_name} is not a CSV or XLSX file.")


@transaction.atomic
def import_upload_start(
    *,
    actor: Any,
    kind: str,
    upload: UploadedFile,
    source: PartnerSource | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> Job:
    """Keep the uploaded file and start the import job; returns the job."""
    require_permission(actor, "incidents.import_data", what="import upload")
    file_name = _safe_name(upload.name or "upload")
    upload_check(kind=kind, file_name=file_name, source=source)
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    title = f"Import {file_name} ({'police.uk' if kind == POLICE_UK else source})" + (
        " – dry run" if dry_run else ""
    )
    job = job_start(
        kind=JOB_KIND,
        title=title[:200],
        params={
            "kind": kind,
            "path": str(path),
            "file_name": file_name,
            "source_id": source.pk if source else None,
            "dry_run": dry_run,
            "all_or_nothing": all_or_nothing,
        },
        user=actor,
    )
    audit_record(
        actor=actor,
        action="incidents.import_upload",
        obj=job,
        new={"file_name": file_name, "kind": kind, "source": str(source or ""), "dry_run": dry_run},
    )
    return job


@job_kind(JOB_KIND)
def import_upload_job(
    job: Job,
    *,
    kind: str,
    path: str,
    file_name: str,
    source_id: int | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> dict[str, Any]:
    """The background job: import the uploaded file, record the result, remove the file."""
    actor = job.created_by

    def progress(done: int, total: int | None) -> None:
        job_progress(job, done=done, total=total, message=f"{done:,} rows read")

    try:
        if kind == PARTNER:
            source = PartnerSource.objects.get(pk=int(source_id or 0))
            report = partner_import(
                actor=actor,
                source=source,
                path=Path(path),
                file_name=file_name,
                dry_run=dry_run,
                all_or_nothing=all_or_nothing,
                progress=progress,
            )
            result = report.as_dict(max_problems=PROBLEMS_IN_RESULT)
        else:
            result = _police_uk(actor, Path(path), dry_run, all_or_nothing, progress)
    finally:
        shutil.rmtree(Path(path).parent, ignore_errors=True)
    result["kind"] = kind
    result["url"] = reverse("incidents:upload_result", args=[job.pk])
    result["summary"] = result.get("message", "")
    return result


def _police_uk(
    actor: Any, path: Path, dry_run: bool, all_or_nothing: bool, progress: Any
) -> dict[str, Any]:
    from saferhub.incidents.police_uk import ImportRefused
    from saferhub.incidents.services import police_uk_import

    def step(done: int, total: int, message: str) -> None:
        if done % 5000 < 1000 or done >= total:
            progress(done, total)

    try:
        report = police_uk_import(
            actor=actor or "upload",
            paths=[path],
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            progress=step,
        )
    except ImportRefused as exc:
        refused = getattr(exc, "report", None)
        problems = list(getattr(refused, "problems", []) or [])
        return {
            "status": "refused",
            "message": f"Nothing was loaded: {exc}",
            "file_name": path.name,
            "problems": [_police_problem(p) for p in problems[:PROBLEMS_IN_RESULT]],
            "problems_total": len(problems),
        }
    result = report.as_dict()
    skipped = all(f.status == "skipped" for f in report.files) and report.files
    result["status"] = (
        "already_imported"
        if skipped
        else ("loaded_with_problems" if report.rows_refused else "loaded")
    )
    result["message"] = " ".join([report.summary(), *[f.message for f in report.files]])
    result["file_name"] = path.name
    result["problems"] = [_police_problem(p) for p in report.problems[:PROBLEMS_IN_RESULT]]
    result["problems_total"] = len(report.problems)
    return result


def _police_problem(problem: Any) -> dict[str, Any]:
    file, row, column, value, text, severity = problem
    return {
        "file": str(file),
        "row_number": row,
        "column": str(column),
        "value": str(value),
        "problem": str(text),
        "severity": str(severity),
    }


# --------------------------------------------------------------------------- reads


def upload_job_for_user(*, user: Any, job_id: Any) -> Job:
    """An import job the user started (Http404 for anyone else's, or another kind)."""
    require_permission(user, "incidents.import_data", what=f"import {job_id}")
    qs = scope_to_user(
        user,
        Job.objects.filter(kind=JOB_KIND),
        perm="incidents.import_data",
        assigned_field="created_by",
    )
    job = qs.filter(pk=job_id).first()
    if job is None:
        raise Http404("No such import.")
    return job


def upload_batch_ids(job: Job) -> list[int]:
    result = job.result if isinstance(job.result, dict) else {}
    ids = result.get("batch_ids") or ([result["batch_id"]] if result.get("batch_id") else [])
    return [int(i) for i in ids]


def upload_problems(job: Job) -> list[list[Any]]:
    """Every problem row of an import: from the ledger when it loaded, else from the job."""
    result = job.result if isinstance(job.result, dict) else {}
    batch_ids = upload_batch_ids(job)
    if batch_ids and result.get("status") not in {"already_imported"} and not result.get("dry_run"):
        batches = ImportBatch.objects.filter(pk__in=batch_ids)
        rows = RowProblem.objects.filter(batch__in=batches).order_by("batch", "row_number", "id")
        return [
            [
                p.batch.file_name,
                p.row_number,
                p.column,
                p.value,
                p.problem,
                p.get_severity_display(),
            ]
            for p in rows.select_related("batch").iterator()
        ]
    severity = dict(RowProblem.Severity.choices)
    return [
        [
            p.get("file") or result.get("file_name", ""),
            p.get("row_number"),
            p.get("column", ""),
            p.get("value", ""),
            p.get("problem", ""),
            severity.get(p.get("severity", ""), p.get("severity", "")),
        ]
        for p in result.get("problems", [])
    ]
