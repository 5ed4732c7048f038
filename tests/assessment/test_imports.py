"""The assessment built from records imported with the incidents app's importer.

Four months are imported once for the module (September to December 2024); the
assessment of November-December against September-October must give the same counts as
the assessment built from the files, and as a count of the raw CSV files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saferhub.assessment.build import build_assessment
from tests.geography.conftest import wipe_geography
from tests.incidents.conftest import wipe_incidents

MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12"]

pytestmark = pytest.mark.django_db


def _default_taxonomy() -> None:
    """The migrated taxonomy, again: a transactional test elsewhere may have flushed it."""
    import importlib

    from django.apps import apps

    importlib.import_module("saferhub.incidents.migrations.0002_default_taxonomy").load(apps, None)


@pytest.fixture(scope="module")
def imported(
    national_geography: Any, django_db_blocker: Any, data_dir: Path
) -> Iterator[dict[str, Any]]:
    from saferhub.incidents.services import police_uk_import
    from tests.national import restore_geography

    folder = data_dir / "police_uk" / "derbyshire"
    with django_db_blocker.unblock():
        wipe_incidents()  # start from no imports, whatever an earlier module left behind
        _default_taxonomy()
        restore_geography(national_geography)
        police_uk_import(actor="test", paths=[folder / m for m in MONTHS])
        data = build_assessment(
            "E06000015", first_month="2024-11", last_month="2024-12", source="imports"
        )
    yield data
    with django_db_blocker.unblock():
        wipe_incidents()
        wipe_geography()


@pytest.fixture(scope="module")
def from_files(data_dir: Path) -> dict[str, Any]:
    return build_assessment(
        "E06000015", first_month="2024-11", last_month="2024-12", source="files"
    )


def test_counts_from_imports_match_the_raw_files(
    imported: dict[str, Any], raw_derby_counts: Counter[tuple[str, str]]
) -> None:
    assert imported["area"]["code"] == "E06000015"
    assert imported["provenance"]["inputs"].startswith("records imported")
    for theme in imported["themes"]:
        types = set(theme["crime_types"])
        after = sum(n for (m, t), n in raw_derby_counts.items() if m in MONTHS[2:] and t in types)
        before = sum(n for (m, t), n in raw_derby_counts.items() if m in MONTHS[:2] and t in types)
        assert theme["volume"] == {"after": after, "before": before}, theme["key"]


def test_imports_and_files_give_the_same_figures(
    imported: dict[str, Any], from_files: dict[str, Any]
) -> None:
    for a, b in zip(imported["themes"], from_files["themes"], strict=True):
        assert a["volume"] == b["volume"], a["key"]
        assert a["map"] == b["map"], a["key"]
        trend_a = next(t for t in a["tables"] if t["key"].endswith("_trend"))
        trend_b = next(t for t in b["tables"] if t["key"].endswith("_trend"))
        assert [r[:2] for r in trend_a["rows"]] == [r[:2] for r in trend_b["rows"]]
    assert imported["context"]["lsoas"] == from_files["context"]["lsoas"] == 152
    assert imported["context"]["wards"] == 18
    assert len(imported["boundaries"]["features"]) == 152
    batches = imported["provenance"]["sources"]
    assert len(batches) == 4 and all(len(b["sha256"]) == 64 for b in batches)
    # Derby's family is national; with only its own force's records held, no other
    # member has data (never a rate from a neighbour's few cross-border records), so
    # no comparison is made and the page says so.
    assert [t["key"] for t in imported["peers"]["tables"]] == ["peers_summary"]
    assert imported["peers"]["tables"][0]["rows"] == []
    assert "No data held for: " in imported["peers"]["family"]
    assert "No other member of the family has data held" in imported["peers"]["tables"][0]["empty"]


def test_the_asb_gap_is_the_scorecards_gap(imported: dict[str, Any]) -> None:
    """The assessment and the performance scorecard ask one rule about 2024-11's ASB."""
    import pandas as pd

    from saferhub.performance import sources
    from saferhub.performance.periods import ReportingPeriod

    period = ReportingPeriod(
        "2024-09 to 2024-12", "month", pd.Period("2024-09", "M"), pd.Period("2024-12", "M")
    )
    scorecard = sources.period_count(
        area_code="E06000015", categories=["Anti-social behaviour"], period=period
    )
    asb = next(t for t in imported["themes"] if t["key"] == "asb")
    assert scorecard.gaps == asb["gaps"] == ["2024-11"]
    assert asb["change"]["months_after"] == 1 and asb["change"]["months_before"] == 2
    assert imported["context"]["coverage"]["gaps"] == {"Anti-social behaviour": ["2024-11"]}


def test_the_api_lists_the_asb_gap_not_a_zero(imported: dict[str, Any], client_as: Any) -> None:
    """The monthly-counts API asks the same rule: 2024-11's ASB is a gap, not a zero."""
    client = client_as("analyst")
    rows = client.get("/api/data/monthly-counts/?level=lad&area=E06000015&theme=asb").json()
    months = {r["month"][:7]: r for r in rows}
    assert sorted(months) == MONTHS
    assert months["2024-11"] == {
        "area_code": "E06000015",
        "theme": "asb",
        "category": "Anti-social behaviour",
        "month": "2024-11-01",
        "count": None,
        "gap": True,
    }
    assert all(r["count"] > 0 and r["gap"] is False for m, r in months.items() if m != "2024-11")
    violence = client.get(
        "/api/data/monthly-counts/?level=lad&area=E06000015&theme=violence"
    ).json()
    assert violence and not any(r["gap"] for r in violence)


def test_the_assessment_reads_only_its_own_months_and_area(imported: dict[str, Any]) -> None:
    """Every read of the incident table is limited to the months and the area's
    local authorities in the database, so other forces held do not slow it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        data = build_assessment(
            "E06000015", first_month="2024-12", last_month="2024-12", source="imports"
        )
    assert data["period"]["before_from"] == "2024-11"
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "incidents_incident"' in q["sql"]]
    assert reads
    for sql in reads:
        assert '"incidents_incident"."lad_code"' in sql, sql
        if "partner:" not in sql:  # partner rows (few) are read for every month
            assert '"incidents_incident"."month" >= ' in sql and "2024-11-01" in sql, sql
    counts = [
        q["sql"] for q in queries.captured_queries if 'FROM "incidents_monthlycount"' in q["sql"]
    ]
    for sql in counts:
        if "DISTINCT" not in sql:  # the months held, read once to choose the period
            assert "2024-11-01" in sql and '"area_code" IN' in sql, sql
