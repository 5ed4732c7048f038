"""Partner imports: council ASB (CSV, LSOA), fire (XLSX, BNG), domestic abuse (CSV, wards)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer

from saferhub.accounts.models import AuditEvent
from saferhub.incidents.models import (
    Category,
    ImportBatch,
    Incident,
    PartnerSource,
    RowProblem,
    Theme,
)
from saferhub.incidents.partner import (
    partner_import,
    partner_source_create,
    partner_source_update,
)
from tests.incidents.partner_files import (
    DERBYSHIRE_LADS,
    PartnerFiles,
    make_partner_files,
    variant,
)
from tests.incidents.partner_geography import load_test_geography


@pytest.fixture(scope="module")
def files(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PartnerFiles:
    return make_partner_files(data_dir, tmp_path_factory.mktemp("partner"))


@pytest.fixture
def geography(db: Any, data_dir: Path) -> None:
    load_test_geography(data_dir)


@pytest.fixture
def analyst(make_user: Any) -> Any:
    return make_user("analyst")


def theme(key: str) -> Theme:
    return Theme.objects.get(key=key)


@pytest.fixture
def asb_source(analyst: Any, geography: None) -> PartnerSource:
    return partner_source_create(
        actor=analyst,
        name="Council ASB",
        default_theme=theme("asb"),
        date_column="Date Reported",
        date_precision="day",
        date_format="%d/%m/%Y",
        category_column="ASB Type",
        location_kind="lsoa",
        area_column="LSOA Code",
        ignored_columns=["Description"],
    )


@pytest.fixture
def fire_source(analyst: Any, geography: None) -> PartnerSource:
    return partner_source_create(
        actor=analyst,
        name="Fire deliberate fires",
        default_theme=theme("criminal-damage-arson"),
        date_column="Call Date",
        category_column="Property Type",
        location_kind="bng",
        x_column="Easting",
        y_column="Northing",
        reference_column="Incident Number",
        ignored_columns=["Notes"],
    )


@pytest.fixture
def da_source(analyst: Any, geography: None) -> PartnerSource:
    return partner_source_create(
        actor=analyst,
        name="DA service",
        default_theme=theme("domestic-abuse"),
        date_column="Month",
        date_precision="month",
        date_format="%Y-%m",
        category_column="Incident Type",
        location_kind="ward",
        area_column="Ward Code",
        victim_ref_column="Victim ID",
        ignored_columns=["Risk notes"],
    )


# --------------------------------------------------------------------------- good files


def test_council_asb_csv_by_day_with_lsoa_codes(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    report = partner_import(actor=analyst, source=asb_source, path=files.asb)
    assert report.status == "loaded", report.message
    assert (report.rows_read, report.rows_loaded, report.rows_refused) == (300, 300, 0)
    assert report.months == ["2024-04", "2024-05", "2024-06"]
    assert report.ignored_columns == ["Description"]
    assert report.new_categories == [
        "Council ASB: Neighbour dispute",
        "Council ASB: Noise",
        "Council ASB: Vehicle nuisance",
        "Council ASB: Youth nuisance",
    ]
    held = Incident.objects.filter(source="partner:Council ASB")
    assert held.count() == 300
    assert set(held.values_list("lsoa_code", flat=True)) == files.asb_lsoas
    assert set(held.values_list("lad_code", flat=True)) <= DERBYSHIRE_LADS
    assert not held.filter(ward_code="").exists()
    assert not held.filter(occurred_on__isnull=True).exists()
    # New categories count towards the source's default theme (editable in the taxonomy).
    noise = Category.objects.get(name="Council ASB: Noise")
    assert list(noise.themes.values_list("key", flat=True)) == ["asb"]
    # Free text is never stored anywhere on the incident.
    assert not held.filter(context__contains="loud music").exists()
    assert not held.filter(location__contains="loud music").exists()
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.kind, batch.rows_loaded, batch.source) == ("partner", 300, "Council ASB")
    assert (
        AuditEvent.objects.filter(
            action="incidents.partner_import", object_id=str(batch.pk)
        ).count()
        == 1
    )


def test_same_file_twice_changes_nothing_and_overlaps_load_only_new_rows(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    first = partner_import(actor=analyst, source=asb_source, path=files.asb)
    again = partner_import(actor=analyst, source=asb_source, path=files.asb)
    assert again.status == "already_imported"
    assert "nothing has changed" in again.message
    assert again.batch_id == first.batch_id
    assert Incident.objects.filter(source="partner:Council ASB").count() == 300
    # A later extract repeats June and adds two rows: only the two are new.
    extra = variant(
        files.asb,
        "council-asb-2024-june-refresh.csv",
        lambda rows: (
            rows[:1]
            + rows[201:]
            + [
                ["30/06/2024", "Noise", rows[1][2], "new"],
                ["30/06/2024", "Noise", rows[1][2], "new again"],
            ]
        ),
    )
    report = partner_import(actor=analyst, source=asb_source, path=extra)
    assert (report.rows_read, report.rows_duplicate, report.rows_loaded) == (102, 100, 2)
    assert Incident.objects.filter(source="partner:Council ASB").count() == 302


def test_dry_run_writes_nothing(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    report = partner_import(actor=analyst, source=asb_source, path=files.asb, dry_run=True)
    assert report.dry_run and report.rows_loaded == 300
    assert not Incident.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not Category.objects.filter(name__startswith="Council ASB").exists()


def test_fire_xlsx_with_bng_points_is_placed_by_point(
    files: PartnerFiles, fire_source: PartnerSource, analyst: Any
) -> None:
    report = partner_import(actor=analyst, source=fire_source, path=files.fire)
    assert report.status == "loaded", report.message
    assert report.rows_loaded == files.fire_rows == 40
    held = Incident.objects.filter(source="partner:Fire deliberate fires").order_by("dedupe_key")
    assert held[0].dedupe_key == "ref:DFR-24-1000"
    placed = {(i.bng_x, i.bng_y): i.lsoa_code for i in held}
    # Each point falls in the LSOA police.uk gave it, except where a snap point sits on a
    # boundary road and the generalised polygons disagree (2 of these 40 points).
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    agree = 0
    for lon, lat, lsoa in files.fire_points:
        x, y = to_bng.transform(lon, lat)
        agree += placed.get((round(x), round(y))) == lsoa
    assert agree >= 37, agree
    assert set(held.values_list("lad_code", flat=True)) == {"E06000015"}
    assert set(held.values_list("placement", flat=True)) <= {"point", "unknown"}
    assert not held.filter(bng_x__isnull=True).exists()
    assert not held.filter(occurred_on__isnull=True).exists()
    assert "Notes" in report.ignored_columns


def test_domestic_abuse_by_month_with_wards_and_repeat_victims(
    files: PartnerFiles, da_source: PartnerSource, analyst: Any
) -> None:
    report = partner_import(actor=analyst, source=da_source, path=files.da)
    assert report.rows_loaded == files.da_rows == 180
    held = Incident.objects.filter(source="partner:DA service")
    assert set(held.values_list("ward_code", flat=True)) == files.da_wards
    assert not held.exclude(lsoa_code="").exists()  # a ward says nothing about the LSOA
    assert not held.filter(occurred_on__isnull=False).exists()  # month precision only
    repeats = {v: n for v, n in files.da_victims.items() if n > 1}
    assert repeats, "the test file must have repeat victims"
    from django.db.models import Count

    counted = dict(held.values("victim_ref").annotate(n=Count("id")).values_list("victim_ref", "n"))
    assert counted == files.da_victims
    assert (
        Category.objects.get(name="DA service: Domestic abuse crime")
        .themes.filter(key="domestic-abuse")
        .exists()
    )


# --------------------------------------------------------------------------- malformed


def refused_problems(batch_id: int | None) -> list[tuple[int, str, str]]:
    return list(
        RowProblem.objects.filter(batch_id=batch_id, severity="refused").values_list(
            "row_number", "column", "problem"
        )
    )


def test_wrong_header_is_refused_naming_the_column(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    bad = variant(
        files.asb,
        "asb-wrong-header.csv",
        lambda rows: [["Date", "ASB Type", "LSOA", "Description"], *rows[1:]],
    )
    report = partner_import(actor=analyst, source=asb_source, path=bad)
    assert report.status == "refused"
    assert "missing 'Date Reported' (date), 'LSOA Code' (area)" in report.message
    assert "'Date', 'ASB Type', 'LSOA', 'Description'" in report.message
    assert not Incident.objects.exists() and not ImportBatch.objects.exists()


def test_bad_rows_are_counted_reported_and_good_rows_load(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    def spoil(rows: list[list[str]]) -> list[list[str]]:
        rows[1][0] = "31/02/2024"  # no such day
        rows[2][0] = "2024-04-03"  # wrong format
        rows[3][2] = "E01999999"  # unknown LSOA
        rows[4][1] = ""  # no category
        rows[5][0] = "01/01/2999"  # future
        rows[6][2] = ""  # no location: loaded, counted
        return rows

    bad = variant(files.asb, "asb-bad-rows.csv", spoil)
    report = partner_import(actor=analyst, source=asb_source, path=bad)
    assert report.status == "loaded_with_problems"
    assert (report.rows_read, report.rows_refused, report.rows_loaded) == (300, 5, 295)
    assert report.rows_no_location == 1
    problems = refused_problems(report.batch_id)
    assert problems == [
        (2, "Date Reported", "not a date written as %d/%m/%Y (e.g. 31/01/2024)"),
        (3, "Date Reported", "not a date written as %d/%m/%Y (e.g. 31/01/2024)"),
        (4, "LSOA Code", "unknown LSOA code (not in the ONS lookup)"),
        (5, "ASB Type", "no category"),
        (6, "Date Reported", "date is in the future"),
    ]
    assert RowProblem.objects.filter(batch_id=report.batch_id, severity="warning").count() == 1
    assert Incident.objects.filter(placement="none").count() == 1


def test_all_or_nothing_loads_nothing_when_a_row_is_bad(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    bad = variant(
        files.asb, "asb-one-bad.csv", lambda rows: [*rows[:1], ["xx", *rows[1][1:]], *rows[2:]]
    )
    report = partner_import(actor=analyst, source=asb_source, path=bad, all_or_nothing=True)
    assert report.status == "refused"
    assert "All-or-nothing: 1 of 300 rows" in report.message
    assert report.problems[0].row_number == 2
    assert not Incident.objects.exists() and not ImportBatch.objects.exists()
    # Without all-or-nothing the same file loads its 299 good rows.
    report = partner_import(actor=analyst, source=asb_source, path=bad)
    assert report.rows_loaded == 299


def test_coordinates_outside_the_uk_are_refused(
    files: PartnerFiles, analyst: Any, geography: None, tmp_path: Path
) -> None:
    source = partner_source_create(
        actor=analyst,
        name="Street wardens",
        default_theme=theme("asb"),
        date_column="Date",
        location_kind="wgs84",
        x_column="Longitude",
        y_column="Latitude",
    )
    path = tmp_path / "wardens.csv"
    lon, lat, _ = files.fire_points[0]
    path.write_text(
        "Date,Longitude,Latitude\n"
        f"01/06/2024,{lon},{lat}\n"
        f"02/06/2024,{lat},{lon}\n"  # swapped
        "03/06/2024,2.35,48.85\n"  # Paris
        "04/06/2024,east,52.9\n",
        encoding="utf-8",
    )
    report = partner_import(actor=analyst, source=source, path=path)
    assert report.rows_loaded == 1 and report.rows_refused == 3
    messages = [(p.row_number, p.problem.split(" (")[0]) for p in report.problems]
    assert messages == [
        (3, "coordinates outside the UK"),
        (4, "coordinates outside the UK"),
        (5, "not a number"),
    ]
    assert Incident.objects.get().category.name == "Street wardens"


def test_empty_files_and_wrong_encoding_are_refused_clearly(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = partner_import(actor=analyst, source=asb_source, path=empty)
    assert report.status == "refused" and "is empty" in report.message

    header_only = tmp_path / "header-only.csv"
    header_only.write_text("Date Reported,ASB Type,LSOA Code,Description\r\n")
    report = partner_import(actor=analyst, source=asb_source, path=header_only)
    assert report.status == "refused" and "no data rows" in report.message

    text = files.asb.read_text(encoding="utf-8").replace("reports", "r\u00e9ports £")
    latin = tmp_path / "asb-windows-1252.csv"
    latin.write_bytes(text.encode("cp1252"))
    report = partner_import(actor=analyst, source=asb_source, path=latin)
    assert report.status == "refused"
    assert "asb-windows-1252.csv, row 2: byte " in report.message
    assert "is not UTF-8 text" in report.message
    assert "set the source's encoding" in report.message
    assert not Incident.objects.exists()
    # With the source's encoding set to Windows-1252 the same file loads.
    partner_source_update(actor=analyst, source=asb_source, encoding="cp1252")
    assert partner_import(actor=analyst, source=asb_source, path=latin).rows_loaded == 300

    windows = tmp_path / "asb-crlf.csv"
    windows.write_bytes(files.asb.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    # Windows line endings: same rows, already held.
    report = partner_import(actor=analyst, source=asb_source, path=windows)
    assert (report.rows_read, report.rows_duplicate) == (300, 300)

    for name, content in [("asb.xls", b"\xd0\xcf\x11\xe0"), ("asb.pdf", b"%PDF")]:
        path = tmp_path / name
        path.write_bytes(content)
        report = partner_import(actor=analyst, source=asb_source, path=path)
        assert report.status == "refused"
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a workbook")
    report = partner_import(actor=analyst, source=fire_source_for(analyst), path=junk)
    assert "not a readable Excel workbook" in report.message


def fire_source_for(analyst: Any) -> PartnerSource:
    return partner_source_create(
        actor=analyst,
        name="Fire (junk test)",
        default_theme=theme("criminal-damage-arson"),
        date_column="Call Date",
        location_kind="bng",
        x_column="Easting",
        y_column="Northing",
    )


def test_unknown_categories_refused_when_new_ones_are_not_allowed(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any
) -> None:
    partner_import(actor=analyst, source=asb_source, path=files.asb)
    partner_source_update(actor=analyst, source=asb_source, allow_new_categories=False)
    extra = variant(
        files.asb,
        "asb-new-type.csv",
        lambda rows: [rows[0], ["01/07/2024", "Fireworks", rows[1][2], ""], rows[1]],
    )
    report = partner_import(actor=analyst, source=asb_source, path=extra)
    assert report.rows_refused == 1 and report.rows_duplicate == 1
    assert report.problems[0].problem.startswith("unknown category")
    event = AuditEvent.objects.filter(action="incidents.partner_source_update").last()
    assert event is not None
    assert event.old_values == {"allow_new_categories": True}


def test_a_source_mapping_is_validated(analyst: Any, geography: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        partner_source_create(
            actor=analyst,
            name="No columns",
            default_theme=theme("asb"),
            date_column="Date",
            location_kind="bng",
        )


def test_import_partner_command(
    files: PartnerFiles, asb_source: PartnerSource, tmp_path: Path
) -> None:
    out = io.StringIO()
    problems_csv = tmp_path / "problems.csv"
    bad = variant(
        files.asb, "asb-cli.csv", lambda rows: [*rows[:3], ["31/13/2024", *rows[3][1:]], *rows[4:]]
    )
    call_command(
        "import_data",
        "partner",
        "--source",
        "council asb",
        str(bad),
        "--dry-run",
        stdout=out,
        verbosity=0,
    )
    assert "Dry run (nothing written): 300 rows read, 299 loaded" in out.getvalue()
    assert not Incident.objects.exists()
    call_command(
        "import_data",
        "partner",
        "--source",
        "Council ASB",
        str(bad),
        "--problems-csv",
        str(problems_csv),
        stdout=out,
        verbosity=0,
    )
    assert "299 loaded, 0 already held, 1 refused" in out.getvalue()
    assert "row 4, column Date Reported (31/13/2024): not a date" in out.getvalue()
    assert "asb-cli.csv,4,Date Reported,31/13/2024" in problems_csv.read_text()
    out = io.StringIO()
    call_command(
        "import_data", "partner", "--source", "Council ASB", str(bad), stdout=out, verbosity=0
    )
    assert "already imported" in out.getvalue()
    assert Incident.objects.count() == 299
    with pytest.raises(CommandError, match="no partner source called 'police'"):
        call_command("import_data", "partner", "--source", "police", str(bad), verbosity=0)
    wrong = variant(files.asb, "asb-cli-wrong.csv", lambda rows: [["x", "y"], *rows[1:]])
    with pytest.raises(CommandError, match="1 file\\(s\\) refused"):
        call_command(
            "import_data",
            "partner",
            "--source",
            "Council ASB",
            str(wrong),
            stdout=io.StringIO(),
            verbosity=0,
        )


def test_a_named_sheet_is_read_and_a_missing_one_is_refused(
    files: PartnerFiles, fire_source: PartnerSource, analyst: Any
) -> None:
    partner_source_update(actor=analyst, source=fire_source, sheet_name="Summary")
    report = partner_import(actor=analyst, source=fire_source, path=files.fire)
    assert report.status == "refused"
    assert "has no sheet called 'Summary'; its sheets are Incidents" in report.message
    partner_source_update(actor=analyst, source=fire_source, sheet_name="Incidents")
    assert partner_import(actor=analyst, source=fire_source, path=files.fire).rows_loaded == 40


def test_excel_dates_stored_as_numbers_are_read(
    files: PartnerFiles, fire_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Incident Number", "Call Date", "Property Type", "Easting", "Northing", "Notes"])
    lon, lat, _ = files.fire_points[0]
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(lon, lat)
    ws.append(["DFR-1", 45321, "Deliberate refuse fire", round(x), round(y), ""])  # 30 Jan 2024
    ws.append(["DFR-2", "yesterday", "Deliberate refuse fire", round(x), round(y), ""])
    path = tmp_path / "fires-numbers.xlsx"
    wb.save(path)
    report = partner_import(actor=analyst, source=fire_source, path=path)
    assert (report.rows_loaded, report.rows_refused) == (1, 1)
    assert str(Incident.objects.get().occurred_on) == "2024-01-30"
    assert report.problems[0].row_number == 3 and report.problems[0].column == "Call Date"


def _asb_lines(files: PartnerFiles) -> list[str]:
    return files.asb.read_text(encoding="utf-8").splitlines(keepends=True)


def _broken(kind: str, lines: list[str]) -> tuple[bytes, str]:
    """A real partner file broken one way, and what the refusal must say."""
    if kind == "unbalanced quote, to the end":
        date, rest = lines[2].split(",", 1)
        lines[2] = f'{date},"{rest}'  # row 3, column B opens a quote that never closes
        return "".join(lines).encode(), "row 3, column B: a quoted field begins there"
    if kind == "unbalanced quote, swallowing rows":
        date, rest = lines[2].split(",", 1)
        lines[2] = f'{date},"{rest}'
        lines[4] = lines[4].rstrip("\r\n") + '"\r\n'  # closes two rows later
        return "".join(lines).encode(), "row 3, column B: a quoted field begins there and runs on"
    if kind == "duplicated heading":
        lines[0] = lines[0].replace("Description", "ASB type")
        return "".join(
            lines
        ).encode(), "the column heading “ASB type” appears twice (columns B and D)"
    if kind == "NUL byte":
        date, rest = lines[5].split(",", 1)
        lines[5] = f"{date},Noise\x00{rest}"
        return "".join(lines).encode(), "row 6, column B: the cell contains a NUL byte"
    assert kind == "Windows-1252"
    lines[7] = lines[7].replace(",", ",Caf\u00e9 ", 1)
    return "".join(lines).encode("cp1252"), "row 8: byte "


REFUSALS = [
    "unbalanced quote, to the end",
    "unbalanced quote, swallowing rows",
    "duplicated heading",
    "NUL byte",
    "Windows-1252",
]


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_broken_partner_csv_is_refused_naming_the_row_and_column(
    kind: str, files: PartnerFiles, asb_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    """Before the shared reader, an unbalanced quote read 2 rows as 1 ("1 rows read,
    1 loaded"), a duplicated heading took one of the columns silently, and a NUL byte was
    stored in a category name."""
    content, expected = _broken(kind, _asb_lines(files))
    path = tmp_path / "council-asb.csv"
    path.write_bytes(content)
    report = partner_import(actor=analyst, source=asb_source, path=path)
    assert report.status == "refused", report.message
    assert report.message.startswith("council-asb.csv")
    assert expected in report.message
    assert str(tmp_path) not in report.message  # never a server path
    assert report.rows_loaded == 0
    assert not Incident.objects.exists()
    assert not any("\x00" in c.name for c in Category.objects.all())


def test_partner_headings_that_differ_only_by_case_and_spaces_are_refused(
    files: PartnerFiles, asb_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    lines = _asb_lines(files)
    lines[0] = lines[0].replace("Description", "lsoa  code")
    path = tmp_path / "asb.csv"
    path.write_text("".join(lines), encoding="utf-8")
    report = partner_import(actor=analyst, source=asb_source, path=path)
    assert report.status == "refused"
    assert "appears twice (columns C and D)" in report.message


def test_a_nul_byte_in_a_partner_workbook_is_refused(
    asb_source: PartnerSource, analyst: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "ASB"
    ws.append(["Date Reported", "ASB Type", "LSOA Code", "Description"])
    ws.append(["01/04/2024", "Noise", "E01013421", ""])
    ws.append(["02/04/2024", "Noise", "E01013421", ""])
    path = tmp_path / "asb.xlsx"
    wb.save(path)
    # openpyxl refuses to write a NUL, so put one into the saved sheet's XML.
    import zipfile

    broken = tmp_path / "asb-nul.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b"Noise", b"No&#0;ise", 1)
            elif item.filename.startswith("xl/worksheets/") and b"Noise" in data:
                data = data.replace(b"Noise", b"No\x00ise", 1)
            out.writestr(item, data)
    report = partner_import(actor=analyst, source=asb_source, path=broken)
    assert report.status == "refused"
    assert report.message.startswith("asb-nul.xlsx (sheet “ASB”), after row 1:")
    assert report.rows_loaded == 0
    assert not any("\x00" in c.name for c in Category.objects.all())
