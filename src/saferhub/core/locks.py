"""Database-wide locks for work that must not run twice at the same moment.

:func:`hold_lock` takes a named lock for the rest of the current transaction. On
PostgreSQL it is a transaction-level advisory lock (``pg_advisory_xact_lock``): a second
transaction asking for the same name waits until the first commits or rolls back, then
sees what the first wrote. On SQLite every write transaction is already ``IMMEDIATE``
(see settings), so writers queue behind one another and nothing more is needed.

Imports take ``"incidents.import"``: two imports of the same file at the same moment
then run one after the other, and the second finds the file already held.
"""

from __future__ import annotations

import zlib

from django.db import connection


def hold_lock(name: str) -> None:
    """Hold the lock ``name`` until the current transaction ends (call inside atomic)."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold_lock needs a transaction: call it inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(name.encode()) - 2**31  # a stable signed 32-bit key per name
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
