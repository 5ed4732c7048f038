"""Benchmark grid Gi* against PySAL esda in the same run.

Run: ``python benchmarks/bench_hotspots.py [--runs N] [--json PATH]``.

Grids of 100 x 100 (10,000) and 317 x 317 (100,489) cells over the extent of
the real Derbyshire police.uk 2024 points (counts per cell); distance band
1.5 cell sizes (queen neighbours). Times are medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import warnings

import numpy as np
import scipy.sparse as sp
from _common import derbyshire_points, machine, median_time

from saferhub.analysis.grid import GridSpec, grid_counts
from saferhub.analysis.hotspots import getis_ord_gi_star
from saferhub.analysis.spatial_weights import distance_band_weights


def grid_values(side: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, str]:
    pts = derbyshire_points()
    if pts is None:
        rng = np.random.default_rng(20240101)
        x, y = rng.normal(430_000, 15_000, 100_000), rng.normal(360_000, 20_000, 100_000)
        source = "synthetic normal points (real data absent)"
    else:
        x, y, _ = pts
        source = f"police.uk Derbyshire 2024, {x.size:,} points"
    # a few police.uk points are snapped far outside the force area: size the
    # grid on the 0.1-99.9 percentile box; points outside it are not counted
    x_lo, x_hi = np.percentile(x, [0.1, 99.9])
    y_lo, y_hi = np.percentile(y, [0.1, 99.9])
    cell = float(np.ceil(max(x_hi - x_lo, y_hi - y_lo) / side))
    spec = GridSpec(float(np.floor(x_lo)), float(np.floor(y_lo)), cell, side, side)
    counts = grid_counts(x, y, spec=spec)
    cx, cy = spec.centres()
    return counts.counts.ravel(), cx, cy, cell, source


def bench_case(side: int, runs: int, esda_permutations_max_cells: int) -> dict[str, object]:
    """Time ours and esda on a side x side grid; return one result row."""
    import esda
    from libpysal.graph import Graph

    y, cx, cy, cell, source = grid_values(side)
    n = y.size
    band = 1.5 * cell
    t_w, c_w, w = median_time(lambda: distance_band_weights(cx, cy, band), runs)
    t_ours, c_ours, ours = median_time(lambda: getis_ord_gi_star(y, w), runs)
    t_lib_w, c_lib_w, graph = median_time(
        lambda: Graph.build_distance_band(np.column_stack([cx, cy]), band, binary=True), runs
    )
    t_graph, c_graph, graph2 = median_time(lambda: Graph.from_sparse(sp.csr_array(w)), runs)
    t_esda, c_esda, ref = median_time(
        lambda: esda.G_Local(y, graph2, star=True, transform="B", permutations=0), runs
    )
    same_w = abs(graph.sparse - w).sum() == 0
    max_diff = float(np.nanmax(np.abs(ours["z"].to_numpy() - ref.Zs)))
    case = {
        "cells": n,
        "cell_size_m": cell,
        "neighbours_nnz": int(w.nnz),
        "source": source,
        "ours_weights_s": t_w,
        "ours_gistar_s": t_ours,
        "ours_total_s": t_w + t_ours,
        "libpysal_graph_build_distance_band_s": t_lib_w,
        "libpysal_graph_from_sparse_s": t_graph,
        "esda_G_Local_s": t_esda,
        "esda_total_s": t_lib_w + t_esda,
        "ours_weights_cpu_s": c_w,
        "ours_gistar_cpu_s": c_ours,
        "libpysal_graph_build_distance_band_cpu_s": c_lib_w,
        "libpysal_graph_from_sparse_cpu_s": c_graph,
        "esda_G_Local_cpu_s": c_esda,
        "speedup_statistic": t_esda / t_ours,
        "speedup_statistic_cpu": c_esda / c_ours,
        "speedup_total_cpu": (c_lib_w + c_esda) / (c_w + c_ours),
        "speedup_total": (t_lib_w + t_esda) / (t_w + t_ours),
        "same_weights_as_libpysal": bool(same_w),
        "max_abs_z_difference": max_diff,
    }
    if n <= esda_permutations_max_cells:
        p_runs = max(1, runs // 2)
        t_op, c_op, _ = median_time(
            lambda: getis_ord_gi_star(y, w, permutations=99, seed=1), p_runs
        )
        t_ep, c_ep, _ = median_time(
            lambda: esda.G_Local(
                y, graph2, star=True, transform="B", permutations=99, seed=1, n_jobs=1
            ),
            p_runs,
        )
        case.update(
            {
                "ours_99_permutations_s": t_op,
                "esda_99_permutations_s": t_ep,
                "speedup_permutations": t_ep / t_op,
                "ours_99_permutations_cpu_s": c_op,
                "esda_99_permutations_cpu_s": c_ep,
                "speedup_permutations_cpu": c_ep / c_op,
            }
        )
    return case


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default=None)
    parser.add_argument("--sides", default="100,317")
    parser.add_argument("--esda-permutations-max-cells", type=int, default=100_000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    results: dict[str, object] = {"machine": machine(), "cases": []}
    cases = []
    for side in (int(s) for s in args.sides.split(",")):
        case = bench_case(side, args.runs, args.esda_permutations_max_cells)
        cases.append(case)
        print(json.dumps(case, indent=1))
    results["cases"] = cases
    results["machine_after"] = machine()
    print(json.dumps(results["machine"]))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
