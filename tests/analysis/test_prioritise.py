"""Prioritisation matrix."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.analysis import DEFAULT_WEIGHTS, MEASURES, prioritisation_matrix

ISSUES = pd.DataFrame(
    {
        "issue": ["Burglary", "ASB", "Domestic abuse", "Vehicle crime"],
        "volume": [400, 3000, 900, 600],
        "trend": [1, 0, 1, 0],
        "harm": [5.0, 1.0, 9.0, 2.0],
        "repeat_share": [10.0, 25.0, 40.0, 5.0],
    }
)


def test_scores_hand_computed() -> None:
    out = prioritisation_matrix(ISSUES).set_index("issue")
    # Domestic abuse: volume (900-400)/2600, trend 1, harm 1, repeat (40-5)/35=1
    expected = 100 * ((500 / 2600) + 1 + 1 + 1) / 4
    assert out.at["Domestic abuse", "score"] == pytest.approx(expected)
    assert out.at["Domestic abuse", "rank"] == 1
    assert out.at["Domestic abuse", "volume_value"] == 900
    assert out.at["Domestic abuse", "volume_score"] == pytest.approx(500 / 2600)
    assert out.at["Domestic abuse", "harm_weight"] == 1.0
    assert "harm 9 -> 1.00" in out.at["Domestic abuse", "explanation"]


def test_every_input_shown_and_contributions_add_up() -> None:
    out = prioritisation_matrix(ISSUES)
    for m in ["volume", "trend", "harm", "repeat_share"]:
        for suffix in ("value", "score", "weight", "contribution"):
            assert f"{m}_{suffix}" in out.columns
    contributions = out[[c for c in out.columns if c.endswith("_contribution")]].sum(axis=1)
    pd.testing.assert_series_equal(contributions, out["score"], check_names=False)
    assert out.attrs["measures_left_out"] == ["cost", "concentration", "public_concern"]
    assert set(out.attrs["weights"]) == {"volume", "trend", "harm", "repeat_share"}


def test_weights_change_the_ranking() -> None:
    volume_only = prioritisation_matrix(ISSUES, weights={"trend": 0, "harm": 0, "repeat_share": 0})
    assert volume_only["issue"].iloc[0] == "ASB"
    assert prioritisation_matrix(ISSUES)["issue"].iloc[0] == "Domestic abuse"


def test_ties_rank_in_input_order() -> None:
    data = pd.DataFrame({"issue": ["x", "y", "z", "w"], "volume": [5, 10, 10, 5]})
    out = prioritisation_matrix(data)
    assert out["issue"].tolist() == ["y", "z", "x", "w"]
    assert out["rank"].tolist() == [1, 2, 3, 4]


@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.integers(0, 1), st.floats(0, 10)),
        min_size=2,
        max_size=10,
    ),
    st.randoms(use_true_random=False),
)
@settings(max_examples=40, deadline=None)
def test_scores_independent_of_row_order(rows, rnd) -> None:
    data = pd.DataFrame(rows, columns=["volume", "trend", "harm"])
    data.insert(0, "issue", [f"i{k}" for k in range(len(data))])
    out = prioritisation_matrix(data).set_index("issue")["score"].sort_index()
    shuffled = data.sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    again = prioritisation_matrix(shuffled).set_index("issue")["score"].sort_index()
    pd.testing.assert_series_equal(out, again)
    assert ((out >= 0) & (out <= 100 + 1e-9)).all()


def test_validation() -> None:
    with pytest.raises(ValueError):
        prioritisation_matrix(ISSUES, weights={"popularity": 1})
    with pytest.raises(ValueError):
        prioritisation_matrix(ISSUES, weights={"volume": -1})
    with pytest.raises(ValueError):
        prioritisation_matrix(ISSUES.assign(harm=[1.0, None, 2.0, 3.0]))
    with pytest.raises(ValueError):
        prioritisation_matrix(ISSUES[["issue"]])
    with pytest.raises(ValueError):
        prioritisation_matrix(pd.concat([ISSUES, ISSUES.iloc[:1]]))


def test_defaults_are_documented_and_equal() -> None:
    assert set(DEFAULT_WEIGHTS) == set(MEASURES)
    assert set(DEFAULT_WEIGHTS.values()) == {1.0}


def test_a_measure_allowed_to_be_missing_is_left_out_of_that_issue_not_scored_0() -> None:
    import math

    import numpy as np
    import pandas as pd

    from saferhub.analysis.prioritise import prioritisation_matrix

    data = pd.DataFrame(
        {"issue": ["A", "B", "C"], "volume": [10, 20, 30], "harm": [5.0, 1.0, np.nan]}
    )
    with pytest.raises(ValueError, match="missing"):
        prioritisation_matrix(data)
    out = prioritisation_matrix(data, allow_missing=["harm"]).set_index("issue")
    # C has no harm: scored over volume alone (1.0 -> 100), not as harm 0 (-> 50).
    assert out.at["C", "score"] == pytest.approx(100.0)
    assert math.isnan(out.at["C", "harm_score"]) and "harm not known" in out.at["C", "explanation"]
    # A and B: harm normalised over the issues that have it.
    assert out.at["A", "score"] == pytest.approx(50.0) and out.at["B", "score"] == pytest.approx(
        25.0
    )
