"""Benchmark: the national geography import, and placing a force's 24 months with it.

Run: ``python benchmarks/bench_national_geography.py [--runs 3] [--force derbyshire]``.
A fresh SQLite database in a temporary folder unless DATABASE_URL is set. Prints, for
each run, the time of ``geography_import`` (first into an empty database, then a refresh
of an unchanged one) and of ``police_uk_import`` of the force's 24 months; peak RSS of
the process; and the median of the runs. The same script runs against any checkout
whose ``saferhub`` is first on ``sys.path`` (to compare with the code before the
national geography: ``PYTHONPATH=<checkout>/src``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--force", default="derbyshire")
    parser.add_argument("--skip-geography", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="saferhub-bench-")
    os.environ.setdefault("SAFERHUB_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    import saferhub
    from saferhub.geography.services import geography_import
    from saferhub.incidents.models import (
        ImportBatch,
        Incident,
        MonthlyCount,
        Outcome,
        RowProblem,
        StopAndSearch,
    )
    from saferhub.incidents.services import police_uk_import

    call_command("migrate", verbosity=0)
    data = Path(settings.DATA_DIR)
    print(f"code: {Path(saferhub.__file__).parent}; database: {connection.vendor}")
    geo_first: list[float] = []
    geo_again: list[float] = []
    force_runs: list[float] = []
    rows = 0
    started = time.perf_counter()
    geography_import(actor="benchmark", data_dir=data)
    geo_first.append(time.perf_counter() - started)
    print(f"geography import (empty database): {geo_first[-1]:.1f} s, peak {peak_mb():.0f} MB")
    for run in range(args.runs):
        if not args.skip_geography and run:
            started = time.perf_counter()
            geography_import(actor="benchmark", data_dir=data)
            geo_again.append(time.perf_counter() - started)
            print(f"geography import (refresh): {geo_again[-1]:.1f} s, peak {peak_mb():.0f} MB")
        for model in (MonthlyCount, RowProblem, Outcome, StopAndSearch, Incident, ImportBatch):
            model.objects.all()._raw_delete(model.objects.db)
        started = time.perf_counter()
        report = police_uk_import(actor="benchmark", paths=[data / "police_uk" / args.force])
        force_runs.append(time.perf_counter() - started)
        rows = report.rows_loaded
        print(f"police.uk {args.force}: {rows:,} rows in {force_runs[-1]:.1f} s")
    print(
        f"median: geography first {geo_first[0]:.1f} s, refresh "
        f"{statistics.median(geo_again) if geo_again else float('nan'):.1f} s; "
        f"{args.force} {statistics.median(force_runs):.1f} s ({rows:,} rows); "
        f"peak RSS {peak_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
