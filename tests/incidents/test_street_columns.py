"""The columnar reader of police.uk street files writes exactly what the row-by-row reader
writes, on the real files; anything not well-formed goes row by row."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from saferhub.incidents.loading import INCIDENT_COLUMNS
from saferhub.incidents.models import ImportBatch, Incident, MonthlyCount, RowProblem
from saferhub.incidents.services import police_uk_import
from saferhub.incidents.street import StreetFileReader
from saferhub.incidents.street_columns import fields_per_line, read_columns

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography_only")]

# January 2023 still has 2011 LSOA codes: split, nearest-child and unknown placements,
# and repeated ASB rows. December 2024 has 2021 codes only.
FILES = [
    "police_uk/derbyshire/2023-01/2023-01-derbyshire-street.csv",
    "police_uk/derbyshire/2024-12/2024-12-derbyshire-street.csv",
]
COMPARED = [c for c in INCIDENT_COLUMNS if c != "batch_id"]


def snapshot(path: Path) -> dict[str, Any]:
    """Import one file and return everything it wrote, then roll it back."""
    with transaction.atomic():
        report = police_uk_import(actor="test", paths=[path])
        batch = ImportBatch.objects.get()
        state = {
            "incidents": sorted(Incident.objects.values_list(*COMPARED)),
            "problems": list(
                RowProblem.objects.order_by("row_number", "id").values_list(
                    "row_number", "column", "value", "problem", "severity"
                )
            ),
            "monthly": sorted(
                MonthlyCount.objects.values_list(
                    "level", "area_code", "category_id", "month", "count"
                )
            ),
            "counts": (
                batch.rows_read,
                batch.rows_loaded,
                batch.rows_refused,
                batch.rows_warning,
                batch.rows_no_location,
                batch.first_month,
                batch.last_month,
                batch.status,
            ),
            "rows_loaded": report.rows_loaded,
        }
        transaction.set_rollback(True)
    return state


def columnar_used(path: Path) -> bool:
    """Whether the columnar reader takes the file (run in a transaction rolled back)."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind="police_uk_street", file_name="t", sha256="t")
        taken = read_columns(StreetFileReader.load(), "t", path.read_bytes(), batch.pk, int)
        transaction.set_rollback(True)
    return taken is not None


@pytest.mark.parametrize("name", FILES)
def test_columnar_and_row_by_row_write_the_same(data_dir: Path, tmp_path: Path, name: str) -> None:
    original = data_dir / name
    # A blank line at the end changes no row but sends the file row by row.
    row_by_row = tmp_path / original.name
    row_by_row.write_bytes(original.read_bytes() + b"\n")
    assert columnar_used(original)
    assert not columnar_used(row_by_row)

    fast, slow = snapshot(original), snapshot(row_by_row)
    with original.open(encoding="utf-8", newline="") as fh:
        csv_rows = sum(1 for _ in csv.reader(fh)) - 1
    assert fast["rows_loaded"] == len(fast["incidents"]) == csv_rows
    for part in ("counts", "problems", "monthly", "incidents"):
        assert fast[part] == slow[part], part
    placements = {row[COMPARED.index("placement")] for row in fast["incidents"]}
    if "2023-01" in name:
        # Every row with a code or a point is placed: no "unknown" is left.
        assert {"same", "split-point"} <= placements and "unknown" not in placements


def test_quoted_fields_are_read_column_by_column(data_dir: Path, tmp_path: Path) -> None:
    """Every field in quotes, and a location with a comma in it: still columnar, the same
    rows as the plain file."""
    original = data_dir / FILES[1]
    with original.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][6] = "On or near Station Road, Buxton"
    plain, quoted = tmp_path / "plain.csv", tmp_path / "quoted.csv"
    for path, quoting in ((plain, csv.QUOTE_MINIMAL), (quoted, csv.QUOTE_ALL)):
        buffer = io.StringIO()
        csv.writer(buffer, quoting=quoting, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    assert columnar_used(quoted) and columnar_used(plain)
    assert snapshot(quoted)["incidents"] == snapshot(plain)["incidents"]
    comma = [r for r in snapshot(quoted)["incidents"] if "Station Road, Buxton" in r[9]]
    assert len(comma) == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b,c\n1,2,3\n", [3, 3]),
        (b"a,b,c\n1,2,3", [3, 3]),
        (b"a,b,c\r\n1,2,3\r\n", [3, 3]),
        (b'a,b,c\n"1,5",2,3\n"x\ny",2,3\n', [3, 3, 3]),
        (b'a,b,c\n"say ""hi, you""",2,3\n', [3, 3]),
        (b"a,b,c\n1,2\n1,2,3,4\n", [3, 2, 4]),
    ],
)
def test_fields_per_line(data: bytes, expected: list[int]) -> None:
    counts = fields_per_line(data)
    assert counts is not None and counts.tolist() == expected


@pytest.mark.parametrize("data", [b"a,b\n\n1,2\n", b"a,b\n1,2\n\r\n", b"a,b\n1,2\n\n"])
def test_a_blank_line_goes_row_by_row(data: bytes) -> None:
    assert fields_per_line(data) is None


def test_a_big_file_is_read_in_pieces_that_carry_the_keys_over(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A month's rows twice in one file, cut into 1 MB pieces: the second copy of each row
    is a new occurrence (Crime ID#1, the next ASB key), even in another piece, exactly as
    the row-by-row reader keys it."""
    from saferhub.incidents import street_columns

    monkeypatch.setattr(street_columns, "PIECE_BYTES", 1_000_000)
    lines = (data_dir / FILES[1]).read_bytes().splitlines(keepends=True)
    twice = tmp_path / "twice.csv"
    twice.write_bytes(b"".join([lines[0], *lines[1:], *lines[1:]]))
    row_by_row = tmp_path / "twice-rows.csv"
    row_by_row.write_bytes(twice.read_bytes() + b"\n")
    cut = street_columns.pieces(twice.read_bytes())
    assert cut is not None and len(cut[1]) >= 3
    assert columnar_used(twice) and not columnar_used(row_by_row)

    fast, slow = snapshot(twice), snapshot(row_by_row)
    assert fast["rows_loaded"] == 2 * (len(lines) - 1) == len(fast["incidents"])
    for part in ("counts", "problems", "monthly", "incidents"):
        assert fast[part] == slow[part], part
    ids = [row[COMPARED.index("crime_id")] for row in fast["incidents"]]
    keys = [row[COMPARED.index("dedupe_key")] for row in fast["incidents"]]
    crimes = [(i, k) for i, k in zip(ids, keys) if i]
    # Every Crime ID keys its first row; every later row of it has a numbered key.
    assert sum(i == k for i, k in crimes) == len({i for i, _ in crimes})
    assert len({k for _, k in crimes}) == len(crimes)
