"""Benchmark: the ranked register, a problem's page and a tasking agenda with 2,000 problems.

Goals (the issue's): ranked register under 500 ms, problem page under 300 ms, agenda under
2 s. Run against a database that holds the imported data:

    saferhub migrate && saferhub import geography && saferhub import police-uk DATA
    python benchmarks/problems_register.py [--problems 2000] [--repeat 3] [--area E06000015]

The problems (at LSOAs and street locations of the area, drawn with a fixed seed) are made
inside a transaction that is rolled back at the end, so the database is left as it was.
Prints the median (and the fastest) of ``--repeat`` wall-clock times of the functions and
of the three pages themselves (through Django's test client, signed in as a partnership
manager), with the machine's load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(repeat: int, fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(median, fastest, last result) of ``repeat`` runs, in seconds."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def show(what: str, goal_ms: float, median: float, fastest: float) -> None:
    print(
        f"{what}: median {median * 1000:.0f} ms, fastest {fastest * 1000:.0f} ms "
        f"(goal {goal_ms:.0f} ms)"
    )


class Rollback(Exception):
    pass


def _otp_verified(client: Any, user: Any) -> None:
    """Pass the second factor for the benchmark's manager (the role needs it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--area", default="E06000015")
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile's top entries for each page"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    import django

    django.setup()
    from django.db import transaction

    from saferhub.accounts.models import Agency
    from saferhub.geography import selectors as geo
    from saferhub.incidents.models import Category, Incident
    from saferhub.problems.measure import change_since_response, problem_series
    from saferhub.problems.models import Problem, TaskingMeeting
    from saferhub.problems.ranking import rank_register
    from saferhub.problems.tasking import agenda_for

    area = geo.area_get(args.area)
    lsoas = sorted(geo.area_lsoa_codes(area))
    locations = list(
        Incident.objects.filter(lsoa_code__in=lsoas)
        .exclude(location="")
        .values_list("lsoa_code", "location")
        .distinct()[:5000]
    )
    categories = list(Category.objects.all()[:14])
    rng = random.Random(20250115)
    try:
        with transaction.atomic():
            agency, _ = Agency.objects.get_or_create(
                code="benchmark-police", defaults={"name": "Benchmark police", "kind": "police"}
            )
            made = []
            for i in range(args.problems):
                if i % 2 and locations:
                    lsoa, location = rng.choice(locations)
                    place = {"place_type": "location", "lsoa_codes": [lsoa], "location": location}
                else:
                    place = {"place_type": "lsoas", "lsoa_codes": rng.sample(lsoas, k=1)}
                made.append(
                    Problem(
                        title=f"Problem {i}",
                        area=area,
                        lead_partner=agency,
                        status=rng.choice(["proposed", "open", "monitoring"]),
                        review_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(60)),
                        response_started_on=dt.date(2024, rng.randrange(1, 12), 1),
                        **place,
                    )
                )
            Problem.objects.bulk_create(made, batch_size=500)
            through = Problem.categories.through
            through.objects.bulk_create(
                [
                    through(problem_id=p.pk, category_id=rng.choice(categories).pk)
                    for p in Problem.objects.filter(lead_partner=agency)
                ],
                batch_size=1000,
            )
            meeting = TaskingMeeting.objects.create(
                group="Benchmark tasking", held_on=dt.date(2025, 1, 15), area=area
            )
            print(f"{Problem.objects.count():,} problems in {area.name}")
            print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            med, fast, _ = timed(args.repeat, lambda: rank_register(top_n=50))
            show(f"ranked register, rank_register (top 50 of {args.problems:,})", 500, med, fast)
            one = Problem.objects.filter(lead_partner=agency).first()
            assert one is not None

            def page() -> Any:
                series = problem_series(one)
                return change_since_response(series)

            med, fast, _ = timed(args.repeat, page)
            show("problem page data (series, SPC, change)", 300, med, fast)
            med, fast, agenda = timed(args.repeat, lambda: agenda_for(meeting))
            show("tasking agenda, agenda_for", 2000, med, fast)
            print(f"  {len(agenda.due_review)} due for review, {len(agenda.candidates)} candidates")

            from django.test import Client

            from saferhub.accounts.services import user_create

            manager = user_create(
                actor="benchmark",
                username="benchmark-manager",
                email="benchmark-manager@example.org",
                agency=agency,
                role="manager",
                password="a-Long-benchmark-password-1",
            )
            client = Client()
            client.force_login(manager)
            _otp_verified(client, manager)
            for what, url, goal in (
                ("register page GET /problems/", "/problems/", 500),
                ("problem page GET /problems/<id>/", f"/problems/{one.pk}/", 300),
                (
                    "tasking meeting page GET /problems/tasking/<id>/",
                    f"/problems/tasking/{meeting.pk}/",
                    2000,
                ),
            ):

                def get(url: str = url) -> Any:
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    return response

                med, fast, _ = timed(args.repeat, get)
                show(what, goal, med, fast)
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    profiler.runcall(get)
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
