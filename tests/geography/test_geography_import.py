"""The geography import on the real ONS files: areas, 2011 to 2021 LSOAs, population, IMD."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from saferhub.geography import selectors
from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population
from saferhub.geography.services import FORCE_LADS, area_define, geography_import

pytestmark = pytest.mark.django_db

SPLIT = {"E01013479", "E01019472", "E01019494", "E01019512", "E01019773", "E01019835",
         "E01019881", "E01019883", "E01033531"}  # fmt: skip


def test_areas_of_the_force(geography: dict[str, int]) -> None:
    assert Lsoa.objects.count() == 35672
    force = selectors.area_get("derbyshire")
    assert force.level == "force"
    csps = selectors.areas_in(force, "csp")
    assert sorted(csps.values_list("code", flat=True)) == sorted(FORCE_LADS)
    assert selectors.area_get("Derby").level == "csp"  # the CSP wins over the LAD of that name
    assert selectors.areas_in(force, "lsoa").count() == 651
    assert selectors.areas_in(selectors.area_get("E06000015"), "lsoa").count() == 152
    assert selectors.areas_in(force, "ward").count() == 176
    assert Area.objects.filter(level="lsoa", vintage=2021).exclude(geometry="").count() == 651


def test_2011_to_2021_mapping(geography: dict[str, int]) -> None:
    split = Lsoa2011To2021.objects.filter(change="S")
    assert set(split.values_list("lsoa11_code", flat=True)) == SPLIT
    assert split.count() == 18
    for parent in SPLIT:
        kids = list(split.filter(lsoa11_code=parent).order_by("position"))
        assert len(kids) == 2 and kids[0].lsoa21_code < kids[1].lsoa21_code
        # Each child is a 2021 LSOA of the lookup, in the same local authority.
        lads = set(
            Lsoa.objects.filter(code__in=[k.lsoa21_code for k in kids]).values_list(
                "lad_code", flat=True
            )
        )
        assert len(lads) == 1 and lads <= set(FORCE_LADS)
    assert Lsoa2011To2021.objects.filter(change="U").count() == 642 - 9
    derby_013f = split.filter(lsoa11_code="E01013479").values_list("lsoa21_code", flat=True)
    assert all(Lsoa.objects.get(code=c).lad_code == "E06000015" for c in derby_013f)


def test_population_with_year_and_source(geography: dict[str, int]) -> None:
    csp = selectors.population(FORCE_LADS, "csp")
    assert len(csp) == 9
    assert set(csp["year"]) == {2015} and csp["source"].str.contains("mid-2015").all()
    census = selectors.population(None, "force", year=2011)
    # Census 2011 usual residents of the nine local authorities (sum of the 642 LSOAs).
    assert census.loc[0, "persons"] > 1_000_000 and census.loc[0, "households"] > 400_000
    # A split parent's population is shared equally among its children.
    kids = Population.objects.filter(
        area__code__in=Lsoa2011To2021.objects.filter(lsoa11_code="E01013479").values("lsoa21_code"),
        year=2011,
    )
    shares = sorted(kids.values_list("persons", flat=True))
    assert len(shares) == 2 and shares[1] - shares[0] <= 1
    assert "equal share" in kids.first().method


def test_imd_carried_to_2021(geography: dict[str, int]) -> None:
    assert Imd.objects.filter(vintage=2011).count() == 642
    frame = selectors.imd()
    assert len(frame) == 651
    for parent in SPLIT:
        decile = Imd.objects.get(lsoa_code=parent, vintage=2011).decile
        kids = frame[frame["lsoa11_code"] == parent]
        assert len(kids) == 2 and set(kids["decile"]) == {decile}


def test_boundaries_and_custom_areas(geography: dict[str, int]) -> None:
    derby = selectors.area_get("E06000015")
    wards = selectors.boundaries_geojson(derby, "ward")
    assert len(wards["features"]) == 18
    assert wards["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    hood = area_define(
        actor="test",
        level="neighbourhood",
        code="derby-city-centre",
        name="Derby city centre",
        member_codes=["E05015507", "E05015509"],
        member_level="ward",
    ).area
    assert selectors.areas_in(hood, "ward").count() == 2
    with pytest.raises(ValidationError, match="No ward of the force area with code E05999999"):
        area_define(
            actor="test",
            level="neighbourhood",
            code="x",
            name="X",
            member_codes=["E05999999"],
            member_level="ward",
        )


def test_import_again_is_idempotent(geography: dict[str, int], data_dir: Path) -> None:
    before = (
        Area.objects.count(),
        Population.objects.count(),
        Imd.objects.count(),
        Lsoa2011To2021.objects.count(),
    )
    geography_import(actor="test", data_dir=data_dir)
    assert (
        Area.objects.count(),
        Population.objects.count(),
        Imd.objects.count(),
        Lsoa2011To2021.objects.count(),
    ) == before


def test_areas_page(geography: dict[str, int], client_as: Any) -> None:
    client = client_as("viewer")
    page = client.get("/areas/")
    text = page.content.decode()
    assert page.status_code == 200 and "Amber Valley" in text and "mid-2015" in text
    detail = client.get("/areas/csp/E06000015/")
    assert detail.status_code == 200 and "Abbey" in detail.content.decode()
    csv_text = client.get("/areas/?level=lad&format=csv").content.decode()
    assert csv_text.startswith("level,code,name,population,year,source")
