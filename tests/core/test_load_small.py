"""The load test, small: a few signed-in users against gunicorn for a few seconds.

The full read-path benchmark (benchmarks/load_pages.py, 50 users for minutes) is run by
hand; this keeps the same script working in CI: no errors, and every page answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_broker import _database_url
from tests.core.test_faults import _env

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_answers_every_page_without_errors(tmp_path: Path) -> None:
    env = _env()
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    subprocess.run(
        [sys.executable, "-m", "saferhub", "demo", "--quiet"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = tmp_path / "load.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "load_pages.py"),
            "--users=4",
            "--seconds=10",
            "--workers=2",
            f"--json={out}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["Name"]: row for row in json.loads(out.read_text())}
    for page in ["home page", "scorecard", "monthly-counts API", "sign in"]:
        assert int(rows[page]["Request Count"]) > 0, page
    assert int(rows["Aggregated"]["Failure Count"]) == 0, done.stdout
