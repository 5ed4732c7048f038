"""Benchmark: import an action plan spreadsheet of N actions, then import it again.

Run: ``python benchmarks/actions_import.py [N]`` (default 2,000 rows). It uses a fresh
SQLite database in a temporary folder unless DATABASE_URL is set, and prints the time
of the first import (every row created and audited) and of the second (every row
unchanged), and of the year-end summary.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time


def main(rows: int) -> None:
    tmp = tempfile.mkdtemp(prefix="saferhub-bench-")
    os.environ.setdefault("SAFERHUB_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from openpyxl import Workbook

    from saferhub.accounts.models import Agency
    from saferhub.actions.imports import action_plan_import
    from saferhub.actions.selectors import year_end_summary
    from saferhub.actions.services import plan_create

    call_command("migrate", verbosity=0)
    partners = ["Police", "Rykneld Homes", "NEDDC", "Probation Service", "PCT", "DFRS"]
    for name in partners:
        Agency.objects.get_or_create(
            code=name.lower().replace(" ", "-"), defaults={"name": name, "kind": "other"}
        )
    plan = plan_create(
        actor="benchmark",
        title=f"Benchmark {time.time()}",
        starts_on=dt.date(2010, 4, 1),
        ends_on=dt.date(2011, 3, 31),
    )
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Reference",
            "Priority",
            "Action team",
            "Term",
            "Action",
            "Lead partner(s)",
            "Due date",
            "Quantity target",
            "Success indicator",
        ]
    )
    for i in range(rows):
        ws.append(
            [
                f"B{i:05d}",
                f"Priority {i % 4 + 1}",
                f"Action team {i % 7 + 1}",
                ["Short", "Medium", "Long"][i % 3],
                f"Action number {i} by June 2010",
                "/".join(partners[j % len(partners)] for j in range(i % 3 + 1)),
                "",
                f"{(i % 50) * 10 + 10} homes",
                "Reduce serious acquisitive crime from 813 to at least 796",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()

    start = time.perf_counter()
    first = action_plan_import(actor="benchmark", plan=plan, filename="bench.xlsx", content=content)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    second = action_plan_import(
        actor="benchmark", plan=plan, filename="bench.xlsx", content=content
    )
    second_s = time.perf_counter() - start
    start = time.perf_counter()
    year_end_summary(plan)
    summary_s = time.perf_counter() - start
    engine = django.db.connection.vendor
    print(f"engine: {engine}; rows: {rows}")
    print(
        f"first import: {len(first.created)} created in {first_s:.2f} s ({rows / first_s:,.0f} rows/s)"
    )
    print(f"second import: {len(second.unchanged)} unchanged in {second_s:.2f} s")
    print(f"year-end summary: {summary_s * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
