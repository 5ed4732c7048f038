"""Cost per output and break-even on figures checked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from saferhub.analysis.harm import load_reference
from saferhub.analysis.value_for_money import break_even, cost_per_output


def test_cost_per_output_by_hand() -> None:
    # £23,000 for 2,500 homes issued with burglary kits: £9.20 a home.
    assert cost_per_output(23_000, 2_500) == pytest.approx(9.20)
    # 1,200 issued so far: £19.1666... a home.
    assert cost_per_output(23_000, 1_200) == pytest.approx(19.1667, abs=1e-4)
    assert cost_per_output(23_000, None) is None
    assert cost_per_output(23_000, 0) is None


def test_break_even_with_the_south_derbyshire_unit_costs_by_hand() -> None:
    table = load_reference("unit_costs_south_derbyshire_2002_03")
    result = break_even(23_000, ["Burglary dwelling", "Criminal damage", "Arson"], table)
    by_group = {g.offence_group: g for g in result.groups}
    # £23,000 / £2,300 = exactly 10 burglaries; £23,000 / £510 = 45.1 -> 46 damages.
    assert by_group["Burglary dwelling"].crimes_to_prevent == 10
    assert by_group["Criminal damage"].crimes_to_prevent == 46
    assert by_group["Burglary dwelling"].price_year == "1999/2000"
    assert "South Derbyshire" in by_group["Burglary dwelling"].source
    # Arson is not in that table: named as missing, never costed at zero.
    assert result.missing == ("Arson",)


def test_a_group_left_empty_in_the_table_is_missing() -> None:
    table = load_reference("unit_costs_heeks_2018")
    result = break_even(14_050 * 3 + 1, ["Violence with injury", "Domestic burglary"], table)
    assert [(g.offence_group, g.crimes_to_prevent) for g in result.groups] == [
        ("Violence with injury", 4)
    ]
    assert result.missing == ("Domestic burglary",)


def test_bad_input() -> None:
    table = pd.DataFrame({"offence_group": ["X"], "unit_cost_gbp": [math.nan]})
    assert break_even(100, ["X"], table).missing == ("X",)
    with pytest.raises(ValueError):
        break_even(-1, ["X"], table)
    with pytest.raises(ValueError):
        cost_per_output(-1, 3)
