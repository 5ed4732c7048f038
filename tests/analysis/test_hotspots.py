"""Hotspot statistics against PySAL esda/libpysal, exact formulas and invariants.

Tolerances: analytical statistics must equal esda to 1e-8 (absolute; observed
differences are ~1e-15). Permutation p-values are compared with esda only in
distribution, within a Monte Carlo allowance.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from saferhub.analysis.grid import grid_counts, grid_spec_for_points, wgs84_to_bng
from saferhub.analysis.hotspots import (
    benjamini_hochberg,
    cli_gistar,
    cli_hotspots,
    cli_local_moran,
    excess_risk,
    getis_ord_gi_star,
    grid_gi_star,
    local_moran,
)
from saferhub.analysis.spatial_weights import contiguity_weights, distance_band_weights

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

TOL = 1e-8


def _w(matrix: sp.csr_array):  # libpysal W from our sparse matrix: the same inputs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return libpysal.weights.WSP(sp.csr_matrix(matrix)).to_W()


def _esda_gi(y: np.ndarray, w: sp.csr_array, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(y, _w(w), star=True, transform="B", permutations=0, **kw)


def _esda_moran(y: np.ndarray, w: sp.csr_array, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw.setdefault("permutations", 0)
        return esda.Moran_Local(y, _w(w), transformation="r", **kw)


def _squares(n_rows: int, n_cols: int) -> list[shapely.Polygon]:
    return [shapely.box(c, r, c + 1, r + 1) for r in range(n_rows) for c in range(n_cols)]


# --------------------------------------------------------------------- weights


@pytest.mark.parametrize("rule", ["queen", "rook"])
def test_contiguity_on_squares_equals_libpysal_lattice(rule: str) -> None:
    ours = contiguity_weights(_squares(5, 7), rule=rule)
    theirs = libpysal.weights.lat2W(5, 7, rook=(rule == "rook")).sparse
    assert abs(ours - theirs).sum() == 0
    assert ours.diagonal().sum() == 0


def test_rook_excludes_corner_touch() -> None:
    w = contiguity_weights([shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)], rule="rook")
    assert w.nnz == 0
    assert contiguity_weights([shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)]).nnz == 2


def test_queen_on_real_lsoas_equals_libpysal_fuzzy_contiguity(lsoa2011: pd.DataFrame) -> None:
    gpd = pytest.importorskip("geopandas")
    geoms = lsoa2011["geometry"].to_numpy()
    ours = contiguity_weights(geoms, rule="queen")
    frame = gpd.GeoDataFrame(geometry=list(geoms))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = libpysal.weights.fuzzy_contiguity(frame, buffering=False, predicate="intersects")
    assert ours.nnz > 3000
    assert abs(ours - theirs.sparse).sum() == 0


def test_distance_band_equals_libpysal(crimes_2024: pd.DataFrame) -> None:
    cells = grid_counts(crimes_2024["x"], crimes_2024["y"], 2000.0).to_frame()
    pts = cells[["x", "y"]].to_numpy()
    ours = distance_band_weights(pts[:, 0], pts[:, 1], 3000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = libpysal.weights.DistanceBand(pts, threshold=3000.0, binary=True).sparse
    assert abs(ours - theirs).sum() == 0


# --------------------------------------------------------------- Gi* vs esda


def test_gistar_equals_esda_on_real_lsoas(lsoa2011: pd.DataFrame, lsoa_counts: np.ndarray) -> None:
    w = contiguity_weights(lsoa2011["geometry"].to_numpy(), rule="queen")
    ours = getis_ord_gi_star(lsoa_counts, w, ids=lsoa2011["code"])
    ref = _esda_gi(lsoa_counts, w)
    assert lsoa_counts.sum() > 90_000
    np.testing.assert_allclose(ours["z"], ref.Zs, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["gi_star"], ref.Gs, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["expected"], ref.EGs, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["variance"], ref.VGs, rtol=1e-10, atol=0)
    assert (ours["hotspot_class"] != "not significant").any()


def test_gistar_equals_esda_on_real_grid(crimes_2024: pd.DataFrame) -> None:
    cells = grid_counts(crimes_2024["x"], crimes_2024["y"], 1000.0).to_frame()
    w = distance_band_weights(cells["x"], cells["y"], 1500.0)
    ours = getis_ord_gi_star(cells["count"], w)
    ref = _esda_gi(cells["count"].to_numpy(), w)
    np.testing.assert_allclose(ours["z"], ref.Zs, rtol=0, atol=TOL)
    grid = grid_gi_star(crimes_2024["x"], crimes_2024["y"], 1000.0)
    np.testing.assert_allclose(grid["z"], ref.Zs, rtol=0, atol=TOL)


def test_gistar_binary_flag_equals_esda_transform_b() -> None:
    rng = np.random.default_rng(3)
    y = rng.gamma(2.0, size=40)
    dense = rng.random((40, 40)) * (rng.random((40, 40)) < 0.15)
    dense = np.maximum(dense, dense.T)
    np.fill_diagonal(dense, 0.0)  # esda keeps a partly filled diagonal as given
    w = sp.csr_array(dense)
    ours = getis_ord_gi_star(y, w, binary=True)
    np.testing.assert_allclose(ours["z"], _esda_gi(y, w).Zs, rtol=0, atol=TOL)


def test_gistar_hand_computed_small_case() -> None:
    # esda docstring example: DistanceBand threshold 15, G* with binary weights
    pts = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], float)
    y = np.array([2, 3, 3.2, 5, 8, 7])
    w = distance_band_weights(pts[:, 0], pts[:, 1], 15.0)
    z = getis_ord_gi_star(y, w)["z"].to_numpy()
    expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    np.testing.assert_allclose(z, expected, atol=1e-8)


def test_gistar_finds_a_planted_hotspot_and_classes_are_fdr_monotone() -> None:
    rng = np.random.default_rng(11)
    counts = rng.poisson(2.0, size=(30, 30)).astype(float)
    counts[14:17, 14:17] += 12
    spec_x, spec_y = np.meshgrid(np.arange(30) * 100.0, np.arange(30) * 100.0)
    w = distance_band_weights(spec_x.ravel(), spec_y.ravel(), 150.0)
    fdr = getis_ord_gi_star(counts.ravel(), w, fdr=True)
    raw = getis_ord_gi_star(counts.ravel(), w, fdr=False)
    centre = 15 * 30 + 15
    assert fdr.loc[centre, "hotspot_class"] == "hot spot 99%"
    assert fdr.loc[centre, "gi_bin"] == 3
    # FDR never makes a class more confident than the raw p-value does
    assert (fdr["gi_bin"].abs() <= raw["gi_bin"].abs()).all()
    assert set(fdr["hotspot_class"]) <= {
        "not significant",
        *(f"{k} spot {p}%" for k in ("hot", "cold") for p in (90, 95, 99)),
    }


def test_permutation_pvalues_match_esda_in_distribution() -> None:
    rng = np.random.default_rng(5)
    xs, ys = np.meshgrid(np.arange(20) * 100.0, np.arange(15) * 100.0)
    y = rng.gamma(2.0, size=xs.size) + np.sin(xs.ravel() / 400.0)
    w = distance_band_weights(xs.ravel(), ys.ravel(), 150.0)
    ours = getis_ord_gi_star(y, w, permutations=4999, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(y, _w(w), star=True, transform="B", permutations=4999, seed=1)
    # Monte Carlo sd of a p-value near 0.5 with 4999 draws is ~0.007 per run
    assert np.abs(ours["p_sim"] - ref.p_sim).max() < 0.04
    lisa = local_moran(y, w, permutations=4999, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mref = esda.Moran_Local(y, _w(w), permutations=4999, seed=2)
    assert np.abs(lisa["p_sim"] - mref.p_sim).max() < 0.04


def test_permutation_needs_a_seed_and_is_reproducible() -> None:
    rng = np.random.default_rng(0)
    y = rng.poisson(3, 100).astype(float)
    xs, ys = np.meshgrid(np.arange(10.0), np.arange(10.0))
    w = distance_band_weights(xs.ravel(), ys.ravel(), 1.5)
    with pytest.raises(ValueError, match="seed"):
        getis_ord_gi_star(y, w, permutations=9)
    a = getis_ord_gi_star(y, w, permutations=99, seed=7)
    b = getis_ord_gi_star(y, w, permutations=99, seed=7)
    c = getis_ord_gi_star(y, w, permutations=99, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.array_equal(a["p_sim"], c["p_sim"])


# ---------------------------------------------------------- Local Moran vs esda


def test_local_moran_equals_esda_on_real_lsoas(
    lsoa2011: pd.DataFrame, lsoa_counts: np.ndarray
) -> None:
    w = contiguity_weights(lsoa2011["geometry"].to_numpy(), rule="queen")
    ours = local_moran(lsoa_counts, w)
    ref = _esda_moran(lsoa_counts, w)
    np.testing.assert_allclose(ours["local_i"], ref.Is, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["expected"], ref.EI, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["variance"], ref.VI, rtol=0, atol=TOL)
    z_ref = (ref.Is - ref.EI) / np.sqrt(ref.VI)
    np.testing.assert_allclose(ours["z"], z_ref, rtol=0, atol=TOL)
    codes = ours["quadrant"].map({"HH": 1, "LH": 2, "LL": 3, "HL": 4}).to_numpy()
    assert np.array_equal(codes, ref.q)


def test_local_moran_equals_esda_on_real_grid(crimes_2024: pd.DataFrame) -> None:
    burglary = crimes_2024[crimes_2024["Crime type"] == "Burglary"]
    cells = grid_counts(burglary["x"], burglary["y"], 1000.0).to_frame()
    w = distance_band_weights(cells["x"], cells["y"], 1500.0)
    ours = local_moran(cells["count"], w)
    ref = _esda_moran(cells["count"].to_numpy(), w)
    np.testing.assert_allclose(ours["local_i"], ref.Is, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["variance"], ref.VI, rtol=0, atol=TOL)


def test_local_moran_clusters_only_where_significant() -> None:
    rng = np.random.default_rng(2)
    counts = rng.poisson(2.0, size=(20, 20)).astype(float)
    counts[:5, :5] += 10
    xs, ys = np.meshgrid(np.arange(20.0), np.arange(20.0))
    w = distance_band_weights(xs.ravel(), ys.ravel(), 1.5)
    out = local_moran(counts.ravel(), w, permutations=999, seed=3)
    sig = out["q_value"] <= 0.05
    assert (out.loc[~sig, "cluster"] == "not significant").all()
    assert (out.loc[sig, "cluster"] == out.loc[sig, "quadrant"]).all()
    assert out.loc[2 * 20 + 2, "cluster"] == "HH"


# ---------------------------------------------------------------- excess risk


def test_excess_risk_interval_is_exact() -> None:
    out = excess_risk([0, 3, 10, 40], expected=[2.0, 3.0, 5.0, 20.0], confidence=0.95)
    for row in out.itertuples():
        if row.observed > 0:  # P(X >= O | mu = lower * E) = 0.025
            assert stats.poisson.sf(
                row.observed - 1, row.ratio_lower * row.expected
            ) == pytest.approx(0.025, abs=1e-9)
        assert stats.poisson.cdf(row.observed, row.ratio_upper * row.expected) == pytest.approx(
            0.025, abs=1e-9
        )
    assert out.loc[0, "ratio_lower"] == 0
    assert out.loc[3, "p_higher"] == pytest.approx(stats.poisson.sf(39, 20.0))


def test_excess_risk_population_share_and_fdr() -> None:
    observed = np.array([50, 10, 12, 8, 11, 9])
    population = np.array([1000, 1000, 1000, 1000, 1000, 1000])
    out = excess_risk(observed, population=population, areas=list("ABCDEF"))
    assert out["expected"].sum() == pytest.approx(observed.sum())
    assert out.loc[0, "result"] == "higher than expected"
    assert (out.loc[1:, "result"] != "higher than expected").all()
    np.testing.assert_allclose(
        out["q_value"], stats.false_discovery_control(out["p_value"]), atol=1e-12
    )


def test_excess_risk_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        excess_risk([1, 2], population=[1, 1], expected=[1, 1])
    with pytest.raises(ValueError):
        excess_risk([1.5, 2], expected=[1, 1])


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60))
def test_benjamini_hochberg_matches_scipy(p: list[float]) -> None:
    q = benjamini_hochberg(p)
    np.testing.assert_allclose(q, stats.false_discovery_control(p), atol=1e-12)
    assert np.all(q >= np.asarray(p) - 1e-15)


# ------------------------------------------------------------ property tests


@st.composite
def _grid_values(draw: st.DrawFn) -> tuple[np.ndarray, int, int]:
    rows = draw(st.integers(3, 8))
    cols = draw(st.integers(3, 8))
    values = draw(st.lists(st.integers(0, 30), min_size=rows * cols, max_size=rows * cols))
    return np.asarray(values, dtype=float), rows, cols


@settings(max_examples=40, deadline=None)
@given(_grid_values(), st.randoms(use_true_random=False))
def test_statistics_do_not_depend_on_row_order(data: tuple[np.ndarray, int, int], rnd) -> None:
    values, rows, cols = data
    if np.ptp(values) == 0:
        return
    xs, ys = np.meshgrid(np.arange(cols, dtype=float), np.arange(rows, dtype=float))
    x, y = xs.ravel(), ys.ravel()
    order = np.array(rnd.sample(range(values.size), values.size))
    w = distance_band_weights(x, y, 1.5)
    w_perm = distance_band_weights(x[order], y[order], 1.5)
    gi = getis_ord_gi_star(values, w)
    gi_perm = getis_ord_gi_star(values[order], w_perm)
    np.testing.assert_allclose(gi_perm["z"], gi["z"].to_numpy()[order], atol=1e-10)
    lm = local_moran(values, w)
    lm_perm = local_moran(values[order], w_perm)
    np.testing.assert_allclose(lm_perm["local_i"], lm["local_i"].to_numpy()[order], atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(_grid_values(), st.integers(0, 2**32 - 1), st.integers(1, 60))
def test_permutation_pvalues_in_unit_interval_and_seeded(
    data: tuple[np.ndarray, int, int], seed: int, permutations: int
) -> None:
    values, rows, cols = data
    xs, ys = np.meshgrid(np.arange(cols, dtype=float), np.arange(rows, dtype=float))
    w = distance_band_weights(xs.ravel(), ys.ravel(), 1.5)
    a = getis_ord_gi_star(values, w, permutations=permutations, seed=seed)
    b = getis_ord_gi_star(values, w, permutations=permutations, seed=seed)
    pd.testing.assert_frame_equal(a, b)
    assert ((a["p_sim"] > 0) & (a["p_sim"] <= 1)).all()
    assert (a["p_sim"] >= 1 / (permutations + 1) - 1e-12).all()
    lm = local_moran(values, w, permutations=permutations, seed=seed)
    assert ((lm["p_sim"] > 0) & (lm["p_sim"] <= 1)).all()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 5000), st.floats(0, 5000)), min_size=1, max_size=200),
    st.sampled_from([50.0, 100.0, 333.0, 1000.0]),
)
def test_grid_counts_conserve_points(points: list[tuple[float, float]], cell: float) -> None:
    xy = np.asarray(points)
    counts = grid_counts(xy[:, 0], xy[:, 1], cell)
    assert counts.outside == 0
    assert counts.counts.sum() == len(points)
    spec = counts.spec
    assert spec.x_min % cell == 0 and spec.y_min % cell == 0


def test_wgs84_to_bng_known_point() -> None:
    # Derby Cathedral tower, OS grid reference SK 3524 3645 (approx.)
    x, y = wgs84_to_bng([-1.4775], [52.9253])
    assert x[0] == pytest.approx(435_240, abs=150)
    assert y[0] == pytest.approx(336_450, abs=150)


def test_grid_spec_aligns_cells() -> None:
    spec = grid_spec_for_points([101.0, 349.0], [99.0, 251.0], 100.0)
    assert (spec.x_min, spec.y_min, spec.n_cols, spec.n_rows) == (100.0, 0.0, 3, 3)
    assert spec.cell_ids([100.0, 399.99, 400.0], [0.0, 299.0, 0.0]).tolist() == [0, 8, -1]


# ------------------------------------------------------------------- CLI


def test_cli_functions_return_frames(crimes_2024: pd.DataFrame) -> None:
    sample = crimes_2024.iloc[:3000].rename(
        columns={"Longitude": "longitude", "Latitude": "latitude"}
    )
    gi = cli_gistar(sample, {"cell_size": 2000})
    assert {"cell_id", "count", "z", "hotspot_class", "method"} <= set(gi.columns)
    assert gi["count"].sum() == len(sample)
    lisa = cli_local_moran(sample, {"cell_size": 2000, "permutations": 99, "seed": 1})
    assert {"cluster", "p_sim"} <= set(lisa.columns)
    table = pd.DataFrame(
        {"area": list("ABC"), "count": [30, 10, 11], "population": [100, 100, 100]}
    )
    risk = cli_hotspots(table, {})
    assert risk["observed"].tolist() == [30, 10, 11]
    incidents = pd.DataFrame(
        {"area": ["B", "A", "A", "B", "A"], "population": [50, 100, 100, 50, 100]}
    )
    per_area = cli_hotspots(incidents, {})
    assert per_area["area"].tolist() == ["A", "B"]
    assert per_area["observed"].tolist() == [3, 2]
    assert per_area["expected"].tolist() == pytest.approx([5 * 100 / 150, 5 * 50 / 150])
