"""Knox test against a brute-force O(n^2) count, band conventions and invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.analysis.nearrepeat import (
    band_edges,
    cli_knox,
    distance_band_labels,
    knox_test,
    time_band_labels,
)


def _band(value: int, edges: tuple[int, ...]) -> int | None:
    """Index of the inclusive band holding ``value`` (edges are upper limits)."""
    for k, high in enumerate(edges):
        if value <= high:
            return k
    return None


def brute_force_counts(x, y, t, d_edges, t_edges, metric="manhattan", same_location=True):
    """Plain double loop over pairs, written from the documented convention."""
    n_d = len(d_edges) + int(same_location)
    counts = np.zeros((n_d, len(t_edges)), dtype=np.int64)
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = abs(x[i] - x[j]), abs(y[i] - y[j])
            d = dx + dy if metric == "manhattan" else math.sqrt(dx * dx + dy * dy)
            metres = math.floor(d + 0.5)
            if same_location:
                db = 0 if metres == 0 else _band(metres, d_edges)
                db = db if metres == 0 or db is None else db + 1
            else:
                db = _band(metres, d_edges)
            tb = _band(abs(int(t[i]) - int(t[j])), t_edges)
            if db is not None and tb is not None:
                counts[db, tb] += 1
    return counts


def _events(seed: int, n: int = 70, duplicates: int = 10):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1500, n)
    y = rng.uniform(0, 1500, n)
    x[:duplicates] = x[0]  # a snap point shared by several events
    y[:duplicates] = y[0]
    x[duplicates : duplicates + 5] = np.round(x[duplicates : duplicates + 5])
    t = rng.integers(0, 90, n)
    return x, y, t


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
@pytest.mark.parametrize("same_location", [True, False])
def test_observed_counts_equal_brute_force(metric: str, same_location: bool) -> None:
    x, y, t = _events(1)
    d_edges, t_edges = (100, 250, 400), (0, 7, 14, 30)
    result = knox_test(
        x,
        y,
        t,
        distance_edges=d_edges,
        time_edges=t_edges,
        metric=metric,
        same_location=same_location,
        permutations=0,
    )
    expected = brute_force_counts(x, y, t, d_edges, t_edges, metric, same_location)
    assert np.array_equal(result.observed, expected)
    assert result.observed.sum() > 0


def test_simulated_counts_equal_brute_force_with_documented_permutations() -> None:
    x, y, t = _events(2, n=50)
    d_edges, t_edges = (150, 300), (7, 14, 21)
    result = knox_test(
        x, y, t, distance_edges=d_edges, time_edges=t_edges, permutations=20, seed=42
    )
    order = np.lexsort((t, y, x))
    xs, ys, ts = x[order], y[order], t[order]
    rng = np.random.default_rng(42)
    for s in range(20):
        shuffled = ts[rng.permutation(len(ts))]
        assert np.array_equal(
            result.simulated[s], brute_force_counts(xs, ys, shuffled, d_edges, t_edges)
        )
    sims = result.simulated
    np.testing.assert_allclose(result.expected, sims.mean(axis=0))
    p = (1 + (sims >= result.observed).sum(axis=0)) / 21
    np.testing.assert_allclose(result.p_value, p)


def test_band_edges_are_inclusive_and_rounded_to_whole_metres() -> None:
    cases = [
        (0.4, "same location"),
        (0.5, "1–200 m"),
        (200.0, "1–200 m"),
        (200.4, "1–200 m"),
        (200.5, "201–400 m"),
        (400.0, "201–400 m"),
        (400.5, None),
    ]
    for distance, label in cases:
        pair = knox_test(
            [0.0, distance],
            [0.0, 0.0],
            [0, 0],
            distance_edges=(200, 400),
            time_edges=(7,),
            permutations=0,
        )
        found = [lab for lab, row in zip(pair.distance_labels, pair.observed) if row.sum()]
        assert found == ([] if label is None else [label]), distance
    for dt, label in [(0, "0–7 days"), (7, "0–7 days"), (8, "8–14 days"), (14, "8–14 days")]:
        pair = knox_test(
            [0.0, 50.0],
            [0.0, 0.0],
            [0, dt],
            distance_edges=(100,),
            time_edges=(7, 14),
            permutations=0,
        )
        assert [lab for lab, c in zip(pair.time_labels, pair.observed[1]) if c] == [label]
    beyond = knox_test(
        [0.0, 50.0], [0.0, 0.0], [0, 15], distance_edges=(100,), time_edges=(7, 14), permutations=0
    )
    assert beyond.observed.sum() == 0


def test_labels() -> None:
    assert distance_band_labels((200, 400)) == ("same location", "1–200 m", "201–400 m")
    assert distance_band_labels((200, 400), same_location=False) == ("0–200 m", "201–400 m")
    assert time_band_labels((7, 14)) == ("0–7 days", "8–14 days")
    assert time_band_labels((0, 1, 3), unit="months") == ("0 months", "1 months", "2–3 months")
    assert band_edges(200, 3) == (200, 400, 600)
    table = knox_test(
        [0, 1, 2],
        [0, 0, 0],
        [0, 1, 2],
        distance_edges=(200,),
        time_edges=(7,),
        permutations=9,
        seed=1,
    ).table()
    assert table.loc[
        1, ["distance_min_m", "distance_max_m", "time_min_days", "time_max_days"]
    ].tolist() == [1, 200, 0, 7]


def test_planted_near_repeats_are_detected() -> None:
    rng = np.random.default_rng(9)
    n = 600
    x, y, t = rng.uniform(0, 10_000, n), rng.uniform(0, 10_000, n), rng.integers(0, 365, n)
    # 40 seed events each followed by a neighbour within 100 m and 7 days
    x[n - 40 :], y[n - 40 :] = x[:40] + rng.uniform(-40, 40, 40), y[:40] + rng.uniform(-40, 40, 40)
    t[n - 40 :] = t[:40] + rng.integers(0, 8, 40)
    result = knox_test(
        x, y, t, distance_edges=(100, 200, 300), time_edges=(7, 14, 21), permutations=199, seed=3
    )
    close = result.matrix("p_value").loc["1–100 m", "0–7 days"]
    assert close == pytest.approx(1 / 200)
    assert result.matrix("knox_ratio").loc["1–100 m", "0–7 days"] > 3


def test_seed_required_and_reproducible() -> None:
    x, y, t = _events(4)
    with pytest.raises(ValueError, match="seed"):
        knox_test(x, y, t, permutations=9)
    a = knox_test(x, y, t, permutations=30, seed=5)
    b = knox_test(x, y, t, permutations=30, seed=5, workers=2)
    c = knox_test(x, y, t, permutations=30, seed=6)
    assert np.array_equal(a.simulated, b.simulated)
    assert not np.array_equal(a.simulated, c.simulated)


def test_rejects_bad_bands_and_times() -> None:
    x, y, t = _events(5)
    with pytest.raises(ValueError):
        knox_test(x, y, t, distance_edges=(200, 100), permutations=0)
    with pytest.raises(ValueError):
        knox_test(x, y, t, distance_edges=(0, 100), permutations=0)
    with pytest.raises(ValueError):
        knox_test(x, y, t + 0.5, permutations=0)


def test_datetime_times_are_days() -> None:
    dates = np.array(["2024-01-01", "2024-01-08", "2024-01-09"], dtype="datetime64[D]")
    r = knox_test(
        [0.0, 10.0, 20.0],
        [0.0, 0.0, 0.0],
        dates,
        distance_edges=(100,),
        time_edges=(7, 14),
        permutations=0,
    )
    assert r.observed[1].tolist() == [2, 1]


@st.composite
def _event_sets(draw: st.DrawFn):
    n = draw(st.integers(2, 40))
    coords = st.integers(0, 600).map(float)
    x = draw(st.lists(coords, min_size=n, max_size=n))
    y = draw(st.lists(coords, min_size=n, max_size=n))
    t = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    return np.array(x), np.array(y), np.array(t)


@settings(max_examples=60, deadline=None)
@given(_event_sets(), st.integers(0, 2**31 - 1), st.randoms(use_true_random=False))
def test_properties(events, seed: int, rnd) -> None:
    x, y, t = events
    d_edges, t_edges = (50, 150, 300), (3, 10, 60)
    r = knox_test(x, y, t, distance_edges=d_edges, time_edges=t_edges, permutations=15, seed=seed)
    # counts equal the brute force count
    assert np.array_equal(r.observed, brute_force_counts(x, y, t, d_edges, t_edges))
    # the last time edge covers every difference, so each distance band's pair
    # total is fixed by the locations and is conserved by every permutation
    assert np.array_equal(r.simulated.sum(axis=2), np.broadcast_to(r.observed.sum(axis=1), (15, 4)))
    assert ((r.p_value > 0) & (r.p_value <= 1)).all()
    # independent of input row order, simulations included
    order = np.array(rnd.sample(range(x.size), x.size))
    r2 = knox_test(
        x[order],
        y[order],
        t[order],
        distance_edges=d_edges,
        time_edges=t_edges,
        permutations=15,
        seed=seed,
    )
    assert np.array_equal(r.simulated, r2.simulated)
    assert np.array_equal(r.observed, r2.observed)


def test_cli_knox_on_police_uk_months(crimes_2024: pd.DataFrame) -> None:
    burglary = crimes_2024[crimes_2024["Crime type"] == "Burglary"]
    table = cli_knox(
        burglary.rename(columns={"Month": "month"})[["x", "y", "month"]],
        {
            "distance_bandwidth": 200,
            "distance_bands": 3,
            "time_bands": 3,
            "permutations": 19,
            "seed": 1,
        },
    )
    assert table["time_band"].iloc[0] == "0–1 months"
    assert table["distance_band"].unique().tolist() == [
        "same location",
        "1–200 m",
        "201–400 m",
        "401–600 m",
    ]
    assert ((table["p_value"] > 0) & (table["p_value"] <= 1)).all()
    assert table["observed"].sum() > 0
