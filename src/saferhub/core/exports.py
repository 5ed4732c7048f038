"""Every table exports to CSV and Excel through these two functions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The formats every table page offers for download (``?format=csv`` or ``xlsx``).
EXPORT_FORMATS = frozenset({"csv", "xlsx"})


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in text cells; structures become JSON."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return buffer.getvalue()


def workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], notes: Sequence[str] = ()
) -> bytes:
    """An XLSX with one sheet per table (title, columns, rows), and an optional notes sheet."""
    wb = Workbook()
    first = True
    for title, columns, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = _sheet_title(title)
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_safe_cell(v) for v in row])
        for idx, col in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = max(
                10, min(60, len(str(col)) + 4)
            )
    if notes:
        ws = wb.create_sheet("Notes")
        for line in notes:
            ws.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "Table")[:31]


def table_response(
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filename: str,
    fmt: str,
    title: str = "Table",
) -> HttpResponse:
    """A CSV or XLSX download of one table."""
    if fmt == "xlsx":
        response = HttpResponse(workbook_bytes([(title, columns, rows)]), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if fmt == "csv":
        response = HttpResponse(table_csv(columns, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    raise ValueError("Export format must be csv or xlsx.")
