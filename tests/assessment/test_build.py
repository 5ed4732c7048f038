"""The assessment's figures, checked against an independent count of the raw files."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from saferhub.assessment.build import (
    THEMES,
    all_tables,
    build_assessment,
    content_hash,
    make_period,
)
from tests.assessment.factories import empty_assessment, small_area


def _raw(counts: Counter[tuple[str, str]], months: list[str], types: tuple[str, ...]) -> int:
    return sum(n for (month, kind), n in counts.items() if month in months and kind in types)


def _months(first: str, last: str) -> list[str]:
    import pandas as pd

    return [str(p) for p in pd.period_range(first, last, freq="M")]


def test_default_period_is_the_latest_twelve_months_against_the_twelve_before(
    derby: dict[str, Any],
) -> None:
    assert derby["period"]["from"] == "2024-01"
    assert derby["period"]["to"] == "2024-12"
    assert derby["period"]["before_from"] == "2023-01"
    assert derby["period"]["before_to"] == "2023-12"
    assert derby["area"] == {
        "code": "E06000015",
        "name": "Derby",
        "kind": "community safety partnership area (local authority)",
    }


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
def test_theme_counts_match_the_raw_csv_files(
    derby: dict[str, Any], raw_derby_counts: Counter[tuple[str, str]], theme: Any
) -> None:
    section = next(t for t in derby["themes"] if t["key"] == theme.key)
    after = _raw(raw_derby_counts, _months("2024-01", "2024-12"), theme.crime_types)
    before = _raw(raw_derby_counts, _months("2023-01", "2023-12"), theme.crime_types)
    assert section["volume"] == {"after": after, "before": before}
    assert after > 0 and before > 0
    trend = next(t for t in section["tables"] if t["key"] == f"{theme.key}_trend")
    for month, count, *_ in trend["rows"]:
        assert count == _raw(raw_derby_counts, [month], theme.crime_types), month


def test_all_crime_excludes_asb_and_the_ward_table_adds_up(
    derby: dict[str, Any], raw_derby_counts: Counter[tuple[str, str]]
) -> None:
    months = _months("2024-01", "2024-12")
    everything = sum(n for (m, _), n in raw_derby_counts.items() if m in months)
    asb = _raw(raw_derby_counts, months, ("Anti-social behaviour",))
    themes = {t["key"]: t for t in derby["themes"]}
    assert themes["all_crime"]["volume"]["after"] == everything - asb
    ward_by_type = next(t for t in derby["partnership_tables"] if t["key"] == "ward_by_type")
    assert ward_by_type["rows"][-1][0] == "Total"
    assert ward_by_type["rows"][-1][-1] == everything
    assert len(ward_by_type["rows"]) == 18 + 1  # Derby's 18 wards and the total


def test_rate_change_and_peers_are_consistent(derby: dict[str, Any]) -> None:
    violence = next(t for t in derby["themes"] if t["key"] == "violence")
    population = derby["context"]["population"]["value"]
    assert violence["rate"]["value"] == pytest.approx(
        1000 * violence["volume"]["after"] / population, abs=0.01
    )
    change = violence["change"]
    assert change["percent_change"] == pytest.approx(
        100 * (change["after"] - change["before"]) / change["before"], abs=0.05
    )
    assert 0 <= change["p_value"] <= 1
    assert change["significant"] == (change["p_value"] < 0.05)
    peers = next(t for t in derby["peers"]["tables"] if t["key"] == "peers_violence")
    assert len(peers["rows"]) == 9
    derby_row = next(r for r in peers["rows"] if r[0] == "Derby")
    assert derby_row[1] == violence["volume"]["after"]
    ranks = sorted(r[5] for r in peers["rows"])
    assert ranks[0] == 1


def test_summary_splits_significant_and_not_and_recommends_priorities(
    derby: dict[str, Any],
) -> None:
    summary = derby["summary"]
    tested = {c["theme"] for c in summary["significant"] + summary["not_significant"]}
    assert tested == {t["title"] for t in derby["themes"]}
    assert all(c["p_value"] < 0.05 for c in summary["significant"])
    assert all(c["p_value"] >= 0.05 for c in summary["not_significant"])
    assert 1 <= len(summary["priorities"]) <= 3
    assert all(p["calculation"].startswith("score ") for p in summary["priorities"])
    assert all("records this period" in p["reason"] for p in summary["priorities"])
    matrix = derby["prioritisation"]["table"]["rows"]
    assert [p["issue"] for p in summary["priorities"]] == [r[1] for r in matrix[:3]]


def test_hotspots_map_and_context(derby: dict[str, Any]) -> None:
    context = derby["context"]
    assert context["lsoas"] == 152
    assert context["wards"] == 18
    assert context["coverage"]["missing_months"] == []
    assert context["coverage"]["recoded_2011_rows"] > 0  # Derby 013F, split in 2021
    assert len(derby["boundaries"]["features"]) == 152
    all_crime = derby["themes"][0]
    assert set(all_crime["map"]) == {
        f["properties"]["lsoa"] for f in derby["boundaries"]["features"]
    }
    assert sum(v[0] for v in all_crime["map"].values()) == all_crime["volume"]["after"]
    assert all_crime["hotspots"]["hot_spot_lsoas"] > 0
    top = next(t for t in all_crime["tables"] if t["key"] == "all_crime_hotspots")
    assert len(top["rows"]) == 10
    assert top["rows"][0][3] == max(v[0] for v in all_crime["map"].values())


def test_caveats_methods_and_attribution(derby: dict[str, Any]) -> None:
    text = " ".join(derby["caveats"])
    for phrase in (
        "snap points",
        "no location",
        "counted apart from crime",
        "2011 to 2021",
        "No partner data",
    ):
        assert phrase in text
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in derby["attribution"]
    )
    assert {m["topic"] for m in derby["methods"]} >= {"Rates", "Change", "Trend", "Hot spots"}
    for tbl in all_tables(derby):
        assert tbl["method"], tbl["key"]
        assert tbl["source"], tbl["key"]


def test_the_data_is_json_and_reproducible(derby: dict[str, Any]) -> None:
    assert json.loads(json.dumps(derby, allow_nan=False)) == derby
    again = build_assessment("E06000015", source="files")
    assert content_hash(again) == content_hash(derby)
    sources = derby["provenance"]["sources"]
    assert len([s for s in sources if s["path"].startswith("police_uk/")]) == 24
    assert all(len(s["sha256"]) == 64 for s in sources)
    assert {r["name"] for r in derby["provenance"]["reference_tables"]} >= {"unit_costs_heeks_2018"}


def test_an_area_with_no_data_says_so_in_every_section() -> None:
    data = empty_assessment()
    for theme in data["themes"]:
        assert theme["has_data"] is False
        assert theme["volume"] == {"after": 0, "before": 0}
        assert theme["change"] is None
        assert any("no data" in note for note in theme["notes"]), theme["key"]
    assert data["summary"]["priorities"] == []
    assert data["prioritisation"]["table"]["rows"] == []
    assert data["partner_themes"]["note"] == "No partner data has been imported for this area."
    assert len(data["context"]["coverage"]["missing_months"]) == 24
    assert json.loads(json.dumps(data, allow_nan=False)) == data


@pytest.mark.slow  # builds from the real month files
def test_months_with_no_data_are_reported_not_failed(data_dir: Any) -> None:
    data = build_assessment("Derby", first_month="2024-07", last_month="2025-06", source="files")
    assert data["context"]["coverage"]["missing_months"] == _months("2025-01", "2025-06")
    all_crime = data["themes"][0]
    assert all_crime["change"]["months_after"] == 6
    assert all_crime["change"]["months_before"] == 12
    assert any("2025-01" in c for c in data["caveats"])
    beyond = build_assessment("Derby", first_month="2025-01", last_month="2025-12", source="files")
    assert all(t["change"] is None for t in beyond["themes"])
    assert all(t["volume"]["after"] == 0 for t in beyond["themes"])


def test_a_small_area_with_records_gets_every_section() -> None:
    import pandas as pd

    rows = []
    for i, month in enumerate(_months("2023-01", "2024-12")):
        for j in range(3 + i % 4):
            rows.append(
                {
                    "crime_id": f"c{i}-{j}",
                    "month": month,
                    "longitude": -1.495,
                    "latitude": 52.905,
                    "location": "On or near High Street",
                    "lsoa": "E01900001" if j % 2 else "E01900002",
                    "lsoa_as_reported": "E01900001" if j % 2 else "E01900002",
                    "crime_type": "Shoplifting" if j % 3 else "Drugs",
                    "outcome": "Under investigation",
                }
            )
    data = build_assessment("Testshire", inputs=small_area(pd.DataFrame(rows)))
    shoplifting = next(t for t in data["themes"] if t["key"] == "shoplifting")
    assert shoplifting["volume"]["after"] > 0
    assert shoplifting["repeat_locations"]["repeat_locations"] >= 1
    asb = next(t for t in data["themes"] if t["key"] == "asb")
    assert asb["volume"]["after"] == 0
    assert asb["change"] is None or asb["change"]["after"] == 0


def test_period_must_be_given_in_full_and_in_order() -> None:
    with pytest.raises(ValueError, match="both"):
        make_period([], "2024-01", None)
    with pytest.raises(ValueError, match="before it starts"):
        make_period([], "2024-05", "2024-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        make_period([], "May 2024", "2024-06")


@pytest.mark.slow  # builds from the real month files
def test_the_family_can_be_chosen(data_dir: Any) -> None:
    family = ["E06000015", "E07000032", "E07000036"]  # Derby, Amber Valley, Erewash
    data = build_assessment(
        "Derby", first_month="2024-12", last_month="2024-12", source="files", family=family
    )
    peers = next(t for t in data["peers"]["tables"] if t["key"] == "peers_all_crime")
    assert sorted(r[0] for r in peers["rows"]) == ["Amber Valley", "Derby", "Erewash"]
    assert "Amber Valley" in data["peers"]["family"]
    with pytest.raises(ValueError, match="Family areas not in the data: E99999999"):
        build_assessment("Derby", source="files", family=["E99999999"])


def test_asb_2024_11_is_a_gap_and_change_is_per_month_of_data(
    derby: dict[str, Any], data_dir: Any
) -> None:
    """police.uk published 2024-11 with no ASB rows: a gap (as on the scorecard), not a zero.

    The change figure is checked against pandas alone on the CSV files: Derby's rows are
    those in Derby's 2021 LSOAs or named "Derby NNNX" (a retired 2011 code).
    """
    import pandas as pd

    from tests.assessment.conftest import DERBY, LOOKUP

    lookup = pd.read_csv(data_dir / LOOKUP, dtype=str, encoding="utf-8-sig")
    codes = set(lookup.loc[lookup["LAD23CD"] == DERBY, "LSOA21CD"])
    frames = [
        pd.read_csv(p, dtype=str, usecols=["Month", "LSOA code", "LSOA name", "Crime type"])
        for p in sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))
    ]
    rows = pd.concat(frames, ignore_index=True)
    derby_rows = rows[
        rows["LSOA code"].isin(codes)
        | rows["LSOA name"].fillna("").str.fullmatch(r"Derby \d{3}[A-Z]")
    ]
    asb = derby_rows[derby_rows["Crime type"] == "Anti-social behaviour"]
    monthly = asb.groupby("Month").size()
    this_months = [m for m in _months("2024-01", "2024-12") if monthly.get(m, 0) > 0]
    before_months = [m for m in _months("2023-01", "2023-12") if monthly.get(m, 0) > 0]
    assert len(this_months) == 11 and len(before_months) == 12  # 2024-11 has none
    rate_this = monthly[this_months].sum() / len(this_months)
    rate_before = monthly[before_months].sum() / len(before_months)
    expected = round(100 * (rate_this / rate_before - 1), 1)

    theme = next(t for t in derby["themes"] if t["key"] == "asb")
    assert theme["gaps"] == ["2024-11"]
    assert theme["change"]["months_after"] == 11 and theme["change"]["months_before"] == 12
    assert theme["change"]["percent_change"] == expected
    trend = next(t for t in theme["tables"] if t["key"] == "asb_trend")
    assert "2024-11" not in [r[0] for r in trend["rows"]]  # SPC leaves the gap out
    assert "2024-11" in trend["method"]
    for t in theme["tables"]:  # named in every table of the theme
        assert "2024-11" in t["method"], t["key"]
    assert derby["context"]["coverage"]["gaps"] == {"Anti-social behaviour": ["2024-11"]}
    assert any("2024-11" in c and "Gap" in c for c in derby["caveats"])
    assert not any("No months are missing" in c for c in derby["caveats"])
    changes = next(t for t in derby["summary"]["tables"] if t["key"] == "summary_changes")
    asb_row = next(r for r in changes["rows"] if r[0] == theme["title"])
    assert asb_row[4] == "2024-11"
    # Other themes have no gap.
    assert all(not t["gaps"] for t in derby["themes"] if t["key"] != "asb")


def test_each_theme_has_an_estimated_severity_rate_and_harm_is_prioritised(
    derby: dict[str, Any],
) -> None:
    for theme in derby["themes"]:
        harm = theme["harm"]
        if theme["key"] == "asb":  # no weight: named, never 0
            assert harm["css_per_1000"] is None
            assert harm["unweighted_categories"] == ["Anti-social behaviour"]
        else:
            assert harm["css_per_1000"] > 0 and "estimate" in harm["css_note"]
    assert derby["context"]["severity"]["force"]  # the mix of the force that reported
    matrix = derby["prioritisation"]["table"]
    assert "Harm points" in matrix["columns"] and "harm" in derby["prioritisation"]["weights"]
    asb = next(r for r in matrix["rows"] if r[1] == "Anti-social behaviour")
    assert asb[matrix["columns"].index("Estimated severity-weighted rate per 1,000")] is None
