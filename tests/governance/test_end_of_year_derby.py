"""The end-of-year report on the real Derby data (police.uk 2023-2024, imported once for
the module): recorded crime against target for 2024/25 and what the cost of crime can
and cannot cost from police.uk categories."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhub.governance import end_of_year as eoy
from saferhub.performance.models import Measurement
from tests.governance import factories as f
from tests.performance.conftest import derby_performance  # noqa: F401  (the shared import)

pytestmark = pytest.mark.django_db


def test_recorded_crime_and_its_cost_from_the_real_data(
    derby_performance: dict[str, int],  # noqa: F811
    make_user: Any,
) -> None:
    year = f.year("2024–25", starts=dt.date(2024, 4, 1))
    report = eoy.end_of_year_report(user=make_user("viewer"), year=year)
    rows = {r[1]: r for r in report.crime}
    assert set(rows) == {
        "Serious acquisitive crime rate",
        "Violence rate",
        "Criminal damage and arson",
        "ASB incidents",
    }
    damage = Measurement.objects.get(
        indicator_id=derby_performance["Criminal damage and arson"], period="2024", archived_at=None
    )
    # The indicators are measured by calendar year: 2024 is the one ending in 2024/25.
    assert rows["Criminal damage and arson"][3] == f"{int(damage.value):,} (2024)"
    assert rows["Criminal damage and arson"][2].endswith("(2023)")
    # police.uk's "Criminal damage and arson" mixes arson and other damage (different unit
    # costs) and ASB has none: both are named, nothing is costed, and rates are not counts.
    assert [r.indicator for r in report.cost.rows] == ["Criminal damage and arson", "ASB incidents"]
    assert report.cost.total == 0
    assert report.cost.rows[0].count == int(damage.value)
    assert (
        "Criminal damage and arson (Criminal damage and arson: the police.uk category mixes"
        in (report.cost.missing[0])
    )
    assert report.cost.missing[1].startswith("ASB incidents (Anti-social behaviour:")
