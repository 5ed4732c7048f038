"""Realistic partner files made from real Derbyshire geography, and their malformed variants.

* council ASB: CSV, a date per row (dd/mm/yyyy), LSOA 2021 codes, a free-text description;
* fire service deliberate fires: XLSX, date cells, British National Grid eastings and
  northings of real police.uk map points in Derby, an incident number, free-text notes;
* domestic abuse service: CSV by month (YYYY-MM), ward codes, pseudonymous victim IDs
  (some victims appear more than once: repeat victims).

Everything is generated from ``data_dir`` with a fixed seed, so counts are known exactly.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyproj import Transformer

LOOKUP = "LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
DERBYSHIRE_LADS = {
    "E06000015",
    "E07000032",
    "E07000033",
    "E07000034",
    "E07000035",
    "E07000036",
    "E07000037",
    "E07000038",
    "E07000039",
}
DERBY = "E06000015"
ASB_CATEGORIES = ["Noise", "Neighbour dispute", "Youth nuisance", "Vehicle nuisance"]
FIRE_CATEGORIES = ["Deliberate vehicle fire", "Deliberate refuse fire", "Deliberate grass fire"]
DA_CATEGORIES = ["Domestic abuse crime", "Domestic abuse non-crime incident"]


def lookup_rows(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "geography" / "lookups" / LOOKUP).open(encoding="utf-8-sig") as handle:
        return [r for r in csv.DictReader(handle) if r["LAD23CD"] in DERBYSHIRE_LADS]


def derby_boundaries(data_dir: Path) -> dict[str, dict[str, Any]]:
    """LSOA code -> GeoJSON geometry, for Derby's LSOAs (2011 polygons, codes unchanged)."""
    doc = json.loads((data_dir / "geography" / "lsoa2011_boundaries" / f"{DERBY}.json").read_text())
    return {f["properties"]["LSOA11CD"]: f["geometry"] for f in doc["features"]}


def derby_points(data_dir: Path, n: int, seed: int = 7) -> list[tuple[float, float, str]]:
    """Real police.uk map points (lon, lat, LSOA) in Derby, from June 2024."""
    path = data_dir / "police_uk" / "derbyshire" / "2024-06" / "2024-06-derbyshire-street.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [
            (float(r["Longitude"]), float(r["Latitude"]), r["LSOA code"])
            for r in csv.DictReader(handle)
            if r["LSOA name"].startswith("Derby ") and r["Longitude"]
        ]
    return random.Random(seed).sample(rows, n)


@dataclass
class PartnerFiles:
    root: Path
    asb: Path
    asb_rows: int
    asb_lsoas: set[str]
    fire: Path
    fire_rows: int
    fire_points: list[tuple[float, float, str]]
    da: Path
    da_rows: int
    da_victims: dict[str, int]
    da_wards: set[str]


def make_partner_files(data_dir: Path, root: Path) -> PartnerFiles:
    rng = random.Random(2024)
    lookup = lookup_rows(data_dir)
    root.mkdir(parents=True, exist_ok=True)

    # Council ASB: 3 months by day, LSOA codes across Derbyshire.
    asb = root / "council-asb-2024-q2.csv"
    lsoas: set[str] = set()
    with asb.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date Reported", "ASB Type", "LSOA Code", "Description"])
        n = 0
        for month in (4, 5, 6):
            for _ in range(100):
                row = rng.choice(lookup)
                day = rng.randint(1, 30)
                lsoas.add(row["LSOA21CD"])
                writer.writerow(
                    [
                        f"{day:02d}/{month:02d}/2024",
                        rng.choice(ASB_CATEGORIES),
                        row["LSOA21CD"],
                        f"Caller at number {rng.randint(1, 99)} reports loud music",
                    ]
                )
                n += 1

    # Fire service: 40 deliberate fires at real Derby points, in BNG, as an Excel workbook.
    import datetime as dt

    from openpyxl import Workbook

    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    points = derby_points(data_dir, 40)
    wb = Workbook()
    ws = wb.active
    ws.title = "Incidents"
    ws.append(["Incident Number", "Call Date", "Property Type", "Easting", "Northing", "Notes"])
    for i, (lon, lat, _lsoa) in enumerate(points):
        x, y = to_bng.transform(lon, lat)
        ws.append(
            [
                f"DFR-24-{1000 + i}",
                dt.datetime(2024, 6, 1 + i % 28, 14, 30),
                FIRE_CATEGORIES[i % 3],
                round(x),
                round(y),
                "Crew attended; resident Mrs Smith gave details",
            ]
        )
    fire = root / "fire-deliberate-2024-06.xlsx"
    wb.save(fire)

    # Domestic abuse service: by month, ward codes, pseudonymous victims with repeats.
    da = root / "da-service-2024.csv"
    wards = sorted({(r["WD23CD"], r["LAD23CD"]) for r in lookup})
    victims: dict[str, int] = {}
    used_wards: set[str] = set()
    with da.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Month", "Incident Type", "Ward Code", "Victim ID", "Risk notes"])
        count = 0
        for month in range(1, 7):
            for _ in range(30):
                victim = f"V{rng.randint(1, 120):05d}"  # 180 incidents, 120 IDs: repeats
                ward = rng.choice(wards)[0]
                victims[victim] = victims.get(victim, 0) + 1
                used_wards.add(ward)
                writer.writerow(
                    [f"2024-{month:02d}", rng.choice(DA_CATEGORIES), ward, victim, "see case file"]
                )
                count += 1
    return PartnerFiles(
        root, asb, n, lsoas, fire, len(points), points, da, count, victims, used_wards
    )


def variant(path: Path, name: str, edit: Any) -> Path:
    """A copy of a CSV with ``edit(rows) -> rows`` applied (rows include the header)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    out = path.with_name(name)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(edit(rows))
    out.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return out
