"""Benchmark: reading an area's imported incidents into a DataFrame (``incidents_frame``).

Compares the columnar read (one ``values_list`` straight into a DataFrame, category
names and themes mapped per category) with the earlier row-by-row read (a Python tuple
built per incident), on the records already imported into the configured database:

    .venv/bin/python benchmarks/bench_incidents_frame.py [--area E23000026] [--runs 3]

Prints a Markdown table to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402

from saferhub.incidents.models import Category, Incident  # noqa: E402
from saferhub.incidents.selectors import category_themes, incidents_frame  # noqa: E402

START, END = dt.date(1900, 1, 1), dt.date(2999, 12, 1)
FIELDS = [
    "month",
    "category_id",
    "lsoa_code",
    "ward_code",
    "lad_code",
    "csp_code",
    "bng_x",
    "bng_y",
    "longitude",
    "latitude",
    "location",
    "outcome",
    "crime_id",
    "source",
    "victim_ref",
    "location_ref",
]


def row_by_row(area: str) -> pd.DataFrame:
    """The earlier way: one Python tuple per incident, then a DataFrame."""
    qs = Incident.objects.filter(month__gte=START, month__lte=END, force_code=area)
    cat_themes = category_themes()
    names = dict(Category.objects.values_list("pk", "name"))
    rows: list[tuple[Any, ...]] = []
    for rec in qs.values_list(*FIELDS).iterator(chunk_size=20000):
        keys = cat_themes.get(rec[1]) or [""]
        rows.append((rec[0], names[rec[1]], keys[-1], *rec[2:]))
    return pd.DataFrame(rows)


def timed(fn: Any, runs: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        n = len(fn())
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--area", default="derbyshire", help="force code as imported")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    old, n_old = timed(lambda: row_by_row(args.area), args.runs)
    new, n_new = timed(
        lambda: incidents_frame(area_code=args.area, start=START, end=END, level="force"),
        args.runs,
    )
    assert n_old == n_new, (n_old, n_new)
    print("| Read | Records | Median of runs (s) |")
    print("|---|---:|---:|")
    print(f"| row by row (earlier) | {n_old:,} | {old:.2f} |")
    print(f"| columnar (`incidents_frame`) | {n_new:,} | {new:.2f} |")


if __name__ == "__main__":
    main()
