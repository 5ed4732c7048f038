"""Board report PDF under 20 parallel requests: gunicorn on loopback, p50/p95/max.

Runs against a database that holds imported data, the demo users and indicators (the
README's ``scripts/start`` makes one; or ``saferhub migrate``, ``saferhub demo``,
``saferhub import geography``, ``saferhub import police-uk DATA``, ``saferhub performance
demo --area E06000015``). Starts gunicorn on a free loopback port, signs in as a viewer,
then sends ``--requests`` parallel requests for the PDF ``--rounds`` times. The first
round finds no cached PDF for the current version (the cache folder is emptied first):
one request renders, the others wait for it; later rounds read the file. Prints the
lines for ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/board_pdf_parallel.py --requests 20 --rounds 3 --workers 4

Traffic goes only to 127.0.0.1; the run is bounded by ``--requests`` x ``--rounds``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from load_pages import free_port, wait_until_up  # noqa: E402


def sign_in(host: str, username: str, password: str) -> str:
    """The session cookie header of a signed-in user."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}/accounts/login/", timeout=60).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    opener.open(f"{host}/accounts/login/", data=body, timeout=60)  # noqa: S310
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "sign-in failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url: str, cookie: str) -> tuple[float, int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
        body = response.read()
        cache = response.headers.get("X-SaferHub-Cache", "")
    elapsed = time.perf_counter() - start
    assert body.startswith(b"%PDF"), "not a PDF"
    return elapsed, response.status, cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quarter", default="2024-Q4")
    parser.add_argument("--username", default="board")
    parser.add_argument("--password", default="saferhub-demo-password")
    args = parser.parse_args(argv)

    var_dir = Path(os.environ.get("SAFERHUB_VAR_DIR", REPO / "var"))
    shutil.rmtree(var_dir / "cache" / "board-reports", ignore_errors=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DEBUG="false", PYTHONPATH=str(REPO / "src"))
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "saferhub.config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--timeout=300",
            "--log-level=warning",
        ],
        env=env,
        cwd=REPO,
    )
    try:
        wait_until_up(f"{host}/healthz/", seconds=300)
        cookie = sign_in(host, args.username, args.password)
        url = f"{host}/performance/board-report.pdf?quarter={args.quarter}"
        print(
            f"{args.requests} parallel requests x {args.rounds} rounds, gunicorn "
            f"{args.workers} workers x {args.threads} threads, {os.cpu_count()} CPUs, "
            f"load {os.getloadavg()[0]:.2f}"
        )
        print("| round | cache | p50 s | p95 s | max s |")
        print("|---|---|---|---|---|")
        for n in range(1, args.rounds + 1):
            with ThreadPoolExecutor(max_workers=args.requests) as pool:
                results = list(pool.map(lambda _: fetch(url, cookie), range(args.requests)))
            times = sorted(r[0] for r in results)
            p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
            caches = ", ".join(f"{c} {sum(r[2] == c for r in results)}" for c in ("miss", "hit"))
            print(
                f"| {n} | {caches} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
