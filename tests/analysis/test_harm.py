"""Harm and cost: reference tables, uprating, the South Derbyshire Table 3."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saferhub.analysis import (
    REFERENCE_TABLES,
    cost_of_crime,
    crime_severity_score,
    load_reference,
    uprate,
)

# South Derbyshire Crime and Disorder Partnership, end-of-year report 2002/03,
# Table 3 "costs of crime in South Derbyshire 2002/03": counts per row of the
# unit-cost table, and the report's printed totals per crime type.
SD_COUNTS = {
    "Burglary dwelling": 396,
    "Burglary non dwelling": 719,
    "Criminal damage": 1170,
    "Theft": 357 + 14 + 888,  # fraud + handling + other theft, printed total 1259
    "Theft from a shop": 154,
    "Theft from a vehicle": 656,
    "Vehicle theft": 270,
    "Sex offence": 59,
    "Robbery": 41,
    "Assault": 898,
}
SD_CRIME_TYPE = {
    "Burglary dwelling": "Burglary Dwelling",
    "Burglary non dwelling": "Burglary Non Dwelling",
    "Criminal damage": "Criminal Damage",
    "Theft": "Theft",
    "Theft from a shop": "Theft from a shop",
    "Theft from a vehicle": "Vehicle Crime",
    "Vehicle theft": "Vehicle Crime",
    "Sex offence": "Violent Crime",
    "Robbery": "Violent Crime",
    "Assault": "Violent Crime",
}
SD_PRINTED_TOTALS = {
    "Burglary Dwelling": 910_800,
    "Burglary Non Dwelling": 1_941_300,
    "Criminal Damage": 596_700,
    "Theft": 428_060,
    "Theft from a shop": 15_400,
    "Vehicle Crime": 463_340,
    "Violent Crime": 17_964_000,
}
SD_PRINTED_GRAND_TOTAL = 22_319_600


def sd_costs() -> pd.DataFrame:
    counts = pd.DataFrame({"group": list(SD_COUNTS), "n": list(SD_COUNTS.values())})
    return cost_of_crime(
        counts,
        group_col="group",
        count_col="n",
        unit_costs=load_reference("unit_costs_south_derbyshire_2002_03"),
    )


def test_reproduces_south_derbyshire_table_3() -> None:
    out = sd_costs()
    assert out["unit_cost_gbp"].notna().all()
    by_type = out.groupby(out["offence_group"].map(SD_CRIME_TYPE))["total_cost_gbp"].sum()
    for crime_type, printed in SD_PRINTED_TOTALS.items():
        if crime_type == "Violent Crime":
            continue
        assert by_type[crime_type] == printed, crime_type  # exact, in pounds
    # The report's own arithmetic: 19,000 x 59 + 4,700 x 41 + 18,540 x 898 is
    # 17,962,620, not the printed 17,964,000 (a £1,380 slip in the source);
    # its grand total is the sum of its printed rows.
    assert by_type["Violent Crime"] == 17_962_620
    assert SD_PRINTED_TOTALS["Violent Crime"] - by_type["Violent Crime"] == 1_380
    assert sum(SD_PRINTED_TOTALS.values()) == SD_PRINTED_GRAND_TOTAL
    assert out.attrs["total_cost_gbp"] == SD_PRINTED_GRAND_TOTAL - 1_380
    assert out.attrs["uncosted_groups"] == []


@pytest.mark.parametrize("name", sorted(REFERENCE_TABLES))
def test_reference_tables_have_source_and_say_why_a_figure_is_missing(name: str) -> None:
    table = load_reference(name)
    assert len(table) > 0
    assert table["note"].notna().all()
    if "unit_cost_gbp" in table.columns:
        assert table["source"].str.len().gt(0).all()
        assert table["price_year"].str.match(r"^\d{4}/\d{2,4}$").all()
        empty = table["unit_cost_gbp"].isna()
        assert table.loc[empty, "note"].str.contains("Not found|not found").all()
        assert (table.loc[~empty, "unit_cost_gbp"] > 0).all()
    if "weight" in table.columns:
        empty = table["weight"].isna()
        assert table.loc[empty, "note"].str.contains("Not found|not found").all()


def test_heeks_figures_found_are_as_published() -> None:
    table = load_reference("unit_costs_heeks_2018").set_index("offence_group")
    assert (table["price_year"] == "2015/16").all()
    # figures found (report's Table 1, via a press transcription)
    found = {
        "Violence with injury": 14050,
        "Rape": 39360,
        "Robbery": 11320,
        "Theft of vehicle": 10290,
        "Arson": 8420,
        "Other sexual offences": 6520,
        "Theft from vehicle": 870,
        "Criminal damage (excluding arson)": 1350,
    }
    for group, value in found.items():
        assert table.at[group, "unit_cost_gbp"] == value
    # not found: left empty, never rounded or guessed
    assert np.isnan(table.at["Homicide", "unit_cost_gbp"])
    assert np.isnan(table.at["Domestic burglary", "unit_cost_gbp"])


def test_uprating_by_supplied_index() -> None:
    table = load_reference("unit_costs_heeks_2018")
    up = uprate(table, index_ratio=1.25, to_price_year="2023/24")
    found = table["unit_cost_gbp"].notna()
    np.testing.assert_allclose(
        up.loc[found, "uprated_cost_gbp"], 1.25 * table.loc[found, "unit_cost_gbp"]
    )
    assert up.loc[~found, "uprated_cost_gbp"].isna().all()
    assert (up["uprated_price_year"] == "2023/24").all()
    counts = pd.DataFrame({"g": ["Rape", "Homicide"], "n": [2, 1]})
    cost = cost_of_crime(
        counts, group_col="g", count_col="n", unit_costs=up, cost_col="uprated_cost_gbp"
    )
    assert cost.attrs["total_cost_gbp"] == pytest.approx(2 * 39360 * 1.25)
    assert cost.attrs["uncosted_groups"] == ["Homicide"]
    assert (cost["price_year"] == "2023/24").all()
    with pytest.raises(ValueError):
        uprate(table, index_ratio=0, to_price_year="x")


def test_unknown_group_is_reported_not_dropped() -> None:
    counts = pd.DataFrame({"g": ["Robbery", "Robbery", "Unicorn theft"], "n": [1, 2, 5]})
    out = cost_of_crime(
        counts, group_col="g", count_col="n", unit_costs=load_reference("unit_costs_heeks_2018")
    )
    robbery = out.set_index("offence_group").loc["Robbery"]
    assert robbery["count"] == 3 and robbery["total_cost_gbp"] == 3 * 11320
    assert out.attrs["uncosted_count"] == 5
    assert (
        "not in the unit-cost table" in out.set_index("offence_group").at["Unicorn theft", "note"]
    )


def test_crime_severity_score_with_supplied_weights() -> None:
    # weights supplied by the caller (illustrative numbers, not ONS figures)
    weights = pd.DataFrame({"code": ["A", "B", "C"], "weight": [100.0, 10.0, 1.0]})
    counts = pd.DataFrame({"code": ["A", "B", "C", "D"], "n": [1, 5, 50, 7]})
    out = crime_severity_score(
        counts,
        group_col="code",
        count_col="n",
        weights=weights,
        weight_group_col="code",
        population=20_000,
    )
    assert out.attrs["total_harm"] == pytest.approx(100 + 50 + 50)
    assert out.attrs["css"] == pytest.approx(1000 * 200 / 20_000)
    assert out.attrs["unweighted_offences"] == ["D"]
    assert out["css_contribution"].sum() == pytest.approx(out.attrs["css"])


def test_police_uk_mapping_covers_every_crime_type_and_matches_ho_subgroups(
    shared_data: Path, police_uk_dir: Path
) -> None:
    mapping = load_reference("police_uk_offence_groups")
    sample = pd.read_csv(police_uk_dir / "2024-06" / "2024-06-derbyshire-street.csv")
    assert set(sample["Crime type"]) <= set(mapping["police_uk_crime_type"])
    assert mapping["police_uk_crime_type"].nunique() == 14
    ho = pd.read_csv(shared_data / "reference" / "offence_classification" / "CrimeCatMappings.csv")
    ho_subgroups = set(ho["Offence_Subgroup"])
    mapped = mapping["offence_subgroup"].dropna()
    unknown = {s for s in mapped if s not in ho_subgroups and s != "Fraud"}
    assert unknown == set()
    costs = load_reference("unit_costs_heeks_2018")
    targets = set(mapping["cost_group_heeks_2018"].dropna())
    assert targets <= set(costs["offence_group"])


def test_shipped_severity_weights() -> None:
    weights = load_reference("crime_severity_weights")
    assert weights["offence_code"].is_unique
    found = weights[weights["weight"].notna()]
    # the violence weights that could be found, e.g. homicide 7,979
    assert len(found) == 26
    assert found.set_index("offence")["weight"]["Homicide"] == 7979
    assert found["note"].str.contains("verify").all()
    assert (found["weight"] > 0).all()
    counts = pd.DataFrame({"code": ["1/4.1/4.10/4.2", "8N", "8N", "46"], "n": [1, 3, 2, 10]})
    out = crime_severity_score(
        counts,
        group_col="code",
        count_col="n",
        weights=weights,
        weight_group_col="offence_code",
        population=100_000,
    )
    assert out.attrs["total_harm"] == pytest.approx(7979 + 5 * 184)
    assert out.attrs["unweighted_offences"] == ["46"]  # shoplifting: weight not found


def test_unknown_reference_table() -> None:
    with pytest.raises(KeyError):
        load_reference("nope")


def test_cost_group_of_maps_only_one_to_one_categories() -> None:
    from saferhub.analysis.harm import cost_group_of

    mapping = load_reference("police_uk_offence_groups")
    assert cost_group_of(["Shoplifting"], mapping) == ("Shoplifting", "")
    # A Home Office offence subgroup (as partners' recorded-crime data name them).
    assert cost_group_of(["Theft from a vehicle"], mapping) == ("Theft from vehicle", "")
    group, reason = cost_group_of(["Burglary"], mapping)
    assert group is None and "mixes offence groups" in reason
    group, reason = cost_group_of(["Drugs"], mapping)
    assert group is None and "or has none" in reason
    group, reason = cost_group_of(["Shoplifting", "Theft from the person"], mapping)
    assert group is None and "different unit-cost groups" in reason
    group, reason = cost_group_of(["Parking"], mapping)
    assert group is None and "not a police.uk crime type or offence subgroup" in reason
    assert cost_group_of([], mapping) == (None, "no police.uk crime types")
