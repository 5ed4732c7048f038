from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DERBY = "E06000015"
LOOKUP = (
    "geography/lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
)


@pytest.fixture(scope="session")
def derby(data_dir: Path) -> dict[str, Any]:
    """Derby's assessment for the default period (2024 against 2023), built once."""
    from saferhub.assessment.build import build_assessment

    return build_assessment(DERBY, source="files")


@pytest.fixture(scope="session")
def derby_q4(data_dir: Path) -> dict[str, Any]:
    """Derby, three months (October to December 2024 against July to September)."""
    from saferhub.assessment.build import build_assessment

    return build_assessment("Derby", first_month="2024-10", last_month="2024-12", source="files")


@pytest.fixture(scope="session")
def raw_derby_counts(data_dir: Path) -> Counter[tuple[str, str]]:
    """An independent count from the raw police.uk CSV files: (month, crime type) -> rows.

    Derby's rows are those whose LSOA code is one of Derby's 2021 LSOAs in the ONS lookup,
    or a retired 2011 Derby LSOA (named "Derby NNNX" in the file).
    """
    with (data_dir / LOOKUP).open(encoding="utf-8-sig", newline="") as handle:
        codes = {r["LSOA21CD"] for r in csv.DictReader(handle) if r["LAD23CD"] == DERBY}
    name = re.compile(r"^Derby \d{3}[A-Z]$")
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA code"] in codes or name.match(row["LSOA name"]):
                    counts[(row["Month"], row["Crime type"])] += 1
    return counts
