"""Weighted displacement difference and quotient."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from saferhub.analysis import weighted_displacement_difference


def test_wdd_hand_worked_example() -> None:
    # treated 100 -> 70, control 200 -> 190, buffer 50 -> 45, buffer control 80 -> 82
    res = weighted_displacement_difference(100, 70, 200, 190, 50, 45, 80, 82)
    # WDD = (70-100) - (190-200) + (45-50) - (82-80) = -30 + 10 - 5 - 2 = -27
    assert res.wdd == pytest.approx(-27.0)
    assert res.variance == pytest.approx(100 + 70 + 200 + 190 + 50 + 45 + 80 + 82)
    assert res.z == pytest.approx(-27 / math.sqrt(817))
    assert res.p_value == pytest.approx(2 * stats.norm.sf(27 / math.sqrt(817)))
    # WDQ = (45/82 - 50/80) / (70/190 - 100/200)
    assert res.wdq == pytest.approx((45 / 82 - 50 / 80) / (70 / 190 - 100 / 200))


def test_wdd_without_buffer_and_shared_control() -> None:
    res = weighted_displacement_difference(100, 50, 300, 310)
    assert res.wdd == pytest.approx(-50 - 10)
    assert res.variance == pytest.approx(100 + 50 + 300 + 310)
    assert res.significant and "fewer" in res.interpretation
    assert math.isnan(res.wdq)
    shared = weighted_displacement_difference(100, 50, 300, 310, 40, 40)
    # control used for both areas enters twice: variance weight 4
    assert shared.wdd == pytest.approx(-50 - 2 * 10 + 0)
    assert shared.variance == pytest.approx(100 + 50 + 40 + 40 + 4 * (300 + 310))


def test_wdd_variance_matches_simulation() -> None:
    rng = np.random.default_rng(20260101)
    means = np.array([120, 120, 400, 400, 60, 60, 90, 90])
    draws = rng.poisson(means, size=(20_000, 8))
    wdd = (
        (draws[:, 1] - draws[:, 0])
        - (draws[:, 3] - draws[:, 2])
        + (draws[:, 5] - draws[:, 4])
        - (draws[:, 7] - draws[:, 6])
    )
    # Var(WDD) under independence = sum of means = 1340; 20,000 draws: se of var ~ 1%
    assert wdd.var() == pytest.approx(means.sum(), rel=0.04)
    res = weighted_displacement_difference(*[int(m) for m in means])
    assert res.variance == pytest.approx(means.sum())
    # size of the z-test under the null is close to alpha
    z = np.array(
        [weighted_displacement_difference(*[int(v) for v in row]).z for row in draws[:2000]]
    )
    assert np.mean(np.abs(z) > 1.96) == pytest.approx(0.05, abs=0.015)


def test_wdd_argument_checks() -> None:
    with pytest.raises(ValueError):
        weighted_displacement_difference(1, 1, 1, 1, buffer_before=3)
    with pytest.raises(ValueError):
        weighted_displacement_difference(
            1, 1, 1, 1, buffer_control_before=1, buffer_control_after=1
        )
    with pytest.raises(ValueError):
        weighted_displacement_difference(-1, 1, 1, 1)
