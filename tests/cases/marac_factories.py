"""Factories for MARAC work: checklists, referrals (each opening a MARAC case), meetings."""

from __future__ import annotations

import datetime as dt
import itertools

from saferhub.accounts.models import Agency, User
from saferhub.cases import dash
from saferhub.cases.models import DashChecklist, MaracMeeting, MaracReferral
from saferhub.cases.services.marac import Household, dash_checklist_record, marac_refer
from saferhub.cases.services.marac_meetings import meeting_add_case, meetings_schedule
from tests.cases import factories as f

_n = itertools.count(1)
TODAY = dt.date(2024, 9, 30)


def checklist(
    yes: int = 15,
    *,
    victim: str = "",
    perpetrator: str = "P1",
    day: dt.date = dt.date(2024, 7, 1),
    agency: Agency | None = None,
) -> DashChecklist:
    n = next(_n)
    answers = ["yes"] * yes + ["no"] * (24 - yes)
    return dash_checklist_record(
        actor=f.T,
        checklist_ref=f"CL{n:04d}",
        victim_ref=victim or f"V{n}",
        perpetrator_ref=perpetrator,
        completed_date=day,
        answers=dict(zip(dash.QUESTIONS, answers, strict=True)),
        police_incidents_12m=0,
        agency=agency or f.agency(),
        today=TODAY,
    )


def referral(
    *,
    victim: str = "",
    perpetrator: str = "P1",
    day: dt.date = dt.date(2024, 7, 2),
    lead: Agency | None = None,
    children: int | None = None,
    officer: User | None = None,
) -> MaracReferral:
    found = checklist(victim=victim, perpetrator=perpetrator, day=day, agency=lead)
    return marac_refer(
        actor=f.T,
        checklist=found,
        referral_date=day,
        referring_agency=lead or f.agency(),
        today=TODAY,
        household=Household(children_in_household=children),
        officer=officer,
    )


def meeting(
    *, members: list[User] | None = None, day: dt.date = dt.date(2024, 7, 10)
) -> MaracMeeting:
    return meetings_schedule(
        actor=f.T, first=day, frequency="monthly", count=1, members=members or []
    )[0]


def on_meeting(meeting_: MaracMeeting, referral_: MaracReferral) -> MaracReferral:
    assert referral_.case is not None
    meeting_add_case(actor=f.T, meeting=meeting_, case=referral_.case)
    return referral_
