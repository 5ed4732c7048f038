"""Benchmark the Knox test: k-d tree pairs against a dense distance matrix.

Run: ``python benchmarks/bench_nearrepeat.py [--runs N] [--json PATH]``.

Each measurement runs in a fresh Python process so that its peak resident
memory (``ru_maxrss``) is its own. Events are real police.uk Derbyshire 2024
locations (British National Grid, a seeded sample without replacement); as
police.uk gives only the month, each event gets a seeded synthetic day within
its month. 99 permutations throughout. The dense implementation builds the
full n x n distance matrix once and an n x n time-difference matrix per
permutation; it uses the same canonical order and random stream, so its
counts must equal ours exactly (checked).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _common import derbyshire_points, machine
from scipy.spatial.distance import cdist

from saferhub.analysis.nearrepeat import band_edges, knox_test

CONFIGS = {
    "default": {  # the library defaults: 5 x 100 m, 6 x 7 days
        "distance_edges": band_edges(100, 5),
        "time_edges": band_edges(7, 6),
    },
    "wide": {  # 5 x 200 m, 6 x 14 days: many more candidate pairs
        "distance_edges": band_edges(200, 5),
        "time_edges": band_edges(14, 6),
    },
}
PERMUTATIONS = 99
SEED = 12345


def events(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """n events: real locations, month from police.uk, seeded day in month."""
    rng = np.random.default_rng(20240101)
    pts = derbyshire_points()
    if pts is None:
        x = rng.normal(435_000, 8_000, n)
        y = rng.normal(360_000, 12_000, n)
        return x, y, rng.integers(0, 366, n), "synthetic (real data absent)"
    x, y, month_day = pts
    if n > x.size:  # top up with jittered copies of real points
        extra = rng.integers(0, x.size, n - x.size)
        x = np.r_[x, x[extra] + rng.normal(0, 50, extra.size)]
        y = np.r_[y, y[extra] + rng.normal(0, 50, extra.size)]
        month_day = np.r_[month_day, month_day[extra]]
        source = f"{pts[0].size:,} real + {extra.size:,} jittered copies"
    else:
        source = f"police.uk Derbyshire 2024 ({pts[0].size:,} points), sample of {n:,}"
    pick = rng.choice(x.size, size=n, replace=False)
    day = month_day[pick] + rng.integers(0, 28, n)
    return x[pick], y[pick], day, source


def dense_knox(x, y, t, distance_edges, time_edges, permutations, seed):
    """Straightforward dense-matrix Knox test (same conventions and stream)."""
    order = np.lexsort((t, y, x))
    xy = np.column_stack([x[order], y[order]])
    ts = t[order] - t.min()
    n = ts.size
    d = cdist(xy, xy, metric="cityblock")
    metres = np.floor(d + 0.5)
    del d
    band = np.where(metres == 0, 0, np.searchsorted(distance_edges, metres, side="left") + 1)
    del metres
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    band_u = band[upper].astype(np.int64)
    del band
    n_d, n_t = len(distance_edges) + 1, len(time_edges)

    def count(times):
        dt = np.abs(times[:, None] - times[None, :])[upper]
        tb = np.searchsorted(time_edges, dt, side="left")
        ok = (band_u < n_d) & (tb < n_t)
        return np.bincount(band_u[ok] * n_t + tb[ok], minlength=n_d * n_t).reshape(n_d, n_t)

    rng = np.random.default_rng(seed)
    observed = count(ts)
    simulated = np.stack([count(ts[rng.permutation(n)]) for _ in range(permutations)])
    return observed, simulated


def one(impl: str, n: int, config: str, workers: int, runs: int) -> dict[str, object]:
    x, y, t, source = events(n)
    cfg = CONFIGS[config]
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    cpu_times = []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        if impl == "ours":
            r = knox_test(
                x,
                y,
                t,
                **cfg,
                metric="manhattan",
                permutations=PERMUTATIONS,
                seed=SEED,
                workers=workers,
            )
            observed, simulated, pairs = r.observed, r.simulated, r.n_candidate_pairs
        else:
            observed, simulated = dense_knox(
                x, y, t, cfg["distance_edges"], cfg["time_edges"], PERMUTATIONS, SEED
            )
            pairs = n * (n - 1) // 2
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    digest = hashlib.sha256(np.ascontiguousarray(simulated, dtype=np.int64).tobytes()).hexdigest()
    return {
        "impl": impl,
        "events": n,
        "config": config,
        "workers": workers,
        "runs": runs,
        "median_s": statistics.median(times),
        "times_s": times,
        "median_cpu_s": statistics.median(cpu_times),
        "pairs": int(pairs),
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": peak_mb,
        "observed_total": int(observed.sum()),
        "simulated_sha256": digest,
        "source": source,
    }


PLAN = [
    ("ours", 2_000, "default", 1),
    ("dense", 2_000, "default", 1),
    ("ours", 10_000, "default", 1),
    ("dense", 10_000, "default", 1),
    ("ours", 10_000, "wide", 1),
    ("ours", 100_000, "default", 1),
    ("ours", 100_000, "default", 2),
    ("ours", 100_000, "wide", 2),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dense-runs", type=int, default=1)
    parser.add_argument("--json", default=None)
    parser.add_argument("--one", nargs=5, metavar=("IMPL", "N", "CONFIG", "WORKERS", "RUNS"))
    args = parser.parse_args()
    if args.one:
        impl, n, config, workers, runs = args.one
        print(json.dumps(one(impl, int(n), config, int(workers), int(runs))))
        return
    results: dict[str, object] = {"machine": machine()}
    rows = []
    for impl, n, config, workers in PLAN:
        runs = args.runs if impl == "ours" else args.dense_runs
        cmd = [
            sys.executable,
            str(Path(__file__)),
            "--one",
            impl,
            str(n),
            config,
            str(workers),
            str(runs),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "simulated_sha256"}), flush=True)
    for row in rows:
        if row["impl"] == "dense":
            twin = next(
                r
                for r in rows
                if r["impl"] == "ours"
                and r["events"] == row["events"]
                and r["config"] == row["config"]
            )
            row["equal_to_ours"] = (
                twin["simulated_sha256"] == row["simulated_sha256"]
                and twin["observed_total"] == row["observed_total"]
            )
            row["speedup_ours"] = row["median_s"] / twin["median_s"]
            row["speedup_ours_cpu"] = row["median_cpu_s"] / twin["median_cpu_s"]
            print(
                row["events"],
                "dense equals ours:",
                row["equal_to_ours"],
                "speed-up",
                row["speedup_ours"],
            )
    results["rows"] = rows
    results["machine_after"] = machine()
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
