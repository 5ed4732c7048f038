"""The assessment as a background job: build, save a version, report progress."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from saferhub.assessment.services import assessment_run
from saferhub.core.jobs import job_kind, job_progress
from saferhub.core.models import Job


@job_kind("assessment.run")
def run_assessment_job(
    job: Job, *, area: str, first_month: str | None = None, last_month: str | None = None
) -> dict[str, Any]:
    def progress(done: int, total: int, message: str) -> None:
        job_progress(job, done=done, total=total, message=message)

    version = assessment_run(
        actor=job.created_by or "background job",
        area=area,
        first_month=first_month or None,
        last_month=last_month or None,
        progress=progress,
    )
    return {
        "url": reverse("assessment:version", args=[version.pk]),
        "version": version.pk,
        "summary": f"Assessment of {version.area_name}, {version.period_from} to "
        f"{version.period_to}, saved as version {version.pk}.",
    }
