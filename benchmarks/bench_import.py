"""Benchmark: import the 24 months of Derbyshire street-level crime (219,339 rows).

For SQLite and PostgreSQL, three runs each on a fresh database:

* **SaferHub**: ``police_uk_import`` (checks, placement, ledger, dedupe keys, monthly
  aggregate), timed inside the process after the geography is loaded.
* **Baseline**: what an analyst would script: ``pandas.read_csv`` of each file and
  ``DataFrame.to_sql`` (append) into the same database (SQLAlchemy engine for PostgreSQL).
* **Floor**: the least any importer that meets the issue must do: read, hash and parse
  the files, then store one narrow row per incident against a unique key (see
  ``child_floor``). Its total against the 5x budget (baseline time / 5) tells whether the
  goal can be met at all on this machine.

Each side runs in its own subprocess; its peak memory is the subprocess's peak RSS
(``resource.getrusage``). Prints Markdown tables of the medians.

    .venv/bin/python benchmarks/bench_import.py [--runs 3] [--engines sqlite,postgresql]
        [--pg postgres://postgres@127.0.0.1:5432] [--data-dir PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PG_DB = "saferhub_incidents_bench"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def csv_row_count(folder: Path) -> int:
    total = 0
    for path in sorted(folder.glob("*/*-street.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            total += sum(1 for _ in csv.reader(fh)) - 1
    return total


def child_setup(data_dir: Path) -> dict[str, object]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from saferhub.geography.services import geography_import

    geography_import(actor="benchmark", data_dir=data_dir)
    return {}


def timed_import(paths: list[Path]) -> dict[str, object]:
    """``police_uk_import`` of these paths, timed inside the process."""
    import django

    django.setup()
    from saferhub.incidents.models import Incident
    from saferhub.incidents.services import police_uk_import

    started = time.perf_counter()
    report = police_uk_import(actor="benchmark", paths=paths)
    seconds = time.perf_counter() - started
    return {
        "rows": report.rows_loaded,
        "held": Incident.objects.count(),
        "seconds": seconds,
        "peak_mb": peak_rss_mb(),
    }


def child_saferhub(data_dir: Path) -> dict[str, object]:
    return timed_import([data_dir / "police_uk" / "derbyshire"])


def child_one_file(data_dir: Path) -> dict[str, object]:
    """The same rows as one file (the 24 months' rows under one header, written to a
    temporary folder): memory must not grow with the size of a file either."""
    paths = sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "derbyshire-24-months-street.csv"
        with one.open("wb") as out:
            for i, path in enumerate(paths):
                lines = path.read_bytes().splitlines(keepends=True)
                out.writelines(lines if i == 0 else lines[1:])
        return timed_import([one])


def child_baseline(data_dir: Path) -> dict[str, object]:
    import pandas as pd

    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        import sqlite3

        con: object = sqlite3.connect(url.split("sqlite:///", 1)[1])
    else:
        from sqlalchemy import create_engine

        con = create_engine(url.replace("postgres://", "postgresql+psycopg://", 1))
    started = time.perf_counter()
    rows = 0
    for path in sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv")):
        frame = pd.read_csv(path)
        frame.to_sql("baseline_street", con, if_exists="append", index=False)  # type: ignore[arg-type]
        rows += len(frame)
    seconds = time.perf_counter() - started
    if url.startswith("sqlite"):
        held = con.execute("SELECT COUNT(*) FROM baseline_street").fetchone()[0]  # type: ignore[attr-defined]
        con.close()  # type: ignore[attr-defined]
    else:
        from sqlalchemy import text

        with con.connect() as c:  # type: ignore[attr-defined]
            held = c.execute(text("SELECT COUNT(*) FROM baseline_street")).scalar()
    return {"rows": rows, "held": held, "seconds": seconds, "peak_mb": peak_rss_mb()}


def child_floor(data_dir: Path) -> dict[str, object]:
    """The least any importer that meets the issue must do, timed in two parts.

    * read: read every file, hash it (the ledger) and parse it (pandas' C reader, as
      the baseline does);
    * store: write one narrow row per incident (its key, month, category and LSOA as
      numbers) into a table with a unique index on the key (a second import must change
      nothing), in one transaction, by the fastest path each driver has (many rows per
      statement on SQLite, ``COPY`` of prepared text on PostgreSQL), in key order;
      building and sorting the rows is not timed.

    No placement, no checks, no aggregate, no ledger rows: a lower bound, not an importer.
    """
    import hashlib
    import io
    from itertools import chain

    import pandas as pd

    url = os.environ["DATABASE_URL"]
    paths = sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))
    pd.read_csv(paths[0])  # pandas' first call loads modules: not part of the floor
    started = time.perf_counter()
    frames = []
    for path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        frame = pd.read_csv(io.BytesIO(data))  # as fast as pandas reads: as the baseline
        frame["file"] = path.name
        frames.append(frame)
    read_s = time.perf_counter() - started

    every = pd.concat(frames, ignore_index=True)
    ids = every["Crime ID"].fillna("").to_numpy(dtype=object)
    where = every["file"] + ":" + every.index.astype(str)
    keys = [i if i else w for i, w in zip(ids, where)]
    keys = [
        k if n == 0 else f"{k}#{n}" for k, n in zip(keys, pd.Series(keys).groupby(keys).cumcount())
    ]
    months = every["Month"].str.replace("-", "").astype(int).tolist()
    categories = pd.factorize(every["Crime type"])[0].tolist()
    lsoas = pd.factorize(every["LSOA code"].fillna(""))[0].tolist()
    rows = sorted(zip(keys, months, categories, lsoas))  # key order fills the index in order
    table = "floor_incident"
    if url.startswith("sqlite"):
        import sqlite3

        con = sqlite3.connect(url.split("sqlite:///", 1)[1])
        con.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
            "month INTEGER, category INTEGER, lsoa INTEGER)"
        )
        con.commit()
        per = 200
        one = "(?, ?, ?, ?)"
        full = len(rows) - len(rows) % per
        flat = list(chain.from_iterable(rows[:full]))
        started = time.perf_counter()
        sql = f"INSERT INTO {table} (key, month, category, lsoa) VALUES "
        con.executemany(
            sql + ", ".join([one] * per),
            (flat[i : i + per * 4] for i in range(0, len(flat), per * 4)),
        )
        con.execute(
            sql + ", ".join([one] * (len(rows) - full)), list(chain.from_iterable(rows[full:]))
        )
        con.commit()
        store_s = time.perf_counter() - started
        held = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        con.close()
    else:
        import psycopg

        text = "".join(f"{k}\t{m}\t{c}\t{x}\n" for k, m, c, x in rows).encode()
        with psycopg.connect(url) as con:
            con.execute(
                f"CREATE TABLE {table} (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, "
                "month integer, category integer, lsoa integer)"
            )
            con.commit()
            started = time.perf_counter()
            with (
                con.cursor() as cur,
                cur.copy(f"COPY {table} (key, month, category, lsoa) FROM STDIN") as copy,
            ):
                copy.write(text)
            con.commit()
            store_s = time.perf_counter() - started
            held = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    return {
        "rows": len(rows),
        "held": held,
        "seconds": read_s + store_s,
        "read_s": read_s,
        "store_s": store_s,
        "peak_mb": peak_rss_mb(),
    }


CHILDREN = {
    "setup": child_setup,
    "saferhub": child_saferhub,
    "baseline": child_baseline,
    "floor": child_floor,
    "one_file": child_one_file,
}


def run_child(kind: str, env: dict[str, str], data_dir: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_database(engine: str, pg: str, tmp: Path, run: int) -> str:
    if engine == "sqlite":
        path = tmp / f"bench-{run}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        con.execute(f"CREATE DATABASE {PG_DB}")
    return f"{pg}/{PG_DB}"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        mem = "unknown RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem}, Python {platform.python_version()}, "
        f"load average at start {load:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=list(CHILDREN))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
        print(json.dumps(CHILDREN[args.child](args.data_dir)))
        return

    expected = csv_row_count(args.data_dir / "police_uk" / "derbyshire")
    print(f"Machine: {machine()}")
    print(f"Plain CSV row count: {expected:,}")
    lines = [
        "| database | importer | rows loaded | median s | rows/s | peak RSS MB | runs (s) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    floors = [
        "| database | baseline s | 5x goal: budget s | floor: read s | floor: store s "
        "| floor total s | best possible ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for engine in args.engines.split(","):
            results: dict[str, list[dict[str, object]]] = {
                "saferhub": [],
                "baseline": [],
                "floor": [],
            }
            for run in range(args.runs):
                url = fresh_database(engine, args.pg, tmp, run)
                env = {**os.environ, "DATABASE_URL": url, "SAFERHUB_DATA_DIR": str(args.data_dir)}
                run_child("setup", env, args.data_dir)
                for kind in ("saferhub", "baseline", "floor"):
                    result = run_child(kind, env, args.data_dir)
                    results[kind].append(result)
                    print(f"{engine} run {run + 1} {kind}: {result}", flush=True)
            medians = {}
            for kind, runs in results.items():
                secs = [float(r["seconds"]) for r in runs]  # type: ignore[arg-type]
                med = statistics.median(secs)
                rows = int(runs[0]["rows"])  # type: ignore[call-overload]
                held = {int(r["held"]) for r in runs}  # type: ignore[call-overload]
                peak = max(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
                medians[kind] = rows / med
                ok = "" if held == {expected} else f" (held {held}, expected {expected})"
                lines.append(
                    f"| {engine} | {kind} | {rows:,}{ok} | {med:.1f} | {rows / med:,.0f} | "
                    f"{peak:.0f} | {', '.join(f'{s:.1f}' for s in secs)} |"
                )
            lines.append(
                f"| {engine} | ratio | | | {medians['saferhub'] / medians['baseline']:.2f}x | | |"
            )
            read_s = statistics.median(float(r["read_s"]) for r in results["floor"])  # type: ignore[arg-type]
            store_s = statistics.median(float(r["store_s"]) for r in results["floor"])  # type: ignore[arg-type]
            base_s = statistics.median(float(r["seconds"]) for r in results["baseline"])  # type: ignore[arg-type]
            floors.append(
                f"| {engine} | {base_s:.2f} | {base_s / 5:.2f} | {read_s:.2f} | {store_s:.2f} | "
                f"{read_s + store_s:.2f} | {base_s / (read_s + store_s):.1f}x |"
            )
        ones = [
            "| database | one file of 219,339 rows: s | rows/s | peak RSS MB |",
            "|---|---:|---:|---:|",
        ]
        for engine in args.engines.split(","):
            url = fresh_database(engine, args.pg, tmp, 99)
            env = {**os.environ, "DATABASE_URL": url, "SAFERHUB_DATA_DIR": str(args.data_dir)}
            run_child("setup", env, args.data_dir)
            one = run_child("one_file", env, args.data_dir)
            print(f"{engine} one file: {one}", flush=True)
            secs = float(one["seconds"])  # type: ignore[arg-type]
            ones.append(
                f"| {engine} | {secs:.1f} | {int(one['rows']) / secs:,.0f} | "  # type: ignore[call-overload]
                f"{float(one['peak_mb']):.0f} |"  # type: ignore[arg-type]
            )
    print("\n".join(lines))
    print()
    print("\n".join(floors))
    print()
    print("\n".join(ones))


if __name__ == "__main__":
    main()
