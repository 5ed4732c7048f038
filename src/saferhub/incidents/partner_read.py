"""Reading partner files: the shared table reader (``saferhub.core.tables``).

Both kinds give a header (the column names as written) and rows as ``(row number,
values)``, where the header is row 1, as a spreadsheet shows it. A file that cannot be
read at all, or is refused (not the source's encoding, a NUL byte, an unbalanced quote,
a duplicated heading), raises :class:`FileRefused` with a message naming the file, the
row and the column, and what to do.
"""

from __future__ import annotations

from pathlib import Path

from saferhub.core.tables import CSV_SUFFIXES, XLSX_SUFFIXES, Cell, Table, TableRefused
from saferhub.core.tables import open_table as _open_table

__all__ = ["CSV_SUFFIXES", "XLSX_SUFFIXES", "Cell", "FileRefused", "Table", "open_table"]

# The whole file is refused (wrong shape, unreadable): nothing from it is loaded.
FileRefused = TableRefused


def open_table(path: Path, *, encoding: str = "utf-8", sheet_name: str = "") -> Table:
    """Open a CSV or XLSX file for streaming; refuse anything else with a clear message."""
    return _open_table(
        path,
        encoding=encoding,
        sheet_name=sheet_name,
        encoding_hint=", or set the source's encoding to the one the file uses (e.g. Windows-1252)",
    )
