"""Reads for the Board: groups and members, meetings, the agenda built from the Board
pack's content (scorecard, action progress, risk ratings, budget variance), decisions,
and the consultation log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from saferhub.accounts.access import require_permission
from saferhub.governance.board_pack import BoardPack, board_pack
from saferhub.governance.models import BoardGroup, BoardMeeting, BoardMember, ConsultationEvent
from saferhub.governance.selectors import VIEW

MANAGE_BOARD = "governance.manage_board"


def groups() -> QuerySet[BoardGroup]:
    return BoardGroup.objects.live().select_related("parent")


def group_get_for_user(*, user: object, id: int) -> BoardGroup:
    require_permission(user, VIEW)
    group = groups().filter(pk=id).first()
    if group is None:
        raise Http404("No such Board or sub-group.")
    return group


def current_members(group: BoardGroup, on: dt.date | None = None) -> QuerySet[BoardMember]:
    day = on or dt.date.today()
    return group.members.live().filter(
        Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))
    )


def meetings(group: BoardGroup | None = None) -> QuerySet[BoardMeeting]:
    qs = BoardMeeting.objects.live().select_related("group")
    return qs.filter(group=group) if group is not None else qs


def meeting_get_for_user(*, user: object, id: int) -> BoardMeeting:
    require_permission(user, VIEW)
    meeting = meetings().filter(pk=id).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def decisions(meeting: BoardMeeting) -> QuerySet[Any]:
    return meeting.decisions.live()


def _status_index() -> int:
    from saferhub.performance.selectors import SCORECARD_COLUMNS

    return SCORECARD_COLUMNS.index("Status")


def agenda_from_pack(pack: BoardPack) -> list[dict[str, Any]]:
    """The standing agenda of a quarterly meeting, its items filled from the pack."""
    status = _status_index()
    scorecard = [
        f"{row[0]}: {row[1]} – {row[status] or 'not yet measurable'}" for row in pack.scorecard
    ]
    actions = [
        f"{row[0]}: {row[2]} of {row[1]} completed, {row[3]} ongoing"
        + (f" ({row[5]}%)" if row[5] is not None else "")
        for row in pack.actions
    ]
    high = [c for row in pack.heat_map.rows for c in row if c.band in ("High", "Very high")]
    risks = [
        f"{r[0]} (owner {r[3]}): {r[12]} after controls, score {r[11]}"
        for r in pack.risks
        if r[12] in ("High", "Very high")
    ]
    variance = [
        f"{row[0]}: forecast £{abs(row[4]):,.2f} "
        + ("over" if row[4] > 0 else "under")
        + " budget"
        + (f" – {row[5]}" if row[5] else "")
        for row in pack.variance
    ]
    return [
        {"title": "Apologies and the minutes of the last meeting", "lines": []},
        {
            "title": f"Performance scorecard, {pack.quarter}",
            "lines": scorecard or ["No indicators."],
        },
        {
            "title": "Action progress" + (f": {pack.plan.title}" if pack.plan else ""),
            "lines": actions or ["No action plan."],
        },
        {
            "title": "Risk ratings",
            "lines": [
                f"{pack.heat_map.total} open risks, {sum(c.count for c in high)} high or very "
                "high after controls.",
                *risks,
            ],
        },
        {
            "title": "Budget variance" + (f", {pack.year.label}" if pack.year else ""),
            "lines": variance or ["No budget line is forecast to differ from its budget."],
        },
        {"title": "Decisions and any other business", "lines": []},
    ]


def meeting_agenda(*, user: Any, quarter: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The quarter (the latest whole one by default) and its agenda, read with ``user``'s
    access. Raises ``ValueError`` for a quarter that cannot be read."""
    pack = board_pack(user=user, quarter=quarter)
    return pack.quarter, agenda_from_pack(pack)


def consultations() -> QuerySet[ConsultationEvent]:
    return ConsultationEvent.objects.live().select_related("priority", "survey_wave")


def consultation_get_for_user(*, user: object, id: int) -> ConsultationEvent:
    require_permission(user, VIEW)
    event = consultations().filter(pk=id).first()
    if event is None:
        raise Http404("No such consultation.")
    return event


CONSULTATION_COLUMNS = [
    "Held on",
    "Consultation",
    "Method",
    "Groups consulted",
    "Participants",
    "Feedback received",
    "What changed as a result",
    "Priority",
]


def consultation_rows() -> list[list[Any]]:
    return [
        [
            e.held_on,
            e.title,
            e.get_method_display(),
            "; ".join(e.groups()),
            e.participants,
            e.feedback,
            e.changes or "Nothing yet",
            e.priority.title if e.priority else "",
        ]
        for e in consultations()
    ]


MEMBER_COLUMNS = ["Group", "Name", "Organisation", "Role", "Joined", "Left"]


def member_rows(group: BoardGroup) -> list[list[Any]]:
    return [
        [group.name, m.name, m.organisation, m.get_role_display(), m.joined_on, m.left_on]
        for m in group.members.live()
    ]
