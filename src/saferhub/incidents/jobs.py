"""Background job kinds of the incidents app (registered from the AppConfig)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from saferhub.core.jobs import job_kind, job_progress, job_start
from saferhub.core.models import Job
from saferhub.geography.models import Area
from saferhub.incidents.police_uk import ImportRefused
from saferhub.incidents.services import incidents_csp_replace, police_uk_import

CSP_REPLACE_KIND = "incidents.csp_replace"


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


def csp_replace_start(*, actor: Any, area: Area) -> Job:
    """Queue the re-placement of incidents after the CSP area ``area`` was defined,
    changed or removed (it runs once the caller's transaction commits)."""
    user = actor if getattr(actor, "pk", None) else None
    verb = "removed" if area.archived_at else "defined"
    return job_start(
        kind=CSP_REPLACE_KIND,
        title=f"Place incidents in CSP areas: {area.name} ({area.code}) {verb}",
        params={
            "area_code": area.code,
            "actor": "" if user else str(actor or "background job"),
        },
        user=user,
    )


@job_kind(CSP_REPLACE_KIND)
def csp_replace_job(job: Job, *, area_code: str = "", actor: str = "") -> dict[str, Any]:
    """Re-place every incident's CSP area and rebuild the CSP monthly counts."""
    report = incidents_csp_replace(
        actor=job.created_by or actor or "background job",
        reason=f"CSP area {area_code} defined, changed or removed" if area_code else "",
        progress=lambda done, total, message: job_progress(
            job, done=done, total=total, message=message
        ),
    )
    result = report.as_dict()
    held = Area.objects.live().filter(level=Area.Level.CSP, code=area_code)
    result["url"] = (
        reverse("geography:area", kwargs={"level": "csp", "code": area_code})
        if area_code and held.exists()
        else reverse("geography:defined_areas")
    )
    return result
