"""MARAC: the access rule for every role, the agenda's order, research, the action tracker,
the IDVA and a victim's address hidden from all but named users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from saferhub.accounts.audit_actions import AccessAction
from saferhub.accounts.models import AuditEvent
from saferhub.accounts.roles import ROLES
from saferhub.cases import marac_selectors as ms
from saferhub.cases import selectors as sel
from saferhub.cases.models import MaracAction
from saferhub.cases.services.cases import case_break_glass
from saferhub.cases.services.marac_meetings import (
    action_add,
    action_set_status,
    address_restrict,
    idva_allocate,
    meeting_dates,
    research_record,
)
from saferhub.cases.services.parties import party_add
from tests.cases import factories as f
from tests.cases import marac_factories as mf

pytestmark = pytest.mark.django_db


def test_meeting_schedules() -> None:
    first = dt.date(2024, 1, 31)
    assert meeting_dates(first, "weekly", 3) == [
        first,
        dt.date(2024, 2, 7),
        dt.date(2024, 2, 14),
    ]
    assert meeting_dates(first, "fortnightly", 2)[1] == dt.date(2024, 2, 14)
    assert meeting_dates(first, "monthly", 3) == [first, dt.date(2024, 2, 29), dt.date(2024, 3, 31)]
    with pytest.raises(ValidationError):
        meeting_dates(first, "yearly", 1)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_members_of_the_meeting_with_the_marac_role_see_its_cases(role: str) -> None:
    someone = f.user(role)
    member = f.user("idva")
    meeting = mf.meeting(members=[member] + ([someone] if role == "idva" else []))
    case = mf.on_meeting(meeting, mf.referral()).case
    assert case is not None
    visible = set(sel.cases_for_user(user=someone).values_list("pk", flat=True))
    if role == "idva":
        assert visible == {case.pk}
        assert sel.case_get_for_user(user=someone, id=case.pk) == case
    else:
        # Not even an ASB officer of the agency leading the case, nor an administrator.
        assert case.pk not in visible
        with pytest.raises(Http404):
            sel.case_get_for_user(user=someone, id=case.pk)
    assert set(ms.marac_cases_for_user(user=member).values_list("pk", flat=True)) == {case.pk}


def test_a_marac_member_sees_only_the_cases_of_meetings_they_belong_to() -> None:
    alice, bob = f.user("idva"), f.user("idva")
    first, second = mf.meeting(members=[alice]), mf.meeting(members=[bob])
    mine = mf.on_meeting(first, mf.referral()).case
    theirs = mf.on_meeting(second, mf.referral()).case
    nowhere = mf.referral().case  # on no meeting yet
    assert mine and theirs and nowhere
    assert list(ms.marac_cases_for_user(user=alice)) == [mine]
    assert list(ms.meetings_for_user(user=alice)) == [first]
    with pytest.raises(Http404):
        ms.meeting_get_for_user(user=alice, id=second.pk)
    with pytest.raises(Http404):
        sel.case_get_for_user(user=alice, id=theirs.pk)
    assert AuditEvent.objects.filter(action=AccessAction.CASE_NOT_FOUND).exists()
    # The case's IDVA sees it without a meeting; a member of another agency does not.
    idva_allocate(actor=f.T, case=nowhere, idva=bob)
    assert nowhere in ms.marac_cases_for_user(user=bob)
    outsider = f.user("idva", of=f.police())
    first.members.add(outsider)
    assert not ms.marac_cases_for_user(user=outsider).exists()


def test_break_glass_still_opens_a_marac_case_for_an_administrator() -> None:
    admin = f.user("administrator")
    case = mf.referral().case
    assert case is not None
    case_break_glass(actor=admin, case_id=case.pk, reason="Immediate risk to life reported at 2am.")
    assert sel.case_get_for_user(user=admin, id=case.pk) == case


def test_the_agenda_puts_repeats_and_children_first_then_new_then_incomplete_actions() -> None:
    member = f.user("idva")
    earlier = mf.meeting(members=[member], day=dt.date(2024, 6, 10))
    meeting = mf.meeting(members=[member], day=dt.date(2024, 8, 10))
    first = mf.on_meeting(earlier, mf.referral(victim="VR", day=dt.date(2023, 9, 1)))
    repeat = mf.on_meeting(meeting, mf.referral(victim="VR", day=dt.date(2024, 7, 20)))
    plain = mf.on_meeting(meeting, mf.referral(day=dt.date(2024, 7, 5)))
    children = mf.on_meeting(meeting, mf.referral(day=dt.date(2024, 7, 25), children=2))
    assert first.case and repeat.case and plain.case and children.case
    open_action = action_add(
        actor=f.T,
        meeting=earlier,
        case=first.case,
        agency=f.housing(),
        text="Fit a door lock",
        due_on=dt.date(2024, 6, 20),
    )
    done = action_add(
        actor=f.T,
        meeting=earlier,
        case=first.case,
        agency=f.agency(),
        text="Refer to the refuge",
        due_on=dt.date(2024, 6, 21),
    )
    action_set_status(actor=f.T, action=done, status="done", done_on=dt.date(2024, 6, 15))
    research_record(
        actor=f.T,
        meeting=meeting,
        case=plain.case,
        agency=f.police(),
        facts="Two call-outs in July.",
        opinion="Risk is rising.",
        recorded_on=dt.date(2024, 8, 5),
    )
    got = ms.agenda(user=member, meeting=meeting)
    assert [i.case for i in got.priority] == [repeat.case, children.case]
    assert got.priority[0].repeat and got.priority[1].children == 2
    assert [i.case for i in got.new] == [plain.case]
    assert got.new[0].research[0].facts == "Two call-outs in July."
    assert got.new[0].research[0].opinion == "Risk is rising."
    assert got.incomplete_actions == [open_action]


def test_actions_and_research_are_checked() -> None:
    meeting = mf.meeting()
    case = mf.on_meeting(meeting, mf.referral()).case
    other = mf.referral().case
    assert case and other
    with pytest.raises(ValidationError) as exc:
        action_add(
            actor=f.T,
            meeting=meeting,
            case=other,
            agency=f.agency(),
            text="",
            due_on=dt.date(2024, 7, 1),
        )
    assert set(exc.value.message_dict) == {"case", "text", "due_on"}
    action = action_add(
        actor=f.T,
        meeting=meeting,
        case=case,
        agency=f.agency(),
        text="Visit",
        due_on=meeting.held_on,
    )
    with pytest.raises(ValidationError, match="date the action was completed"):
        action_set_status(actor=f.T, action=action, status="done")
    action_set_status(actor=f.T, action=action, status="done", done_on=meeting.held_on)
    action.refresh_from_db()
    assert action.status == MaracAction.Status.DONE
    with pytest.raises(ValidationError, match="facts"):
        research_record(
            actor=f.T,
            meeting=meeting,
            case=case,
            agency=f.agency(),
            facts="",
            opinion=" ",
            recorded_on=meeting.held_on,
        )
    with pytest.raises(ValidationError, match="does not work MARAC"):
        idva_allocate(actor=f.T, case=case, idva=f.user("asb_officer"))


def test_a_victims_address_is_hidden_from_all_but_named_users() -> None:
    member, refuge = f.user("idva"), f.user("idva")
    meeting = mf.meeting(members=[member, refuge])
    case = mf.on_meeting(meeting, mf.referral()).case
    assert case is not None
    party_add(
        actor=f.T,
        case=case,
        role="victim",
        person=f.person(address="Flat 2, 9 Elm Row"),
        article6_basis="vital_interests",
    )
    assert ms.victim_address(user=member, case=case) == "Flat 2, 9 Elm Row"
    address_restrict(actor=f.T, case=case, restricted=True, users=[refuge])
    case.refresh_from_db()
    assert ms.victim_address(user=member, case=case) == ms.HIDDEN
    assert ms.victim_address(user=refuge, case=case) == "Flat 2, 9 Elm Row"


def test_your_marac_list() -> None:
    member = f.user("idva")
    meeting = mf.meeting(members=[member], day=dt.date(2024, 7, 10))
    case = mf.on_meeting(meeting, mf.referral()).case
    assert case is not None
    action_add(
        actor=f.T,
        meeting=meeting,
        case=case,
        agency=member.agency,
        text="Safety plan",
        due_on=dt.date(2024, 7, 12),
    )
    idva_allocate(actor=f.T, case=case, idva=member)
    mine = ms.your_marac(user=member, today=dt.date(2024, 7, 1))
    assert mine.meetings == [meeting]
    assert [a.text for a in mine.actions_due] == ["Safety plan"]
    assert mine.idva_cases == [case]
    assert ms.your_marac(user=f.user("asb_officer"), today=dt.date(2024, 7, 1)).meetings == []
