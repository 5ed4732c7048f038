"""The family of most similar partnerships, against an independent computation from the
ONS files with pandas, shapely and pyproj alone (no SaferHub code in the reference)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from saferhub.analysis.family import most_similar

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reference(data_dir: Path) -> pd.DataFrame:
    lookups = data_dir / "geography" / "lookups" / "national"
    lsoa = pd.read_csv(lookups / "lookup_lsoa21_ward24_ltla24.csv", dtype=str)
    csp = pd.read_csv(lookups / "lookup_ltla24_csp24_pfa24.csv", dtype=str)
    people = pd.read_csv(
        data_dir / "reference" / "population" / "census2021_usual_residents_lsoa21_EW.csv",
        dtype={"lsoa21_code": str},
    )
    ruc = pd.read_csv(data_dir / "reference" / "classification" / "ruc21_lsoa21.csv", dtype=str)
    imd = pd.read_csv(
        data_dir
        / "reference"
        / "imd2019"
        / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
        thousands=",",
        encoding="utf-8-sig",
    )
    imd = imd.rename(columns={imd.columns[0]: "lsoa11_code", imd.columns[4]: "rank"})
    imd = imd.rename(columns={imd.columns[5]: "decile"})
    links = pd.read_csv(lookups / "lookup_lsoa11_lsoa21_ltla22.csv", dtype=str)
    carried = links.merge(imd[["lsoa11_code", "rank", "decile"]], on="lsoa11_code")
    # The most deprived parent (lowest rank) gives a 2021 LSOA its decile.
    carried = carried.sort_values(["lsoa21_code", "rank"]).drop_duplicates("lsoa21_code")
    decile21 = carried.set_index("lsoa21_code")["decile"]
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform
    with open(data_dir / "geography" / "national" / "lsoa2021_bsc_v4_EW.geojson") as f:
        features = json.load(f)["features"]
    km2 = {
        ft["properties"]["lsoa21_code"]: shapely.transform(
            shape(ft["geometry"]), lambda xy: np.column_stack(to_bng(xy[:, 0], xy[:, 1]))
        ).area
        / 1e6
        for ft in features
    }
    shared = csp[csp["ltla24_code"].duplicated(keep=False)]["csp24_code"]
    frame = lsoa[["lsoa21_code", "ltla24_code"]].merge(
        csp[["ltla24_code", "csp24_code"]], on="ltla24_code"
    )
    frame = frame.merge(people[["lsoa21_code", "census2021_usual_residents"]], on="lsoa21_code")
    frame = frame.merge(ruc[["lsoa21_code", "ruc"]], on="lsoa21_code")
    frame["km2"] = frame["lsoa21_code"].map(km2)
    frame["rank"] = frame["lsoa21_code"].map(decile21)
    frame["deprived"] = frame["rank"] <= 2
    frame["pop_rural"] = frame["census2021_usual_residents"].where(frame["ruc"] == "Rural", 0)
    grouped = frame.groupby("csp24_code")
    out = pd.DataFrame(
        {
            "population": grouped["census2021_usual_residents"].sum(),
            "extent_km2": grouped["km2"].sum(),
            "deprived_share": grouped["deprived"].mean(),
            "rural_share": grouped["pop_rural"].sum() / grouped["census2021_usual_residents"].sum(),
            "has_imd": grouped["rank"].apply(lambda r: r.notna().all()),
        }
    )
    out.loc[~out["has_imd"], "deprived_share"] = np.nan
    # CSPs listed under one local authority with others have no figures of their own.
    out.loc[out.index.isin(shared), ["population", "extent_km2", "rural_share"]] = np.nan
    out.loc[out.index.isin(shared), "deprived_share"] = np.nan
    out["density"] = out["population"] / out["extent_km2"]
    return out.rename_axis("code").reset_index()


def test_every_partnership_is_profiled_as_the_reference_says(
    geography: Any, reference: pd.DataFrame
) -> None:
    from saferhub.geography.family import csp_profiles

    held = csp_profiles().set_index("code")
    ref = reference.set_index("code")
    assert len(held) == 314 == len(ref)
    assert set(held.index) == set(ref.index)
    shared = ref["population"].isna()
    assert shared.sum() == held["shares_a_local_authority"].sum() == 21
    assert held.loc[shared, "population"].isna().all()
    own = ~shared
    assert (held.loc[own, "population"] == ref.loc[own, "population"]).all()
    assert np.allclose(held.loc[own, "extent_km2"], ref.loc[own, "extent_km2"], rtol=1e-3)
    assert np.allclose(held.loc[own, "rural_share"], ref.loc[own, "rural_share"], atol=1e-9)
    english = ref["deprived_share"].notna()
    assert held["deprived_share"].isna().sum() == (~english).sum() > 21  # and Welsh CSPs
    assert np.allclose(held.loc[english, "deprived_share"], ref.loc[english, "deprived_share"])


@pytest.mark.parametrize("code", ["E06000015", "E06000018", "E22000366", "E07000171"])
def test_the_family_is_the_nearest_fifteen(
    geography: Any, reference: pd.DataFrame, code: str
) -> None:
    from saferhub.geography.family import partnership_family
    from saferhub.geography.selectors import area_get

    got = partnership_family(area_get(code))
    assert got.family is not None
    home = got.home.code
    assert home.startswith("E22")
    expected = most_similar(reference, home)  # same method, on the independent figures
    assert got.codes == list(expected.members)
    assert got.codes[0] == home and len(got.codes) == 15
    assert "most similar partnerships" in got.description
    assert "Euclidean" in got.description


def test_a_welsh_partnership_is_compared_without_deprivation(geography: Any) -> None:
    from saferhub.geography.family import partnership_family
    from saferhub.geography.models import Area

    welsh = Area.objects.filter(level="csp", code__startswith="W").order_by("code").first()
    assert welsh is not None
    got = partnership_family(welsh)
    assert got.family is not None and got.codes[0] == welsh.code
    assert "IMD 2019" in got.description and "not used" in got.description


def test_named_families_and_bad_names(geography: Any) -> None:
    from saferhub.geography.family import partnership_family
    from saferhub.geography.selectors import area_get

    got = partnership_family(area_get("E06000015"), named=["E06000018", "E22000366"])
    assert got.codes == ["E22000040", "E22000257", "E22000366"]
    assert "chosen for this assessment" in got.description
    with pytest.raises(ValueError, match="E06000019X"):
        partnership_family(area_get("E06000015"), named=["E06000019X"])
    from saferhub.geography.models import Area

    ward = Area.objects.filter(level="ward").order_by("code").first()
    assert ward is not None
    alone = partnership_family(ward)
    assert alone.family is None and "not a Community Safety Partnership" in alone.reason
