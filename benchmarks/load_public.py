"""Public-site load test: residents (no sign-in) against gunicorn on loopback, bounded.

The read-path harness of ``load_pages.py`` with the public readers of
``locust_public.py``; prints p50/p95/p99 per page for ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/load_public.py --users 100 --seconds 60 --workers 2

Traffic goes only to 127.0.0.1; the run stops by itself after ``--seconds``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_pages import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--locustfile", "locust_public.py", *sys.argv[1:]]))
