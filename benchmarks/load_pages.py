"""Read-path load test: signed-in users against gunicorn on loopback, bounded in time.

Runs against a database that already holds imported data and the demo users (the README's
``scripts/start`` makes one; for PostgreSQL set ``DATABASE_URL`` and run the same imports).
Starts gunicorn on a free loopback port, runs Locust headless (``locust_pages.py``) for
``--seconds`` with ``--users`` concurrent users, stops both, and prints p50/p95/p99 and
errors per page, and requests per second, as the lines for ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/load_pages.py --users 50 --seconds 300 --workers 4 \
        --area csp/E22000XXX

Traffic goes only to 127.0.0.1; the run stops by itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--area", default="", help="level/code of the area page, e.g. csp/E22...")
    parser.add_argument("--username", default="analyst")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--locustfile", default="locust_pages.py", help="the Locust users, in benchmarks/"
    )
    args = parser.parse_args(argv)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DEBUG="false", PYTHONPATH=str(REPO / "src"))
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "saferhub.config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--log-level=warning",
        ],
        env=env,
        cwd=REPO,
    )
    try:
        wait_until_up(f"{host}/healthz/")
        with tempfile.TemporaryDirectory() as out:
            prefix = Path(out) / "load"
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(HERE / args.locustfile),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.users}",
                    f"--run-time={args.seconds}s",
                    f"--host={host}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--stop-timeout=10",
                ],
                env=dict(
                    env,
                    SAFERHUB_LOAD_USERNAME=args.username,
                    SAFERHUB_LOAD_AREA=args.area,
                ),
                check=False,
                timeout=args.seconds + 120,
            )
            rows = report(Path(f"{prefix}_stats.csv"), args)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


def report(stats: Path, args: argparse.Namespace) -> list[dict[str, str]]:
    print(
        f"\n{args.users} users, {args.seconds} s, gunicorn {args.workers} workers x "
        f"{args.threads} threads, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    print("| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    with stats.open() as f:
        rows = list(csv.DictReader(f))
        for row in rows:
            print(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
                f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
            )
    return rows


if __name__ == "__main__":
    sys.exit(main())
