"""DASH checklists and MARAC referrals: the scoring bands on their edges, escalation,
professional judgement, repeat referrals at 12 months, the exchange files, the command-line
contracts and the quarterly return on a realistic set (checked by an independent count)."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.cases import dash
from saferhub.cases.models import DashChecklist, MaracReferral
from saferhub.cases.services.marac import (
    Household,
    dash_checklist_record,
    marac_refer,
    marac_return,
)

HEADER = (
    "checklist_ref,victim_ref,perpetrator_ref,completed_date,"
    + ",".join(f"q{n}" for n in range(1, 25))
    + ",police_incidents_12m,professional_judgement"
)
REFERRALS_HEADER = "referral_ref,victim_ref,perpetrator_ref,referral_date"


def answers(yes: int, *, not_known: int = 0) -> list[str]:
    """``yes`` answers first, then ``not known``, then ``no``: 24 in all."""
    return ["yes"] * yes + ["not known"] * not_known + ["no"] * (24 - yes - not_known)


def dash_row(
    ref: str,
    yes: int,
    *,
    victim: str = "V1",
    perpetrator: str = "P1",
    day: str = "2024-07-01",
    incidents: str = "0",
    judgement: str = "no",
    not_known: int = 0,
) -> str:
    return ",".join(
        [ref, victim, perpetrator, day, *answers(yes, not_known=not_known), incidents, judgement]
    )


def write(
    folder: Path, dash_rows: list[str] | None = None, referrals: list[str] | None = None
) -> Path:
    folder.mkdir(exist_ok=True)
    if dash_rows is not None:
        (folder / "dash.csv").write_text(HEADER + "\n" + "".join(r + "\n" for r in dash_rows))
    if referrals is not None:
        (folder / "marac_referrals.csv").write_text(
            REFERRALS_HEADER + "\n" + "".join(r + "\n" for r in referrals)
        )
    return folder


def run(*args: str) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out)
    return out.getvalue()


def refused(folder: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("cases", "import", str(folder), stderr=err)
    return err.getvalue()


# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("yes", "level"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")],
)
def test_bands_on_their_edges(yes: int, level: str) -> None:
    result = dash.assess(
        dict(zip(dash.QUESTIONS, answers(yes), strict=True)),
        police_incidents_12m=0,
        professional_judgement=False,
    )
    assert (result.score, result.risk_level) == (yes, level)
    assert result.marac_referral is (level == "high")


def test_not_known_is_not_yes() -> None:
    given = dict(zip(dash.QUESTIONS, answers(13, not_known=11), strict=True))
    assert dash.score(given) == 13


def test_reasons_in_order_visible_high_risk_then_escalation_then_judgement() -> None:
    high = dict(zip(dash.QUESTIONS, answers(14), strict=True))
    low = dict(zip(dash.QUESTIONS, answers(3), strict=True))
    assess = dash.assess
    assert assess(high, police_incidents_12m=5, professional_judgement=True).referral_reason == (
        "visible high risk"
    )
    assert assess(low, police_incidents_12m=3, professional_judgement=True).referral_reason == (
        "escalation"
    )
    assert assess(low, police_incidents_12m=2, professional_judgement=True).referral_reason == (
        "professional judgement"
    )
    assert assess(low, police_incidents_12m=2, professional_judgement=False).referral_reason == ""
    assert (
        assess(low, police_incidents_12m=None, professional_judgement=False).referral_reason == ""
    )


def test_bands_are_configurable_and_checked() -> None:
    bands = dash.Bands.parse("high=12,medium=8", escalation_incidents=4)
    low = dict(zip(dash.QUESTIONS, answers(12), strict=True))
    assert dash.assess(low, police_incidents_12m=0, professional_judgement=False, bands=bands) == (
        dash.Result(12, "high", "visible high risk")
    )
    eight = dict(zip(dash.QUESTIONS, answers(8), strict=True))
    result = dash.assess(eight, police_incidents_12m=3, professional_judgement=False, bands=bands)
    assert (result.risk_level, result.referral_reason) == ("medium", "")
    with pytest.raises(dash.DashError, match="medium < high"):
        dash.Bands.parse("high=10,medium=10")
    with pytest.raises(dash.DashError, match="not high=N"):
        dash.Bands.parse("severe=20")


@pytest.mark.parametrize(
    ("earlier", "later", "repeat"),
    [
        (dt.date(2023, 7, 15), dt.date(2024, 7, 15), True),  # exactly 12 months
        (dt.date(2023, 7, 15), dt.date(2024, 7, 16), False),  # a day later
        (dt.date(2023, 7, 15), dt.date(2023, 7, 15), True),  # the same day
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), True),  # leap day + 12 months
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), False),
        (dt.date(2023, 8, 31), dt.date(2024, 8, 31), True),
        (dt.date(2023, 8, 31), dt.date(2024, 9, 1), False),
    ],
)
def test_repeat_within_twelve_calendar_months_inclusive(
    earlier: dt.date, later: dt.date, repeat: bool
) -> None:
    assert dash.is_repeat(later, [earlier]) is repeat


# --------------------------------------------------------------------------- files and CLI


@pytest.mark.django_db
def test_dash_results_exactly(tmp_path: Path) -> None:
    rows = [
        dash_row("D09", 9),
        dash_row("D10", 10),
        dash_row("D13", 13),
        dash_row("D14", 14),
        dash_row("E1", 2, incidents="3"),  # escalation
        dash_row("E2", 2, incidents="2"),  # two incidents: below
        dash_row("J1", 5, judgement="yes"),
        dash_row("N1", 0, incidents=""),  # incidents not known
    ]
    run("import", str(write(tmp_path / "set", rows)))
    assert run("dash-results", "--format", "csv") == (
        "checklist_ref,score,risk_level,marac_referral,referral_reason\n"
        "D09,9,standard,no,\n"
        "D10,10,medium,no,\n"
        "D13,13,medium,no,\n"
        "D14,14,high,yes,visible high risk\n"
        "E1,2,standard,yes,escalation\n"
        "E2,2,standard,no,\n"
        "J1,5,standard,yes,professional judgement\n"
        "N1,0,standard,no,\n"
    )


@pytest.mark.django_db
def test_bands_follow_the_settings(tmp_path: Path, settings: object) -> None:
    settings.SAFERHUB_DASH_BANDS = "high=13,medium=9"  # type: ignore[attr-defined]
    settings.SAFERHUB_MARAC_ESCALATION_INCIDENTS = 2  # type: ignore[attr-defined]
    run(
        "import", str(write(tmp_path / "set", [dash_row("A", 13), dash_row("B", 9, incidents="2")]))
    )
    assert run("dash-results").splitlines()[1:] == [
        "A,13,high,yes,visible high risk",
        "B,9,medium,yes,escalation",
    ]


@pytest.mark.django_db
def test_import_is_idempotent_and_referrals_reuse_the_checklist(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "set",
        [dash_row("D1", 15, day="2024-07-01"), dash_row("D2", 16, day="2024-08-01")],
        ["R1,V1,P1,2024-07-20", "R2,V1,P1,2024-08-02", "R3,V9,P9,2024-08-02"],
    )
    first = run("import", str(folder))
    assert "'dashchecklist': 2" in first and "'maracreferral': 3" in first
    again = run("import", str(folder))
    assert "'dashchecklist': 0" in again and "'maracreferral': 0" in again
    assert DashChecklist.objects.count() == 2 and MaracReferral.objects.count() == 3
    refs = dict(MaracReferral.objects.values_list("referral_ref", "checklist__checklist_ref"))
    # The latest checklist on or before the referral date; none held for V9.
    assert refs == {"R1": "D1", "R2": "D2", "R3": None}


@pytest.mark.django_db
def test_a_missing_answer_is_refused_naming_the_question_and_nothing_is_saved(
    tmp_path: Path,
) -> None:
    good = dash_row("D1", 15)
    parts = dash_row("D2", 15).split(",")
    parts[4 + 6] = ""  # q7
    folder = write(tmp_path / "set", [good, ",".join(parts)], ["R1,V1,P1,2024-07-02"])
    text = refused(folder)
    assert "dash.csv, row 3, column q7: has no answer (Conflict over child contact)" in text
    assert DashChecklist.objects.count() == 0 and MaracReferral.objects.count() == 0


@pytest.mark.django_db
def test_bad_answers_and_flags_are_reported_on_their_cells(tmp_path: Path) -> None:
    parts = dash_row("D1", 15, incidents="three", judgement="maybe").split(",")
    parts[4] = "probably"
    text = refused(write(tmp_path / "set", [",".join(parts)]))
    assert "dash.csv, row 2, column q1: “probably” is not yes, no or not known" in text
    assert "dash.csv, row 2, column police_incidents_12m: “three” is not a whole number" in text
    assert "dash.csv, row 2, column professional_judgement: “maybe” is not yes or no" in text


@pytest.mark.django_db
def test_a_referral_below_the_threshold_with_no_reason_is_refused(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "set",
        [dash_row("D1", 13, incidents="2"), dash_row("D2", 3, victim="V2", judgement="yes")],
        ["R1,V1,P1,2024-07-02", "R2,V2,P1,2024-07-02"],
    )
    text = refused(folder)
    assert "marac_referrals.csv, row 2, column referral_ref: checklist “D1” scores 13" in text
    assert "below the threshold" in text and "row 3" not in text
    assert DashChecklist.objects.count() == 0


@pytest.mark.django_db
def test_future_dates_are_refused(tmp_path: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    folder = write(tmp_path / "set", [dash_row("D1", 15, day=tomorrow)], [f"R1,V1,P1,{tomorrow}"])
    text = refused(folder)
    assert f"dash.csv, row 2, column completed_date: {tomorrow} is in the future" in text
    assert f"marac_referrals.csv, row 2, column referral_date: {tomorrow} is in the future" in text
    assert MaracReferral.objects.count() == 0


@pytest.mark.django_db
def test_wrong_columns_are_refused(tmp_path: Path) -> None:
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "marac_referrals.csv").write_text("referral_ref,victim_ref,date\n")
    with pytest.raises(CommandError, match="missing columns perpetrator_ref, referral_date"):
        run("import", str(tmp_path / "set"))


@pytest.mark.django_db
def test_return_repeats_at_exactly_twelve_months_and_just_over(tmp_path: Path) -> None:
    referrals = [
        "A0,V1,P1,2023-07-15",
        "A1,V1,P1,2024-07-15",  # exactly 12 months after A0: repeat
        "B0,V2,P2,2023-07-15",
        "B1,V2,P2,2024-07-16",  # a day over: not a repeat
        "C0,V3,P3,2024-08-01",
        "C1,V3,P4,2024-08-20",  # another perpetrator: not a repeat
        "C2,V3,P3,2024-09-30",  # repeat of C0, inside the quarter
        "D1,V4,P4,2024-10-01",  # next quarter
    ]
    run("import", str(write(tmp_path / "set", referrals=referrals)))
    out = run("marac-return", "--quarter", "2024-Q3", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "measure,value"
    figures = dict(line.split(",", 1) for line in lines[1:])
    assert figures["cases_discussed"] == "5"
    assert figures["repeat_cases"] == "2"
    assert figures["repeat_percent"] == "40.0"
    # Imported referrals record no agency, children or characteristics: said so, not zero.
    assert figures["referring_agency_not_recorded"] == "5"
    assert figures["non_police_percent"] == "missing"
    assert figures["children_not_recorded"] == "5"
    assert figures["cases_per_10000_adult_women"] == "missing"
    assert run("marac-return", "--quarter", "2023-Q3").count("cases_discussed,2") == 1


@pytest.mark.django_db
def test_a_bad_quarter_is_refused() -> None:
    with pytest.raises(CommandError, match="quarter"):
        run("marac-return", "--quarter", "2024-Q5")


def _independent_return(
    referrals: list[tuple[str, str, str, dt.date]], start: dt.date, end: dt.date
) -> tuple[int, int]:
    """Cases and repeats counted the long way: for each referral in the quarter, any other
    referral of the pair ordered before it, no more than 12 months (relativedelta) earlier."""
    cases = repeats = 0
    for ref, victim, perpetrator, day in referrals:
        if not start <= day <= end:
            continue
        cases += 1
        for ref2, victim2, perpetrator2, day2 in referrals:
            if (victim2, perpetrator2) != (victim, perpetrator) or (day2, ref2) >= (day, ref):
                continue
            if day <= day2 + relativedelta(months=12):
                repeats += 1
                break
    return cases, repeats


@pytest.mark.django_db
def test_the_quarterly_return_on_a_realistic_set(tmp_path: Path, settings: object) -> None:
    settings.SAFERHUB_MARAC_ADULT_WOMEN = "104250:2023:ONS mid-year estimates"  # type: ignore[attr-defined]
    rng = random.Random(16)
    dash_rows, referral_rows, referrals = [], [], []
    day0 = dt.date(2023, 1, 1)
    for n in range(400):
        victim, perpetrator = f"V{rng.randrange(150)}", f"P{rng.randrange(170)}"
        day = day0 + dt.timedelta(days=rng.randrange(640))
        yes = rng.choice([14, 15, 17, 20, 11, 6])
        incidents = rng.choice(["0", "1", "3", "5", ""])
        judgement = "yes" if yes < 14 else rng.choice(["yes", "no"])
        dash_rows.append(
            dash_row(
                f"D{n:04d}",
                yes,
                victim=victim,
                perpetrator=perpetrator,
                day=day.isoformat(),
                incidents=incidents,
                judgement=judgement,
            )
        )
        referral_rows.append(f"R{n:04d},{victim},{perpetrator},{day.isoformat()}")
        referrals.append((f"R{n:04d}", victim, perpetrator, day))
    run("import", str(write(tmp_path / "set", dash_rows, referral_rows)))
    figures = dict(
        line.split(",", 1) for line in run("marac-return", "--quarter", "2024-Q2").splitlines()[1:]
    )
    cases, repeats = _independent_return(referrals, dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert cases > 40 and repeats > 0
    assert figures["cases_discussed"] == str(cases)
    assert figures["repeat_cases"] == str(repeats)
    assert figures["repeat_percent"] == f"{100 * repeats / cases:.1f}"
    assert figures["cases_per_10000_adult_women"] == f"{10000 * cases / 104250:.1f}"
    assert figures["population_year"] == "2023"


# --------------------------------------------------------------------------- services


@pytest.mark.django_db
def test_a_referral_needs_a_reason_below_the_threshold_and_opens_a_case() -> None:
    from tests.cases import factories as f

    today = dt.date(2024, 9, 1)
    low = dash_checklist_record(
        actor=f.T,
        checklist_ref="S1",
        victim_ref="V1",
        perpetrator_ref="P1",
        completed_date=dt.date(2024, 8, 1),
        answers=dict(zip(dash.QUESTIONS, answers(8), strict=True)),
        police_incidents_12m=1,
        today=today,
    )
    with pytest.raises(ValidationError) as exc:
        marac_refer(
            actor=f.T,
            checklist=low,
            referral_date=dt.date(2024, 8, 2),
            referring_agency=f.housing(),
            today=today,
        )
    assert "write why you are referring" in str(exc.value.message_dict["reason"])
    referral = marac_refer(
        actor=f.T,
        checklist=low,
        referral_date=dt.date(2024, 8, 2),
        referring_agency=f.housing(),
        today=today,
        reason="Threats made at the school gate.",
        household=Household(children_in_household=2, victim_gender="female"),
    )
    assert referral.case is not None and referral.case.case_type == "marac"
    assert referral.checklist == low and referral.case.marac.victim_ref == "V1"
    figures = marac_return(quarter="2024-Q3")
    assert figures["referrals_from_other_agencies"] == 1
    assert figures["children_in_households"] == 2 and figures["victims_female"] == 1


@pytest.mark.django_db
def test_a_checklist_refuses_a_missing_answer_and_a_judgement_without_reason() -> None:
    from tests.cases import factories as f

    given = dict(zip(dash.QUESTIONS, answers(8), strict=True))
    del given["q12"]
    with pytest.raises(ValidationError) as exc:
        dash_checklist_record(
            actor=f.T,
            checklist_ref="S2",
            victim_ref="V1",
            perpetrator_ref="P1",
            completed_date=dt.date(2024, 8, 1),
            answers=given,
            professional_judgement=True,
            today=dt.date(2024, 9, 1),
        )
    errors = exc.value.message_dict
    assert "Question 12 (Strangling, choking" in errors["q12"][0]
    assert "judgement_reason" in errors
    assert DashChecklist.objects.count() == 0
