"""A real broker: a Celery worker process, Redis, and the database shared with it.

The web side and the worker are separate processes, as in production; both use the
same database (a file SQLite database, or the PostgreSQL test database) and the same
Redis broker. Skipped only when Redis is not reachable outside CI; in CI it must run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
CELERY = REPO / ".venv" / "bin" / "celery"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
BROKER_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"

pytestmark = [pytest.mark.broker, pytest.mark.slow]

# The "web side": start a ping and a real job through the broker, wait, report as JSON.
CLIENT = """
import json, sys, time
import django
django.setup()
from saferhub.config.celery import app
from saferhub.core.jobs import job_start
from saferhub.core.models import Job
from saferhub.core.tasks import ping
from saferhub.accounts.audit import audit_record

app.conf.task_default_queue = sys.argv[1]
assert not app.conf.task_always_eager
pong = ping.delay("hello").get(timeout=60)
for i in range(3):
    audit_record(actor="broker-test", action="test.event", detail=str(i))
job = job_start(kind="accounts.audit_verify", title="Check the audit log", params={})
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    job.refresh_from_db()
    if job.finished:
        break
    time.sleep(0.2)
print(json.dumps({"pong": pong, "status": job.status, "error": job.error,
                  "result": job.result, "done": job.done}))
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_broker() -> str:
    if not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} in CI")
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    return BROKER_URL


def _database_url(tmp_path: Path, env: dict[str, str]) -> str:
    """The PostgreSQL test database itself, or a fresh migrated SQLite file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "saferhub", "migrate", "--no-input", "-v0"],
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return url


def start_worker(queue: str, env: dict[str, str], log: Any, *, pool: str) -> subprocess.Popen[Any]:
    """A real Celery worker on its own queue, one task at a time, logging to ``log``."""
    celery = [str(CELERY)] if CELERY.exists() else [sys.executable, "-m", "celery"]
    return subprocess.Popen(
        [
            *celery,
            "-A",
            "saferhub.config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_task_and_job_through_a_real_worker(redis_broker: str, tmp_path: Path) -> None:
    queue = f"saferhub-test-{uuid.uuid4().hex[:12]}"  # never share a queue with anyone else
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "CELERY_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "saferhub.config.settings",
            "SAFERHUB_MODE": "embedded",
            "CELERY_BROKER_URL": redis_broker,
            "CELERY_RESULT_BACKEND": redis_broker,
            "PYTHONPATH": str(REPO / "src"),
        }
    )
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(queue, env, log, pool="solo")
    try:
        done = subprocess.run(
            [sys.executable, "-c", CLIENT, queue],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        worker_log = (tmp_path / "worker.log").read_text()
        assert done.returncode == 0, done.stderr + "\n--- worker ---\n" + worker_log
        got: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        assert got["pong"] == "pong:hello"
        assert got["status"] == "succeeded", got["error"] + "\n" + worker_log
        assert got["result"]["checked"] >= 3
        assert got["result"]["summary"].startswith("Audit chain intact")
        # The worker, not the web side, ran them.
        assert "saferhub.ping" in worker_log and "saferhub.run_job" in worker_log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
