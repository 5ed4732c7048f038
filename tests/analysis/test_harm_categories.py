"""Category weights from the ONS Crime Severity Score weights and a force's offence mix."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from saferhub.analysis.harm_categories import category_weights, force_key, severity_rate


def test_a_category_weight_is_the_mix_weighted_mean_of_its_weighted_codes() -> None:
    weights = pd.DataFrame({"code": ["1", "2", "3"], "weight": [100.0, 10.0, 1.0]})
    cats = pd.DataFrame(
        {"code": ["1", "2", "3", "4"], "category": ["Violence"] * 2 + ["Drugs"] * 2}
    )
    mix = pd.DataFrame({"code": ["1", "2", "2", "3", "4"], "count": [1, 4, 5, 0, 7]})
    out = category_weights(
        weights=weights, code_categories=cats, mix=mix, categories=["violence", "Drugs", "ASB"]
    ).set_index("category")
    assert out.at["violence", "weight"] == pytest.approx((1 * 100 + 9 * 10) / 10)
    # Drugs: its only weighted code was not recorded; the unweighted code is not a 0.
    assert (
        math.isnan(out.at["Drugs", "weight"]) and "none of its weighted" in out.at["Drugs", "note"]
    )
    assert math.isnan(out.at["ASB", "weight"]) and "no Home Office" in out.at["ASB", "note"]
    rate, without = severity_rate({"violence": 5, "ASB": 50}, {"violence": 19.0}, 1000)
    assert rate == pytest.approx(1000 * 5 * 19.0 / 1000) and without == ["ASB"]


def test_force_names_match_across_sources() -> None:
    assert force_key("Derbyshire Constabulary") == force_key("Derbyshire")
    assert force_key("City of London Police") == force_key("London, City of")
    assert force_key("Metropolitan Police Service") == force_key("Metropolitan Police")


def test_the_real_weights_give_every_police_uk_crime_category_a_weight(data_dir: Path) -> None:
    """The estimate equals a pandas computation of the three files held."""
    base = data_dir / "reference"
    w = pd.read_csv(base / "harm/ons_css_weights_extracted.csv", dtype={"code_original": str})
    join = pd.read_csv(base / "harm/ons_css_policeuk_code_join.csv", dtype=str)
    mix = pd.read_csv(base / "recorded_crime/prc-pfa-2017-18.csv", dtype=str)
    mix["n"] = pd.to_numeric(mix["Number of Offences"].str.strip())
    mix = mix[mix["Force Name"] == "Nottinghamshire"]
    got = category_weights(
        weights=w.rename(columns={"code_original": "code"}),
        code_categories=join.rename(
            columns={"ONS_COUNTS_code": "code", "POLICE_UK_CAT_MAP_category": "category"}
        ),
        mix=mix.rename(columns={"Offence Code": "code", "n": "count"}),
        categories=["Robbery", "Anti-social behaviour"],
    ).set_index("category")
    codes = join.loc[join["POLICE_UK_CAT_MAP_category"] == "Robbery", "ONS_COUNTS_code"]
    wt = w.drop_duplicates("code_original").set_index("code_original")["weight"]
    counts = mix[mix["Offence Code"].isin(codes)].groupby("Offence Code")["n"].sum()
    expected = sum(counts[c] * wt[c] for c in counts.index) / counts.sum()
    assert got.at["Robbery", "weight"] == pytest.approx(expected)
    assert math.isnan(got.at["Anti-social behaviour", "weight"])
