"""Fast, idempotent writes of incident rows and the monthly aggregate (both engines).

* :func:`incidents_insert` adds rows, skipping any whose ``(source, force_code, dedupe_key)`` is
  already held (``ON CONFLICT DO NOTHING``), and returns how many were new. On
  PostgreSQL the rows go through ``COPY`` into a temporary table; on SQLite straight
  into the incidents in key order (the unique index is filled in order), many rows to a
  statement. Both run inside the caller's transaction. :func:`incidents_insert_columns`
  does the same for rows given column by column.
* :func:`monthly_counts_recompute` rebuilds the aggregate for the given months (and
  levels) from the incidents held, in SQL, in the caller's transaction.
* :func:`csp_codes_replace` sets every incident's CSP area again from the CSP areas
  held (after one is defined or changed), in SQL, writing only the incidents that move.
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
CSP_PLACE_TABLE = "incidents_csp_place"
CSP_MOVE_TABLE = "incidents_csp_move"
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
FORCE_INDEX = INCIDENT_COLUMNS.index("force_code")
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


def _by_key(row: Sequence[Any]) -> tuple[str, str, str]:
    return row[SOURCE_INDEX], row[FORCE_INDEX], row[KEY_INDEX]


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
            "ON CONFLICT (source, force_code, dedupe_key) DO NOTHING"
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
            "JOIN unnest(%s::text[], %s::text[], %s::text[]) AS k(source, force, key) "
            "ON i.source = k.source AND i.force_code = k.force AND i.dedupe_key = k.key)",
            [
                [row[SOURCE_INDEX] for row in rows],
                [row[FORCE_INDEX] for row in rows],
                [row[KEY_INDEX] for row in rows],
            ],
        )
        held = cursor.fetchone()[0]
        distinct = len(set(map(_by_key, rows))) == len(rows)
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
            "ON CONFLICT (source, force_code, dedupe_key) DO NOTHING"
        )
        return int(cursor.rowcount)


def monthly_counts_recompute(
    *, months: Iterable[dt.date], levels: Iterable[str] | None = None
) -> int:
    """Rebuild the monthly aggregate for these months (all levels, or only ``levels``);
    returns rows written.

    All in the database, nothing through Python: one grouped scan of the incidents of
    those months by every place code at once into a temporary table, then one grouped
    ``INSERT ... SELECT`` per level from it. A row counts at a level only where it has
    that level's code (rows with no place count only at the force level).
    """
    wanted = sorted({m.replace(day=1) for m in months})
    chosen = {level: LEVEL_FIELDS[level] for level in (levels or LEVEL_FIELDS)}
    if not wanted or not chosen:
        return 0
    marks = ", ".join(["%s"] * len(wanted))
    level_marks = ", ".join(["%s"] * len(chosen))
    fields = ", ".join(chosen.values())
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM incidents_monthlycount WHERE month IN ({marks}) "
            f"AND level IN ({level_marks})",
            [*wanted, *chosen],
        )
        cursor.execute(f"DROP TABLE IF EXISTS {MONTHLY_LOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {MONTHLY_LOAD_TABLE} AS "
            f"SELECT {fields}, category_id, month, COUNT(*) AS n FROM {INCIDENT_TABLE} "
            f"WHERE month IN ({marks}) GROUP BY {fields}, category_id, month",
            wanted,
        )
        for level, field in chosen.items():
            cursor.execute(
                "INSERT INTO incidents_monthlycount (level, area_code, category_id, month, count) "
                f"SELECT %s, {field}, category_id, month, SUM(n) FROM {MONTHLY_LOAD_TABLE} "
                f"WHERE {field} <> '' GROUP BY {field}, category_id, month",
                [level],
            )
            written += max(cursor.rowcount, 0)
        cursor.execute(f"DROP TABLE {MONTHLY_LOAD_TABLE}")
    return written


def force_codes_upgrade(codes: Mapping[str, str]) -> int:
    """Give incidents (and the force level of the monthly aggregate) held under a force's
    slug the code of its police force area (``codes``: slug -> area code); returns how many
    incidents changed. A database imported before force areas were national has
    incidents under the slug; after this, a new import of the same rows finds them."""
    changed = 0
    with connection.cursor() as cursor:
        for slug, code in codes.items():
            if slug == code:
                continue
            cursor.execute(
                f"UPDATE {INCIDENT_TABLE} SET force_code = %s WHERE force_code = %s", [code, slug]
            )
            changed += max(cursor.rowcount, 0)
            cursor.execute(
                "UPDATE incidents_monthlycount SET area_code = %s "
                "WHERE level = 'force' AND area_code = %s",
                [code, slug],
            )
    return changed


def months_held() -> list[dt.date]:
    """Every month that has incidents, or rows in the monthly aggregate."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT month FROM {INCIDENT_TABLE} "
            "UNION SELECT DISTINCT month FROM incidents_monthlycount"
        )
        values = [row[0] for row in cursor.fetchall()]
    return sorted(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in values)


def csp_codes_replace(
    by_lad: Mapping[str, str], by_ward: Mapping[str, str], by_lsoa: Mapping[str, str]
) -> dict[tuple[str, str], int]:
    """Set every incident's CSP area again from its LSOA, ward and local authority, as the
    import does (an LSOA's CSP area beats its ward's, which beats its authority's; none
    where no CSP area holds the place). Only incidents whose CSP area changes are written.

    Returns how many incidents moved, per (old CSP code, new CSP code). In the caller's
    transaction; on PostgreSQL the incidents are locked against other writers (imports
    wait) from here to the end of that transaction.
    """
    rows = (
        [("lsoa", code, csp) for code, csp in by_lsoa.items()]
        + [("ward", code, csp) for code, csp in by_ward.items()]
        + [("lad", code, csp) for code, csp in by_lad.items()]
    )
    placed = (
        f"SELECT i.id, i.csp_code AS old_csp, COALESCE(l.csp, w.csp, d.csp, '') AS new_csp "
        f"FROM {INCIDENT_TABLE} i "
        f"LEFT JOIN {CSP_PLACE_TABLE} l ON l.kind = 'lsoa' AND l.code = i.lsoa_code "
        f"LEFT JOIN {CSP_PLACE_TABLE} w ON w.kind = 'ward' AND w.code = i.ward_code "
        f"LEFT JOIN {CSP_PLACE_TABLE} d ON d.kind = 'lad' AND d.code = i.lad_code"
    )
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {INCIDENT_TABLE} IN SHARE ROW EXCLUSIVE MODE")
        for table in (CSP_PLACE_TABLE, CSP_MOVE_TABLE):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMP TABLE {CSP_PLACE_TABLE} (kind VARCHAR(4) NOT NULL, "
            "code VARCHAR(40) NOT NULL, csp VARCHAR(40) NOT NULL, PRIMARY KEY (kind, code))"
        )
        if rows:
            cursor.executemany(
                f"INSERT INTO {CSP_PLACE_TABLE} (kind, code, csp) VALUES (%s, %s, %s)", rows
            )
        cursor.execute(
            f"CREATE TEMP TABLE {CSP_MOVE_TABLE} (id BIGINT PRIMARY KEY, "
            "old_csp VARCHAR(40) NOT NULL, new_csp VARCHAR(40) NOT NULL)"
        )
        cursor.execute(
            f"INSERT INTO {CSP_MOVE_TABLE} (id, old_csp, new_csp) "
            f"SELECT id, old_csp, new_csp FROM ({placed}) p WHERE old_csp <> new_csp"
        )
        cursor.execute(
            f"SELECT old_csp, new_csp, COUNT(*) FROM {CSP_MOVE_TABLE} "
            "GROUP BY old_csp, new_csp ORDER BY old_csp, new_csp"
        )
        moves = {(old, new): int(n) for old, new, n in cursor.fetchall()}
        if moves:
            cursor.execute(
                f"UPDATE {INCIDENT_TABLE} SET csp_code = (SELECT m.new_csp FROM "
                f"{CSP_MOVE_TABLE} m WHERE m.id = {INCIDENT_TABLE}.id) "
                f"WHERE id IN (SELECT id FROM {CSP_MOVE_TABLE})"
            )
        for table in (CSP_PLACE_TABLE, CSP_MOVE_TABLE):
            cursor.execute(f"DROP TABLE {table}")
    return moves


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
