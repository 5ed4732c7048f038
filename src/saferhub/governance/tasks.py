"""Scheduled work of the governance app (run by Celery beat; see GovernanceConfig.ready)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="saferhub.governance.risk_reviews")
def risk_reviews() -> dict[str, Any]:
    """Email each risk owner the risks due for review in the next 14 days, or overdue."""
    from saferhub.governance.services import risks_send_review_reminders

    return {"sent": risks_send_review_reminders().sent}
