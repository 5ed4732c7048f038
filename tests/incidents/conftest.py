"""The real Derbyshire data, imported once for the module that asks for it.

Importing all 24 months (219,339 rows) is done once, committed, shared by every test of
the module, and removed at the end of the module so other tests see an empty database.
Tests that import more run inside their own transaction, rolled back after each test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.national import Template, restore_geography, wipe_geography


def wipe_incidents() -> None:
    from saferhub.incidents.models import (
        ImportBatch,
        Incident,
        MonthlyCount,
        Outcome,
        RowProblem,
        StopAndSearch,
    )

    for model in (MonthlyCount, RowProblem, Outcome, StopAndSearch, Incident, ImportBatch):
        model.objects.all()._raw_delete(model.objects.db)
    from tests.national import forget_audit_events

    forget_audit_events()


@pytest.fixture(scope="module")
def derbyshire(
    national_geography: Template, django_db_blocker: Any, data_dir: Path
) -> Iterator[dict[str, Any]]:
    from saferhub.incidents.services import police_uk_import

    with django_db_blocker.unblock():
        restore_geography(national_geography)
        started = time.perf_counter()
        report = police_uk_import(actor="test", paths=[data_dir / "police_uk" / "derbyshire"])
        seconds = time.perf_counter() - started
    print(f"\nImported {report.rows_loaded:,} rows in {seconds:.1f} s")
    yield {"report": report, "seconds": seconds}
    with django_db_blocker.unblock():
        wipe_incidents()
        wipe_geography()


@pytest.fixture(scope="module")
def geography_only(national_geography: Template, django_db_blocker: Any) -> Iterator[None]:
    """The national geography without any incidents (for tests that make their own files)."""
    with django_db_blocker.unblock():
        restore_geography(national_geography)
    yield
    with django_db_blocker.unblock():
        wipe_incidents()
        wipe_geography()


STREET = "police_uk/derbyshire/2023-01/2023-01-derbyshire-street.csv"


def real_rows(data_dir: Path, n: int, month: str = "2022-06") -> tuple[list[str], list[list[str]]]:
    """The header and the first ``n`` rows of a real file, moved to ``month``."""
    import csv

    with (data_dir / STREET).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for _, row in zip(range(n), reader)]
    for row in rows:
        row[1] = month
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]], newline: str = "\n") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path
