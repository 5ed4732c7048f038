"""Other apps follow imports: registered steps run after a committed import only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from saferhub.incidents import hooks
from saferhub.incidents.services import police_uk_import
from saferhub.performance.services import measurements_refresh
from tests.incidents.conftest import real_rows, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography_only")]


def test_performance_refresh_is_registered() -> None:
    assert measurements_refresh in hooks._AFTER_IMPORT


def test_the_planner_statistics_are_refreshed_first_after_an_import(
    data_dir: Path, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The first step after an import: fresh statistics, so the steps after it (and the
    pages) use the indexes by LSOA and month on the new rows."""
    from django.db import connection

    assert hooks._AFTER_IMPORT[0] is hooks.planner_statistics_refresh
    header, rows = real_rows(data_dir, 50)
    path = write_csv(tmp_path / "2022-06-derbyshire-street.csv", header, rows)
    with django_capture_on_commit_callbacks(execute=True):
        police_uk_import(actor="analyst", paths=[path])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:  # a table never analysed has reltuples -1
            cursor.execute("SELECT relname FROM pg_class WHERE reltuples > 0")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"incidents_incident", "incidents_monthlycount"} <= analysed


def test_steps_run_after_a_committed_import_and_not_after_a_dry_run(
    data_dir: Path, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    calls: list[Any] = []

    def follower(*, actor: Any) -> None:
        calls.append(actor)

    hooks.after_import(follower)
    try:
        header, rows = real_rows(data_dir, 50)
        path = write_csv(tmp_path / "2022-06-derbyshire-street.csv", header, rows)
        with django_capture_on_commit_callbacks(execute=True):
            police_uk_import(actor="analyst", paths=[path], dry_run=True)
        assert calls == []
        with django_capture_on_commit_callbacks(execute=True):
            report = police_uk_import(actor="analyst", paths=[path])
        assert report.rows_loaded == 50
        assert calls == ["analyst"]
    finally:
        hooks._AFTER_IMPORT.remove(follower)
