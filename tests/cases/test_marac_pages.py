"""The MARAC pages that write: each agency's research, the IDVA, the victim's address kept
to named users, a meeting's members, and the meeting page's case and action forms. A good
form saves through the service and is audited; a bad one is refused with 400, the error
on its field, and nothing saved; a user outside the need-to-know is refused as the
existing MARAC pages refuse (403 without the role, 404 outside the scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import AuditEvent, User
from saferhub.cases import marac_selectors as ms
from saferhub.cases.audit_actions import MaracCaseAction
from saferhub.cases.models import AgencyResearch, Case, MaracAction, MaracCase, MaracMeeting
from saferhub.cases.services.marac_meetings import address_restrict
from saferhub.cases.services.parties import party_add
from tests.cases import factories as f
from tests.cases import marac_factories as mf
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

ADDRESS = "Flat 2, 9 Elm Row"


@pytest.fixture
def member(client: Client) -> User:
    user = f.user("idva")
    verified_client(client, user)
    return user


@pytest.fixture
def meeting(member: User) -> MaracMeeting:
    return mf.meeting(members=[member])


@pytest.fixture
def case(meeting: MaracMeeting) -> Case:
    found = mf.on_meeting(meeting, mf.referral()).case
    assert found is not None
    return found


def _as(user: User) -> Client:
    return verified_client(Client(), user)


def _events(action: MaracCaseAction, user: User) -> Any:
    return AuditEvent.objects.filter(action=action, actor=user)


def _refused(response: Any, field: str, message: str) -> str:
    """A refused form: 400, "Error: " title, the message in the summary and on the field."""
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html and f'href="#id_{field}"' in html
    assert f'id="id_{field}-error"' in html and message in html
    return html


# --- Research -------------------------------------------------------------------------------


def test_research_is_recorded_for_the_users_agency_facts_apart_from_opinion(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_research", args=[meeting.pk, case.pk])
    assert url in client.get(reverse("cases:marac_meeting", args=[meeting.pk])).content.decode()
    assert url in client.get(reverse("cases:marac_case", args=[case.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Record your agency's research" in page.content.decode()

    response = client.post(
        url,
        {
            "facts": "Two call-outs in July.",
            "opinion": "Risk is rising.",
            "recorded_on": "2024-07-08",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:marac_meeting", args=[meeting.pk]
    )
    research = AgencyResearch.objects.get()
    assert (research.meeting, research.case, research.agency) == (meeting, case, member.agency)
    assert (research.facts, research.opinion) == ("Two call-outs in July.", "Risk is rising.")
    assert research.recorded_on == dt.date(2024, 7, 8)
    event = _events(MaracCaseAction.RESEARCH, member).get()
    assert event.object_id == str(case.pk)
    assert event.new_values["fields"] == ["facts", "opinion"]
    assert "call-outs" not in str(event.new_values)  # field names only, never the text
    agenda = client.get(reverse("cases:marac_meeting", args=[meeting.pk])).content.decode()
    assert "Fact: Two call-outs in July." in agenda and "Opinion: Risk is rising." in agenda

    # Again: the same agency's research is changed, not doubled.
    assert "Change your agency's research" in client.get(url).content.decode()
    client.post(url, {"facts": "Three call-outs.", "opinion": "", "recorded_on": "2024-07-09"})
    research = AgencyResearch.objects.get()
    assert (research.facts, research.opinion) == ("Three call-outs.", "")


def test_research_with_neither_facts_nor_opinion_is_refused_and_nothing_saved(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_research", args=[meeting.pk, case.pk])
    response = client.post(url, {"facts": " ", "opinion": "", "recorded_on": "2024-07-08"})
    _refused(response, "facts", "Write what your agency holds (the facts).")
    response = client.post(url, {"facts": "A fact.", "recorded_on": "31/31/2024"})
    _refused(response, "recorded_on", "Enter a valid date.")
    assert not AgencyResearch.objects.exists()
    assert not _events(MaracCaseAction.RESEARCH, member).exists()


def test_research_is_refused_outside_the_meeting_or_the_role(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_research", args=[meeting.pk, case.pk])
    data = {"facts": "A fact.", "recorded_on": "2024-07-08"}
    assert _as(f.user("asb_officer")).post(url, data).status_code == 403
    assert _as(f.user("idva")).post(url, data).status_code == 404  # not of this meeting
    # A member of the meeting, but the case is on another meeting only.
    other = mf.on_meeting(mf.meeting(members=[member]), mf.referral()).case
    assert other is not None
    off_agenda = reverse("cases:marac_research", args=[meeting.pk, other.pk])
    assert client.post(off_agenda, data).status_code == 404
    assert not AgencyResearch.objects.exists()


# --- The IDVA ---------------------------------------------------------------------------


def test_the_idva_is_allocated_from_the_case_page(client: Client, member: User, case: Case) -> None:
    url = reverse("cases:marac_idva", args=[case.pk])
    assert url in client.get(reverse("cases:marac_case", args=[case.pk])).content.decode()
    idva = f.user("idva")  # on no meeting of this case
    assert client.get(url).status_code == 200
    response = client.post(url, {"idva": idva.pk})
    assert response.status_code == 302
    assert MaracCase.objects.get(case=case).idva == idva
    event = _events(MaracCaseAction.IDVA, member).get()
    assert event.new_values == {"idva": idva.pk}
    # The IDVA now sees the case without being a member of its meeting.
    assert _as(idva).get(reverse("cases:marac_case", args=[case.pk])).status_code == 200
    page = client.get(reverse("cases:marac_case", args=[case.pk])).content.decode()
    assert idva.display_name in page


def test_an_idva_who_cannot_work_marac_cases_is_refused(
    client: Client, member: User, case: Case
) -> None:
    url = reverse("cases:marac_idva", args=[case.pk])
    _refused(client.post(url, {"idva": ""}), "idva", "This field is required.")
    asb = f.user("asb_officer")
    _refused(client.post(url, {"idva": asb.pk}), "idva", "Select a valid choice.")
    other_agency = f.user("idva", of=f.police())  # would not see the case
    _refused(client.post(url, {"idva": other_agency.pk}), "idva", "Select a valid choice.")
    assert not MaracCase.objects.filter(case=case, idva__isnull=False).exists()
    assert not _events(MaracCaseAction.IDVA, member).exists()


def test_the_idva_page_is_refused_outside_the_scope(member: User, case: Case) -> None:
    url = reverse("cases:marac_idva", args=[case.pk])
    assert _as(f.user("asb_officer")).post(url, {"idva": member.pk}).status_code == 403
    assert _as(f.user("idva")).post(url, {"idva": member.pk}).status_code == 404
    assert not MaracCase.objects.filter(case=case, idva__isnull=False).exists()


# --- The victim's address -----------------------------------------------------------------


@pytest.fixture
def refuge(meeting: MaracMeeting, case: Case) -> User:
    """A refuge worker, member of the meeting; the victim's address recorded on the case."""
    user = f.user("idva")
    meeting.members.add(user)
    party_add(
        actor=f.T,
        case=case,
        role="victim",
        person=f.person(address=ADDRESS),
        article6_basis="vital_interests",
    )
    return user


def test_the_address_is_hidden_from_all_but_the_named_users(
    client: Client, member: User, refuge: User, case: Case
) -> None:
    case_url = reverse("cases:marac_case", args=[case.pk])
    url = reverse("cases:marac_address", args=[case.pk])
    before = client.get(case_url).content.decode()
    assert ADDRESS in before and url in before
    assert client.get(url).status_code == 200

    response = client.post(url, {"restricted": "on", "users": [refuge.pk]})
    assert response.status_code == 302 and response["Location"] == case_url
    detail = MaracCase.objects.get(case=case)
    assert detail.address_restricted and list(detail.address_users.all()) == [refuge]
    event = _events(MaracCaseAction.ADDRESS_ACCESS, member).filter(new_values__restricted=True)
    assert event.get().new_values == {"restricted": True, "named_users": 1}
    logged = AuditEvent.objects.values_list("old_values", "new_values", "detail")
    assert "Elm Row" not in str(list(logged))  # field names only, never the address

    # The case page: the named user sees the address, the other member sees "hidden" and
    # no longer the link to change it; the general case page never shows it.
    theirs = _as(refuge).get(case_url).content.decode()
    assert ADDRESS in theirs and url in theirs
    mine = client.get(case_url).content.decode()
    assert ADDRESS not in mine and ms.HIDDEN in mine and url not in mine
    assert ADDRESS not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _events(MaracCaseAction.ADDRESS_ACCESS, member).filter(detail="address hidden")

    # Hidden from them, the member may not show it to themselves again.
    assert client.get(url).status_code == 403
    assert client.post(url, {"restricted": "", "users": []}).status_code == 403
    assert client.post(url, {"restricted": "on", "users": [member.pk]}).status_code == 403
    detail.refresh_from_db()
    assert detail.address_restricted and list(detail.address_users.all()) == [refuge]

    # The named user shows it again to everyone who may see the case.
    assert _as(refuge).post(url, {"restricted": ""}).status_code == 302
    assert ADDRESS in client.get(case_url).content.decode()


def test_hiding_the_address_without_naming_anyone_is_refused(
    client: Client, member: User, refuge: User, case: Case
) -> None:
    url = reverse("cases:marac_address", args=[case.pk])
    html = _refused(
        client.post(url, {"restricted": "on"}),
        "users",
        "Name at least one user who may see the address.",
    )
    assert ADDRESS not in html
    outsider = f.user("idva", of=f.police())
    _refused(
        client.post(url, {"restricted": "on", "users": [outsider.pk]}),
        "users",
        "is not one of the available choices",
    )
    assert not MaracCase.objects.filter(case=case, address_restricted=True).exists()
    assert not _events(MaracCaseAction.ADDRESS_ACCESS, member).filter(
        new_values__has_key="restricted"
    )
    assert ADDRESS in client.get(reverse("cases:marac_case", args=[case.pk])).content.decode()


def test_the_address_page_is_refused_outside_the_scope(refuge: User, case: Case) -> None:
    url = reverse("cases:marac_address", args=[case.pk])
    data = {"restricted": "on", "users": [refuge.pk]}
    assert _as(f.user("asb_officer")).post(url, data).status_code == 403
    assert _as(f.user("idva")).post(url, data).status_code == 404
    assert not MaracCase.objects.filter(case=case, address_restricted=True).exists()
    address_restrict(actor=f.T, case=case, restricted=True, users=[refuge])
    assert _as(refuge).get(url).status_code == 200


# --- A meeting's members, cases and actions ----------------------------------------------


def test_a_member_adds_a_member_who_then_sees_the_meetings_cases(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_meeting_member", args=[meeting.pk])
    assert url in client.get(reverse("cases:marac_meeting", args=[meeting.pk])).content.decode()
    newcomer = f.user("idva")
    page = client.get(url).content.decode()
    assert newcomer.display_name in page
    assert _as(newcomer).get(reverse("cases:marac_case", args=[case.pk])).status_code == 404
    response = client.post(url, {"user": newcomer.pk})
    assert response.status_code == 302
    assert set(meeting.members.all()) == {member, newcomer}
    event = _events(MaracCaseAction.MEETING, member).get()
    assert event.new_values == {"member": newcomer.pk}
    assert _as(newcomer).get(reverse("cases:marac_case", args=[case.pk])).status_code == 200


def test_a_member_who_cannot_work_marac_cases_is_refused(
    client: Client, member: User, meeting: MaracMeeting
) -> None:
    url = reverse("cases:marac_meeting_member", args=[meeting.pk])
    _refused(client.post(url, {"user": ""}), "user", "This field is required.")
    asb = f.user("asb_officer")
    _refused(client.post(url, {"user": asb.pk}), "user", "Select a valid choice.")
    _refused(client.post(url, {"user": member.pk}), "user", "Select a valid choice.")  # already
    assert list(meeting.members.all()) == [member]
    assert not _events(MaracCaseAction.MEETING, member).exists()


def test_the_members_page_is_refused_outside_the_meeting(meeting: MaracMeeting) -> None:
    url = reverse("cases:marac_meeting_member", args=[meeting.pk])
    outsider = f.user("idva")
    assert _as(f.user("asb_officer")).post(url, {"user": outsider.pk}).status_code == 403
    assert _as(outsider).post(url, {"user": outsider.pk}).status_code == 404
    assert outsider not in meeting.members.all()


def test_the_meeting_page_adds_a_case_and_an_action(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_meeting", args=[meeting.pk])
    waiting = mf.referral(officer=member).case  # the member is its officer: they see it
    assert waiting is not None
    assert client.post(url, {"do": "case", "add-case": waiting.pk}).status_code == 302
    assert set(meeting.cases.all()) == {case, waiting}
    assert _events(MaracCaseAction.MEETING, member).get().new_values == {"case": waiting.reference}
    response = client.post(
        url,
        {
            "do": "action",
            "action-case": case.pk,
            "action-agency": f.housing().pk,
            "action-text": "Fit a door lock",
            "action-due_on": "2024-07-20",
        },
    )
    assert response.status_code == 302
    action = MaracAction.objects.get()
    assert (action.case, action.text, action.due_on) == (
        case,
        "Fit a door lock",
        dt.date(2024, 7, 20),
    )
    assert _events(MaracCaseAction.ACTION, member).get().new_values["fields"] == ["text"]


def test_the_meeting_pages_bad_case_or_action_is_refused_and_nothing_saved(
    client: Client, member: User, meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_meeting", args=[meeting.pk])
    _refused(
        client.post(url, {"do": "case", "add-case": ""}), "add-case", "This field is required."
    )
    response = client.post(
        url,
        {
            "do": "action",
            "action-case": case.pk,
            "action-agency": f.agency().pk,
            "action-text": "Visit",
            "action-due_on": "2024-07-01",  # before the meeting
        },
    )
    _refused(response, "action-due_on", "An action cannot be due before the meeting that set it.")
    assert list(meeting.cases.all()) == [case] and not MaracAction.objects.exists()
    assert not _events(MaracCaseAction.ACTION, member).exists()


def test_the_meeting_page_refuses_a_user_not_of_the_meeting(
    meeting: MaracMeeting, case: Case
) -> None:
    url = reverse("cases:marac_meeting", args=[meeting.pk])
    data = {
        "do": "action",
        "action-case": case.pk,
        "action-agency": f.agency().pk,
        "action-text": "Visit",
        "action-due_on": "2024-07-20",
    }
    assert _as(f.user("asb_officer")).post(url, data).status_code == 403
    assert _as(f.user("idva")).post(url, data).status_code == 404
    assert not MaracAction.objects.exists()
