"""What follows a change of CSP areas: other apps register here, geography calls.

The incidents app registers the re-placement of incidents (each incident's CSP area is
set when it is imported), so a CSP area defined, changed or removed gets its incidents
back. Geography never imports the apps that follow it; they register in their
``AppConfig.ready``.

A follower is ``fn(*, actor, area) -> Job | None``: it may start a background job (which
runs once the caller's transaction commits) and return it, so a page can link to its
progress.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from saferhub.core.models import Job
from saferhub.geography.models import Area

CspFollower = Callable[..., Job | None]
_ON_CSP_CHANGE: list[CspFollower] = []


def on_csp_change(fn: CspFollower) -> CspFollower:
    """Register ``fn(*, actor, area)`` to run whenever a CSP area is defined or changed."""
    if fn not in _ON_CSP_CHANGE:
        _ON_CSP_CHANGE.append(fn)
    return fn


def csp_changed(*, actor: Any, area: Area) -> list[Job]:
    """Call every registered follower; the jobs they started, in registration order."""
    jobs: list[Job] = []
    for fn in list(_ON_CSP_CHANGE):
        job = fn(actor=actor, area=area)
        if job is not None:
            jobs.append(job)
    return jobs
