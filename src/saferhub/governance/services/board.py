"""Writes for the Board: groups and membership, meetings (agenda built from the papers),
minutes and decisions; and the consultation log. Each one audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, model_values
from saferhub.core.services import model_update, stamp
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import (
    BoardDecision,
    BoardGroup,
    BoardMeeting,
    BoardMember,
    ConsultationEvent,
)


def _create(actor: Actor, record: Any, action: GovernanceAudit) -> Any:
    stamp(record, actor)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=action, obj=record, new=model_values(record))
    return record


@transaction.atomic
def board_group_create(
    *,
    actor: Actor,
    name: str,
    kind: str = BoardGroup.Kind.BOARD,
    parent: BoardGroup | None = None,
    remit: str = "",
) -> BoardGroup:
    if kind == BoardGroup.Kind.SUB_GROUP and parent is None:
        raise ValidationError({"parent": "A sub-group reports to the Board: choose which."})
    if parent is not None and parent.kind != BoardGroup.Kind.BOARD:
        raise ValidationError({"parent": "A sub-group reports to the Board, not to a sub-group."})
    group = BoardGroup(
        name=name.strip(),
        kind=kind,
        parent=parent if kind == BoardGroup.Kind.SUB_GROUP else None,
        remit=remit.strip(),
    )
    return _create(actor, group, GovernanceAudit.BOARD_GROUP_CREATE)


@transaction.atomic
def board_member_add(
    *,
    actor: Actor,
    group: BoardGroup,
    name: str,
    organisation: str,
    joined_on: dt.date,
    role: str = BoardMember.Role.MEMBER,
    user: Any = None,
    left_on: dt.date | None = None,
) -> BoardMember:
    if left_on is not None and left_on < joined_on:
        raise ValidationError({"left_on": "A member leaves on or after the day they joined."})
    member = BoardMember(
        group=group,
        name=name.strip(),
        organisation=organisation.strip(),
        role=role,
        user=user,
        joined_on=joined_on,
        left_on=left_on,
    )
    return _create(actor, member, GovernanceAudit.BOARD_MEMBER_ADD)


@transaction.atomic
def board_member_leave(*, actor: Actor, member: BoardMember, left_on: dt.date) -> BoardMember:
    if left_on < member.joined_on:
        raise ValidationError({"left_on": "A member leaves on or after the day they joined."})
    model_update(
        actor=actor,
        instance=member,
        fields={"left_on": left_on},
        allowed={"left_on"},
        action=GovernanceAudit.BOARD_MEMBER_EDIT,
    )
    return member


@transaction.atomic
def board_meeting_create(
    *,
    actor: Actor,
    group: BoardGroup,
    held_on: dt.date,
    quarter: str,
    agenda: list[dict[str, Any]],
) -> BoardMeeting:
    """A meeting with its agenda (built by ``board_selectors.meeting_agenda``), kept as is."""
    meeting = BoardMeeting(group=group, held_on=held_on, quarter=quarter, agenda=agenda)
    return _create(actor, meeting, GovernanceAudit.BOARD_MEETING_CREATE)


MINUTES_FIELDS = ("present", "apologies", "minutes")


@transaction.atomic
def board_minutes_record(*, actor: Actor, meeting: BoardMeeting, **fields: str) -> BoardMeeting:
    if meeting.held_on > dt.date.today() and fields.get("minutes", "").strip():
        raise ValidationError({"minutes": "The meeting has not been held yet: minutes come after."})
    model_update(
        actor=actor,
        instance=meeting,
        fields={k: v.strip() for k, v in fields.items()},
        allowed=MINUTES_FIELDS,
        action=GovernanceAudit.BOARD_MINUTES,
    )
    return meeting


@transaction.atomic
def board_decision_add(
    *,
    actor: Actor,
    meeting: BoardMeeting,
    text: str,
    owner: str = "",
    due_on: dt.date | None = None,
) -> BoardDecision:
    if not text.strip():
        raise ValidationError({"text": "Write the decision."})
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError({"due_on": "A decision is due on or after the meeting."})
    decision = BoardDecision(meeting=meeting, text=text.strip(), owner=owner.strip(), due_on=due_on)
    return _create(actor, decision, GovernanceAudit.BOARD_DECISION_ADD)


CONSULTATION_FIELDS = (
    "title",
    "held_on",
    "method",
    "groups_consulted",
    "participants",
    "feedback",
    "changes",
    "priority",
    "survey_wave",
)


def _consultation_check(fields: dict[str, Any]) -> None:
    groups = [g for g in str(fields.get("groups_consulted") or "").splitlines() if g.strip()]
    if "groups_consulted" in fields and not groups:
        raise ValidationError({"groups_consulted": "Name at least one group consulted."})
    wave = fields.get("survey_wave")
    participants = fields.get("participants")
    if wave is not None and participants is not None and participants > wave.sample_size:
        raise ValidationError(
            {
                "participants": f"{participants:,} is more than the survey's sample of "
                f"{wave.sample_size:,}."
            }
        )


@transaction.atomic
def consultation_create(*, actor: Actor, **fields: Any) -> ConsultationEvent:
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown consultation fields: {', '.join(sorted(unknown))}.")
    _consultation_check(fields)
    event = ConsultationEvent(
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    )
    return _create(actor, event, GovernanceAudit.CONSULTATION_CREATE)


@transaction.atomic
def consultation_edit(
    *, actor: Actor, event: ConsultationEvent, **fields: Any
) -> ConsultationEvent:
    _consultation_check(
        {"survey_wave": event.survey_wave, "participants": event.participants} | fields
    )
    model_update(
        actor=actor,
        instance=event,
        fields={k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
        allowed=CONSULTATION_FIELDS,
        action=GovernanceAudit.CONSULTATION_EDIT,
    )
    return event
