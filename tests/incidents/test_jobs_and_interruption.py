"""The import as a background job, and an import killed half-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from saferhub.core.jobs import job_start
from saferhub.core.models import Job
from saferhub.incidents.models import Incident
from tests.incidents.conftest import real_rows, write_csv

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_police_uk_import_job_reports_progress_and_result(
    data_dir: Path, tmp_path: Path, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    header, rows = real_rows(data_dir, 60)
    path = write_csv(tmp_path / "2022-06-derbyshire-street.csv", header, rows)
    user = make_user("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="incidents.police_uk_import",
            title="Import police.uk files",
            params={"paths": [str(path)]},
            user=user,
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["rows_loaded"] == 60 and job.result["url"] == "/data/"
    assert job.done == job.total == path.stat().st_size
    assert Incident.objects.count() == 60

    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    with django_capture_on_commit_callbacks(execute=True):
        failed = job_start(
            kind="incidents.police_uk_import", title="Bad", params={"paths": [str(bad)]}, user=user
        )
    failed.refresh_from_db()
    assert failed.status == Job.Status.FAILED and "the file is empty" in failed.error


@pytest.mark.slow
def test_a_killed_import_leaves_nothing(data_dir: Path, tmp_path: Path) -> None:
    database = tmp_path / "killed.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SAFERHUB_DATA_DIR": str(data_dir),
    }
    cli = [sys.executable, "-m", "saferhub.cli"]
    subprocess.run([*cli, "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    process = subprocess.Popen(
        [*cli, "import", "police-uk", str(data_dir / "police_uk" / "derbyshire")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until rows are being written (the progress bar names a month file), then kill.
    seen = ""
    deadline = time.monotonic() + 300
    assert process.stderr is not None
    while time.monotonic() < deadline and "2023-03" not in seen:
        seen += process.stderr.read(200)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert "2023-03" in seen, "the import never got going"
    with sqlite3.connect(database) as con:
        assert con.execute("SELECT COUNT(*) FROM incidents_incident").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM incidents_importbatch").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM incidents_monthlycount").fetchone()[0] == 0
