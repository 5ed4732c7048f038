"""Benchmark: DASH checklists and MARAC referrals at scale.

Run: ``python benchmarks/marac_scale.py [CHECKLISTS] [REFERRALS]`` (default 20,000 and
8,000, the issue's scale). A fresh SQLite database in a temporary folder unless
DATABASE_URL is set. It writes ``dash.csv`` and ``marac_referrals.csv`` (victims and
perpetrators drawn so that about one referral in five repeats), times their import, every
checklist's result (``dash-results``), the quarterly return (goal: under 2 s) and one
meeting's agenda of 40 cases with research and actions (goal: under 1 s), medians of 5.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

QUESTIONS = [f"q{n}" for n in range(1, 25)]


def _write_set(folder: Path, checklists: int, referrals: int, seed: int = 16) -> None:
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    victims = max(1, referrals * 4 // 5)
    by_pair: dict[int, list[tuple[dt.date, str, bool]]] = {}
    with (folder / "dash.csv").open("w") as out:
        out.write(
            "checklist_ref,victim_ref,perpetrator_ref,completed_date,"
            + ",".join(QUESTIONS)
            + ",police_incidents_12m,professional_judgement\n"
        )
        for i in range(checklists):
            victim = rng.randrange(victims)
            day = start + dt.timedelta(days=rng.randrange(640))
            yes = rng.choice([3, 6, 9, 11, 13, 14, 15, 17, 19])
            answers = ["yes"] * yes + ["not known"] * 2 + ["no"] * (22 - yes)
            incidents = rng.choice(["0", "1", "2", "3", "4", ""])
            judgement = rng.choice(["yes", "no", "no"])
            out.write(
                f"D{i},V{victim},P{victim % 7919},{day},{','.join(answers)},"
                f"{incidents},{judgement}\n"
            )
            indicated = yes >= 14 or incidents in {"3", "4"} or judgement == "yes"
            by_pair.setdefault(victim, []).append((day, f"D{i}", indicated))
    # A referral two days after an indicated checklist, when that checklist is still the
    # latest of the pair on the referral date (the import takes the latest).
    rows = []
    for victim, items in by_pair.items():
        for day, ref, indicated in items:
            referred = day + dt.timedelta(days=2)
            latest = max(i for i in items if i[0] <= referred)
            if indicated and latest[1] == ref:
                rows.append((victim, referred))
    rng.shuffle(rows)
    with (folder / "marac_referrals.csv").open("w") as out:
        out.write("referral_ref,victim_ref,perpetrator_ref,referral_date\n")
        for i, (victim, day) in enumerate(rows[:referrals]):
            out.write(f"R{i},V{victim},P{victim % 7919},{day}\n")


def _timed(label: str, fn: Callable[[], Any], repeat: int = 5) -> Any:
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    print(f"{label}: median {sorted(times)[len(times) // 2] * 1000:.0f} ms")
    return result


def main(checklists: int, referrals: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="saferhub-bench-"))
    os.environ.setdefault("SAFERHUB_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from saferhub.accounts.actors import SystemActor
    from saferhub.accounts.models import Agency
    from saferhub.accounts.services import user_create
    from saferhub.cases import dash
    from saferhub.cases import marac_selectors as ms
    from saferhub.cases.imports import exchange_import, read_exchange_path
    from saferhub.cases.models import MaracReferral
    from saferhub.cases.services.marac import (
        Household,
        dash_checklist_record,
        dash_results,
        marac_refer,
        marac_return,
    )
    from saferhub.cases.services.marac_meetings import (
        action_add,
        meeting_add_case,
        meetings_schedule,
        research_record,
    )

    actor = SystemActor.TEST
    call_command("migrate", verbosity=0)
    council = Agency.objects.get_or_create(
        code="bench-council", defaults={"name": "Bench council", "kind": "council"}
    )[0]
    _write_set(tmp, checklists, referrals)
    t = time.perf_counter()
    report = exchange_import(actor=actor, files=read_exchange_path(tmp))
    assert report.ok, report.problems[:5]
    print(
        f"import of {checklists} checklists and {MaracReferral.objects.count()} referrals: "
        f"{time.perf_counter() - t:.1f} s"
    )
    _timed("dash-results, every checklist", lambda: sum(1 for _ in dash_results()), repeat=3)
    figures = _timed("quarterly return 2024-Q2", lambda: marac_return(quarter="2024-Q2"))
    print(f"  cases {figures['cases_discussed']}, repeats {figures['repeat_cases']}")

    member = user_create(
        actor=actor,
        username=f"bench-idva-{time.time_ns()}",
        email="idva@example.org",
        agency=council,
        role="idva",
    )
    meeting = meetings_schedule(
        actor=actor, first=dt.date(2024, 8, 1), frequency="monthly", count=1, members=[member]
    )[0]
    earlier = meetings_schedule(
        actor=actor, first=dt.date(2024, 6, 1), frequency="monthly", count=1, members=[member]
    )[0]
    answers = dict(zip(dash.QUESTIONS, ["yes"] * 15 + ["no"] * 9, strict=True))
    for i in range(40):
        checklist = dash_checklist_record(
            actor=actor,
            checklist_ref=f"M{i}",
            victim_ref=f"V{i}",
            perpetrator_ref=f"P{i % 7919}",
            completed_date=dt.date(2024, 7, 1),
            answers=answers,
            agency=council,
            today=dt.date(2024, 7, 31),
        )
        case = marac_refer(
            actor=actor,
            checklist=checklist,
            referral_date=dt.date(2024, 7, 2 + i % 20),
            referring_agency=council,
            today=dt.date(2024, 7, 31),
            household=Household(children_in_household=i % 3),
        ).case
        assert case is not None
        meeting_add_case(actor=actor, meeting=meeting, case=case)
        meeting_add_case(actor=actor, meeting=earlier, case=case)
        research_record(
            actor=actor,
            meeting=meeting,
            case=case,
            agency=council,
            facts="Two call-outs.",
            opinion="Escalating.",
            recorded_on=dt.date(2024, 7, 30),
        )
        action_add(
            actor=actor,
            meeting=earlier,
            case=case,
            agency=council,
            text="Safety plan",
            due_on=dt.date(2024, 6, 15),
        )
    agenda = _timed("agenda of a 40-case meeting", lambda: ms.agenda(user=member, meeting=meeting))
    print(
        f"  priority {len(agenda.priority)}, new {len(agenda.new)}, "
        f"incomplete actions {len(agenda.incomplete_actions)}"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [20000, 8000][len(args) :]))
