"""The assessment's figures for five areas with Derbyshire and Nottinghamshire held in one
database, against an independent computation from the CSV files (pandas, scipy and
shapely alone; the placement of rows is the reference of tests/incidents/test_two_forces).

For each area and theme: the count in both periods (gap months left out), the rate per
1,000 on Census 2021 residents, change % and p (exact test per month of data), the
top-10 LSOAs and the concentration; the monthly series; the figures export; and no area
of one force names the other force unless the other force reports records there.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scipy import stats

from tests.incidents.test_two_forces import placed_rows

pytestmark = pytest.mark.django_db

AREAS = ["E06000015", "E06000018", "E22000366", "E07000171", "E07000036"]
ASB = "Anti-social behaviour"
THEMES = {  # the assessment's themes, written out again for the reference
    "all-crime": None,  # every category but ASB
    "serious-acquisitive": ("Burglary", "Robbery", "Vehicle crime"),
    "violence": ("Violence and sexual offences",),
    "criminal-damage": ("Criminal damage and arson",),
    "asb": (ASB,),
    "drugs": ("Drugs",),
    "public-order": ("Public order",),
    "shoplifting": ("Shoplifting",),
}
THIS = [f"2024-{m:02d}" for m in range(1, 13)]
BEFORE = [f"2023-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def built(two_forces: dict[str, Any], django_db_blocker: Any) -> dict[str, dict[str, Any]]:
    from saferhub.assessment.build import build_assessment

    with django_db_blocker.unblock():
        return {code: build_assessment(code, source="imports") for code in AREAS}


@pytest.fixture(scope="module")
def reference(data_dir: Path) -> dict[str, Any]:
    rows = placed_rows(data_dir)
    lookups = data_dir / "geography/lookups/national"
    lsoa = pd.read_csv(lookups / "lookup_lsoa21_ward24_ltla24.csv")
    csp = pd.read_csv(lookups / "lookup_ltla24_csp24_pfa24.csv")
    people = pd.read_csv(
        data_dir / "reference/population/census2021_usual_residents_lsoa21_EW.csv"
    ).set_index("lsoa21_code")["census2021_usual_residents"]
    return {"rows": rows, "lsoa": lsoa, "csp": csp, "people": people}


def _area_lsoas(ref: dict[str, Any], code: str) -> list[str]:
    lads = (
        [code]
        if not code.startswith("E22")
        else list(ref["csp"].loc[ref["csp"]["csp24_code"] == code, "ltla24_code"])
    )
    return sorted(ref["lsoa"].loc[ref["lsoa"]["ltla24_code"].isin(lads), "lsoa21_code"])


def _expected(ref: dict[str, Any], code: str, theme: str) -> dict[str, Any]:
    rows = ref["rows"]
    lsoas = _area_lsoas(ref, code)
    mine = rows[rows["lsoa21"].isin(lsoas)]
    cats = THEMES[theme]
    if cats is None:
        cats = tuple(sorted(set(rows["Crime type"]) - {ASB}))
    mine = mine[mine["Crime type"].isin(cats)]
    # Gap months: a category with no records in a month although its other months of the
    # two years average 10 or more.
    window = BEFORE + THIS
    gaps: set[str] = set()
    for cat in cats:
        series = mine[mine["Crime type"] == cat].groupby("Month").size()
        counts = [int(series.get(m, 0)) for m in window]
        for i, n in enumerate(counts):
            others = [c for j, c in enumerate(counts) if j != i and c]
            if n == 0 and others and sum(others) / len(others) >= 10:
                gaps.add(window[i])
    after_months = [m for m in THIS if m not in gaps]
    before_months = [m for m in BEFORE if m not in gaps]
    after = mine[mine["Month"].isin(after_months)]
    before = mine[mine["Month"].isin(before_months)]
    population = int(ref["people"].loc[lsoas].sum())
    k_a, k_b, m_a, m_b = len(after), len(before), len(after_months), len(before_months)
    test = stats.binomtest(k_a, k_a + k_b, m_a / (m_a + m_b))
    by_lsoa = after.groupby("lsoa21").size().sort_values(ascending=False)
    top_n = max(1, len(lsoas) // 10)
    return {
        "gaps": sorted(gaps),
        "this": k_a,
        "before": k_b,
        "population": population,
        "rate": 1000 * k_a / population,
        "change_pct": 100 * ((k_a / m_a) / (k_b / m_b) - 1),
        "p": test.pvalue,
        "top": by_lsoa,
        "concentration": 100 * by_lsoa.head(top_n).sum() / k_a,
        "monthly": {m: int(n) for m, n in mine.groupby("Month").size().items()},
    }


def _figures(data: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, str]]:
    from saferhub.assessment.figures import FIGURE_COLUMNS, figures_csv

    text = figures_csv(data)
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == FIGURE_COLUMNS
    return {(r["theme"], r["measure"], r["period"]): r for r in reader}


@pytest.mark.parametrize("code", AREAS)
def test_theme_figures_equal_the_reference(
    built: dict[str, dict[str, Any]], reference: dict[str, Any], code: str
) -> None:
    data = built[code]
    figures = _figures(data)
    assert {r["area_code"] for r in figures.values()} == {code}
    people = figures[("", "population", "")]
    for theme in THEMES:
        want = _expected(reference, code, theme)
        assert int(people["value"]) == want["population"], (code, "population")
        assert int(figures[(theme, "count", "this")]["value"]) == want["this"], (code, theme)
        assert int(figures[(theme, "count", "before")]["value"]) == want["before"], (code, theme)
        rate = float(figures[(theme, "rate_per_1000", "this")]["value"])
        assert rate == pytest.approx(want["rate"], abs=0.006), (code, theme)
        assert "2021" in figures[(theme, "rate_per_1000", "this")]["method"]
        change = float(figures[(theme, "change_pct", "")]["value"])
        assert change == pytest.approx(want["change_pct"], abs=0.06), (code, theme)
        p = float(figures[(theme, "change_p", "")]["value"])
        assert p == pytest.approx(want["p"], rel=1e-3, abs=1e-12), (code, theme)
        share = float(figures[(theme, "concentration_top10pct_share", "this")]["value"])
        assert share == pytest.approx(want["concentration"], abs=0.06), (code, theme)
        section = next(t for t in data["themes"] if t["key"].replace("_", "-") == theme)
        assert sorted(section.get("gaps") or []) == want["gaps"], (code, theme)
        # The top-10 LSOAs: the same counts, and the same LSOAs wherever no tie decides.
        top = next(t for t in section["tables"] if t["key"].endswith("_hotspots"))
        got = [(r[0], r[3]) for r in top["rows"]]
        counts = want["top"]
        assert [n for _, n in got] == [int(n) for n in counts.head(len(got))], (code, theme)
        cut = int(counts.iloc[min(len(got), len(counts)) - 1]) if len(got) else 0
        assert {c for c, n in got if n > cut} == set(counts[counts > cut].index), (code, theme)
        # The monthly series of the theme (the control chart's table): gap months are
        # left out, never shown as 0.
        trend = next(t for t in section["tables"] if t["key"].endswith("_trend"))
        months = [r[0] for r in trend["rows"]]
        assert not set(months) & set(want["gaps"]), (code, theme)
        assert {r[0]: r[1] for r in trend["rows"]} == {
            m: want["monthly"].get(m, 0) for m in months
        }, (code, theme)
        assert months == [m for m in BEFORE + THIS if m not in want["gaps"]], (code, theme)


def test_derby_asb_gap_is_the_scorecards(built: dict[str, dict[str, Any]]) -> None:
    asb = next(t for t in built["E06000015"]["themes"] if t["key"] == "asb")
    assert asb["gaps"] == ["2024-11"]
    figures = _figures(built["E06000015"])
    assert figures[("asb", "months_of_data", "this")]["value"] == "11"
    assert "2024-11" in figures[("asb", "count", "this")]["method"]


def test_no_area_names_a_force_that_reports_nothing_there(
    built: dict[str, dict[str, Any]], reference: dict[str, Any]
) -> None:
    import json

    from saferhub.assessment.build import all_tables

    rows = reference["rows"]
    for code, data in built.items():
        text = json.dumps([t.get("source", "") for t in all_tables(data)] + data["caveats"])
        mine = rows[rows["lsoa21"].isin(_area_lsoas(reference, code))]
        forces = set(mine["Falls within"])
        for force in ("Derbyshire Constabulary", "Nottinghamshire Police"):
            if force in text:
                assert force in forces, (code, force)
            else:
                assert force not in forces, (code, force)
    nottingham = json.dumps(built["E06000018"]["caveats"])
    assert "2,020" in nottingham
    assert "2,020" not in json.dumps(built["E06000015"]["caveats"])


def test_families_are_national(built: dict[str, dict[str, Any]]) -> None:
    for code in ("E06000015", "E06000018", "E22000366", "E07000171", "E07000036"):
        family = built[code]["peers"]["family"]
        assert "most similar partnerships" in family, code
    assert "No data held for" in built["E06000015"]["peers"]["family"]
