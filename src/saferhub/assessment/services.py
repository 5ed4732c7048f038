"""Writes: run an assessment and save it as a version."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saferhub.accounts.audit import audit_record, model_values
from saferhub.assessment.build import Progress, build_assessment, content_hash
from saferhub.assessment.models import AssessmentVersion
from saferhub.core.services import stamp


@transaction.atomic
def assessment_run(
    *,
    actor: Any,
    area: str,
    first_month: str | None = None,
    last_month: str | None = None,
    progress: Progress | None = None,
    source: str = "auto",
    family: list[str] | None = None,
) -> AssessmentVersion:
    """Build the assessment of ``area`` for a period and save it as a new version."""
    data = build_assessment(
        area,
        first_month=first_month,
        last_month=last_month,
        progress=progress,
        source=source,
        family=family,
    )
    version = AssessmentVersion(
        area_code=data["area"]["code"],
        area_name=data["area"]["name"],
        period_from=data["period"]["from"],
        period_to=data["period"]["to"],
        data=data,
        sources=data["provenance"]["sources"],
        reference_tables=data["provenance"]["reference_tables"],
        content_hash=content_hash(data),
        schema=data["schema"],
    )
    stamp(version, actor)
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action="assessment.run",
        obj=version,
        new=model_values(
            version, ["area_code", "area_name", "period_from", "period_to", "content_hash"]
        ),
    )
    return version
