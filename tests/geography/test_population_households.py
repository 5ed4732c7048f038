from __future__ import annotations

import pytest

from saferhub.geography import selectors
from saferhub.geography.models import Area, Population


@pytest.mark.django_db
def test_households_come_from_the_latest_year_that_counts_them() -> None:
    area = Area.objects.create(code="E06000015", name="Derby", level=Area.Level.LAD)
    Population.objects.create(
        area=area, year=2011, source="Census 2011", persons=248752, households=100000, method="m"
    )
    Population.objects.create(
        area=area, year=2015, source="Mid-2015", persons=253875, households=None, method="m"
    )
    row = selectors.population(["E06000015"], "lad").iloc[0]
    assert (row["year"], row["persons"]) == (2015, 253875)
    assert (row["households"], row["households_year"], row["households_source"]) == (
        100000,
        2011,
        "Census 2011",
    )
