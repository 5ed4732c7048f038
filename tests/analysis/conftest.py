"""Shared fixtures: real Derbyshire data from the repository's sibling data folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from saferhub.analysis.grid import wgs84_to_bng

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
POLICE_DIR = DATA_DIR / "police_uk" / "derbyshire"
LSOA2011_DIR = DATA_DIR / "geography" / "lsoa2011_boundaries"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available ({path.name})")
    return path


@pytest.fixture(scope="session")
def crimes_2024() -> pd.DataFrame:
    """police.uk street-level crime for Derbyshire, 2024, with BNG x, y."""
    files = sorted(_need(POLICE_DIR).glob("2024-*/2024-*-derbyshire-street.csv"))
    if len(files) != 12:
        pytest.skip("police.uk 2024 files not complete")
    df = pd.concat(
        [pd.read_csv(f, usecols=["Month", "Longitude", "Latitude", "Crime type"]) for f in files],
        ignore_index=True,
    )
    x, y = wgs84_to_bng(df["Longitude"].to_numpy(), df["Latitude"].to_numpy())
    return df.assign(x=x, y=y)


@pytest.fixture(scope="session")
def lsoa2011() -> pd.DataFrame:
    """Derbyshire LSOA 2011 polygons (642) in BNG, sorted by code."""
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    rows = []
    for path in sorted(_need(LSOA2011_DIR).glob("*.json")):
        for feature in json.loads(path.read_text())["features"]:
            geom = shapely.geometry.shape(feature["geometry"])
            geom = shapely.transform(
                geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
            )
            rows.append({"code": feature["properties"]["LSOA11CD"], "geometry": geom})
    return pd.DataFrame(rows).sort_values("code", ignore_index=True)


@pytest.fixture(scope="session")
def lsoa_counts(lsoa2011: pd.DataFrame, crimes_2024: pd.DataFrame) -> np.ndarray:
    """2024 crime counts per LSOA 2011 polygon, by point in polygon."""
    tree = shapely.STRtree(lsoa2011["geometry"].to_numpy())
    points = shapely.points(crimes_2024["x"].to_numpy(), crimes_2024["y"].to_numpy())
    point_idx, poly_idx = tree.query(points, predicate="within")
    # a point on a shared boundary is counted once, in the first polygon
    first = np.unique(point_idx, return_index=True)[1]
    return np.bincount(poly_idx[first], minlength=len(lsoa2011)).astype(float)


#: Real public data kept beside the repository, never inside it (fixtures of the part A tests).
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
POLICE_UK = SHARED_DATA / "police_uk" / "derbyshire"


@pytest.fixture(scope="session")
def police_uk_dir() -> Path:
    if not POLICE_UK.is_dir():
        pytest.skip("shared police.uk data not available")
    return POLICE_UK


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("shared data not available")
    return SHARED_DATA
