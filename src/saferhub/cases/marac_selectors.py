"""Reads of MARAC work, every one through the need-to-know scope (``accounts.access`` with
the MARAC rule of ``cases.case_types``: the role works MARAC cases, the agency leads or was
added to the case, and the user is a member of a meeting the case is on, its IDVA or its
officer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from saferhub.accounts.access import has_permission
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import User
from saferhub.cases import selectors as sel
from saferhub.cases.audit_actions import MaracCaseAction
from saferhub.cases.models import (
    AgencyResearch,
    Case,
    DashChecklist,
    MaracAction,
    MaracMeeting,
    MaracReferral,
    Party,
)
from saferhub.cases.services.marac import repeats_among

WORK = "cases.work_marac"


def marac_cases_for_user(*, user: Any) -> QuerySet[Case]:
    return sel.cases_for_user(user=user, case_type="marac")


def meetings_for_user(*, user: Any) -> QuerySet[MaracMeeting]:
    """The meetings the user is a member of (none without the MARAC role)."""
    if not has_permission(user, WORK):
        return MaracMeeting.objects.none()
    return MaracMeeting.objects.filter(members=user).order_by("held_on", "id")


def meeting_get_for_user(*, user: Any, id: Any) -> MaracMeeting:
    try:
        meeting = meetings_for_user(user=user).get(pk=id)
    except (MaracMeeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
    return meeting


def checklists_for_user(*, user: Any) -> QuerySet[DashChecklist]:
    """Checklists: those the user's agency completed, and those of cases they may see."""
    if not has_permission(user, WORK):
        return DashChecklist.objects.none()
    visible = marac_cases_for_user(user=user).values("pk")
    return DashChecklist.objects.filter(
        Q(agency_id=getattr(user, "agency_id", None)) | Q(case__in=visible)
    )


def checklist_get_for_user(*, user: Any, id: Any) -> DashChecklist:
    try:
        checklist = checklists_for_user(user=user).get(pk=id)
    except (DashChecklist.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
    audit_record(actor=user, action=MaracCaseAction.DASH_RECORD, obj=checklist, detail="view")
    return checklist


@dataclass
class AgendaItem:
    case: Case
    referral: MaracReferral | None
    repeat: bool
    children: int | None
    research: list[AgencyResearch] = field(default_factory=list)


@dataclass
class Agenda:
    meeting: MaracMeeting
    priority: list[AgendaItem]  # repeat cases and cases with children
    new: list[AgendaItem]
    incomplete_actions: list[MaracAction]

    @property
    def items(self) -> list[AgendaItem]:
        return self.priority + self.new


def agenda(*, user: Any, meeting: MaracMeeting) -> Agenda:
    """The meeting's agenda: repeat cases and cases with children first, then new cases,
    then the incomplete actions of earlier meetings on the cases the user may see. Within a
    section, cases run by referral date. Audited as a view of the meeting's cases."""
    cases = list(
        marac_cases_for_user(user=user)
        .filter(marac_meetings=meeting)
        .select_related("lead_agency", "officer")
    )
    referrals: dict[int, MaracReferral] = {}
    for r in MaracReferral.objects.filter(case__in=cases).order_by("referral_date", "id"):
        if r.case_id is not None:
            referrals[r.case_id] = r  # the latest referral of each case
    repeats = repeats_among(MaracReferral.objects.filter(pk__in=[r.pk for r in referrals.values()]))
    research: dict[int, list[AgencyResearch]] = {}
    for found in AgencyResearch.objects.filter(meeting=meeting, case__in=cases).select_related(
        "agency"
    ):
        research.setdefault(found.case_id, []).append(found)
    priority: list[AgendaItem] = []
    new: list[AgendaItem] = []
    for case in cases:
        referral = referrals.get(case.pk)
        item = AgendaItem(
            case=case,
            referral=referral,
            repeat=bool(referral and referral.pk in repeats),
            children=referral.children_in_household if referral else None,
            research=research.get(case.pk, []),
        )
        (priority if item.repeat or (item.children or 0) > 0 else new).append(item)

    def by_date(item: AgendaItem) -> tuple[dt.date, str]:
        return (
            item.referral.referral_date if item.referral else item.case.opened_on,
            item.case.reference,
        )

    incomplete = list(
        MaracAction.objects.filter(
            case__in=marac_cases_for_user(user=user),
            status=MaracAction.Status.OPEN,
            meeting__held_on__lt=meeting.held_on,
        )
        .select_related("case", "agency", "meeting")
        .order_by("due_on", "id")
    )
    audit_record(
        actor=user,
        action=MaracCaseAction.AGENDA_VIEW,
        obj=meeting,
        new={"cases": len(cases), "actions": len(incomplete)},
    )
    return Agenda(meeting, sorted(priority, key=by_date), sorted(new, key=by_date), incomplete)


def actions_for_user(*, user: Any) -> QuerySet[MaracAction]:
    """The action tracker: actions on MARAC cases the user may see."""
    return MaracAction.objects.filter(case__in=marac_cases_for_user(user=user)).select_related(
        "meeting", "case", "agency"
    )


def action_get_for_user(*, user: Any, id: Any) -> MaracAction:
    try:
        return actions_for_user(user=user).get(pk=id)
    except (MaracAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


HIDDEN = "Hidden: only named users may see this address"


def victim_address(*, user: Any, case: Case) -> str:
    """The victim's address on a case the user may see; hidden (and the refusal audited)
    when the case restricts it to named users and the user is not one."""
    detail = getattr(case, "marac", None)
    party = (
        Party.objects.filter(case=case, role=Party.Role.VICTIM, person__isnull=False)
        .select_related("person")
        .first()
    )
    if party is None or party.person is None:
        return ""
    if (
        detail
        and detail.address_restricted
        and not detail.address_users.filter(pk=user.pk).exists()
    ):
        audit_record(
            actor=user, action=MaracCaseAction.ADDRESS_ACCESS, obj=case, detail="address hidden"
        )
        return HIDDEN
    audit_record(
        actor=user,
        action=MaracCaseAction.ADDRESS_ACCESS,
        obj=case,
        new={"fields": ["address"]},
    )
    return str(party.person.address)


@dataclass(frozen=True)
class YourMarac:
    """A MARAC worker's own list: meetings coming, actions due (their agency's), cases they
    are the IDVA of."""

    meetings: list[MaracMeeting]
    actions_due: list[MaracAction]
    idva_cases: list[Case]


def your_marac(*, user: Any, today: dt.date, days: int = 14) -> YourMarac:
    if not has_permission(user, WORK):
        return YourMarac([], [], [])
    horizon = today + dt.timedelta(days=days)
    return YourMarac(
        meetings=list(
            meetings_for_user(user=user).filter(held_on__gte=today, held_on__lte=horizon)
        ),
        actions_due=list(
            actions_for_user(user=user)
            .filter(
                status=MaracAction.Status.OPEN,
                agency_id=getattr(user, "agency_id", None) or 0,
                due_on__lte=horizon,
            )
            .order_by("due_on", "id")
        ),
        idva_cases=list(marac_cases_for_user(user=user).filter(marac__idva=user, status="open")),
    )


def marac_workers(*, agency_ids: list[int] | None = None) -> QuerySet[User]:
    """Active users whose role works MARAC cases (of the given agencies, when named), by
    name: the people who may be a meeting's member, a case's IDVA or named on an address."""
    holders = User.objects.filter(
        groups__permissions__codename="work_marac",
        groups__permissions__content_type__app_label="cases",
    ).values("pk")
    users = User.objects.filter(is_active=True, pk__in=holders).select_related("agency")
    if agency_ids is not None:
        users = users.filter(agency_id__in=agency_ids)
    return users.order_by("first_name", "last_name", "username")


def case_agency_ids(case: Case) -> list[int]:
    """The agencies whose MARAC workers may see the case: its lead and those added to it."""
    return [case.lead_agency_id, *case.agencies.values_list("agency_id", flat=True)]


def address_may_change(*, user: Any, case: Case) -> bool:
    """Whether the user may change who sees the victim's address: anyone who may see the
    case while it is not hidden, only the named users once it is."""
    detail = getattr(case, "marac", None)
    if detail is None or not detail.address_restricted:
        return True
    return detail.address_users.filter(pk=getattr(user, "pk", None)).exists()
