from __future__ import annotations

from celery import shared_task

from saferhub.core.jobs import job_run


@shared_task(name="saferhub.run_job")
def run_job(job_id: str) -> str:
    """Run one recorded job; the job row carries its status, progress and result."""
    return str(job_run(job_id).status)


@shared_task(name="saferhub.ping")
def ping(value: str) -> str:
    """A trivial task used to prove that a worker and broker are really working."""
    return f"pong:{value}"
