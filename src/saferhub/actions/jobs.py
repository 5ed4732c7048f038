"""Background jobs of the actions app: the action plan import."""

from __future__ import annotations

import base64
from typing import Any

from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.actions.imports import ImportRefused, action_plan_import
from saferhub.actions.models import ActionPlan
from saferhub.core.jobs import job_kind, job_start
from saferhub.core.models import Job

IMPORT_KIND = "actions.import"


def import_start(
    *, user: Any, plan: ActionPlan, filename: str, content: bytes, dry_run: bool = False
) -> Job:
    """Queue the import of a spreadsheet into ``plan`` (run in-process with no broker)."""
    return job_start(
        kind=IMPORT_KIND,
        title=f"Import {filename} into {plan.title}",
        params={
            "plan_id": plan.pk,
            "filename": filename,
            "content": base64.b64encode(content).decode("ascii"),
            "dry_run": dry_run,
            "actor_id": user.pk,
        },
        user=user,
    )


@job_kind(IMPORT_KIND)
def import_job(
    job: Job,
    *,
    plan_id: int,
    filename: str,
    content: str,
    dry_run: bool = False,
    actor_id: int | None = None,
) -> dict[str, Any]:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    plan = ActionPlan.objects.get(pk=plan_id)
    url = reverse("actions:import_report", kwargs={"job_id": job.pk})
    try:
        report = action_plan_import(
            actor=actor or "import job",
            plan=plan,
            filename=filename,
            content=base64.b64decode(content),
            dry_run=dry_run,
            job=job,
        )
    except ImportRefused as exc:
        return {"url": url, "plan_id": plan_id, "refused": str(exc), "summary": str(exc)}
    return {
        "url": url,
        "plan_id": plan_id,
        "report": report.as_dict(),
        "summary": f"{report.rows_read} rows read: {len(report.created)} actions added, "
        f"{len(report.updated)} changed, {len(report.unchanged)} unchanged; "
        f"{report.rows_with_errors} rows could not be read.",
    }
