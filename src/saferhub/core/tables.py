"""The one reader of uploaded tables: CSV (streamed) and XLSX (openpyxl read-only).

Every importer reads its files here, so every one refuses the same things with the same
kind of message, naming the file, the row and the column:

* text that is not UTF-8 (with or without a byte-order mark), or not the encoding a
  source names explicitly: never a silent fallback to another encoding. The message
  gives the row and the byte offset of the first bad byte;
* a NUL byte anywhere (row and column);
* an unbalanced quote: the row and column where the quoted field began. Python's csv
  module would otherwise read to the next quote mark (or the end of the file) as one
  field, swallowing the rows in between;
* duplicated column headings (the same heading twice, ignoring case and spaces), which
  would otherwise make one of the columns silently win.

Rows are numbered as a spreadsheet numbers them: the first line of the file is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
# The longest one field may be (a quoted free-text field may run over several lines).
FIELD_MAX_CHARS = 100_000

Cell = str | int | float | dt.date | dt.datetime | None


class TableRefused(ValueError):
    """The whole file is refused: the message says where and why, and what to do."""


@dataclass
class Table:
    """A header (the column names as written) and the data rows as (row number, values)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    kind: str  # "csv" or "xlsx"
    header_row: int = 1


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _where(filename: str, sheet: str | None) -> str:
    return f"{filename} (sheet “{sheet}”)" if sheet else filename


def _heading_key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def check_header(header: list[Any], *, filename: str, sheet: str | None = None) -> None:
    """Refuse a header in which a column heading appears twice."""
    seen: dict[str, int] = {}
    for number, heading in enumerate(header, start=1):
        key = _heading_key(heading)
        if not key:
            continue
        if key in seen:
            raise TableRefused(
                f"{_where(filename, sheet)}: the column heading “{str(heading).strip()}” "
                f"appears twice (columns {column_letter(seen[key])} and "
                f"{column_letter(number)}). Give each column its own heading, or delete one."
            )
        seen[key] = number


def header_and_rows(
    rows: list[list[Any]], *, filename: str, sheet: str | None = None, check: bool = True
) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """The first non-empty row is the header; returns (header row number, header, data
    rows as (row number, values)), without empty rows. Refuses duplicated headings."""
    for i, row in enumerate(rows):
        if any(str(c or "").strip() for c in row):
            if check:
                check_header(row, filename=filename, sheet=sheet)
            data = [
                (i + 1 + n, r)
                for n, r in enumerate(rows[i + 1 :], start=1)
                if any(str(c or "").strip() for c in r)
            ]
            return i + 1, row, data
    return 0, [], []


# ----------------------------------------------------------------------------- CSV


def _codec(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf-8-sig" if name in {"utf-8", "utf-8-sig"} else name


def _field_at(line: str, end: int) -> tuple[int, bool]:
    """(1-based field number at character ``end`` of a CSV line, inside quotes there?)"""
    field, quoted, at_start, i = 1, False, True, 0
    while i < min(end, len(line)):
        c = line[i]
        if quoted:
            if c == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    i += 2
                    continue
                quoted = False
        elif c == ",":
            field, at_start = field + 1, True
            i += 1
            continue
        elif c == '"' and at_start:
            quoted = True
        at_start = False
        i += 1
    return field, quoted


class _Lines:
    """Decoded lines of a CSV file, checked as they stream; remembers where the current
    record began, for the messages."""

    def __init__(
        self, handle: IO[bytes], filename: str, encoding: str, encoding_hint: str = ""
    ) -> None:
        self.handle, self.filename, self.encoding = handle, filename, encoding
        self.encoding_hint = encoding_hint
        self.number = 0  # physical line (row) number of the last line read
        self.record_start = 1
        self.record_first_line = ""

    def start_record(self) -> None:
        self.record_start = self.number + 1
        self.record_first_line = ""

    def __iter__(self) -> Iterator[str]:
        codec = _codec(self.encoding)
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        offset = 0
        for raw in self.handle:
            self.number += 1
            if self.number == 1 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise TableRefused(
                    f"{self.filename} is UTF-16 text: save it as 'CSV UTF-8' and upload it again."
                )
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1]
                raise TableRefused(
                    f"{self.filename}, row {self.number}: byte {offset + exc.start:,} of the "
                    f"file ({bad!r}) is not {self._encoding_name()} text. Save the file as "
                    f"'CSV UTF-8' and upload it again{self.encoding_hint}."
                ) from exc
            nul = text.find("\x00")
            if nul >= 0:
                field, _ = _field_at(text, nul)
                raise TableRefused(
                    f"{self.filename}, row {self.number}, column {column_letter(field)}: the "
                    "cell contains a NUL byte (character 0), which no text may hold. The file "
                    "may be damaged, or not a CSV file."
                )
            offset += len(raw)
            if not self.record_first_line:
                self.record_first_line = text
            yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def _encoding_name(self) -> str:
        return "UTF-8" if _codec(self.encoding) == "utf-8-sig" else self.encoding

    def unbalanced(self, detail: str = "") -> TableRefused:
        field, quoted = _field_at(self.record_first_line, len(self.record_first_line))
        if quoted:
            return TableRefused(
                f"{self.filename}, row {self.record_start}, column {column_letter(field)}: a "
                "quoted field begins there and does not end where it should (a quote mark "
                "is missing or extra), so the rows after it would be read as part of it. "
                "Correct the quote marks in that cell."
            )
        return TableRefused(
            f"{self.filename}, row {self.number}: not valid CSV"
            + (f" ({detail})" if detail else "")
            + ". Check the quote marks in that row."
        )


def _csv_records(lines: _Lines) -> Iterator[tuple[int, int, list[str]]]:
    """(first row, last row, values) of each record; refuses broken quoting."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_MAX_CHARS))
    reader = csv.reader(iter(lines), strict=True)
    while True:
        lines.start_record()
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise lines.unbalanced(str(exc)) from exc
        if any(len(v) > FIELD_MAX_CHARS for v in values):
            raise lines.unbalanced("a field is longer than 100,000 characters")
        yield lines.record_start, lines.number, values


def _csv_table(handle: IO[bytes], filename: str, encoding: str, encoding_hint: str) -> Table:
    lines = _Lines(handle, filename, encoding, encoding_hint)
    records = _csv_records(lines)
    header: list[str] | None = None
    header_row = 0
    for first, _last, values in records:
        if any(v.strip() for v in values):
            header = [v.strip() for v in values]
            header_row = first
            break
    if header is None:
        raise TableRefused(f"{filename} is empty: it has no header row and no data.")
    check_header(header, filename=filename)
    width = len(header)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for first, last, values in records:
            _check_width(filename, first, last, values, width)
            if any(v.strip() for v in values):
                yield last, list(values)

    return Table(header, rows(), "csv", header_row)


def _check_width(filename: str, first: int, last: int, values: list[str], width: int) -> None:
    """A quoted field that ran over several lines and left its row the wrong width: a
    quote is missing, and the rows after it were swallowed."""
    if last > first and len(values) != width:
        raise TableRefused(
            f"{filename}, row {first}, column {column_letter(_open_field(values))}: "
            f"a quoted field begins there and runs on to row {last}, leaving the row "
            f"with {len(values)} of the {width} columns: a quote mark is probably "
            "missing. Correct the quote marks in that cell."
        )


def _open_field(values: list[str]) -> int:
    """The first field (1-based) holding a line break: where the runaway quote began."""
    return next((i for i, v in enumerate(values, start=1) if "\n" in v or "\r" in v), 1)


# ----------------------------------------------------------------------------- XLSX


def _xlsx_sheets(source: Path | bytes, filename: str) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(
            source if isinstance(source, Path) else io.BytesIO(source),
            read_only=True,
            data_only=True,
        )
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableRefused(
            f"{filename} could not be opened as an Excel (XLSX) workbook: it is not a readable "
            f"Excel workbook ({exc})."
        ) from exc


def _checked_cells(values: Iterable[Any], *, filename: str, sheet: str, row: int) -> list[Any]:
    cells = list(values)
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str) and "\x00" in value:
            raise TableRefused(
                f"{_where(filename, sheet)}, row {row}, column {column_letter(column)}: the "
                "cell contains a NUL byte (character 0), which no text may hold."
            )
    return cells


def _damaged_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises while streaming a sheet whose XML is damaged."""
    from xml.etree.ElementTree import ParseError

    errors: list[type[BaseException]] = [ParseError, zipfile.BadZipFile, KeyError]
    try:
        from lxml.etree import XMLSyntaxError

        errors.append(XMLSyntaxError)
    except ImportError:  # pragma: no cover - lxml is optional for openpyxl
        pass
    return tuple(errors)


def _damaged(filename: str, sheet: str, after_row: int) -> TableRefused:
    return TableRefused(
        f"{_where(filename, sheet)}, after row {after_row}: the workbook is damaged (its "
        "sheet cannot be read further; it may hold a character no text may hold, such as "
        "a NUL byte). Open it in Excel and save it again, or save it as CSV UTF-8."
    )


def _sheet_rows(sheet: Any, filename: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's rows as (row number, values), a damaged sheet refused clearly."""
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, values
    except _damaged_errors() as exc:
        raise _damaged(filename, sheet.title, number) from exc


def _xlsx_table(source: Path | bytes, filename: str, sheet_name: str) -> Table:
    workbook = _xlsx_sheets(source, filename)
    if sheet_name:
        if sheet_name not in workbook.sheetnames:
            workbook.close()
            raise TableRefused(
                f"{filename} has no sheet called {sheet_name!r}; its sheets are "
                f"{', '.join(workbook.sheetnames)}."
            )
        sheet = workbook[sheet_name]
    else:
        sheet = workbook.worksheets[0]
    title = sheet.title
    iterator = _sheet_rows(sheet, filename)
    try:
        first = next(((n, v) for n, v in iterator if any(c not in (None, "") for c in v)), None)
        if first is None:
            raise TableRefused(f"{filename} is empty: its sheet {title!r} has no header row.")
        header_row, values = first
        cells = _checked_cells(values, filename=filename, sheet=title, row=header_row)
        header = ["" if v is None else str(v).strip() for v in cells]
        check_header(header, filename=filename, sheet=title)
    except TableRefused:
        workbook.close()
        raise

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in iterator:
                if any(v not in (None, "") for v in values):
                    yield number, _checked_cells(values, filename=filename, sheet=title, row=number)
        finally:
            workbook.close()

    return Table(header, rows(), "xlsx", header_row)


# ----------------------------------------------------------------------------- entry points


def _suffix_refusal(filename: str) -> TableRefused:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        return TableRefused(
            f"{filename} is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV UTF-8."
        )
    return TableRefused(
        f"{filename} is not a CSV or XLSX file (its name ends {suffix or 'in nothing'})."
    )


def open_table(
    source: Path | bytes,
    *,
    filename: str = "",
    encoding: str = "utf-8",
    sheet_name: str = "",
    encoding_hint: str = "",
) -> Table:
    """Open one table (a CSV file, or one sheet of a workbook: the named one or the first)
    for streaming. ``source`` is a path or the file's bytes; ``filename`` names it in
    messages (default: the path's name); ``encoding_hint`` ends the message about text
    in another encoding (what else the user may do)."""
    name = filename or (source.name if isinstance(source, Path) else "the file")
    suffix = Path(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        if isinstance(source, Path):
            handle: IO[bytes] = source.open("rb")
        else:
            handle = io.BytesIO(source)
        table = _csv_table(handle, name, encoding, encoding_hint)
        rows = table.rows

        def closing() -> Iterator[tuple[int, list[Cell]]]:
            try:
                yield from rows
            finally:
                handle.close()

        table.rows = closing()
        return table
    if suffix in XLSX_SUFFIXES:
        return _xlsx_table(source, name, sheet_name)
    raise _suffix_refusal(name)


def read_sheets(
    content: bytes, *, filename: str, csv_sheet: str = "Sheet1", encoding: str = "utf-8"
) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook (or a CSV file as one sheet called ``csv_sheet``) as lists
    of rows, row 1 first, checked as :func:`open_table` checks them (the header's
    duplicates are checked by :func:`header_and_rows`, for the sheets an importer uses)."""
    suffix = Path(filename).suffix.lower()
    if suffix in CSV_SUFFIXES:
        lines = _Lines(io.BytesIO(content), filename, encoding)
        rows: list[list[Any]] = []
        width = 0
        for first, last, values in _csv_records(lines):
            if not width and any(v.strip() for v in values):
                width = len(values)
            elif width:
                _check_width(filename, first, last, values, width)
            while len(rows) < first - 1:
                rows.append([])
            rows.append(list(values))
        return {csv_sheet: rows}
    if suffix in XLSX_SUFFIXES:
        workbook = _xlsx_sheets(content, filename)
        try:
            return {
                ws.title: [
                    _checked_cells(r, filename=filename, sheet=ws.title, row=n)
                    for n, r in _sheet_rows(ws, filename)
                ]
                for ws in workbook.worksheets
            }
        finally:
            workbook.close()
    raise _suffix_refusal(filename)
