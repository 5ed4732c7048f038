"""Scheduled work of the actions app (run by Celery beat; see ActionsConfig.ready)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="saferhub.actions.remind")
def remind() -> dict[str, Any]:
    """Mark late actions overdue and email each lead their overdue and due-soon actions."""
    from saferhub.actions.services import actions_send_reminders

    report = actions_send_reminders()
    return {"sent": report.sent, "marked_overdue": report.marked_overdue}
