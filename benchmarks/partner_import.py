"""Benchmark: importing a partner file (council ASB CSV by day with LSOA codes).

Builds a CSV of ``--rows`` rows from the real Derbyshire LSOA codes, imports it through
``partner_import`` into a fresh database (SQLite by default, or ``--database-url``), and
reports rows per second and the peak resident memory of the process. It then imports the
same file again (the ledger skips it) and an edited copy whose rows are all already held
(every row checked against its stable key). Not a test: run it by hand, e.g.

    python benchmarks/partner_import.py --rows 100000
    python benchmarks/partner_import.py --rows 100000 --database-url postgres://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="saferhub-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from saferhub.geography.models import Lsoa
    from saferhub.geography.services import geography_import
    from saferhub.incidents.models import Incident, Theme
    from saferhub.incidents.partner import partner_import, partner_source_create

    call_command("migrate", verbosity=0)
    if Incident.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    geography_import(actor="benchmark", data_dir=Path(settings.DATA_DIR))
    codes = list(
        Lsoa.objects.filter(
            lad_code__in=[
                "E06000015",
                "E07000032",
                "E07000033",
                "E07000034",
                "E07000035",
                "E07000036",
                "E07000037",
                "E07000038",
                "E07000039",
            ]
        ).values_list("code", flat=True)
    )
    rng = random.Random(1)
    path = work / "council-asb.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date Reported", "ASB Type", "LSOA Code", "Description"])
        for _ in range(args.rows):
            writer.writerow(
                [
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024",
                    rng.choice(
                        ["Noise", "Neighbour dispute", "Youth nuisance", "Vehicle nuisance"]
                    ),
                    rng.choice(codes),
                    "free text that is never stored",
                ]
            )
    source = partner_source_create(
        actor="benchmark",
        name="Council ASB",
        default_theme=Theme.objects.get(key="asb"),
        date_column="Date Reported",
        category_column="ASB Type",
        location_kind="lsoa",
        area_column="LSOA Code",
        ignored_columns=["Description"],
    )
    before = peak_mb()
    started = time.perf_counter()
    report = partner_import(actor="benchmark", source=source, path=path)
    first = time.perf_counter() - started
    assert report.rows_loaded == args.rows, report.message
    assert Incident.objects.count() == args.rows
    started = time.perf_counter()
    again = partner_import(actor="benchmark", source=source, path=path)
    second = time.perf_counter() - started
    copy = work / "council-asb-copy.csv"
    copy.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))  # new bytes, same rows
    started = time.perf_counter()
    held = partner_import(actor="benchmark", source=source, path=copy)
    third = time.perf_counter() - started
    assert again.status == "already_imported" and held.rows_duplicate == args.rows
    print(f"engine: {connection.vendor}")
    print(f"rows: {args.rows:,}")
    print(f"first import: {first:.2f} s, {args.rows / first:,.0f} rows/s")
    print(f"same file again (ledger): {second:.3f} s")
    print(
        f"same rows, new bytes (all already held): {third:.2f} s, {args.rows / third:,.0f} rows/s"
    )
    print(
        f"peak RSS: {peak_mb():.0f} MB (after geography import, before partner import: {before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
