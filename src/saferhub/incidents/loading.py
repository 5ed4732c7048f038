"""Fast, idempotent writes of incident rows and the monthly aggregate (both engines).

* :func:`incidents_insert` adds rows, skipping any whose ``(source, dedupe_key)`` is
  already held (``ON CONFLICT DO NOTHING``), and returns how many were new. On
  PostgreSQL the rows go through ``COPY`` into a temporary table; on SQLite through the
  driver's ``executemany`` into a temporary table, then into the incidents in key order
  (the unique index is filled in order). Both run inside the caller's transaction.
* :func:`monthly_counts_recompute` rebuilds the aggregate for the given months from the
  incidents held, in SQL, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

INCIDENT_TABLE = "incidents_incident"
LOAD_TABLE = "incidents_incident_load"
MONTHLY_LOAD_TABLE = "incidents_monthly_load"
INCIDENT_COLUMNS = [
    "batch_id",
    "source",
    "dedupe_key",
    "crime_id",
    "month",
    "occurred_on",
    "category_id",
    "reported_by",
    "falls_within",
    "force_code",
    "location",
    "lsoa_code_original",
    "lsoa_code",
    "ward_code",
    "lad_code",
    "csp_code",
    "placement",
    "longitude",
    "latitude",
    "bng_x",
    "bng_y",
    "outcome",
    "context",
    "victim_ref",
    "location_ref",
]
MONTH_INDEX = INCIDENT_COLUMNS.index("month")
OCCURRED_INDEX = INCIDENT_COLUMNS.index("occurred_on")
LEVEL_FIELDS = {
    "force": "force_code",
    "csp": "csp_code",
    "lad": "lad_code",
    "ward": "ward_code",
    "lsoa": "lsoa_code",
}


def incidents_insert(rows: Sequence[Sequence[Any]]) -> int:
    """Insert rows (tuples in ``INCIDENT_COLUMNS`` order); returns how many were new."""
    if not rows:
        return 0
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return _insert_postgresql(rows)
    return _insert_generic(rows)


def _insert_generic(rows: Sequence[Sequence[Any]]) -> int:
    cols = ", ".join(INCIDENT_COLUMNS)
    marks = ", ".join(["?"] * len(INCIDENT_COLUMNS))
    sql = (
        f"INSERT INTO {INCIDENT_TABLE} ({cols}) SELECT {cols} FROM {LOAD_TABLE} "
        "WHERE true ORDER BY source, dedupe_key, rowid "
        "ON CONFLICT (source, dedupe_key) DO NOTHING"
    )
    raw = connection.connection
    if raw is None:  # pragma: no cover - ensure_connection() above opens it
        raise RuntimeError("No database connection.")

    def as_text(row: Sequence[Any]) -> Sequence[Any]:
        row = list(row)
        row[MONTH_INDEX] = row[MONTH_INDEX].isoformat()
        if row[OCCURRED_INDEX] is not None:
            row[OCCURRED_INDEX] = row[OCCURRED_INDEX].isoformat()
        return row

    # A larger page cache keeps the unique-key index in memory while loading (the default
    # 2 MB makes random-key inserts read and write pages over and over).
    raw.execute("PRAGMA cache_size = -131072")
    # Rows go first into a temporary table with no index, then into the incidents in key
    # order: the unique index is then filled in order instead of at random places.
    raw.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} AS SELECT {cols} FROM {INCIDENT_TABLE} "
        "WHERE 0"
    )
    raw.execute(f"DELETE FROM {LOAD_TABLE}")
    raw.executemany(f"INSERT INTO {LOAD_TABLE} ({cols}) VALUES ({marks})", map(as_text, rows))
    before = raw.total_changes
    raw.execute(sql)
    return int(raw.total_changes - before)


def _insert_postgresql(rows: Sequence[Sequence[Any]]) -> int:
    cols = ", ".join(INCIDENT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS incidents_incident_load ON COMMIT DROP AS "
            f"SELECT {cols} FROM {INCIDENT_TABLE} WITH NO DATA"
        )
        cursor.execute("TRUNCATE incidents_incident_load")
        raw_cursor: Any = cursor.cursor
        with raw_cursor.copy(f"COPY incidents_incident_load ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {INCIDENT_TABLE} ({cols}) SELECT {cols} FROM incidents_incident_load "
            "ON CONFLICT (source, dedupe_key) DO NOTHING"
        )
        return int(cursor.rowcount)


def monthly_counts_recompute(*, months: Iterable[dt.date]) -> int:
    """Rebuild the monthly aggregate for these months (all levels); returns rows written.

    All in the database, nothing through Python: one grouped scan of the incidents of
    those months by every place code at once into a temporary table, then one grouped
    ``INSERT ... SELECT`` per level from it. A row counts at a level only where it has
    that level's code (rows with no place count only at the force level).
    """
    wanted = sorted({m.replace(day=1) for m in months})
    if not wanted:
        return 0
    marks = ", ".join(["%s"] * len(wanted))
    fields = ", ".join(LEVEL_FIELDS.values())
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM incidents_monthlycount WHERE month IN ({marks})", wanted)
        cursor.execute(f"DROP TABLE IF EXISTS {MONTHLY_LOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {MONTHLY_LOAD_TABLE} AS "
            f"SELECT {fields}, category_id, month, COUNT(*) AS n FROM {INCIDENT_TABLE} "
            f"WHERE month IN ({marks}) GROUP BY {fields}, category_id, month",
            wanted,
        )
        for level, field in LEVEL_FIELDS.items():
            cursor.execute(
                "INSERT INTO incidents_monthlycount (level, area_code, category_id, month, count) "
                f"SELECT %s, {field}, category_id, month, SUM(n) FROM {MONTHLY_LOAD_TABLE} "
                f"WHERE {field} <> '' GROUP BY {field}, category_id, month",
                [level],
            )
            written += max(cursor.rowcount, 0)
        cursor.execute(f"DROP TABLE {MONTHLY_LOAD_TABLE}")
    return written


def outcomes_link() -> int:
    """Link outcomes to their crime by Crime ID (the first row of that ID, whose key is the
    Crime ID itself); returns links made."""
    match = (
        f"FROM {INCIDENT_TABLE} i WHERE i.source = 'police.uk' "
        "AND i.dedupe_key = incidents_outcome.crime_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE incidents_outcome SET incident_id = (SELECT i.id {match}) "
            f"WHERE incident_id IS NULL AND EXISTS (SELECT 1 {match})"
        )
        return max(cursor.rowcount, 0)
