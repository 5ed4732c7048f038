"""Background job kinds of the incidents app (registered from the AppConfig)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from saferhub.core.jobs import job_kind, job_progress
from saferhub.core.models import Job
from saferhub.incidents.police_uk import ImportRefused
from saferhub.incidents.services import police_uk_import


@job_kind("incidents.police_uk_import")
def police_uk_import_job(
    job: Job, *, paths: list[str], dry_run: bool = False, all_or_nothing: bool = False
) -> dict[str, Any]:
    """Import police.uk files as a job: progress on the job page, the report as its result."""
    last = {"done": -1}

    def progress(done: int, total: int, message: str) -> None:
        if done - last["done"] >= 5000 or done >= total:
            last["done"] = done
            job_progress(job, done=done, total=total, message=message)

    try:
        report = police_uk_import(
            actor=job.created_by or "background job",
            paths=[Path(p) for p in paths],
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            progress=progress,
        )
    except ImportRefused as exc:
        raise ValueError(f"Import refused (nothing changed): {exc}") from exc
    result = report.as_dict()
    result["url"] = reverse("incidents:home")
    return result
