"""The authorisation matrix lines of MARAC work.

Only the IDVA / MARAC role works MARAC cases, and a case is seen only by members of a
meeting it is on (or its IDVA or officer). The factories below make the test's IDVA users
members where the line says so (the matrix creates each role's user before the request).
"""

from __future__ import annotations

from saferhub.accounts.models import User
from saferhub.accounts.roles import ROLES
from saferhub.cases.services.marac_meetings import action_add, address_restrict
from tests.access import AccessCase
from tests.cases import factories as f
from tests.cases import marac_factories as mf

MARAC = frozenset({"idva"})
NOBODY: frozenset[str] = frozenset()


def _idva_users() -> list[User]:
    return list(User.objects.filter(groups__name=ROLES["idva"].name))


def _meeting_of_idvas() -> dict[str, object]:
    return {"pk": mf.meeting(members=_idva_users()).pk}


def _case_of_a_meeting_of_idvas() -> dict[str, object]:
    referral = mf.on_meeting(mf.meeting(members=_idva_users()), mf.referral())
    assert referral.case is not None
    return {"pk": referral.case.pk}


def _case_on_no_meeting() -> dict[str, object]:
    case = mf.referral().case
    assert case is not None
    return {"pk": case.pk}


def _action_of_a_meeting_of_idvas() -> dict[str, object]:
    meeting = mf.meeting(members=_idva_users())
    case = mf.on_meeting(meeting, mf.referral()).case
    assert case is not None
    action = action_add(
        actor=f.T,
        meeting=meeting,
        case=case,
        agency=f.agency(),
        text="Visit",
        due_on=meeting.held_on,
    )
    return {"pk": action.pk}


def _meeting_of_nobody() -> dict[str, object]:
    return {"pk": mf.meeting().pk}


def _research_of_a_meeting_of_idvas() -> dict[str, object]:
    meeting = mf.meeting(members=_idva_users())
    case = mf.on_meeting(meeting, mf.referral()).case
    assert case is not None
    return {"pk": meeting.pk, "case_pk": case.pk}


def _research_of_a_case_not_on_the_meeting() -> dict[str, object]:
    meeting = mf.meeting(members=_idva_users())
    case = mf.on_meeting(mf.meeting(members=_idva_users()), mf.referral()).case
    assert case is not None
    return {"pk": meeting.pk, "case_pk": case.pk}


def _address_hidden_from_the_idvas() -> dict[str, object]:
    case = mf.on_meeting(mf.meeting(members=_idva_users()), mf.referral()).case
    assert case is not None
    address_restrict(actor=f.T, case=case, restricted=True, users=[f.user("idva")])
    return {"pk": case.pk}


def _checklist() -> dict[str, object]:
    return {"pk": mf.checklist().pk}


def _other_agencys_checklist() -> dict[str, object]:
    return {"pk": mf.checklist(agency=f.police()).pk}


CASES = [
    AccessCase("cases:marac_home", roles=MARAC),
    AccessCase("cases:marac_home", roles=MARAC, query="format=csv"),
    AccessCase("cases:dash_new", roles=MARAC),
    AccessCase("cases:dash_detail", roles=MARAC, kwargs=_checklist),
    AccessCase("cases:dash_detail", roles=NOBODY, kwargs=_other_agencys_checklist),
    AccessCase("cases:marac_case", roles=MARAC, kwargs=_case_of_a_meeting_of_idvas),
    AccessCase("cases:marac_case", roles=NOBODY, kwargs=_case_on_no_meeting),
    AccessCase("cases:detail", roles=MARAC, kwargs=_case_of_a_meeting_of_idvas),
    AccessCase("cases:detail", roles=NOBODY, kwargs=_case_on_no_meeting),
    AccessCase("cases:marac_meetings", roles=MARAC),
    AccessCase("cases:marac_meeting", roles=MARAC, kwargs=_meeting_of_idvas),
    AccessCase("cases:marac_meeting", roles=NOBODY, kwargs=_meeting_of_nobody),
    AccessCase("cases:marac_meeting_member", roles=MARAC, kwargs=_meeting_of_idvas),
    AccessCase("cases:marac_meeting_member", roles=NOBODY, kwargs=_meeting_of_nobody),
    AccessCase("cases:marac_research", roles=MARAC, kwargs=_research_of_a_meeting_of_idvas),
    AccessCase("cases:marac_research", roles=NOBODY, kwargs=_research_of_a_case_not_on_the_meeting),
    AccessCase("cases:marac_idva", roles=MARAC, kwargs=_case_of_a_meeting_of_idvas),
    AccessCase("cases:marac_idva", roles=NOBODY, kwargs=_case_on_no_meeting),
    AccessCase("cases:marac_address", roles=MARAC, kwargs=_case_of_a_meeting_of_idvas),
    AccessCase("cases:marac_address", roles=NOBODY, kwargs=_case_on_no_meeting),
    AccessCase("cases:marac_address", roles=NOBODY, kwargs=_address_hidden_from_the_idvas),
    AccessCase("cases:marac_actions", roles=MARAC),
    AccessCase("cases:marac_actions", roles=MARAC, query="format=xlsx"),
    AccessCase("cases:marac_action", roles=MARAC, kwargs=_action_of_a_meeting_of_idvas),
    AccessCase("cases:marac_return", roles=MARAC),
    AccessCase("cases:marac_return", roles=MARAC, query="quarter=2024-Q3&format=csv"),
    AccessCase("api:cases-marac-actions", roles=MARAC),
    AccessCase("api:cases-dash-results", roles=MARAC),
    AccessCase("api:cases-marac-return", roles=MARAC, query="quarter=2024-Q3"),
    AccessCase("api:cases-detail", roles=MARAC, kwargs=_case_of_a_meeting_of_idvas),
    AccessCase("api:cases-detail", roles=NOBODY, kwargs=_case_on_no_meeting),
]
