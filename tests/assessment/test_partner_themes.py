"""Partner-data themes in the assessment, from partner files imported with ``partner_import``.

Two months of police.uk records (May and June 2024) and two partner files built from real
Derbyshire geography are imported once for the module: a domestic abuse service's file
(January to June 2024, Derby wards, pseudonymous victim references with repeats) and the
fire service's deliberate fires in Derby (June 2024, British National Grid points). Derby's
assessment of May-June 2024 must count the partner rows exactly as a direct count of the
files does; an area with no partner data must still say so.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saferhub.assessment.build import build_assessment
from tests.incidents.conftest import wipe_incidents
from tests.incidents.partner_files import DERBY, PartnerFiles, make_partner_files, variant
from tests.national import restore_geography, wipe_geography

pytestmark = pytest.mark.django_db

POLICE_MONTHS = ["2024-05", "2024-06"]
AFTER = ["2024-05", "2024-06"]
BEFORE = ["2024-03", "2024-04"]
LOOKUP = (
    "geography/lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
)
DA_KEY = "partner_domestic-abuse"
FIRE_KEY = "partner_criminal-damage-arson"


def _default_taxonomy() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("saferhub.incidents.migrations.0002_default_taxonomy").load(apps, None)


def _derby_wards(data_dir: Path) -> set[str]:
    with (data_dir / LOOKUP).open(encoding="utf-8-sig", newline="") as handle:
        return {r["WD23CD"] for r in csv.DictReader(handle) if r["LAD23CD"] == DERBY}


@pytest.fixture(scope="module")
def built(
    national_geography: Any,
    django_db_blocker: Any,
    data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    from saferhub.incidents.models import Category, PartnerSource, Theme
    from saferhub.incidents.partner import partner_import, partner_source_create
    from saferhub.incidents.services import police_uk_import

    files: PartnerFiles = make_partner_files(data_dir, tmp_path_factory.mktemp("partner"))
    wards = _derby_wards(data_dir)
    # The service's file for Derby: every row placed in one of Derby's real wards (in
    # turn), so that the rest of the county has no partner data and the repeat victims of
    # the county file are all Derby's.
    derby_wards = sorted(wards)

    def to_derby(rows: list[list[str]]) -> list[list[str]]:
        return [
            rows[0],
            *[[*r[:2], derby_wards[i % len(derby_wards)], *r[3:]] for i, r in enumerate(rows[1:])],
        ]

    da_derby = variant(files.da, "da-derby.csv", to_derby)
    with da_derby.open(encoding="utf-8", newline="") as handle:
        da_rows = list(csv.DictReader(handle))
    folder = data_dir / "police_uk" / "derbyshire"
    with django_db_blocker.unblock():
        _default_taxonomy()
        restore_geography(national_geography)
        police_uk_import(actor="test", paths=[folder / m for m in POLICE_MONTHS])
        da_source = partner_source_create(
            actor="test",
            name="DA service",
            default_theme=Theme.objects.get(key="domestic-abuse"),
            date_column="Month",
            date_precision="month",
            date_format="%Y-%m",
            category_column="Incident Type",
            location_kind="ward",
            area_column="Ward Code",
            victim_ref_column="Victim ID",
            ignored_columns=["Risk notes"],
        )
        fire_source = partner_source_create(
            actor="test",
            name="Fire deliberate fires",
            default_theme=Theme.objects.get(key="criminal-damage-arson"),
            date_column="Call Date",
            category_column="Property Type",
            location_kind="bng",
            x_column="Easting",
            y_column="Northing",
            reference_column="Incident Number",
            ignored_columns=["Notes"],
        )
        da_report = partner_import(actor="test", source=da_source, path=da_derby)
        fire_report = partner_import(actor="test", source=fire_source, path=files.fire)
        derby = build_assessment(
            DERBY, first_month="2024-05", last_month="2024-06", source="imports"
        )
        amber = build_assessment(
            "E07000032", first_month="2024-05", last_month="2024-06", source="imports"
        )
    yield {
        "files": files,
        "da_rows": da_rows,
        "da_report": da_report,
        "fire_report": fire_report,
        "derby": derby,
        "amber": amber,
    }
    with django_db_blocker.unblock():
        wipe_incidents()
        PartnerSource.objects.all().delete()
        Category.objects.filter(name__startswith="DA service: ").delete()
        Category.objects.filter(name__startswith="Fire deliberate fires: ").delete()
        wipe_geography()
        # The module's audit events stay: the log is append-only and chained, and removing
        # them would break the chain for every later check.


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in data["themes"] if t["key"] == key)


def _table(section: dict[str, Any], suffix: str) -> dict[str, Any]:
    return next(t for t in section["tables"] if t["key"] == f"{section['key']}_{suffix}")


def test_both_files_loaded(built: dict[str, Any]) -> None:
    assert built["da_report"].status == "loaded", built["da_report"].message
    assert built["fire_report"].status == "loaded", built["fire_report"].message
    assert built["da_report"].rows_loaded == len(built["da_rows"]) == built["files"].da_rows
    assert built["fire_report"].rows_loaded == built["files"].fire_rows == 40


def test_a_section_for_each_partner_theme_present(built: dict[str, Any]) -> None:
    derby = built["derby"]
    assert derby["partner_themes"]["present"] == ["criminal-damage-arson", "domestic-abuse"]
    assert derby["partner_themes"]["note"] == ""
    keys = [t["key"] for t in derby["themes"]]
    assert DA_KEY in keys and FIRE_KEY in keys
    da = _section(derby, DA_KEY)
    assert da["title"] == "Domestic abuse (partner data)"
    assert da["partner"]["sources"][0]["source"] == "DA service"
    assert not any("No partner data" in c for c in derby["caveats"])
    assert any(c.startswith("Partner data from DA service") for c in derby["caveats"])
    assert any(c.startswith("Partner data from Fire deliberate fires") for c in derby["caveats"])


def test_domestic_abuse_counts_match_the_file(built: dict[str, Any]) -> None:
    months = Counter(r["Month"] for r in built["da_rows"])
    da = _section(built["derby"], DA_KEY)
    after = sum(months[m] for m in AFTER)
    before = sum(months[m] for m in BEFORE)
    assert da["volume"] == {"after": after, "before": before}
    assert da["change"]["before"] == before and da["change"]["after"] == after
    assert da["change"]["p_value"] is not None
    trend = _table(da, "trend")
    assert {r[0]: r[1] for r in trend["rows"]} == {m: months[m] for m in BEFORE + AFTER}
    assert da["rate"]["value"] > 0
    # Placed by ward only: said, and the LSOA hot spot table is empty.
    assert any("not in an LSOA" in n for n in da["notes"])
    assert _table(da, "hotspots")["rows"] == []
    assert all(t["source"] == "Partner data: DA service" for t in da["tables"])


def test_repeat_victims_match_a_direct_count(built: dict[str, Any]) -> None:
    per_victim = Counter(r["Victim ID"] for r in built["da_rows"] if r["Month"] in AFTER)
    da = _section(built["derby"], DA_KEY)
    repeat = da["repeat_victims"]
    assert repeat["victims"] == len(per_victim)
    assert repeat["repeat_victims"] == sum(1 for n in per_victim.values() if n >= 2) > 0
    assert repeat["incidents"] == sum(per_victim.values())
    assert repeat["incidents_to_repeat_victims"] == sum(n for n in per_victim.values() if n >= 2)
    row = _table(da, "repeat_victims")["rows"][0]
    bands = [sum(1 for n in per_victim.values() if n == k) for k in (1, 2, 3, 4)]
    bands.append(sum(1 for n in per_victim.values() if n >= 5))
    assert row[:5] == bands
    # The partnership table by theme holds the same victims.
    partnership = next(
        t for t in built["derby"]["partnership_tables"] if t["key"] == "repeat_victims"
    )
    by_theme = {r[0]: r for r in partnership["rows"]}
    assert by_theme["Domestic abuse"][1:6] == bands


def test_deliberate_fires_counts_and_hot_spots(built: dict[str, Any]) -> None:
    fire = _section(built["derby"], FIRE_KEY)
    points = built["files"].fire_points
    assert fire["volume"] == {"after": len(points), "before": 0}
    assert fire["change"] is None  # the fire file covers June only
    assert fire["repeat_victims"] is None
    hot = _table(fire, "hotspots")
    expected = Counter(lsoa for _lon, _lat, lsoa in points)
    top = max(expected.values())
    assert hot["rows"][0][3] == top
    assert sum(fire["map"][code][0] for code in fire["map"]) == len(points)


def test_partner_themes_in_the_prioritisation_and_context(built: dict[str, Any]) -> None:
    derby = built["derby"]
    issues = [r[1] for r in derby["prioritisation"]["table"]["rows"]]
    assert "Domestic abuse (partner data)" in issues
    da = _section(derby, DA_KEY)
    matrix = derby["prioritisation"]["table"]
    row = next(r for r in matrix["rows"] if r[1] == da["title"])
    repeat = next(i for i, c in enumerate(matrix["columns"]) if c.startswith("Repeat (%)"))
    assert row[repeat] == pytest.approx(da["repeat_victims"]["share_of_incidents"], abs=0.05)
    sources = next(t for t in derby["context"]["tables"] if t["key"] == "context_partner_sources")
    by_source = {r[0]: r for r in sources["rows"]}
    assert by_source["DA service"][3:5] == ["2024-01", "2024-06"]
    assert by_source["Fire deliberate fires"][3:5] == ["2024-06", "2024-06"]
    # Police themes never count partner records.
    damage = _section(derby, "criminal_damage")
    assert damage["crime_types"] == ["Criminal damage and arson"]


def test_area_with_no_partner_data_still_says_so(built: dict[str, Any]) -> None:
    amber = built["amber"]
    assert amber["partner_themes"] == {
        "present": [],
        "note": "No partner data has been imported for this area.",
    }
    assert not any(t["key"].startswith("partner_") for t in amber["themes"])
    assert any("No partner data" in c for c in amber["caveats"])


def test_html_pdf_and_workbook_show_partner_sections(built: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    from saferhub.assessment import render

    derby = built["derby"]
    html = render.render_html(derby)
    assert "Domestic abuse (partner data)" in html
    assert "Domestic abuse (partner data): victims by number of incidents this period" in html
    assert "Partner data held for this area" in html
    assert "had 2 or more incidents this period" in html
    book = load_workbook(io.BytesIO(render.render_xlsx(derby)), read_only=True)
    assert "Map Domestic abuse (partner dat" in book.sheetnames
    index = [row[1] for row in book["Index"].iter_rows(min_row=2, values_only=True)]
    assert "Domestic abuse (partner data): victims by number of incidents this period" in index
    assert render.render_pdf(derby).startswith(b"%PDF")
