"""Benchmark: case work at scale.

Run: ``python benchmarks/bench_cases.py [CASES]`` (default 2,000; the issue's scale is
50,000 cases with 4 parties each and 10 complaints per case). It uses a fresh SQLite
database in a temporary folder unless DATABASE_URL is set. It writes an exchange set
(complaints.csv, applications.csv, reviews.csv), times its import (and peak memory), then
times the officer's case list, one case page's reads, and the four Case Review figures.
Parties are created with their encrypted fields through bulk inserts, so the figure for
creating them is the encryption cost, not the audit's.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path


def _write_set(folder: Path, cases: int, seed: int) -> None:
    rng = random.Random(seed)
    start = dt.date(2023, 4, 1)
    with (folder / "complaints.csv").open("w") as out:
        out.write(
            "complaint_ref,victim_ref,behaviour_date,reported_date,agency_code,location_ref\n"
        )
        for i in range(cases * 10):
            victim = rng.randrange(cases)
            day = start + dt.timedelta(days=rng.randrange(730))
            reported = day + dt.timedelta(days=rng.choice([0, 0, 1, 3, 40]))
            agency = rng.choice(["bench-council", "bench-police"])
            out.write(f"C{i},V{victim},{day},{reported},{agency},L{victim % 997}\n")
    with (folder / "applications.csv").open("w") as out, (folder / "reviews.csv").open("w") as rev:
        out.write("application_ref,victim_ref,received_date,applicant_type,consent\n")
        rev.write("application_ref,review_date,recommendations\n")
        for i in range(cases // 50):
            received = start + dt.timedelta(days=180 + rng.randrange(540))
            out.write(f"A{i},V{rng.randrange(cases // 2)},{received},victim,\n")
            if i % 3 == 0:
                rev.write(f"A{i},{received + dt.timedelta(days=30)},{rng.randrange(4)}\n")


def _timed(label: str, fn, repeat: int = 3) -> object:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    print(f"{label}: median {sorted(times)[len(times) // 2] * 1000:.0f} ms")
    return result


def main(cases: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="saferhub-bench-"))
    os.environ.setdefault("SAFERHUB_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from saferhub.accounts.actors import SystemActor
    from saferhub.accounts.models import Agency
    from saferhub.accounts.services import user_create
    from saferhub.cases import crypto
    from saferhub.cases.imports import exchange_import, read_exchange_path
    from saferhub.cases.models import AsbCase, Case, Party, Person
    from saferhub.cases.selectors import case_get_for_user, cases_for_user
    from saferhub.cases.services.case_review import case_review_figures

    call_command("migrate", verbosity=0)
    council = Agency.objects.get_or_create(
        code="bench-council", defaults={"name": "Bench council", "kind": "council"}
    )[0]
    Agency.objects.get_or_create(
        code="bench-police", defaults={"name": "Bench police", "kind": "police"}
    )
    officer = user_create(
        actor=SystemActor.TEST,
        username=f"bench-{time.time()}",
        email="b@example.org",
        agency=council,
        role="asb_officer",
    )
    t = time.perf_counter()
    made = Case.objects.bulk_create(
        [
            Case(
                case_type="asb",
                reference=f"ASB-B-{time.time_ns()}-{i}",
                lead_agency=council,
                officer=officer if i % 100 == 0 else None,
                opened_on=dt.date(2024, 1, 1),
            )
            for i in range(cases)
        ],
        batch_size=2000,
    )
    AsbCase.objects.bulk_create(
        [AsbCase(case=c, category="personal", basis="person") for c in made], batch_size=2000
    )
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Person {i}",
                date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
                name_dob_index=crypto.blind_index(f"Person {i}", dt.date(1980, 1, 1)),
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
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    print(
        f"{cases} cases, {len(people)} parties (encrypted) created in {time.perf_counter() - t:.1f} s"
    )

    folder = tmp / "set"
    folder.mkdir()
    _write_set(folder, cases, seed=1)
    t = time.perf_counter()
    report = exchange_import(actor=SystemActor.TEST, files=read_exchange_path(folder))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import of {cases * 10} complaints: {time.perf_counter() - t:.1f} s, peak RSS {peak:.0f} MB, problems {len(report.problems)}"
    )

    _timed(
        "officer's case list (first 50)",
        lambda: list(cases_for_user(user=officer).filter(officer=officer)[:50]),
    )
    one = made[len(made) // 2].pk
    _timed(
        "case page reads",
        lambda: (
            case_get_for_user(user=officer, id=one),
            list(Party.objects.filter(case_id=one).select_related("person")),
        ),
    )
    _timed("four figures 2024/25", lambda: case_review_figures(year="2024/25"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
