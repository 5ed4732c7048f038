from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist

from saferhub.analysis.family import DEFAULT_VARIABLES, FamilyVariable, most_similar


@pytest.fixture
def profiles() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 60
    return pd.DataFrame(
        {
            "code": [f"E22{i:06d}" for i in range(n)],
            "population": rng.integers(40_000, 1_100_000, n),
            "density": rng.uniform(30, 6_000, n),
            "deprived_share": rng.uniform(0, 0.6, n),
            "rural_share": rng.uniform(0, 1, n),
        }
    )


def test_family_matches_an_independent_distance(profiles: pd.DataFrame) -> None:
    family = most_similar(profiles, "E22000010")
    x = profiles[["population", "density", "deprived_share", "rural_share"]].to_numpy(float)
    x[:, :2] = np.log(x[:, :2])
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    d = cdist(z[[10]], z)[0]
    expected = [profiles["code"][i] for i in np.lexsort((profiles["code"], d))][:15]
    assert list(family.members) == expected
    assert family.members[0] == "E22000010"
    assert len(family.members) == 15
    assert family.distances["distance"].is_monotonic_increasing
    assert np.allclose(family.distances["distance"], np.sort(d)[:15])
    assert "Euclidean" in family.method and "logged" in family.method


def test_order_of_rows_does_not_change_the_family(profiles: pd.DataFrame) -> None:
    shuffled = profiles.sample(frac=1, random_state=3)
    assert (
        most_similar(shuffled, "E22000033").members == most_similar(profiles, "E22000033").members
    )


def test_missing_figures_leave_an_area_out_never_as_zero(profiles: pd.DataFrame) -> None:
    profiles.loc[5, "rural_share"] = np.nan
    family = most_similar(profiles, "E22000001", size=100)
    assert "E22000005" not in family.members
    assert family.left_out == ("E22000005",)
    assert len(family.members) == 59
    with pytest.raises(ValueError, match="E22000005 has no figure for: share of residents"):
        most_similar(profiles, "E22000005")


def test_bad_requests_are_refused(profiles: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="E99 is not among"):
        most_similar(profiles, "E99")
    with pytest.raises(ValueError, match="at least one member"):
        most_similar(profiles, "E22000001", size=0)
    profiles.loc[3, "population"] = 0
    with pytest.raises(ValueError, match="not positive for E22000003"):
        most_similar(profiles, "E22000001")
    with pytest.raises(ValueError, match="lack the columns: density"):
        most_similar(profiles.drop(columns="density"), "E22000001")


def test_a_variable_without_spread_is_left_out(profiles: pd.DataFrame) -> None:
    profiles["rural_share"] = 0.5
    family = most_similar(profiles, "E22000001")
    assert [v.column for v in family.variables] == ["population", "density", "deprived_share"]
    assert "rural" not in family.method


def test_chosen_variables(profiles: pd.DataFrame) -> None:
    only = (FamilyVariable("population", "residents", log=True),)
    family = most_similar(profiles, "E22000002", size=3, variables=only)
    logs = np.log(profiles["population"].to_numpy(float))
    d = np.abs(logs - logs[2])
    assert list(family.members) == [profiles["code"][i] for i in np.argsort(d, kind="stable")[:3]]
    assert DEFAULT_VARIABLES[0].column == "population"
