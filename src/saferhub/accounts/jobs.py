"""Job kinds of the accounts app (registered from AccountsConfig.ready())."""

from __future__ import annotations

from typing import Any

from saferhub.accounts.audit import audit_verify_chain
from saferhub.accounts.audit_anchor import anchors_verify
from saferhub.core.jobs import job_kind, job_progress
from saferhub.core.models import Job


class AuditChainBrokenError(Exception):
    """The audit chain does not verify; the message names the first bad event."""


@job_kind("accounts.audit_verify")
def audit_verify_job(job: Job, **params: Any) -> dict[str, Any]:
    """Verify the audit chain as a background job (large logs take a while)."""

    def progress(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=f"{done:,} of {total:,} events checked")

    report = audit_verify_chain(
        batch_size=int(params.get("batch_size", 5000)), on_progress=progress
    )
    if not report.ok:
        raise AuditChainBrokenError(report.message)
    anchors = anchors_verify()
    if not anchors.ok:
        raise AuditChainBrokenError(f"{report.message} {anchors.message}")
    job_progress(job, done=report.checked, total=report.checked)
    return {
        "checked": report.checked,
        "anchors": anchors.checked,
        "summary": f"{report.message} {anchors.message}",
    }
