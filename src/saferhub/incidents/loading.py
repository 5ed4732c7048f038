"""Fast, idempotent writes of incident rows and the monthly aggregate (both engines).

* :func:`incidents_insert` adds rows, skipping any whose ``(source, dedupe_key)`` is
  already held (``ON CONFLICT DO NOTHING``), and returns how many were new. On
  PostgreSQL the rows go through ``COPY`` into a temporary table; on SQLite straight
  into the incidents in key order (the unique index is filled in order), many rows to a
  statement. Both run inside the caller's transaction. :func:`incidents_insert_columns`
  does the same for rows given column by column.
* :func:`monthly_counts_recompute` rebuilds the aggregate for the given months from the
  incidents held, in SQL, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

import numpy as np
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
SOURCE_INDEX = INCIDENT_COLUMNS.index("source")
KEY_INDEX = INCIDENT_COLUMNS.index("dedupe_key")
# Rows per INSERT statement on SQLite (25 columns: 1,000 parameters a statement).
ROWS_PER_STATEMENT = 40
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
    return _insert_sqlite(sorted(map(_dates_as_text, rows), key=_by_key))


def incidents_insert_columns(columns: Mapping[str, Sequence[Any]]) -> int:
    """Insert rows given column by column (every name of ``INCIDENT_COLUMNS``, dates as
    ISO text); returns how many were new."""
    keys = np.asarray(columns["dedupe_key"], dtype=object)
    if not len(keys):
        return 0
    order = np.argsort(keys, kind="stable")
    rows = list(zip(*(np.asarray(columns[c], dtype=object)[order] for c in INCIDENT_COLUMNS)))
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return _insert_postgresql(rows)
    return _insert_sqlite(rows)


def _dates_as_text(row: Sequence[Any]) -> Sequence[Any]:
    row = list(row)
    row[MONTH_INDEX] = row[MONTH_INDEX].isoformat()
    if row[OCCURRED_INDEX] is not None:
        row[OCCURRED_INDEX] = row[OCCURRED_INDEX].isoformat()
    return row


def _by_key(row: Sequence[Any]) -> tuple[str, str]:
    return row[SOURCE_INDEX], row[KEY_INDEX]


def _insert_sqlite(rows: Sequence[Sequence[Any]]) -> int:
    """Rows, in key order, straight into the incidents, many rows to a statement.

    Key order fills the unique-key index in order rather than at random places; many
    rows per statement means one call into SQLite per ``ROWS_PER_STATEMENT`` rows.
    """
    raw = connection.connection
    if raw is None:  # pragma: no cover - ensure_connection() above opens it
        raise RuntimeError("No database connection.")
    # A larger page cache keeps the unique-key index in memory while loading (the default
    # 2 MB makes random-key inserts read and write pages over and over).
    raw.execute("PRAGMA cache_size = -131072")
    cols = ", ".join(INCIDENT_COLUMNS)
    one = "(" + ", ".join(["?"] * len(INCIDENT_COLUMNS)) + ")"

    def statement(count: int) -> str:
        return (
            f"INSERT INTO {INCIDENT_TABLE} ({cols}) VALUES {', '.join([one] * count)} "
            "ON CONFLICT (source, dedupe_key) DO NOTHING"
        )

    before = raw.total_changes
    full = len(rows) - len(rows) % ROWS_PER_STATEMENT
    if full:
        flat = list(chain.from_iterable(rows[:full]))
        width = ROWS_PER_STATEMENT * len(INCIDENT_COLUMNS)
        raw.executemany(
            statement(ROWS_PER_STATEMENT),
            (flat[i : i + width] for i in range(0, len(flat), width)),
        )
    if len(rows) > full:
        raw.execute(statement(len(rows) - full), list(chain.from_iterable(rows[full:])))
    return int(raw.total_changes - before)


def _insert_postgresql(rows: Sequence[Sequence[Any]]) -> int:
    """``COPY`` straight into the incidents when none of the rows' keys is held (a new
    month of data); else ``COPY`` into a temporary table and insert the new keys only.

    The table lock (readers go on; other writers of incidents wait for this transaction)
    makes sure no key can arrive between the check and the copy.
    """
    cols = ", ".join(INCIDENT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {INCIDENT_TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {INCIDENT_TABLE} i "
            "JOIN unnest(%s::text[], %s::text[]) AS k(source, key) "
            "ON i.source = k.source AND i.dedupe_key = k.key)",
            [[row[SOURCE_INDEX] for row in rows], [row[KEY_INDEX] for row in rows]],
        )
        held = cursor.fetchone()[0]
        distinct = len({(row[SOURCE_INDEX], row[KEY_INDEX]) for row in rows}) == len(rows)
        raw_cursor: Any = cursor.cursor
        if not held and distinct:
            with raw_cursor.copy(f"COPY {INCIDENT_TABLE} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} ON COMMIT DROP AS "
            f"SELECT {cols} FROM {INCIDENT_TABLE} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {LOAD_TABLE}")
        with raw_cursor.copy(f"COPY {LOAD_TABLE} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {INCIDENT_TABLE} ({cols}) SELECT {cols} FROM {LOAD_TABLE} "
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
