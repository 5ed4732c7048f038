"""MARAC meetings: the schedule, members, cases on the agenda, each agency's research,
actions and their tracker, the IDVA allocated, and who may see a victim's address."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from saferhub.accounts.access import has_permission
from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases.audit_actions import MaracCaseAction
from saferhub.cases.models import AgencyResearch, Case, MaracAction, MaracCase, MaracMeeting
from saferhub.cases.threshold import add_months

MAX_SCHEDULED = 60


def meeting_dates(first: dt.date, frequency: str, count: int) -> list[dt.date]:
    """``count`` meeting dates from ``first``: every 7 or 14 days, or each calendar month."""
    if frequency == MaracMeeting.Frequency.WEEKLY:
        return [first + dt.timedelta(days=7 * n) for n in range(count)]
    if frequency == MaracMeeting.Frequency.FORTNIGHTLY:
        return [first + dt.timedelta(days=14 * n) for n in range(count)]
    if frequency == MaracMeeting.Frequency.MONTHLY:
        return [add_months(first, n) for n in range(count)]
    raise ValidationError({"frequency": "Choose weekly, fortnightly or monthly."})


@transaction.atomic
def meetings_schedule(
    *,
    actor: Actor,
    first: dt.date,
    frequency: str,
    count: int,
    chair: str = "",
    members: list[User] | None = None,
) -> list[MaracMeeting]:
    if not 1 <= count <= MAX_SCHEDULED:
        raise ValidationError({"count": f"Schedule between 1 and {MAX_SCHEDULED} meetings."})
    meetings = []
    for day in meeting_dates(first, frequency, count):
        meeting = MaracMeeting.objects.create(held_on=day, frequency=frequency, chair=chair)
        for user in members or []:
            _check_member(user)
            meeting.members.add(user)
        meetings.append(meeting)
    audit_record(
        actor=actor,
        action=MaracCaseAction.MEETING,
        object_type="cases.MaracMeeting",
        new={"scheduled": count, "frequency": frequency, "members": len(members or [])},
    )
    return meetings


def _check_member(user: User) -> None:
    if not has_permission(user, "cases.work_marac"):
        raise ValidationError(
            {"member": f"{user.display_name} does not work MARAC cases, so cannot be a member."}
        )


@transaction.atomic
def meeting_add_member(*, actor: Actor, meeting: MaracMeeting, user: User) -> None:
    _check_member(user)
    meeting.members.add(user)
    audit_record(actor=actor, action=MaracCaseAction.MEETING, obj=meeting, new={"member": user.pk})


@transaction.atomic
def meeting_add_case(*, actor: Actor, meeting: MaracMeeting, case: Case) -> None:
    if case.case_type != "marac":
        raise ValidationError({"case": f"{case.reference} is not a MARAC case."})
    meeting.cases.add(case)
    audit_record(
        actor=actor, action=MaracCaseAction.MEETING, obj=meeting, new={"case": case.reference}
    )


@transaction.atomic
def research_record(
    *,
    actor: Actor,
    meeting: MaracMeeting,
    case: Case,
    agency: Agency,
    facts: str,
    opinion: str,
    recorded_on: dt.date,
) -> AgencyResearch:
    """One agency's research on a case before the meeting: what it holds as fact, and its
    opinion apart."""
    if not meeting.cases.filter(pk=case.pk).exists():
        raise ValidationError({"case": f"{case.reference} is not on this meeting's agenda."})
    if not facts.strip() and not opinion.strip():
        raise ValidationError({"facts": "Write what your agency holds (the facts)."})
    research, _ = AgencyResearch.objects.update_or_create(
        meeting=meeting,
        case=case,
        agency=agency,
        defaults={"facts": facts.strip(), "opinion": opinion.strip(), "recorded_on": recorded_on},
    )
    audit_record(
        actor=actor,
        action=MaracCaseAction.RESEARCH,
        obj=case,
        new={"meeting": meeting.pk, "agency": agency.code, "fields": ["facts", "opinion"]},
    )
    return research


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    meeting: MaracMeeting,
    case: Case,
    agency: Agency,
    text: str,
    due_on: dt.date,
) -> MaracAction:
    errors = {}
    if not meeting.cases.filter(pk=case.pk).exists():
        errors["case"] = f"{case.reference} is not on this meeting's agenda."
    if not text.strip():
        errors["text"] = "Write the action."
    if due_on < meeting.held_on:
        errors["due_on"] = "An action cannot be due before the meeting that set it."
    if errors:
        raise ValidationError(errors)
    action = MaracAction.objects.create(
        meeting=meeting, case=case, agency=agency, text=text.strip(), due_on=due_on
    )
    audit_record(
        actor=actor,
        action=MaracCaseAction.ACTION,
        obj=case,
        new={"action": action.pk, "agency": agency.code, "fields": ["text"]},
    )
    return action


@transaction.atomic
def action_set_status(
    *, actor: Actor, action: MaracAction, status: str, done_on: dt.date | None = None
) -> MaracAction:
    if status not in MaracAction.Status.values:
        raise ValidationError({"status": "Choose open, completed or cancelled."})
    if status == MaracAction.Status.DONE and done_on is None:
        raise ValidationError({"done_on": "Enter the date the action was completed."})
    if done_on and done_on < action.meeting.held_on:
        raise ValidationError({"done_on": "An action cannot be completed before its meeting."})
    action.status = status
    action.done_on = done_on if status == MaracAction.Status.DONE else None
    action.save(update_fields=["status", "done_on"])
    audit_record(
        actor=actor,
        action=MaracCaseAction.ACTION,
        obj=action.case,
        new={"action": action.pk, "status": status},
    )
    return action


@transaction.atomic
def idva_allocate(*, actor: Actor, case: Case, idva: User) -> MaracCase:
    if not has_permission(idva, "cases.work_marac"):
        raise ValidationError({"idva": f"{idva.display_name} does not work MARAC cases."})
    detail, _ = MaracCase.objects.get_or_create(case=case)
    detail.idva = idva
    detail.save(update_fields=["idva"])
    audit_record(actor=actor, action=MaracCaseAction.IDVA, obj=case, new={"idva": idva.pk})
    return detail


@transaction.atomic
def address_restrict(
    *, actor: Actor, case: Case, restricted: bool, users: list[User] | None = None
) -> MaracCase:
    """Hide the victim's address from all but the named users (a refuge), or show it again
    to everyone who may see the case. At least one user is named; once the address is
    hidden, only a named user may change who sees it (else anyone hidden from it could show
    it to themselves)."""
    detail, _ = MaracCase.objects.get_or_create(case=case)
    if (
        isinstance(actor, User)
        and detail.address_restricted
        and not detail.address_users.filter(pk=actor.pk).exists()
    ):
        raise PermissionDenied("Only the users named may change who sees this address.")
    if restricted and not users:
        raise ValidationError({"users": "Name at least one user who may see the address."})
    detail.address_restricted = restricted
    detail.save(update_fields=["address_restricted"])
    detail.address_users.set((users or []) if restricted else [])
    audit_record(
        actor=actor,
        action=MaracCaseAction.ADDRESS_ACCESS,
        obj=case,
        new={"restricted": restricted, "named_users": len(users or []) if restricted else 0},
    )
    return detail
