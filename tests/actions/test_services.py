"""Updates, completion with evaluation, who may update what, meetings, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from saferhub.accounts.models import AuditEvent
from saferhub.actions.models import Action, ActionTeam
from saferhub.actions.selectors import (
    action_can_update,
    action_get_for_update,
    actions_led_by,
    split_due,
)
from saferhub.actions.services import (
    action_complete,
    action_update_create,
    actions_send_reminders,
    meeting_create,
    meeting_record,
    team_create,
)
from tests.actions import factories as f

TODAY = dt.date.today()
pytestmark = pytest.mark.django_db


@pytest.fixture
def police(db: Any) -> Any:
    return f.agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")


def test_lead_officer_updates_own_action_with_audit(make_user: Any) -> None:
    lead = make_user("lead_officer", username="kits-lead")
    action = f.action(lead_officer=lead, target_quantity=Decimal(2500), target_unit="homes")
    update = action_update_create(
        actor=lead,
        action=action,
        made_on=TODAY,
        progress="1,200 burglary kits issued in Dronfield and Eckington",
        status=Action.Status.ON_TRACK,
        progress_quantity=Decimal(1200),
    )
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK
    assert action.progress_quantity == Decimal(1200) and action.progress_percent == 48
    assert update.created_by == lead
    event = AuditEvent.objects.filter(action="actions.action_update").latest("sequence")
    assert event.actor == lead
    assert event.old_values == {"status": "not_started", "progress_quantity": None}
    assert event.new_values["status"] == "on_track"
    assert event.new_values["progress_quantity"] == "1200"


def test_who_may_update_an_action(make_user: Any, police: Any, agency: Any) -> None:
    named = make_user("lead_officer", username="named-lead")
    colleague = make_user("lead_officer", username="colleague")  # same agency as named
    constable = make_user("lead_officer", username="constable", agency=police)
    manager = make_user("manager", username="manager")
    viewer = make_user("viewer", username="viewer")
    with_named_lead = f.action(lead_officer=named)
    agency_led = f.action()  # led by the council, no named officer
    assert action_can_update(named, with_named_lead)
    assert not action_can_update(colleague, with_named_lead)  # a named lead is the only lead
    assert action_can_update(colleague, agency_led)  # no named lead: the lead partner's officers
    assert not action_can_update(constable, agency_led)
    assert action_can_update(manager, agency_led) and action_can_update(manager, with_named_lead)
    assert not action_can_update(viewer, agency_led)  # reads, never writes
    with pytest.raises(PermissionDenied):
        action_get_for_update(user=constable, id=agency_led.pk)
    assert AuditEvent.objects.filter(action="access.denied", actor=constable).exists()
    # A council officer leads their named action and the council's unnamed ones.
    assert set(actions_led_by(named)) == {with_named_lead, agency_led}
    assert list(actions_led_by(colleague)) == [agency_led]
    assert list(actions_led_by(constable)) == []


def test_update_refuses_bad_input() -> None:
    action = f.action()
    with pytest.raises(ValidationError, match="Complete with evaluation"):
        action_update_create(
            actor="t", action=action, made_on=TODAY, progress="done", status="completed"
        )
    with pytest.raises(ValidationError, match="future"):
        action_update_create(
            actor="t",
            action=action,
            made_on=TODAY + dt.timedelta(days=2),
            progress="x",
            status="on_track",
        )
    with pytest.raises(ValidationError):
        action_update_create(
            actor="t", action=action, made_on=TODAY, progress="  ", status="on_track"
        )
    assert not action.updates.exists()


def test_complete_with_evaluation(make_user: Any) -> None:
    lead = make_user("lead_officer", username="sanctuary-lead")
    action = f.action(lead_officer=lead)
    evaluation = action_complete(
        actor=lead,
        action=action,
        completed_on=TODAY,
        outcome_achieved="yes",
        evidence="Sanctuary Scheme reviewed; 14 homes made safe",
        strengths="Quick referrals from Women's Aid",
        weaknesses="Waits for locksmiths",
        good_practice="Joint visits with the police",
    )
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED and action.completed_on == TODAY
    assert action.evaluation == evaluation
    assert action.updates.get().status == Action.Status.COMPLETED
    event = AuditEvent.objects.get(action="actions.action_complete")
    assert event.new_values["evaluation"]["strengths"] == "Quick referrals from Women's Aid"
    # A completed action is closed: no more updates, no second completion.
    with pytest.raises(ValidationError, match="can no longer be updated"):
        action_update_create(
            actor=lead, action=action, made_on=TODAY, progress="x", status="on_track"
        )
    with pytest.raises(ValidationError, match="already completed"):
        action_complete(
            actor=lead, action=action, completed_on=TODAY, outcome_achieved="yes", evidence="x"
        )


def test_completion_needs_evidence_and_an_outcome() -> None:
    action = f.action()
    with pytest.raises(ValidationError):
        action_complete(
            actor="t", action=action, completed_on=TODAY, outcome_achieved="yes", evidence=""
        )
    with pytest.raises(ValidationError):
        action_complete(
            actor="t", action=action, completed_on=TODAY, outcome_achieved="maybe", evidence="e"
        )
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_database_constraints_hold_without_the_services(db: Any) -> None:
    action = f.action()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="completed")  # no completion date
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(target_quantity=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionTeam.objects.create(
            name="Motorcycles", kind="sub_group"
        )  # a sub-group needs a parent


def test_teams_and_sub_groups(make_user: Any, agency: Any, police: Any) -> None:
    chair = make_user("manager", username="chair")
    asb = team_create(
        actor=chair,
        name="Anti-social Behaviour",
        priority="Taking Action Against ASB",
        chair=chair,
        member_agencies=[agency, police],
    )
    motorcycles = team_create(actor=chair, name="Motorcycles", kind="sub_group", parent=asb)
    assert list(asb.sub_groups.all()) == [motorcycles]
    assert set(asb.member_agencies.values_list("code", flat=True)) == {agency.code, police.code}
    with pytest.raises(ValidationError):
        team_create(actor=chair, name="Mediation", kind="sub_group")


def test_meeting_agenda_is_made_from_due_and_overdue_actions(make_user: Any) -> None:
    team = f.team("Domestic Burglary")
    plan = f.plan()
    overdue = f.action(plan, team=team, due_date=dt.date(2010, 5, 1), description="Late")
    due_soon = f.action(plan, team=team, due_date=dt.date(2010, 6, 10), description="Soon")
    later = f.action(plan, team=team, due_date=dt.date(2010, 9, 1), description="Later")
    done = f.action(plan, team=team, due_date=dt.date(2010, 5, 1), description="Done")
    action_complete(
        actor="t",
        action=done,
        completed_on=dt.date(2010, 5, 1),
        outcome_achieved="yes",
        evidence="e",
    )
    other_team = f.action(plan, team=f.team(), due_date=dt.date(2010, 5, 1))
    meeting = meeting_create(actor="t", team=team, held_on=dt.date(2010, 6, 1))
    assert list(meeting.agenda_actions.order_by("due_date")) == [overdue, due_soon]
    assert (
        later not in meeting.agenda_actions.all() and other_team not in meeting.agenda_actions.all()
    )
    lead = make_user("lead_officer", username="burglary-lead")
    update = action_update_create(
        actor=lead,
        action=overdue,
        made_on=TODAY,
        progress="Reported at the meeting",
        status="at_risk",
        meeting=meeting,
    )
    assert list(meeting.updates.all()) == [update]
    meeting_record(
        actor="t",
        meeting=meeting,
        minutes="Discussed burglary kits",
        decisions="Extend to Killamarsh",
    )
    new = f.action(plan, team=team, meeting=meeting, description="Extend kits to Killamarsh")
    assert list(meeting.new_actions.all()) == [new]
    assert AuditEvent.objects.filter(action="actions.meeting_record").exists()
    with pytest.raises(ValidationError):
        meeting_create(actor="t", team=team, held_on=dt.date(2010, 6, 1))  # one a day per group


def test_split_due() -> None:
    today = dt.date(2010, 6, 1)
    a = f.action(due_date=dt.date(2010, 5, 31))
    b = f.action(due_date=dt.date(2010, 6, 15))
    c = f.action(due_date=dt.date(2010, 6, 16))
    d = f.action()
    lists = split_due([a, b, c, d], today=today)
    assert (lists.overdue, lists.due_soon, lists.later) == ([a], [b], [c, d])


def test_reminders_email_each_lead_once_and_mark_overdue(make_user: Any, police: Any) -> None:
    today = dt.date(2010, 6, 1)
    named = make_user("lead_officer", username="named")
    team_lead = make_user("lead_officer", username="team-lead", agency=police)
    team = f.team("Autocrime", lead_officer=team_lead)
    late = f.action(lead_officer=named, due_date=dt.date(2010, 5, 1), reference="SAC-1")
    soon = f.action(lead_officer=named, due_date=dt.date(2010, 6, 10), reference="SAC-2")
    f.action(lead_officer=named, due_date=dt.date(2010, 9, 1), reference="SAC-3")  # not yet
    unnamed = f.action(team=team, due_date=dt.date(2010, 6, 5), reference="AUTO-1")
    f.action(due_date=dt.date(2010, 5, 1), reference="NOBODY")  # no one to send to
    report = actions_send_reminders(actor="test", today=today)
    assert report.sent == 2
    assert report.emails == {named.email: ["SAC-1", "SAC-2"], team_lead.email: ["AUTO-1"]}
    assert sorted(report.marked_overdue) == ["NOBODY", "SAC-1"]
    late.refresh_from_db()
    assert late.status == Action.Status.OVERDUE
    message = next(m for m in mail.outbox if m.to == [named.email])
    assert "1 overdue and 1 due-soon" in message.subject
    assert "SAC-1 due 01 May 2010" in message.body and "SAC-2 due 10 June 2010" in message.body
    assert "/actions/mine/" in message.body
    assert unnamed.reference in next(m for m in mail.outbox if m.to == [team_lead.email]).body
    assert soon.status == Action.Status.NOT_STARTED
    assert AuditEvent.objects.filter(action="actions.action_overdue").count() == 2
    assert AuditEvent.objects.filter(action="actions.reminders").exists()
    # The next day nothing more becomes overdue; the same leads are chased again.
    again = actions_send_reminders(actor="test", today=today + dt.timedelta(days=1))
    assert again.marked_overdue == [] and again.sent == 2


def test_reminder_schedule_is_registered() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["actions-remind"]
    assert entry["task"] == "saferhub.actions.remind"
    from saferhub.config.celery import app

    assert "saferhub.actions.remind" in app.tasks
    result = app.tasks["saferhub.actions.remind"].apply().get()
    assert result == {"sent": 0, "marked_overdue": []}


def test_action_invariants_are_checked_before_the_database() -> None:
    plan = f.plan()
    f.action(plan, reference="SAC-1")
    with pytest.raises(ValidationError) as info:
        f.action(plan, reference="SAC-1", target_quantity=Decimal(0), budget_amount=Decimal(-1))
    errors = info.value.message_dict
    assert errors["reference"] == ["Reference SAC-1 is already used in this action plan."]
    assert errors["target_quantity"] == ["The quantity target must be more than 0."]
    assert errors["budget_amount"] == ["The budget cannot be negative."]
    assert plan.actions.count() == 1
