"""Benchmark: does the assessment's time grow with the number of forces held?

Builds Derby's Strategic Assessment (E06000015, default period: 24 months) from the
imported records with one force held (Derbyshire's 24 police.uk months), then imports a
second force's 24 months (Nottinghamshire) into the same database and builds it again.
The goal is a ratio (two forces / one force) under 1.2: the assessment reads only its own
area and months (docs/decisions/0213).

    .venv/bin/python benchmarks/assessment_forces.py [--runs 5] [--database sqlite|URL]

Uses a new SQLite file in a temporary folder by default (or the PostgreSQL database
given, which it empties first: never point it at a database you need). Each timing is
the median of ``--runs`` builds after one warm-up build (the warm-up fills the caches of
the LSOA contiguity weights and reference tables, as a second run on a server would).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
DERBY = "E06000015"


def _setup(database: str) -> None:
    if database == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="saferhub-forces-"))
        database = f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ["SAFERHUB_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    # SAFERHUB_BENCH_SRC: time another copy of the code (e.g. an export of main) on the same data.
    sys.path.insert(0, os.environ.get("SAFERHUB_BENCH_SRC", str(REPO / "src")))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _time_builds(runs: int) -> tuple[float, list[float], int]:
    from saferhub.assessment.build import build_assessment

    build_assessment(DERBY, source="imports")  # warm-up
    times = []
    records = 0
    for _ in range(runs):
        started = time.perf_counter()
        data = build_assessment(DERBY, source="imports")
        times.append(time.perf_counter() - started)
        records = int(data["themes"][0]["volume"]["after"])
    return statistics.median(times), times, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    _setup(args.database)
    from django.db import connection

    from saferhub.geography.services import geography_import
    from saferhub.incidents.models import Incident
    from saferhub.incidents.services import police_uk_import

    sys.path.insert(0, str(REPO))
    from benchmarks._common import machine

    started = time.perf_counter()
    geography_import(actor="benchmark", data_dir=DATA)
    police_uk_import(
        actor="benchmark", paths=sorted((DATA / "police_uk" / "derbyshire").glob("20*"))
    )
    one_import = time.perf_counter() - started
    rows_one = Incident.objects.count()
    one, one_runs, records = _time_builds(args.runs)
    started = time.perf_counter()
    police_uk_import(
        actor="benchmark", paths=sorted((DATA / "police_uk" / "nottinghamshire").glob("20*"))
    )
    two_import = time.perf_counter() - started
    rows_two = Incident.objects.count()
    two, two_runs, records_two = _time_builds(args.runs)
    facts = machine()
    print(
        f"Machine: {facts['cpu']}, {facts['nproc']} CPUs, {facts['memory']}, Python "
        f"{facts['python']}; {connection.vendor}; load average at the end "
        f"{os.getloadavg()[0]:.1f}. Median of {args.runs} builds after one warm-up.\n"
    )
    print(
        "| Forces held | Incidents held | Derby's all-crime records this period "
        "| Derby build, median (s) | Runs (s) |"
    )
    print("|---|---:|---:|---:|---|")
    for label, rows, count, median, runs in (
        ("Derbyshire", rows_one, records, one, one_runs),
        ("Derbyshire + Nottinghamshire", rows_two, records_two, two, two_runs),
    ):
        times = ", ".join(f"{t:.2f}" for t in runs)
        print(f"| {label} | {rows:,} | {count:,} | {median:.2f} | {times} |")
    print(f"\nRatio (two forces / one): {two / one:.2f} (goal < 1.2).")
    print(
        f"Imports: Derbyshire with the geography {one_import:.0f} s, "
        f"Nottinghamshire {two_import:.0f} s."
    )


if __name__ == "__main__":
    main()
