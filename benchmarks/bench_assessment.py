"""Benchmark: time and peak memory to produce the Strategic Assessment as HTML, PDF and XLSX.

For Derby (E06000015) and the whole Derbyshire force area, default period (the latest
12 months against the 12 before: 24 months of police.uk data). Each (area, format) runs
in a fresh process so its peak resident memory is its own and nothing is cached:

    .venv/bin/python benchmarks/bench_assessment.py [--areas E06000015 E23000026]
        [--formats html pdf xlsx] [--source files|imports]

Prints a Markdown table to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
import django
django.setup()
from saferhub.assessment.build import build_assessment
from saferhub.assessment.render import render
area, fmt, source = sys.argv[1], sys.argv[2], sys.argv[3]
t0, c0 = time.perf_counter(), time.process_time()
data = build_assessment(area, source=source)
t1, c1 = time.perf_counter(), time.process_time()
out = render(data, fmt)
t2, c2 = time.perf_counter(), time.process_time()
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"area": data["area"]["name"], "format": fmt, "build_s": t1 - t0,
                  "render_s": t2 - t1, "total_s": t2 - t0,
                  "build_cpu_s": c1 - c0, "render_cpu_s": c2 - c1, "total_cpu_s": c2 - c0, "peak_mib": peak_kib / 1024,
                  "bytes": len(out), "records": data["themes"][0]["volume"]["after"]
                  + next(t for t in data["themes"] if t["key"] == "asb")["volume"]["after"]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", nargs="+", default=["E06000015", "E23000026"])
    parser.add_argument("--formats", nargs="+", default=["html", "pdf", "xlsx"])
    parser.add_argument(
        "--source",
        choices=["auto", "imports", "files"],
        default="files",
        help="files (default): the bundled data files; imports: records imported into SaferHub",
    )
    args = parser.parse_args()
    results = []
    for area in args.areas:
        for fmt in args.formats:
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, area, fmt, args.source],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["wall_s"] = time.perf_counter() - started
            results.append(result)
            print(json.dumps(result), file=sys.stderr)
    load = os.getloadavg()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average at the end {load[0]:.1f}.\n"
    )
    print(
        "| Area | Output | Records this period | Build (s) | Render (s) | Total (s) "
        "| Total CPU (s) | Peak memory (MiB) | Size (KiB) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['area']} | {r['format'].upper()} | {r['records']:,} | {r['build_s']:.1f} | "
            f"{r['render_s']:.1f} | {r['total_s']:.1f} | {r['total_cpu_s']:.1f} | "
            f"{r['peak_mib']:.0f} | {r['bytes'] / 1024:,.0f} |"
        )


if __name__ == "__main__":
    main()
