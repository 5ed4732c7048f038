from __future__ import annotations

from celery import shared_task

from saferhub.accounts.audit_anchor import audit_anchor


@shared_task(name="saferhub.audit_anchor")
def audit_anchor_task() -> int | None:
    """Celery beat: append the signed head of the audit chain to the anchor file."""
    record = audit_anchor()
    return None if record is None else int(record["sequence"])
