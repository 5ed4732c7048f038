"""Quartic kernel density: against direct evaluation, mass and invariants.

Tolerances: grid values must equal a direct double loop to 1e-12 (relative);
the Riemann sum of the surface must equal the number of events to 0.5% when
the cell is small against the bandwidth.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from saferhub.analysis.density import (
    cli_kde,
    kernel_density,
    quartic_kernel,
    rule_of_thumb_bandwidth,
)
from saferhub.analysis.grid import GridSpec


def test_kernel_integrates_to_one() -> None:
    h = 250.0
    mass, _ = integrate.quad(lambda r: 2 * math.pi * r * float(quartic_kernel(r, h)), 0, h)
    assert mass == pytest.approx(1.0, abs=1e-10)
    assert quartic_kernel([0.0, h, 2 * h], h).tolist() == [3 / (math.pi * h * h), 0.0, 0.0]


def test_surface_equals_direct_evaluation() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 2000, 150), rng.uniform(0, 2000, 150)
    w = rng.integers(1, 4, 150)
    spec = GridSpec(x_min=-300.0, y_min=-300.0, cell_size=100.0, n_cols=26, n_rows=26)
    surface = kernel_density(x, y, cell_size=100.0, bandwidth=300.0, spec=spec, weights=w)
    cx, cy = spec.centres()
    direct = np.zeros(spec.n_cells)
    for k in range(spec.n_cells):
        for i in range(x.size):
            d = math.hypot(cx[k] - x[i], cy[k] - y[i])
            if d < 300.0:
                direct[k] += w[i] * 3 / (math.pi * 300.0**2) * (1 - d * d / 300.0**2) ** 2
    np.testing.assert_allclose(surface.density.ravel(), direct * 1e6, rtol=1e-12, atol=1e-12)


def test_mass_is_conserved_on_a_fine_grid() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(440_000, 800, 500), rng.normal(336_000, 800, 500)
    surface = kernel_density(x, y, cell_size=10.0, bandwidth=200.0)
    mass = surface.density.sum() * surface.spec.cell_area / 1e6
    assert mass == pytest.approx(500, rel=0.005)


def test_rule_of_thumb_by_hand() -> None:
    x = np.array([0.0, 100.0, 0.0, 100.0, 1000.0])
    y = np.array([0.0, 0.0, 100.0, 100.0, 1000.0])
    cx, cy = x.mean(), y.mean()
    d = np.hypot(x - cx, y - cy)
    sd = math.sqrt((d**2).mean())
    dm = float(np.median(d))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 5**-0.2
    assert rule_of_thumb_bandwidth(x, y) == pytest.approx(expected, rel=1e-12)
    assert kernel_density(x, y, cell_size=50.0).bandwidth == pytest.approx(expected)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000)), min_size=2, max_size=60),
    st.randoms(use_true_random=False),
)
def test_order_independent_and_weights_equal_duplicates(points, rnd) -> None:
    xy = np.asarray(points, dtype=float)
    spec = GridSpec(-500.0, -500.0, 125.0, 34, 34)
    a = kernel_density(xy[:, 0], xy[:, 1], cell_size=125.0, bandwidth=400.0, spec=spec)
    order = np.array(rnd.sample(range(len(xy)), len(xy)))
    b = kernel_density(xy[order, 0], xy[order, 1], cell_size=125.0, bandwidth=400.0, spec=spec)
    np.testing.assert_allclose(a.density, b.density, rtol=1e-12, atol=1e-9)
    doubled = kernel_density(
        np.r_[xy[:, 0], xy[:1, 0]],
        np.r_[xy[:, 1], xy[:1, 1]],
        cell_size=125.0,
        bandwidth=400.0,
        spec=spec,
    )
    weighted = kernel_density(
        xy[:, 0],
        xy[:, 1],
        cell_size=125.0,
        bandwidth=400.0,
        spec=spec,
        weights=[2] + [1] * (len(xy) - 1),
    )
    np.testing.assert_allclose(doubled.density, weighted.density, rtol=1e-12, atol=1e-9)
    assert (a.density >= 0).all()


def test_real_points_and_cli(crimes_2024: pd.DataFrame) -> None:
    burglary = crimes_2024[crimes_2024["Crime type"] == "Burglary"]
    frame = cli_kde(burglary[["x", "y"]], {"cell_size": 250, "bandwidth": 500})
    boxed = cli_kde(
        burglary[["x", "y"]],
        {
            "cell_size": 250,
            "bandwidth": 500,
            "extent": "389000,268000,506000,401000",
            "nonzero_only": "false",
        },
    )
    assert len(boxed) == 469 * 533  # the max edge lies on a cell boundary and gets a cell
    with pytest.raises(ValueError, match="clip the points"):
        cli_kde(burglary[["x", "y"]], {"cell_size": 50, "bandwidth": 500})
    assert frame["method"].iloc[0].startswith("quartic kernel density, bandwidth 500 m")
    mass = frame["density_per_km2"].sum() * 0.25**2
    assert mass == pytest.approx(len(burglary), rel=0.02)
    default = cli_kde(burglary[["x", "y"]].iloc[:2000], {"cell_size": 500})
    assert "Silverman" in default["method"].iloc[0]


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        kernel_density([0.0], [0.0, 1.0], cell_size=10.0, bandwidth=5.0)
    with pytest.raises(ValueError):
        kernel_density([0.0], [0.0], cell_size=10.0, bandwidth=-1.0)
