"""Drill: restart PostgreSQL under requests and an import, and check recovery.

What it does (loopback only, bounded in time):

1. makes a scratch database ``saferhub_drill`` on the local PostgreSQL, migrates it;
2. starts gunicorn in production mode against it (2 workers, persistent connections with
   health checks, as the operator guide configures);
3. reads ``/healthz/`` (a database query) and the sign-in page in a loop, and starts an
   import of three real police.uk months with ``saferhub import police-uk``;
4. restarts PostgreSQL (``pg_ctlcluster VERSION main restart``) while both run;
5. keeps reading for ``--after`` seconds, then runs the same import again.

It prints what each side saw: the statuses during the restart (503 with the "service is
unavailable" page is the clear error expected; never a 500 or a traceback), how long
pages failed, whether pages recovered without restarting gunicorn, how the import that
was cut ended (a clear message and nothing kept, or finished before the restart), and
that the second import left exactly the files' rows. It exits non-zero if any of that
does not hold. It restarts the machine's PostgreSQL: run it where nothing else uses it.

    .venv/bin/python benchmarks/drill_postgres_restart.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from load_pages import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "police_uk"
BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"


def psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"{PG}/{database}", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def reader(host: str, stop: threading.Event, seen: list[tuple[float, str, int]]) -> None:
    """Read two pages in a loop; record (time, page, status) with 0 for no answer."""
    start = time.monotonic()
    while not stop.is_set():
        for page in ["/healthz/", "/accounts/login/"]:
            request = urllib.request.Request(host + page, headers={"X-Forwarded-Proto": "https"})
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
                    status = answer.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            seen.append((time.monotonic() - start, page, status))
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=float, default=3.0, help="seconds before the restart")
    parser.add_argument("--after", type=float, default=10.0, help="seconds after it")
    parser.add_argument("--cluster", default=sorted(os.listdir("/etc/postgresql"))[-1])
    args = parser.parse_args(argv)

    psql("DROP DATABASE IF EXISTS saferhub_drill")
    psql("CREATE DATABASE saferhub_drill")
    url = f"{PG}/saferhub_drill"
    env = dict(
        os.environ,
        SAFERHUB_MODE="production",
        SECRET_KEY="drill-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=url,
        SAFERHUB_DATA_DIR=str(DATA.parent),
        PYTHONPATH=str(REPO / "src"),
    )
    cli = [sys.executable, "-m", "saferhub"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "saferhub.config.wsgi", f"--bind=127.0.0.1:{port}", "-w", "2"],
        env=env,
        cwd=REPO,
        stderr=subprocess.DEVNULL,
    )
    files = sorted(str(p) for p in (DATA / "derbyshire").glob("2024-0[1-3]/*-street.csv"))
    seen: list[tuple[float, str, int]] = []
    stop = threading.Event()
    ok = True
    try:
        wait_until_up(f"{host}/healthz/")
        thread = threading.Thread(target=reader, args=(host, stop, seen), daemon=True)
        thread.start()
        time.sleep(args.before)
        cut = subprocess.Popen(
            [*cli, "import", "police-uk", *files],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)
        restart_at = time.monotonic()
        subprocess.run(["pg_ctlcluster", args.cluster, "main", "restart"], check=True)
        restarted = time.monotonic() - restart_at
        cut_out, cut_err = cut.communicate(timeout=600)
        time.sleep(args.after)
        stop.set()
        thread.join(timeout=10)

        bad = [(t, p, s) for t, p, s in seen if s != 200]
        print(f"PostgreSQL restart took {restarted:.1f} s")
        print(f"requests: {len(seen)}, statuses: {dict(Counter(s for _, _, s in seen))}")
        if bad:
            print(f"pages failed from {bad[0][0]:.1f} s to {bad[-1][0]:.1f} s of the run")
        tail = [s for t, _, s in seen if t > seen[-1][0] - args.after / 2]
        recovered = bool(tail) and all(s == 200 for s in tail)
        print(f"pages recovered without restarting gunicorn: {recovered}")
        unclear = [s for _, _, s in bad if s not in {0, 503}]
        print(f"answers other than 503 or no answer while down: {unclear or 'none'}")
        ok &= recovered and not unclear

        traceback = "Traceback" in cut_err
        print(
            f"import cut by the restart: exit {cut.returncode}; "
            f"{(cut_err.strip().splitlines() or [''])[-1][:300] or cut_out.strip()[-200:]}"
        )
        ok &= not traceback
        held = int(psql("SELECT COUNT(*) FROM incidents_incident", "saferhub_drill"))
        print(f"incidents held after the cut import: {held:,}")
        again = subprocess.run(
            [*cli, "import", "police-uk", *files], env=env, capture_output=True, text=True
        )
        rows = sum(len(Path(f).read_bytes().splitlines()) - 1 for f in files)
        held = int(psql("SELECT COUNT(*) FROM incidents_incident", "saferhub_drill"))
        print(f"after importing again: exit {again.returncode}, {held:,} incidents, files {rows:,}")
        ok &= again.returncode == 0 and held == rows
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        psql("DROP DATABASE IF EXISTS saferhub_drill WITH (FORCE)")
    print("drill passed" if ok else "drill FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
