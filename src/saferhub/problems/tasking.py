"""Monthly tasking: the agenda generated from the data, meetings and their decisions.

The agenda of a meeting lists (1) new candidate problems: LSOAs of the meeting's area
that became hotspots (in the top 10% by count) or rose significantly (exact conditional
test, 5% level) in the months held since the last meeting, against as many months before,
and that no active problem covers; (2) active problems due for review by the meeting's
date; (3) overdue actions of active problems; (4) problems proposed for closure (active,
with an assessment recorded). See docs/decisions/0504-tasking-agenda.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, model_values
from saferhub.accounts.models import Agency, User
from saferhub.actions.models import Action
from saferhub.analysis.change import compare_counts
from saferhub.geography import selectors as geo
from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.models import MonthlyCount
from saferhub.problems.audit_actions import ProblemAudit
from saferhub.problems.measure import held_months, month_label
from saferhub.problems.models import Problem, TaskingDecision, TaskingMeeting
from saferhub.problems.ranking import ACTIVE, PLACE_ONLY, lsoas_of
from saferhub.problems.services import problem_edit, problem_status_set

ALPHA = 0.05
CANDIDATES_MAX = 20


@dataclass(frozen=True)
class Candidate:
    lsoa: str
    name: str
    ward: str
    before: int
    after: int
    reason: str
    p_value: float | None


@dataclass(frozen=True)
class Agenda:
    meeting: TaskingMeeting
    window: tuple[str, str] | None
    candidates: list[Candidate]
    due_review: list[Problem]
    overdue_actions: list[tuple[Problem, Action]]
    for_closure: list[Problem]


def _previous_meeting(meeting: TaskingMeeting) -> TaskingMeeting | None:
    return (
        TaskingMeeting.objects.filter(group=meeting.group, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )


def _windows(meeting: TaskingMeeting) -> tuple[list[dt.date], list[dt.date]]:
    """Months held since the last meeting (at most 12; 1 at least), and as many before."""
    held = [m for m in held_months() if m <= meeting.held_on]
    previous = _previous_meeting(meeting)
    since = previous.held_on.replace(day=1) if previous else None
    recent = [m for m in held if since is None or m >= since][-12:] if since else held[-1:]
    recent = recent or held[-1:]
    earlier = [m for m in held if recent and m < recent[0]][-len(recent) :]
    return recent, earlier


def _lsoa_totals(codes: set[str], months: list[dt.date]) -> dict[str, int]:
    if not months:
        return {}
    rows = (
        MonthlyCount.objects.filter(level="lsoa", area_code__in=codes, month__in=months)
        .values("area_code")
        .annotate(total=Sum("count"))
    )
    return {r["area_code"]: int(r["total"]) for r in rows}


def candidates_for(meeting: TaskingMeeting) -> tuple[list[Candidate], tuple[str, str] | None]:
    recent, earlier = _windows(meeting)
    if not recent or not earlier:
        return [], None
    codes = geo.area_lsoa_codes(meeting.area)
    covered: set[str] = set()
    active = Problem.objects.filter(status__in=ACTIVE, area=meeting.area).only(*PLACE_ONLY)
    for lsoas in lsoas_of(active).values():
        covered |= set(lsoas or ())
    after, before = _lsoa_totals(codes, recent), _lsoa_totals(codes, earlier)
    decile = max(1, len(codes) // 10)

    def top(totals: dict[str, int]) -> set[str]:
        ranked = sorted(codes, key=lambda c: (-totals.get(c, 0), c))
        return {c for c in ranked[:decile] if totals.get(c, 0)}

    new_hot = top(after) - top(before)
    info = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=codes).only("code", "name")}
    out = []
    for code in sorted(codes - covered):
        a, b = after.get(code, 0), before.get(code, 0)
        reasons, p = [], None
        if a > b:
            test = compare_counts(b, a, len(earlier), len(recent), method="exact", alpha=ALPHA)
            if test.significant:
                reasons.append(f"significant rise ({b} to {a}, p = {test.p_value:.3g})")
                p = test.p_value
        if code in new_hot:
            reasons.append(f"new hotspot (top {decile} LSOAs by count)")
        if reasons:
            lsoa = info.get(code)
            out.append(
                Candidate(
                    code,
                    lsoa.name if lsoa else code,
                    lsoa.ward_name if lsoa else "",
                    b,
                    a,
                    "; ".join(reasons),
                    p,
                )
            )
    out.sort(key=lambda c: (-(c.after - c.before), c.lsoa))
    window = (month_label(recent[0]), month_label(recent[-1]))
    return out[:CANDIDATES_MAX], window


def agenda_for(meeting: TaskingMeeting) -> Agenda:
    active = Problem.objects.filter(status__in=ACTIVE, area=meeting.area).select_related(
        "lead_partner", "lead_officer"
    )
    due = list(active.filter(review_on__lte=meeting.held_on).order_by("review_on", "title"))
    overdue: list[tuple[Problem, Action]] = []
    links = (
        Problem.actions.through.objects.filter(
            problem__in=active.values("pk"), action__due_date__lt=meeting.held_on
        )
        .select_related("problem__lead_partner", "problem__lead_officer", "action")
        .order_by("problem__title", "problem_id", "action__due_date", "action_id")
    )
    for link in links:
        if link.action.is_overdue(meeting.held_on):
            overdue.append((link.problem, link.action))
    closure = list(active.filter(assessment__isnull=False).order_by("title"))
    candidates, window = candidates_for(meeting)
    return Agenda(meeting, window, candidates, due, overdue, closure)


# ----------------------------------------------------------------------------- writes


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    group: str,
    held_on: dt.date,
    area: Area,
    chair: User | None = None,
    top_n: int = 50,
) -> TaskingMeeting:
    meeting = TaskingMeeting(
        group=group.strip(), held_on=held_on, area=area, chair=chair, top_n=top_n
    )
    if isinstance(actor, User) and actor.pk:
        meeting.created_by = meeting.modified_by = actor
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor, action=ProblemAudit.MEETING_CREATE, obj=meeting, new=model_values(meeting)
    )
    return meeting


@transaction.atomic
def meeting_minutes_record(
    *, actor: Actor, meeting: TaskingMeeting, minutes: str
) -> TaskingMeeting:
    old = meeting.minutes
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes", "modified_at"])
    audit_record(
        actor=actor,
        action=ProblemAudit.MEETING_MINUTES,
        obj=meeting,
        old={"minutes": old},
        new={"minutes": meeting.minutes},
    )
    return meeting


@transaction.atomic
def decision_record(
    *,
    actor: Actor,
    meeting: TaskingMeeting,
    problem: Problem,
    decision: str,
    lead_partner: Agency | None = None,
    note: str = "",
) -> TaskingDecision:
    """A decision of the meeting on a problem, applied to the problem: adopt opens it,
    assign gives it a lead partner, close closes it (it needs its assessment), escalate
    records the escalation (the note says to whom)."""
    record = TaskingDecision(
        meeting=meeting, problem=problem, decision=decision, lead_partner=lead_partner, note=note
    )
    record.full_clean()
    if decision == TaskingDecision.Decision.ASSIGN:
        if lead_partner is None:
            raise ValidationError({"lead_partner": "Choose the lead partner to assign it to."})
        problem_edit(actor=actor, problem=problem, lead_partner=lead_partner)
    elif decision == TaskingDecision.Decision.ADOPT:
        problem_status_set(actor=actor, problem=problem, status=Problem.Status.OPEN)
    elif decision == TaskingDecision.Decision.CLOSE:
        try:
            problem_status_set(actor=actor, problem=problem, status=Problem.Status.CLOSED)
        except ValidationError as exc:
            raise ValidationError(
                {"decision": exc.message_dict.get("status", exc.messages)}
            ) from exc
    elif decision == TaskingDecision.Decision.ESCALATE and not note.strip():
        raise ValidationError({"note": "Say to whom it is escalated, and why."})
    record.save()
    values: dict[str, Any] = model_values(record)
    audit_record(actor=actor, action=ProblemAudit.DECISION, obj=meeting, new=values)
    return record
