"""Benchmark: judging Derby's indicators and building the Board report (page data, PDF, XLSX).

Run against a database that holds the imported data and the demo indicators:

    saferhub migrate && saferhub import geography && saferhub import police-uk DATA
    saferhub performance demo --area E06000015
    python benchmarks/performance_report.py [--repeat 3]

Prints the best of ``--repeat`` wall-clock times for each step.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    from saferhub.accounts.models import User
    from saferhub.performance import reports, selectors, services
    from saferhub.performance.models import Indicator

    # A reader who sees every indicator (not saved: the benchmark writes no user).
    user = User(username="benchmark", is_superuser=True, is_active=True)
    n = Indicator.objects.filter(archived_at__isnull=True).count()
    print(f"{n} indicators")
    t, _ = best_of(
        args.repeat, lambda: [selectors.indicator_judgement(i) for i in Indicator.objects.all()]
    )
    print(f"judge every indicator: {t:.3f} s")
    t, _ = best_of(args.repeat, lambda: services.measurements_refresh(actor="benchmark"))
    print(f"refresh (nothing changed): {t:.3f} s")
    t, report = best_of(args.repeat, lambda: reports.board_report(user=user, quarter="2024-Q4"))
    print(f"Board report content: {t:.3f} s")
    t, pdf = best_of(args.repeat, lambda: reports.board_report_pdf(report))
    print(f"Board report PDF: {t:.3f} s ({len(pdf):,} bytes)")
    t, xlsx = best_of(args.repeat, lambda: reports.board_report_xlsx(report))
    print(f"Board report XLSX: {t:.3f} s ({len(xlsx):,} bytes)")


if __name__ == "__main__":
    main()
