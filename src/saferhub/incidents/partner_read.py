"""Reading partner files: CSV (streamed) and XLSX (openpyxl read-only, streamed).

Both give a header (the column names as written) and rows as ``(line number, values)``,
where the header is line 1, as a spreadsheet shows it. A file that cannot be read at all
raises :class:`FileRefused` with a message that says why and what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class FileRefused(Exception):
    """The whole file is refused (wrong shape, unreadable): nothing from it is loaded."""


Cell = str | int | float | dt.date | dt.datetime | None


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    kind: str  # "csv" or "xlsx"


def open_table(path: Path, *, encoding: str = "utf-8", sheet_name: str = "") -> Table:
    """Open a CSV or XLSX file for streaming; refuse anything else with a clear message."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _open_csv(path, encoding)
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(path, sheet_name)
    if suffix == ".xls":
        raise FileRefused(
            f"{path.name} is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV UTF-8."
        )
    raise FileRefused(
        f"{path.name} is not a CSV or XLSX file (its name ends {suffix or 'in nothing'})."
    )


def _decode_lines(path: Path, encoding: str) -> Iterator[str]:
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"Line {number} of {path.name} is not {encoding} text (byte "
                    f"{raw[exc.start : exc.start + 1]!r}); save the file as 'CSV UTF-8', or set "
                    "the source's encoding to the one the file uses (e.g. Windows-1252)."
                ) from exc
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail


def _open_csv(path: Path, encoding: str) -> Table:
    lines = _decode_lines(path, encoding)
    reader = csv.reader(lines)
    header: list[str] | None = None
    try:
        for raw_header in reader:
            if any(cell.strip() for cell in raw_header):
                header = [cell.strip() for cell in raw_header]
                break
    except csv.Error as exc:
        raise FileRefused(f"{path.name} is not a readable CSV file ({exc}).") from exc
    if header is None:
        raise FileRefused(f"{path.name} is empty: it has no header row and no data.")

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for values in reader:
                if any(v.strip() for v in values):
                    yield reader.line_num, list(values)
        except csv.Error as exc:
            raise FileRefused(
                f"Line {reader.line_num} of {path.name} is not valid CSV ({exc})."
            ) from exc

    return Table(header, rows(), "csv")


def _open_xlsx(path: Path, sheet_name: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(f"{path.name} is not a readable Excel workbook ({exc}).") from exc
    if sheet_name:
        if sheet_name not in workbook.sheetnames:
            workbook.close()
            raise FileRefused(
                f"{path.name} has no sheet called {sheet_name!r}; its sheets are "
                f"{', '.join(workbook.sheetnames)}."
            )
        sheet = workbook[sheet_name]
    else:
        sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    for number, values in enumerate(iterator, start=1):
        if any(v not in (None, "") for v in values):
            header = ["" if v is None else str(v).strip() for v in values]
            header_row = number
            break
    if header is None:
        workbook.close()
        raise FileRefused(f"{path.name} is empty: its sheet {sheet.title!r} has no header row.")

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(iterator, start=header_row + 1):
                if any(v not in (None, "") for v in values):
                    yield number, list(values)
        finally:
            workbook.close()

    return Table(header, rows(), "xlsx")
