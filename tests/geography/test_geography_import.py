"""The national geography import on the real ONS files, checked against the files
themselves (read with pandas here, no SaferHub code in the reference)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import ValidationError

from saferhub.geography import selectors
from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population
from saferhub.geography.services import CENSUS_2021_SOURCE, area_define, geography_import

pytestmark = pytest.mark.django_db

LOOKUPS = "geography/lookups/national"
SOUTH_NOTTS = "E22000366"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        "ward": pd.read_csv(data_dir / LOOKUPS / "lookup_lsoa21_ward24_ltla24.csv"),
        "csp": pd.read_csv(data_dir / LOOKUPS / "lookup_ltla24_csp24_pfa24.csv"),
        "link": pd.read_csv(data_dir / LOOKUPS / "lookup_lsoa11_lsoa21_ltla22.csv"),
        "census": pd.read_csv(
            data_dir / "reference/population/census2021_usual_residents_lsoa21_EW.csv"
        ),
        "imd": pd.read_csv(
            data_dir / "reference/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
            thousands=",",
        ),
    }


def test_every_area_of_england_and_wales(geography: dict[str, int], files: Any) -> None:
    ward = files["ward"]
    csp = files["csp"]
    assert Lsoa.objects.count() == len(ward) == 35672
    live = Area.objects.live()
    assert live.filter(level="lsoa", vintage=2021).count() == 35672
    assert live.filter(level="lsoa").exclude(geometry="").count() == 35672
    assert live.filter(level="ward").count() == ward["ward24_code"].nunique()
    assert live.filter(level="lad").count() == ward["ltla24_code"].nunique()
    assert live.filter(level="csp").count() == csp["csp24_code"].nunique() == 314
    assert live.filter(level="force").exclude(geometry="").count() == 43
    assert set(live.filter(level="lad").values_list("code_year", flat=True)) == {2024}
    derby = selectors.area_get("E06000015")
    assert derby.level == "lad" and derby.parent.code == "E23000018"
    assert selectors.areas_in(derby, "lsoa").count() == (ward["ltla24_code"] == "E06000015").sum()
    assert 70 < derby.extent_km2 < 85  # BSC boundaries: about 78 km2


def test_a_csp_of_three_local_authorities(geography: dict[str, int], files: Any) -> None:
    csp = files["csp"]
    lads = set(csp.loc[csp["csp24_code"] == SOUTH_NOTTS, "ltla24_code"])
    area = selectors.area_get(SOUTH_NOTTS)
    assert area.level == "csp" and area.name == "South Nottinghamshire"
    assert set(area.members.values_list("code", flat=True)) == lads and len(lads) == 3
    assert area.parent.code == "E23000019"
    census = files["census"]
    expected = int(census.loc[census["ltla24_code"].isin(lads), "census2021_usual_residents"].sum())
    pop = selectors.population([SOUTH_NOTTS], "csp")
    assert pop.loc[0, "persons"] == expected
    assert pop.loc[0, "year"] == 2021 and pop.loc[0, "source"] == CENSUS_2021_SOURCE
    by_lad, _, _ = selectors.csp_for_places()
    assert {by_lad[code] for code in lads} == {SOUTH_NOTTS}


def test_older_denominators_kept_and_selectable(geography: dict[str, int]) -> None:
    derby = selectors.population(["E06000015"], "lad")
    assert derby.loc[0, "persons"] == 261334 and derby.loc[0, "year"] == 2021
    old = selectors.population(["E06000015"], "lad", year=2011)
    assert old.loc[0, "source"].startswith("Census 2011") and old.loc[0, "households"] > 90_000
    assert not selectors.population(["E06000015"], "lad", year=2015).empty


def test_2011_to_2021_links_are_the_ons_lookup(geography: dict[str, int], files: Any) -> None:
    link = files["link"]
    held = pd.DataFrame(
        list(Lsoa2011To2021.objects.values_list("lsoa11_code", "lsoa21_code", "change")),
        columns=["lsoa11_code", "lsoa21_code", "change_code"],
    )
    assert len(held) == len(link)
    assert (
        held.groupby("change_code").size().to_dict() == link.groupby("change_code").size().to_dict()
    )
    assert (held["change_code"] == "X").sum() == 9


def test_imd_carried_by_the_stated_rule(geography: dict[str, int], files: Any) -> None:
    link, imd = files["link"], files["imd"]
    rank = dict(zip(imd["LSOA code (2011)"], imd["Index of Multiple Deprivation (IMD) Rank"]))
    link = link.assign(rank=link["lsoa11_code"].map(rank)).dropna(subset=["rank"])
    expected = link.groupby("lsoa21_code")["rank"].min()  # the most deprived parent
    frame = selectors.imd().set_index("lsoa_code")
    assert len(frame) == len(expected)
    assert (frame.loc[expected.index, "rank"] == expected.astype(int)).all()
    merged = link.loc[link["change_code"] == "M", "lsoa21_code"].iloc[0]
    assert "most deprived of the merged" in Imd.objects.get(lsoa_code=merged, vintage=2021).rule


def test_unknown_code_names_the_nearest(geography: dict[str, int]) -> None:
    with pytest.raises(Area.DoesNotExist, match=r"'E06000O15'.*nearest is E06000015 \(Derby"):
        selectors.area_get("E06000O15")


def test_areas_from_anywhere_and_import_again(geography: dict[str, int], data_dir: Path) -> None:
    hood = area_define(
        actor="test",
        level="neighbourhood",
        code="nottingham-two-wards",
        name="Two Nottingham wards",
        member_codes=list(
            Lsoa.objects.filter(lad_code="E06000018").values_list("ward_code", flat=True)[:1]
        )
        + list(
            Lsoa.objects.filter(lad_code="E06000018")
            .order_by("-ward_code")
            .values_list("ward_code", flat=True)[:1]
        ),
        member_level="ward",
    ).area
    assert hood.parent.code == "E06000018"
    with pytest.raises(ValidationError, match="No ward held with code E05999999"):
        area_define(
            actor="test",
            level="neighbourhood",
            code="x",
            name="X",
            member_codes=["E05999999"],
            member_level="ward",
        )
    Area.objects.filter(level="lad", code="E06000015").update(name="Changed")
    before = (
        Area.objects.count(),
        Population.objects.count(),
        Imd.objects.count(),
        Lsoa2011To2021.objects.count(),
    )
    geography_import(actor="test", data_dir=data_dir)
    after = (
        Area.objects.count(),
        Population.objects.count(),
        Imd.objects.count(),
        Lsoa2011To2021.objects.count(),
    )
    assert after == before
    assert Area.objects.get(level="lad", code="E06000015").name == "Derby"
    hood.refresh_from_db()
    assert hood.archived_at is None and selectors.area_lsoa_codes(hood)


def test_areas_page(geography: dict[str, int], client_as: Any) -> None:
    client = client_as("viewer")
    page = client.get("/areas/")
    text = page.content.decode()
    assert page.status_code == 200 and "South Nottinghamshire" in text and "Census 2021" in text
    detail = client.get(f"/areas/csp/{SOUTH_NOTTS}/")
    assert detail.status_code == 200
    csv_text = client.get("/areas/?level=lad&format=csv").content.decode()
    assert csv_text.startswith("level,code,name,population,year,source")


def test_a_bad_lookup_is_named_and_nothing_changes(
    geography: dict[str, int], tmp_path: Path
) -> None:
    from saferhub.geography.loaders import GeographyFileError

    folder = tmp_path / "geography/lookups/national"
    folder.mkdir(parents=True)
    (folder / "lookup_lsoa21_ward24_ltla24.csv").write_text("lsoa21_code,lsoa21_name\nE01,x\n")
    before = Area.objects.count()
    with pytest.raises(GeographyFileError, match=r"lookup_lsoa21_ward24_ltla24\.csv: missing"):
        geography_import(actor="test", data_dir=tmp_path)
    assert Area.objects.count() == before
