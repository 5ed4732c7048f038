"""Scheduled work of case work (run by Celery beat; see CasesConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="saferhub.cases.retention_due")
def retention_due_task() -> dict[str, Any]:
    """List the cases, and the Case Review applications on no case, due for retention
    review (erasure needs a person's confirmation)."""
    from saferhub.cases.services.retention import applications_due, retention_due

    today = dt.date.today()
    due = retention_due(today=today)
    applications = applications_due(today=today)
    return {
        "due": [d.case.reference for d in due],
        "applications": [a.application.application_ref for a in applications],
    }


@shared_task(name="saferhub.cases.victim_update_reminders")
def victim_update_reminders_task() -> dict[str, Any]:
    """Email each single point of contact the open cases whose victim needs an update."""
    from saferhub.cases.services.reminders import victim_update_reminders

    return {"sent": victim_update_reminders(today=dt.date.today())}
