"""Faults, as an operator meets them: a lost worker, a broker that is down, two imports of
one file at the same moment, a full disk while writing a report.

Each runs the real processes (a Celery worker on Redis, the ``saferhub`` command) against
a database they share with the test: a migrated SQLite file, or the PostgreSQL test
database itself.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.core.test_broker import _database_url, redis_broker, start_worker  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
FAULT_BROKER = "redis://127.0.0.1:6379/13"  # a Redis database of these tests' own


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "CELERY_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "saferhub.config.settings",
            "SAFERHUB_MODE": "embedded",
            "PYTHONPATH": str(REPO / "src"),
            **extra,
        }
    )
    return env


def _query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Read the shared database as the test process (never through the worker)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as con:
            return con.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _rows_in(paths: list[Path]) -> int:
    """Data rows of police.uk files, counted as lines (no quoted line breaks in them)."""
    return sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in paths)


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


BROKER_DOWN_CLIENT = """
import json, time
import django
django.setup()
from django.db import transaction
from django.test import Client
from saferhub.core.jobs import job_start

started = time.monotonic()
with transaction.atomic():
    job = job_start(kind="accounts.audit_verify", title="Check the audit log", params={})
job.refresh_from_db()
page = Client().get("/accounts/login/")
print(json.dumps({"status": job.status, "error": job.error,
                  "seconds": time.monotonic() - started, "page": page.status_code}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_fails_the_job_clearly_and_pages_keep_working(
    tmp_path: Path,
) -> None:
    from saferhub.core.jobs import BROKER_DOWN

    env = _env(CELERY_BROKER_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    done = subprocess.run(
        [sys.executable, "-c", BROKER_DOWN_CLIENT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["status"] == "failed"
    assert got["error"] == BROKER_DOWN
    assert got["page"] == 200
    assert got["seconds"] < 20, "a broker that is down must not hold the request"


START_IMPORT = """
import json, sys
import django
django.setup()
from django.db import transaction
from saferhub.config.celery import app
from saferhub.core.jobs import job_start

app.conf.task_default_queue = sys.argv[1]
with transaction.atomic():
    job = job_start(kind="incidents.police_uk_import", title="Import", params={"paths": sys.argv[2:]})
print(json.dumps({"job": str(job.pk)}))
"""


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_runs_the_job_again_and_nothing_is_doubled(
    redis_broker: str,  # noqa: F811 (the fixture)
    data_dir: Path,
    tmp_path: Path,
) -> None:
    queue = f"saferhub-fault-{uuid.uuid4().hex[:12]}"
    env = _env(CELERY_BROKER_URL=FAULT_BROKER, SAFERHUB_DATA_DIR=str(data_dir))
    url = env["DATABASE_URL"] = _database_url(tmp_path, env)
    files = sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(queue, env, log, pool="prefork")
    try:
        started = subprocess.run(
            [sys.executable, "-c", START_IMPORT, queue, *map(str, files)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        job_id = json.loads(started.stdout.strip().splitlines()[-1])["job"].replace("-", "")
        where = f"FROM core_job WHERE replace(CAST(id AS TEXT), '-', '') = '{job_id}'"

        def job() -> tuple[str, int, str]:
            rows = _query(url, f"SELECT status, attempts, error {where}")
            return rows[0] if rows else ("", 0, "")

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and job()[0] != "running":
            time.sleep(0.1)
        assert job()[0] == "running", (tmp_path / "worker.log").read_text()
        time.sleep(1.5)  # well into the 24 files
        children = _children(worker.pid)
        assert children, "the worker has no pool process to kill"
        os.kill(children[0], signal.SIGKILL)

        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and job()[0] not in {"succeeded", "failed"}:
            time.sleep(0.5)
        status, attempts, error = job()
        worker_log = (tmp_path / "worker.log").read_text()
        assert status == "succeeded", error + "\n" + worker_log
        assert attempts == 2, "the killed run must have been handed back and run once more"
        total = _rows_in(files)
        assert _query(url, "SELECT COUNT(*) FROM incidents_incident")[0][0] == total
        assert _query(url, "SELECT COUNT(*) FROM incidents_importbatch")[0][0] == len(files)
        forced = "SELECT SUM(count) FROM incidents_monthlycount WHERE level = 'force'"
        assert _query(url, forced)[0][0] == total
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_the_same_moment(data_dir: Path, tmp_path: Path) -> None:
    env = _env(SAFERHUB_DATA_DIR=str(data_dir))
    url = env["DATABASE_URL"] = _database_url(tmp_path, env)
    month = sorted((data_dir / "police_uk" / "derbyshire").glob("2024-0[1-3]/*-street.csv"))
    cli = [sys.executable, "-m", "saferhub", "import", "police-uk", *map(str, month)]
    both = [
        subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in both]
    codes = [p.returncode for p in both]
    assert codes == [0, 0], results
    assert "Traceback" not in "".join(out + err for out, err in results)
    total = _rows_in(month)
    assert _query(url, "SELECT COUNT(*) FROM incidents_incident")[0][0] == total
    assert _query(url, "SELECT COUNT(*) FROM incidents_importbatch")[0][0] == len(month)
    forced = "SELECT SUM(count) FROM incidents_monthlycount WHERE level = 'force'"
    assert _query(url, forced)[0][0] == total


FULL_DISK_WRITER = """
import sys
from pathlib import Path
from saferhub.core.files import FileWriteError, write_atomically
try:
    write_atomically(Path(sys.argv[1]), b"%PDF-" + b"x" * 1_000_000)
except FileWriteError as exc:
    print(exc)
    sys.exit(3)
"""


def _small_disk() -> None:  # in the child: a file may grow to 64 KB, then writes fail
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_leaves_no_half_written_report(tmp_path: Path) -> None:
    report = tmp_path / "board-report.pdf"
    report.write_bytes(b"%PDF-the last whole report")
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK_WRITER, str(report)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_small_disk,  # noqa: PLW1509 (only sets a limit and a signal)
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.strip() == "Could not write board-report.pdf: the disk is full."
    assert str(tmp_path) not in done.stdout  # names the file, never the server's folders
    assert report.read_bytes() == b"%PDF-the last whole report"  # the old one, whole
    assert [p.name for p in tmp_path.iterdir()] == ["board-report.pdf"]  # no part left
