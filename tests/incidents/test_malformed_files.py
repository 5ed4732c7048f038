"""Malformed variants of the real police.uk files: each gets a clear message, nothing is lost."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from saferhub.incidents.models import (
    ImportBatch,
    Incident,
    MonthlyCount,
    Outcome,
    RowProblem,
    StopAndSearch,
)
from saferhub.incidents.police_uk import ImportRefused
from saferhub.incidents.services import police_uk_import
from tests.incidents.conftest import STREET, real_rows, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography_only")]
JUNE = dt.date(2022, 6, 1)


def held(month: dt.date = JUNE) -> int:
    return Incident.objects.filter(month=month).count()


def test_a_real_file_loads_with_its_places(data_dir: Path) -> None:
    report = police_uk_import(actor="test", paths=[data_dir / STREET])
    assert report.rows_loaded == 8884 == Incident.objects.count()
    assert MonthlyCount.objects.filter(level="force").count() > 0
    # The 2011 codes of the early months are mapped to 2021 children.
    assert Incident.objects.filter(placement="split-point").exists()


def test_truncated_file_loads_the_whole_rows_and_refuses_the_cut_one(
    data_dir: Path, tmp_path: Path
) -> None:
    header, rows = real_rows(data_dir, 100)
    path = write_csv(tmp_path / "2022-06-derbyshire-street.csv", header, rows)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 60])  # cut the last row in the middle
    report = police_uk_import(actor="test", paths=[path])
    assert report.rows_read == 100
    assert report.rows_loaded == 99
    assert report.rows_refused == 1
    problem = RowProblem.objects.get()
    assert problem.row_number == 101 and "cut short" in problem.problem
    assert held() == 99
    assert "row 101" in report.first_problems(1)[0]


def test_wrong_header_is_refused_naming_the_column(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 10)
    header[1] = "Date"
    path = write_csv(tmp_path / "bad-header.csv", header, rows)
    with pytest.raises(
        ImportRefused, match=r"bad-header.csv: line 1 lacks the column\(s\) 'Month'"
    ):
        police_uk_import(actor="test", paths=[path])
    header[9] = "Offence"
    write_csv(path, header, rows)
    with pytest.raises(ImportRefused, match="no 'Crime type'"):
        police_uk_import(actor="test", paths=[path])
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_refused_file_refuses_the_whole_import(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 10)
    good = write_csv(tmp_path / "good.csv", header, rows)
    header[1] = "Mnth"
    bad = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(ImportRefused, match="bad.csv"):
        police_uk_import(actor="test", paths=[good, bad])
    assert Incident.objects.count() == 0


def test_utf16_file_is_read(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 50)
    path = write_csv(tmp_path / "utf16.csv", header, rows)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    report = police_uk_import(actor="test", paths=[path])
    assert report.rows_loaded == 50 == held()


def test_latin1_bytes_are_refused_naming_the_line(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 20)
    rows[6][6] = "On or near Caf\u00e9 Street"
    path = tmp_path / "latin1.csv"
    write_csv(path, header, rows)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(ImportRefused, match=r"latin1.csv: line 8 is not UTF-8 text \(byte 0xe9"):
        police_uk_import(actor="test", paths=[path])
    assert Incident.objects.count() == 0


def test_the_same_file_twice(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 30)
    first = write_csv(tmp_path / "a" / "2022-06-derbyshire-street.csv", header, rows)
    second = write_csv(tmp_path / "b" / "copy.csv", header, rows)
    report = police_uk_import(actor="test", paths=[first, second])
    assert report.rows_loaded == 30
    assert report.files[1].status == "skipped" and "Same content" in report.files[1].message
    again = police_uk_import(actor="test", paths=[second])
    assert again.rows_loaded == 0 and "Already imported" in again.files[0].message
    assert held() == 30 and ImportBatch.objects.count() == 1


def test_windows_line_endings(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 40)
    path = write_csv(tmp_path / "crlf.csv", header, rows, newline="\r\n")
    assert b"\r\n" in path.read_bytes()
    report = police_uk_import(actor="test", paths=[path])
    assert report.rows_loaded == 40 and report.rows_refused == 0
    assert not Incident.objects.filter(location__endswith="\r").exists()


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportRefused, match="empty.csv: the file is empty"):
        police_uk_import(actor="test", paths=[path])


def test_zip_with_junk(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 25)
    csv_path = write_csv(tmp_path / "x.csv", header, rows)
    archive = tmp_path / "police-uk.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(csv_path, "2022-06/2022-06-derbyshire-street.csv")
        zf.writestr("README.txt", "Downloaded from data.police.uk")
        zf.writestr("__MACOSX/2022-06/._2022-06-derbyshire-street.csv", b"\x00\x05\x16\x07junk")
        zf.writestr("2022-06/notes.pdf", b"%PDF-1.4 junk")
    report = police_uk_import(actor="test", paths=[archive])
    assert report.rows_loaded == 25 == held()
    assert any("README.txt: skipped (not a CSV file)" in n for n in report.notes)
    assert any("__MACOSX" in n and "skipped" in n for n in report.notes)
    not_a_zip = tmp_path / "broken.zip"
    not_a_zip.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ImportRefused, match="broken.zip: not a readable zip archive"):
        police_uk_import(actor="test", paths=[not_a_zip])


def test_row_with_no_location_is_kept_and_counted(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 5)
    rows[2][4] = rows[2][5] = rows[2][7] = rows[2][8] = ""
    rows[2][6] = "No Location"
    path = write_csv(tmp_path / "noloc.csv", header, rows)
    report = police_uk_import(actor="test", paths=[path])
    assert report.rows_loaded == 5 and report.rows_no_location == 1
    assert ImportBatch.objects.get().rows_no_location == 1
    lost = Incident.objects.get(location="No Location")
    assert lost.placement == "none" and lost.lsoa_code == "" and lost.bng_x is None
    force = sum(
        MonthlyCount.objects.filter(level="force", month=JUNE).values_list("count", flat=True)
    )
    lsoa = sum(
        MonthlyCount.objects.filter(level="lsoa", month=JUNE).values_list("count", flat=True)
    )
    assert (force, lsoa) == (5, 4)


def test_row_problems_are_reported_and_good_rows_load(
    data_dir: Path, tmp_path: Path, client_as: Any
) -> None:
    header, rows = real_rows(data_dir, 10)
    rows[1][1] = "2022-13"
    rows[2][9] = "Alien abduction"
    rows[3][4], rows[3][5] = "-75.0", "40.7"  # New York
    rows[4][7] = "E01999999"
    path = write_csv(tmp_path / "problems.csv", header, rows)
    report = police_uk_import(actor="test", paths=[path])
    assert (report.rows_loaded, report.rows_refused, report.rows_warning) == (8, 2, 2)
    batch = ImportBatch.objects.get()
    problems = {(p.row_number, p.column, p.severity) for p in batch.problems.all()}
    assert problems == {
        (3, "Month", "refused"),
        (4, "Crime type", "refused"),
        (5, "Longitude/Latitude", "warning"),
        (6, "LSOA code", "warning"),
    }
    # An unknown code with a point is placed by the point (and warned about).
    assert Incident.objects.get(lsoa_code_original="E01999999").placement == "point-unknown-code"
    response = client_as("analyst").get(f"/data/imports/{batch.pk}/problems/?format=csv")
    text = response.content.decode()
    assert response.status_code == 200 and "Alien abduction" in text and "2022-13" in text
    assert "not a month in the form YYYY-MM" in text


def test_all_or_nothing_and_dry_run(data_dir: Path, tmp_path: Path) -> None:
    header, rows = real_rows(data_dir, 10)
    rows[5][1] = "June"
    path = write_csv(tmp_path / "one-bad.csv", header, rows)
    with pytest.raises(ImportRefused, match="1 row\\(s\\) refused and all-or-nothing"):
        police_uk_import(actor="test", paths=[path], all_or_nothing=True)
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0
    report = police_uk_import(actor="test", paths=[path], dry_run=True)
    assert report.rows_loaded == 9 and report.dry_run
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert MonthlyCount.objects.count() == 0


def test_outcomes_link_to_crimes_and_stop_and_search_kept_apart(
    data_dir: Path, tmp_path: Path
) -> None:
    header, rows = real_rows(data_dir, 20)
    street = write_csv(tmp_path / "2022-06" / "2022-06-derbyshire-street.csv", header, rows)
    crime = next(r for r in rows if r[0])
    outcome_header = [*header[:9], "Outcome type"]
    outcomes = write_csv(
        tmp_path / "2022-06" / "2022-06-derbyshire-outcomes.csv",
        outcome_header,
        [
            [*crime[:9], "Investigation complete; no suspect identified"],
            ["ffff", *crime[1:9], "Court result unavailable"],
        ],
    )
    search_header = [
        "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
        "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
        "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    ]  # fmt: skip
    search_row = ["Person search", "2022-06-03T10:15:00+00:00", "False", "", "52.92", "-1.47", "Male",
                  "18-24", "", "White", "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs",
                  "A no further action disposal", "False", "False"]  # fmt: skip
    searches = write_csv(
        tmp_path / "2022-06" / "2022-06-derbyshire-stop-and-search.csv",
        search_header,
        [search_row, ["Person search", "yesterday", *search_row[2:]]],
    )
    report = police_uk_import(actor="test", paths=[tmp_path / "2022-06"])
    assert {f.kind for f in report.files} == {
        "police_uk_street",
        "police_uk_outcomes",
        "police_uk_stop_search",
    }
    linked = Outcome.objects.get(crime_id=crime[0])
    assert linked.incident is not None and linked.incident.crime_id == crime[0]
    assert Outcome.objects.get(crime_id="ffff").incident is None
    assert StopAndSearch.objects.count() == 1 and report.rows_refused == 1
    assert held() == 20  # stop and search is not counted as crime
    assert street.exists() and outcomes.exists() and searches.exists()


def test_command_line(data_dir: Path, tmp_path: Path) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    header, rows = real_rows(data_dir, 12)
    rows[3][1] = "2022/06"
    path = write_csv(tmp_path / "cli.csv", header, rows)
    out = io.StringIO()
    problems = tmp_path / "problems.csv"
    call_command(
        "import_data",
        "police-uk",
        str(path),
        "--dry-run",
        "--problems-csv",
        str(problems),
        stdout=out,
        verbosity=0,
    )
    assert "Dry run (nothing written)" in out.getvalue() and Incident.objects.count() == 0
    assert "cli.csv,5,Month,2022/06,not a month in the form YYYY-MM,refused" in problems.read_text()
    call_command("import_data", "police-uk", str(path), stdout=out, verbosity=0)
    assert held() == 11
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(
        CommandError, match="Import refused \\(nothing changed\\): empty.csv: the file is empty"
    ):
        call_command("import_data", "police-uk", str(empty), stdout=out, verbosity=0)
