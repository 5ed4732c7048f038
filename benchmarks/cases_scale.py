"""Benchmark: case work at the issue's scale, through the pages.

Run: ``python benchmarks/cases_scale.py [--cases 50000] [--runs 5]`` (fresh SQLite in a
temporary folder unless DATABASE_URL is set). It makes CASES ASB cases with 4 encrypted
parties each (the victim carrying a pseudonymous reference, so the repeat-victim rule has
complaints to read), writes an exchange set of 10 complaints per case (500,000 at the
default scale) with applications and reviews, and times:

* the import of that exchange set (seconds, peak RSS);
* the officer's list (``/cases/mine/``: reviews due, victims not updated, repeat victims,
  Case Review deadlines) and a case page (``/cases/<pk>/``), as full HTTP responses of
  the Django test client, signed in; goal under 300 ms;
* the four Case Review figures for a year; goal under 2 s.

Generated data is synthetic and never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median_ms(fn, runs: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), times


def main(cases: int, runs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="saferhub-cases-scale-"))
    os.environ.setdefault("SAFERHUB_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    from bench_cases import _write_set
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from tests.conftest import verified_client

    from saferhub.accounts.actors import SystemActor
    from saferhub.accounts.models import Agency
    from saferhub.accounts.services import user_create
    from saferhub.cases import crypto
    from saferhub.cases.imports import exchange_import, read_exchange_path
    from saferhub.cases.models import AsbCase, AsbIncident, Case, Party, Person
    from saferhub.cases.services.case_review import case_review_figures

    setup_test_environment()
    call_command("migrate", verbosity=0)
    council = Agency.objects.get_or_create(
        code="bench-council", defaults={"name": "Bench council", "kind": "council"}
    )[0]
    Agency.objects.get_or_create(
        code="bench-police", defaults={"name": "Bench police", "kind": "police"}
    )
    officer = user_create(
        actor=SystemActor.TEST,
        username=f"bench-{time.time_ns()}",
        email="b@example.org",
        agency=council,
        role="asb_officer",
    )
    today = dt.date.today()
    t = time.perf_counter()
    made = Case.objects.bulk_create(
        [
            Case(
                case_type="asb",
                reference=f"ASB-S-{i:06d}",
                lead_agency=council,
                officer=officer if i % 1000 == 0 else None,  # an officer's 50 open cases
                opened_on=dt.date(2024, 1, 1),
            )
            for i in range(cases)
        ],
        batch_size=2000,
    )
    AsbCase.objects.bulk_create(
        [
            AsbCase(
                case=c,
                category="personal",
                basis="person",
                next_review_due=today - dt.timedelta(days=i % 20),
                last_victim_update=today - dt.timedelta(days=i % 30),
            )
            for i, c in enumerate(made)
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Person {i}",
                date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=i % 15000),
                name_dob_index=crypto.blind_index(
                    f"Person {i}", dt.date(1960, 1, 1) + dt.timedelta(days=i % 15000)
                ),
            )
            for i in range(cases * 4)
        ],
        batch_size=2000,
    )
    Party.objects.bulk_create(
        [
            Party(
                case=made[i // 4],
                person=p,
                role="victim" if i % 4 == 0 else "witness",
                article6_basis="public_task",
                source_ref=f"V{i // 4}" if i % 4 == 0 else "",
                notes="Prefers phone calls",
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    AsbIncident.objects.bulk_create(
        [
            AsbIncident(
                case=c,
                behaviour_date=today - dt.timedelta(days=k * 9),
                reported_date=today - dt.timedelta(days=k * 9),
                agency=council,
                description="Shouting in the stairwell",
            )
            for c in made
            for k in range(2)
        ],
        batch_size=2000,
    )
    print(
        f"made {cases:,} cases, {len(people):,} encrypted parties, {cases * 2:,} incidents "
        f"in {time.perf_counter() - t:.0f} s"
    )

    folder = tmp / "set"
    folder.mkdir()
    _write_set(folder, cases, seed=1)
    t = time.perf_counter()
    report = exchange_import(actor=SystemActor.TEST, files=read_exchange_path(folder))
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import of {cases * 10:,} complaints, {cases // 50:,} applications: {seconds:.0f} s, "
        f"peak RSS {peak:.0f} MB, problems {len(report.problems)}"
    )

    client = verified_client(Client(), officer)
    mine = made[len(made) // 2 // 1000 * 1000].pk

    def page(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    for label, url in (
        ("officer's list /cases/mine/", "/cases/mine/"),
        ("case page", f"/cases/{mine}/"),
    ):
        page(url)  # warm
        median, times = _median_ms(lambda u=url: page(u), runs)
        print(f"{label}: median {median:.0f} ms ({', '.join(f'{x:.0f}' for x in times)})")
    median, times = _median_ms(lambda: case_review_figures(year="2024/25"), runs)
    print(f"four figures 2024/25: median {median:.0f} ms ({', '.join(f'{x:.0f}' for x in times)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    main(args.cases, args.runs)
