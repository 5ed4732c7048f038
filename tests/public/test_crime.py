"""Crime and ASB by ward: police.uk counts in full, partner counts only from 5 upwards."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import translation

from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.models import Category, MonthlyCount
from saferhub.public.selectors import published_count
from tests.public.test_pages import _english_left

pytestmark = pytest.mark.django_db

CSP = "E99000001"


def test_small_count_rule() -> None:
    with translation.override("en-gb"):
        assert published_count(None) is None
        assert published_count(0) == 0
        assert [published_count(n) for n in (1, 4)] == ["fewer than 5"] * 2
        assert published_count(5) == 5 and published_count(120) == 120
    with translation.override("cy"):
        assert published_count(3) == "llai na 5"


def _square(i: int) -> str:
    """A ward's boundary: a small square, the second north of the first."""
    x0, y0 = -1.5, 52.9 + 0.01 * i
    ring = [[x0, y0], [x0 + 0.01, y0], [x0 + 0.01, y0 + 0.01], [x0, y0 + 0.01], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def area(settings: Any) -> Area:
    settings.SAFERHUB_PUBLIC_AREA = CSP
    csp = Area.objects.create(code=CSP, name="Testshire", level="csp")
    for i, (ward, name) in enumerate((("E99000011", "North Ward"), ("E99000012", "South Ward"))):
        ward_area = Area.objects.create(code=ward, name=name, level="ward", geometry=_square(i))
        csp.members.add(ward_area)
        Lsoa.objects.create(
            code=ward.replace("E99", "E01"),
            name=f"{name} 001",
            ward_code=ward,
            ward_name=name,
            lad_code=CSP,
            lad_name="Testshire",
        )
    asb = Category.objects.get_or_create(name="Anti-social behaviour")[0]
    burglary = Category.objects.get_or_create(name="Burglary")[0]
    partner = Category.objects.create(name="Fire: deliberate small fires", source="fire")
    month = dt.date(2024, 5, 1)
    # The force-level aggregate says which months the source holds.
    MonthlyCount.objects.create(
        level="force", area_code="E23000018", category=burglary, month=month, count=30
    )
    for ward, (n_asb, n_burglary, n_partner) in {
        "E99000011": (7, 3, 2),
        "E99000012": (1, 0, 9),
    }.items():
        for category, count in ((asb, n_asb), (burglary, n_burglary), (partner, n_partner)):
            if count:
                MonthlyCount.objects.create(
                    level="ward", area_code=ward, category=category, month=month, count=count
                )
    return csp


def test_wards_with_counts_and_partner_counts_below_5_hidden(client: Any, area: Area) -> None:
    html = client.get("/public/crime/").content.decode()
    assert "North Ward" in html and "South Ward" in html
    assert "fewer than 5" in html  # North Ward's 2 fire incidents
    data = json.loads(client.get("/public/crime/download.json").content)
    rows = {r[2]: r for r in data["rows"]}
    assert rows["North Ward"][3:] == ["2024-05", 10, 7, "fewer than 5"]
    assert rows["South Ward"][3:] == ["2024-05", 1, 1, 9]  # police.uk counts shown in full
    assert "llai na 5" in client.get("/cy/public/crime/").content.decode()


def test_no_area_set_says_not_yet_published(client: Any, settings: Any) -> None:
    settings.SAFERHUB_PUBLIC_AREA = ""
    assert "Not yet published." in client.get("/public/crime/").content.decode()
    assert client.get("/public/crime/download.csv").status_code == 404


def test_a_map_of_the_wards_with_the_same_figures_as_its_table(client: Any, area: Area) -> None:
    html = client.get("/public/crime/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    # One shape per ward of the partnership's own boundaries, named with its count.
    assert svg.count("<path") == 2
    assert "<title>North Ward: 10</title>" in svg and "<title>South Ward: 1</title>" in svg
    assert "May 2024" in svg  # the month it maps
    # The table after it holds the same figures (the map's fallback without JavaScript).
    table = html[html.index("</svg>") :]
    assert "North Ward" in table and "May 2024" in table
    assert "<script" not in svg  # drawn on the server: no JavaScript needed


def test_welsh_crime_page_names_the_month_in_welsh(client: Any, area: Area) -> None:
    html = client.get("/cy/public/crime/").content.decode()
    assert "Mai 2024" in html and "May 2024" not in html
    assert "po dywyllaf yr ardal" in html  # the map's caption
    assert _english_left(html) == []
