"""Background jobs in-process (no broker): progress, success and failure recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from saferhub.core.jobs import job_kind, job_kinds, job_progress, job_start
from saferhub.core.models import Job


@job_kind("tests.count_to")
def _count_to(job: Job, *, n: int) -> dict[str, Any]:
    seen = []
    for i in range(1, n + 1):
        job_progress(job, done=i, total=n, message=f"step {i} of {n}")
        seen.append(Job.objects.get(pk=job.pk).done)
    return {"summary": f"Counted to {n}.", "seen": seen}


@job_kind("tests.fails")
def _fails(job: Job, **params: Any) -> dict[str, Any]:
    job_progress(job, done=1, total=4, message="started")
    raise ValueError("Row 7, column 'Month': '2024-13' is not a month (YYYY-MM).")


def test_no_broker_means_in_process() -> None:
    assert settings.CELERY_BROKER_URL is None
    assert settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.django_db
def test_job_runs_in_process_with_progress(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count_to", title="Counting", params={"n": 3}, user=user)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # runs after commit
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"summary": "Counted to 3.", "seen": [1, 2, 3]}
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert job.created_by == user


@pytest.mark.django_db
def test_job_failure_is_recorded_with_a_clear_message(
    client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from saferhub.accounts.models import User

    client = client_as("analyst")
    user = User.objects.get(username="user-analyst")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.fails", title="Import a file", params={}, user=user)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Row 7, column 'Month': '2024-13' is not a month (YYYY-MM)."
    assert job.finished and job.finished_at
    assert "traceback" not in str(job.result).lower()

    page = client.get(f"/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This job failed" in html
    assert "Row 7, column &#x27;Month&#x27;" in html
    assert "Traceback" not in html and "ValueError" not in html

    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert status["finished"] and status["status"] == "failed"
    assert status["error"].startswith("Row 7")


@pytest.mark.django_db
def test_unknown_job_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown job kind"):
        job_start(kind="tests.nothing", title="x", params={})


@pytest.mark.django_db
def test_job_page_shows_progress_while_running(client_as: Any) -> None:
    from saferhub.accounts.models import User

    client = client_as("viewer")
    user = User.objects.get(username="user-viewer")
    job = Job.objects.create(
        kind="tests.count_to", title="Counting", status=Job.Status.RUNNING, created_by=user
    )
    job_progress(job, done=1, total=4, message="step 1 of 4")
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-progress"' in html and 'value="25"' in html
    assert "Running: 25% step 1 of 4" in html
    assert f'data-job-status-url="/jobs/{job.pk}/status/"' in html
    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert status == {
        "status": "running",
        "status_label": "Running",
        "percent": 25,
        "message": "step 1 of 4",
        "finished": False,
        "error": "",
        "result_url": "",
    }


@pytest.mark.django_db
def test_job_of_another_user_is_not_found(client_as: Any, make_user: Any) -> None:
    owner = make_user("analyst", username="owner")
    job = Job.objects.create(kind="tests.count_to", title="Theirs", created_by=owner)
    client = client_as("administrator")
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_audit_verify_job(django_capture_on_commit_callbacks: Any) -> None:
    """The audit-chain check as a job: success, then failure naming the changed event."""
    from django.db import connection

    from saferhub.accounts.audit import audit_record
    from saferhub.accounts.models import AuditEvent

    assert "accounts.audit_verify" in job_kinds()
    events = [audit_record(actor="t", action="test.event", detail=str(i)) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="accounts.audit_verify", title="Check", params={"batch_size": 2})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    total = AuditEvent.objects.count()
    assert job.result["checked"] == total
    assert (job.done, job.total) == (total, total)

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET detail = 'x' WHERE sequence = %s",
            [events[3].sequence],
        )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="accounts.audit_verify", title="Check", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert f"Audit chain broken at event {events[3].sequence}" in job.error
