"""Background jobs: one registry of job kinds, run by Celery or in-process.

A job kind is a plain function ``fn(job, **params) -> dict`` registered with
:func:`job_kind`. :func:`job_start` records the job and hands it to Celery; with no
broker configured (``CELERY_BROKER_URL`` unset) Celery runs the task eagerly, in the
same process, so the embedded default needs nothing else. Work reports progress with
:func:`job_progress`, which pages poll and the command line turns into a bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from saferhub.core.models import Job
from saferhub.core.services import actor_user

logger = logging.getLogger(__name__)
JobFunction = Callable[..., dict[str, Any]]
_REGISTRY: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn`` as the job kind ``name``."""

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[name] = fn
        return fn

    return register


def job_kinds() -> dict[str, JobFunction]:
    return dict(_REGISTRY)


def job_start(*, kind: str, title: str, params: dict[str, Any], user: Any = None) -> Job:
    """Record a job and queue it (or, with no broker, run it now, in this process)."""
    if kind not in _REGISTRY:
        raise ValueError(f"Unknown job kind {kind!r}.")
    job = Job.objects.create(
        kind=kind,
        title=title,
        params=params,
        created_by=actor_user(user),
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


BROKER_DOWN = (
    "The job queue could not be reached, so this job was not started. Pages keep working; "
    "start it again when the queue is back (your operator can check the broker)."
)


def _enqueue(job: Job) -> None:
    """Hand the job to Celery; a broker that cannot be reached fails the job, clearly."""
    from saferhub.core.tasks import run_job

    try:
        run_job.delay(str(job.pk))
    except (BrokerError, OSError) as exc:
        logger.warning("Job %s (%s) not queued: broker unreachable (%s)", job.pk, job.kind, exc)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=BROKER_DOWN,
            message="Failed",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()


def job_run(job_id: str) -> Job:
    """Run a recorded job: called by the Celery task, in a worker or in-process.

    A job handed back by a lost worker runs again (its work is one transaction, so the
    lost run left nothing); after ``JOB_MAX_ATTEMPTS`` starts it is failed instead. A job
    already finished is never run twice (a message delivered again after the work ended).
    """
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    job.refresh_from_db()
    limit = settings.JOB_MAX_ATTEMPTS
    if job.attempts > limit:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=(
                f"Stopped after {limit} attempts: the worker running this job was lost each "
                "time (for example killed or out of memory). Nothing of it was kept."
            ),
            message="Failed",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    try:
        fn = _REGISTRY.get(job.kind)
        if fn is None:
            raise LookupError(f"This worker does not know the job kind {job.kind!r}.")
        result = fn(job, **job.params)
    except Exception as exc:  # the job's failure is recorded and shown, never a traceback page
        # The traceback goes to the log for operators, never to the page or the API.
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=f"{exc}" or exc.__class__.__name__,
            message="Failed",
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            result=result or {},
            message="Finished",
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def job_progress(
    job: Job | None, *, done: int, total: int | None = None, message: str = ""
) -> None:
    """Record progress of a running job (no-op when work runs outside a job)."""
    if job is None:
        return
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**fields)
