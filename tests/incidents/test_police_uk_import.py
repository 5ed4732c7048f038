"""The police.uk import on the real Derbyshire files (24 months, 219,339 rows)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from saferhub.geography import selectors as geo
from saferhub.incidents import selectors
from saferhub.incidents.models import ImportBatch, Incident, MonthlyCount
from saferhub.incidents.services import police_uk_import

pytestmark = pytest.mark.django_db

# The figures published with the data (SOURCES.md).
ROWS_PER_MONTH = {
    "2023-01": 8884, "2023-02": 9156, "2023-03": 9982, "2023-04": 10151, "2023-05": 10744,
    "2023-06": 10423, "2023-07": 10152, "2023-08": 9992, "2023-09": 9388, "2023-10": 8933,
    "2023-11": 8169, "2023-12": 8129, "2024-01": 8216, "2024-02": 8902, "2024-03": 8910,
    "2024-04": 8809, "2024-05": 9491, "2024-06": 9646, "2024-07": 9543, "2024-08": 9223,
    "2024-09": 8724, "2024-10": 9066, "2024-11": 6964, "2024-12": 7742,
}  # fmt: skip
ROWS_PER_TYPE = {
    "Violence and sexual offences": 85816, "Anti-social behaviour": 35537,
    "Public order": 21519, "Criminal damage and arson": 16416, "Other theft": 14375,
    "Shoplifting": 13826, "Vehicle crime": 8795, "Burglary": 7541, "Drugs": 5411,
    "Other crime": 4335, "Possession of weapons": 2010, "Robbery": 1341,
    "Theft from the person": 1265, "Bicycle theft": 1152,
}  # fmt: skip
TOTAL = 219_339
# The nine local authorities of the Derbyshire police force area, and the area's code.
FORCE_LADS = ["E06000015", "E07000032", "E07000033", "E07000034", "E07000035", "E07000036",
              "E07000037", "E07000038", "E07000039"]  # fmt: skip
FORCE = "E23000018"
RETIRED = {"E01013479", "E01019472", "E01019494", "E01019512", "E01019773", "E01019835",
           "E01019881", "E01019883", "E01033531"}  # fmt: skip


def csv_counts(folder: Path) -> Counter[tuple[str, str]]:
    """An independent count: (month, crime type) over the raw CSV rows."""
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted(folder.glob("*/*-street.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                counts[(row["Month"], row["Crime type"])] += 1
    return counts


def test_every_row_loaded_and_counts_match_the_csv(
    derbyshire: dict[str, Any], data_dir: Path
) -> None:
    report = derbyshire["report"]
    assert report.rows_read == TOTAL
    assert report.rows_loaded == TOTAL
    assert report.rows_refused == 0
    assert Incident.objects.count() == TOTAL

    expected = csv_counts(data_dir / "police_uk" / "derbyshire")
    held = {
        (r["month"].strftime("%Y-%m"), r["category"]): r["count"]
        for r in selectors.incident_totals_by_month_and_category().to_dict("records")
    }
    assert held == dict(expected)
    per_month: Counter[str] = Counter()
    per_type: Counter[str] = Counter()
    for (month, crime_type), n in expected.items():
        per_month[month] += n
        per_type[crime_type] += n
    assert dict(per_month) == ROWS_PER_MONTH
    assert dict(per_type) == ROWS_PER_TYPE


def test_monthly_aggregate_matches_the_csv(derbyshire: dict[str, Any], data_dir: Path) -> None:
    expected = csv_counts(data_dir / "police_uk" / "derbyshire")
    frame = selectors.monthly_counts(
        area_codes=None,
        level="force",
        themes=None,
        start=dt.date(2023, 1, 1),
        end=dt.date(2024, 12, 1),
    )
    frame = frame.drop_duplicates(["area_code", "category", "month"])
    got = frame.groupby([frame["month"].map(lambda m: m.strftime("%Y-%m")), "category"])[
        "count"
    ].sum()
    assert got.to_dict() == dict(expected)

    themes = selectors.monthly_counts(
        area_codes=[FORCE],
        level="force",
        themes=["all-crime", "serious-acquisitive-crime", "asb"],
        start=dt.date(2023, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    totals = themes.groupby("theme")["count"].sum().to_dict()
    assert totals["asb"] == ROWS_PER_TYPE["Anti-social behaviour"]
    assert totals["all-crime"] == TOTAL - ROWS_PER_TYPE["Anti-social behaviour"]
    assert totals["serious-acquisitive-crime"] == 7541 + 1341 + 8795


def test_places_assigned_once_at_import(derbyshire: dict[str, Any]) -> None:
    in_force = Incident.objects.filter(lad_code__in=FORCE_LADS).count()
    # SOURCES.md: 2,610 rows are snapped to LSOAs outside the nine local authorities.
    assert in_force == TOTAL - 2610
    # National geography: every row has a CSP area, inside the force area or not.
    csp_total = sum(MonthlyCount.objects.filter(level="csp").values_list("count", flat=True))
    assert csp_total == Incident.objects.exclude(csp_code="").count()
    # Only rows in a local authority the ONS lookup lists under several CSPs have none.
    by_lad, _, _ = geo.csp_for_places()
    no_csp = set(Incident.objects.filter(csp_code="").values_list("lad_code", flat=True))
    assert no_csp and not no_csp & set(by_lad) and "" not in no_csp
    assert csp_total > TOTAL - 100
    assert set(Incident.objects.values_list("force_code", flat=True).distinct()) == {FORCE}
    assert not Incident.objects.filter(lsoa_code__in=RETIRED).exists()
    assert Incident.objects.filter(bng_x__isnull=True).count() == 0
    derby_csp = MonthlyCount.objects.filter(level="csp").values_list("area_code", flat=True).first()
    assert derby_csp and derby_csp.startswith("E22")
    derby = Incident.objects.filter(lad_code="E06000015").first()
    assert derby is not None and 430000 < derby.bng_x < 445000 and 325000 < derby.bng_y < 345000


def test_split_2011_lsoas_go_to_their_2021_children(derbyshire: dict[str, Any]) -> None:
    from saferhub.geography.models import Lsoa2011To2021

    children = {
        old: set(
            Lsoa2011To2021.objects.filter(lsoa11_code=old).values_list("lsoa21_code", flat=True)
        )
        for old in RETIRED
    }
    moved = Incident.objects.filter(lsoa_code_original__in=RETIRED)
    assert moved.count() > 0
    for old, new, placement in moved.values_list("lsoa_code_original", "lsoa_code", "placement"):
        assert new in children[old]
        assert placement in {"split-point", "split-nearest"}
    # Most points fall inside a child's boundary; the rest in slivers of the national
    # super-generalised (BSC) boundaries (SOURCES.md 4.2: about 87% agree with police.uk).
    points = Counter(moved.values_list("placement", flat=True))
    assert points["split-point"] > 4 * points["split-nearest"] > 0


def test_importing_again_changes_nothing(derbyshire: dict[str, Any], data_dir: Path) -> None:
    before = (Incident.objects.count(), MonthlyCount.objects.count(), ImportBatch.objects.count())
    report = police_uk_import(actor="test", paths=[data_dir / "police_uk" / "derbyshire"])
    assert report.rows_loaded == 0
    assert all(f.status == "skipped" for f in report.files)
    assert "Already imported" in report.files[0].message
    assert (
        Incident.objects.count(),
        MonthlyCount.objects.count(),
        ImportBatch.objects.count(),
    ) == before


def test_same_rows_in_a_different_file_are_not_loaded_twice(
    derbyshire: dict[str, Any], data_dir: Path, tmp_path: Path
) -> None:
    # Windows line endings: a different file (new hash), the same rows: all already held.
    source = data_dir / "police_uk" / "derbyshire" / "2024-06" / "2024-06-derbyshire-street.csv"
    crlf = tmp_path / "2024-06-derbyshire-street.csv"
    crlf.write_bytes(source.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert crlf.read_bytes() != source.read_bytes()
    before = Incident.objects.count()
    report = police_uk_import(actor="test", paths=[crlf])
    assert report.rows_read == ROWS_PER_MONTH["2024-06"]
    assert report.rows_loaded == 0
    assert report.rows_duplicate == ROWS_PER_MONTH["2024-06"]
    assert Incident.objects.count() == before


def test_incidents_frame_for_hotspots(derbyshire: dict[str, Any]) -> None:
    frame = selectors.incidents_frame(
        area_code="E06000015", start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30), themes=["asb"]
    )
    counts = selectors.monthly_counts(
        area_codes=["E06000015"],
        level="lad",
        themes=["asb"],
        start=dt.date(2024, 6, 1),
        end=dt.date(2024, 6, 1),
    )
    assert len(frame) == counts["count"].sum() > 100
    assert set(frame["theme"]) == {"asb"}
    assert frame["x"].notna().all() and frame["lsoa"].str.startswith("E01").all()
    assert list(frame.columns)[:6] == ["month", "category", "theme", "lsoa", "ward", "lad"]


def test_data_page_and_api(derbyshire: dict[str, Any], client_as: Any) -> None:
    client = client_as("analyst")
    page = client.get("/data/")
    assert page.status_code == 200
    assert "2024-12-derbyshire-street.csv" in page.content.decode()
    api = client.get(
        "/api/data/monthly-counts/?level=lad&area=E06000015&theme=asb&start=2024-01&end=2024-03"
    )
    assert api.status_code == 200
    rows = api.json()
    assert {r["month"] for r in rows} == {"2024-01-01", "2024-02-01", "2024-03-01"}
    assert client.get("/api/data/monthly-counts/?level=planet").status_code == 400
    areas = client.get("/api/areas/?level=csp").json()
    assert len(areas) == 314 and all(a["population"] and a["population_year"] for a in areas)
