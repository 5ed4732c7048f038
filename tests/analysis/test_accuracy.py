"""PAI, PEI and RRI: worked examples, limits and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.analysis.accuracy import (
    cli_pai,
    hotspot_accuracy,
    predictive_accuracy_index,
    select_hotspot_cells,
)

# British National Grid box around Derbyshire (x_min, y_min, x_max, y_max)
DERBYSHIRE_BOX = "389000,268000,506000,401000"


def test_pai_worked_example() -> None:
    # 40 of 200 crimes in hotspots covering 5 of 100 km^2: (0.2)/(0.05) = 4
    assert predictive_accuracy_index(40, 200, 5, 100) == pytest.approx(4.0)
    with pytest.raises(ValueError):
        predictive_accuracy_index(10, 0, 1, 1)


def test_pei_and_rri_by_hand() -> None:
    test = np.array([10, 0, 5, 20, 1, 4, 0, 0, 0, 0], dtype=float)
    earlier = np.array([8, 2, 6, 10, 0, 4, 0, 0, 0, 0], dtype=float)
    hotspot = np.zeros(10, dtype=bool)
    hotspot[[0, 2]] = True  # map flags cells 0 and 2: 15 of 40 crimes
    r = hotspot_accuracy(hotspot, test, cell_area=0.25, earlier_counts=earlier)
    assert r.hit_rate == pytest.approx(15 / 40)
    assert r.area_share == pytest.approx(0.2)
    assert r.pai == pytest.approx((15 / 40) / 0.2)
    assert r.captured_max == 30  # best two cells: 20 + 10
    assert r.pai_max == pytest.approx((30 / 40) / 0.2)
    assert r.pei == pytest.approx(0.5)
    assert r.rri == pytest.approx((15 / 14) / (40 / 30))


def test_unequal_areas_use_density_order() -> None:
    counts = np.array([10.0, 9.0, 1.0])
    area = np.array([2.0, 1.0, 1.0])
    r = hotspot_accuracy([False, True, False], counts, cell_area=area)
    # best use of 1 unit of area: cell 1 (9 per unit) -> PEI = 1
    assert r.captured_max == pytest.approx(9.0)
    assert r.pei == pytest.approx(1.0)


def test_select_hotspot_cells() -> None:
    mask = select_hotspot_cells([0.1, 5.0, 3.0, 5.0, 0.0], 0.4)
    assert mask.tolist() == [False, True, False, True, False]
    assert select_hotspot_cells([1.0, 1.0], 0.01).tolist() == [True, False]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 50), min_size=2, max_size=80),
    st.floats(0.01, 1.0),
    st.randoms(use_true_random=False),
)
def test_pei_bounds_and_order_independence(counts, coverage, rnd) -> None:
    c = np.asarray(counts, dtype=float)
    if c.sum() == 0:
        return
    scores = np.asarray([rnd.random() for _ in counts])
    mask = select_hotspot_cells(scores, coverage)
    r = hotspot_accuracy(mask, c)
    assert 0 <= r.pei <= 1 + 1e-12
    assert r.pai <= r.pai_max + 1e-12
    assert r.captured <= r.total
    perfect = hotspot_accuracy(select_hotspot_cells(c, coverage), c)
    assert perfect.pei == pytest.approx(1.0) or perfect.area_share > coverage
    order = np.array(rnd.sample(range(c.size), c.size))
    r2 = hotspot_accuracy(mask[order], c[order])
    pd.testing.assert_frame_equal(r2.to_frame(), r.to_frame())


def test_cli_pai_cell_table_and_incidents(crimes_2024: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {"hotspot": [1, 0, 1, 0], "count": [5, 1, 3, 1], "earlier_count": [4, 2, 2, 2]}
    )
    out = cli_pai(table, {})
    assert out.loc[0, "pai"] == pytest.approx((8 / 10) / 0.5)
    burglary = crimes_2024[crimes_2024["Crime type"] == "Burglary"].copy()
    burglary["period"] = np.where(burglary["Month"] <= "2024-06", "before", "after")
    options = {"cell_size": 250, "bandwidth": 500, "coverage": 0.05, "extent": DERBYSHIRE_BOX}
    res = cli_pai(burglary[["x", "y", "period"]], options)
    assert res.loc[0, "pai"] > 1  # burglary concentrates: better than chance
    assert 0 < res.loc[0, "pei"] <= 1
    assert res.loc[0, "study_area"] == pytest.approx(117_000 * 133_000, rel=0.01)
