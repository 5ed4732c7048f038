"""The pages: lists and filters, an action's page, the forms with their error summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhub.actions.models import Action, ActionPlan, Meeting
from tests.actions import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_with_actions(agency: Any) -> ActionPlan:
    police = f.agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")
    plan = f.plan("NED action plan 2010/11")
    f.action(
        plan,
        reference="SAC-1",
        description="Burglary kits for 2,500 homes",
        priority="Reducing Serious Acquisitive Crime",
        due_date=dt.date(2010, 12, 31),
        lead=police,
    )
    f.action(
        plan,
        reference="DA-1",
        description="Review and enhance Sanctuary Scheme",
        priority="Reducing Violent Crime",
        due_date=dt.date(2010, 6, 30),
        status="at_risk",
    )
    f.action(
        plan,
        reference="ASB-1",
        description="Mapping exercise to determine ASB hotspots",
        priority="Taking Action Against ASB",
        due_date=dt.date(2010, 4, 30),
        supporting_partners=[police],
    )
    return plan


def _refs(response: Any) -> list[str]:
    return [a.reference for a in response.context["actions"]]


def test_action_list_filters(plan_with_actions: ActionPlan, client_as: Any) -> None:
    client = client_as("viewer")
    assert sorted(_refs(client.get("/actions/"))) == ["ASB-1", "DA-1", "SAC-1"]
    assert _refs(client.get("/actions/?priority=Reducing+Violent+Crime")) == ["DA-1"]
    assert _refs(client.get("/actions/?status=at_risk")) == ["DA-1"]
    police = f.agency("derbyshire-constabulary")
    assert sorted(_refs(client.get(f"/actions/?partner={police.pk}"))) == ["ASB-1", "SAC-1"]
    assert sorted(_refs(client.get("/actions/?due_from=2010-05-01&due_to=2010-12-31"))) == [
        "DA-1",
        "SAC-1",
    ]
    # A filter that does not make sense is shown as an error, not a crash.
    page = client.get("/actions/?due_from=not-a-date")
    assert page.status_code == 200 and "Enter a valid date" in page.content.decode()
    csv = client.get("/actions/?status=at_risk&format=csv").content.decode().splitlines()
    assert len(csv) == 2 and csv[1].startswith("DA-1,Reducing Violent Crime")


def test_action_page_shows_what_the_plan_says(
    plan_with_actions: ActionPlan, client_as: Any
) -> None:
    action = plan_with_actions.actions.get(reference="DA-1")
    page = client_as("viewer").get(f"/actions/{action.pk}/").content.decode()
    assert "Review and enhance Sanctuary Scheme" in page
    assert "At risk" in page
    assert "Record progress" not in page  # viewers read only


def test_update_form_shows_errors_and_saves(plan_with_actions: ActionPlan, client_as: Any) -> None:
    client = client_as("lead_officer")
    action = plan_with_actions.actions.get(reference="DA-1")
    assert "Record progress" in client.get(f"/actions/{action.pk}/").content.decode()
    bad = client.post(
        f"/actions/{action.pk}/update/", {"made_on": "", "progress": "", "status": "on_track"}
    )
    page = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in page
    assert "Enter the date of the update" in page and "Describe the progress made" in page
    assert "<title>Error: " in page
    good = client.post(
        f"/actions/{action.pk}/update/",
        {
            "made_on": dt.date.today().isoformat(),
            "progress": "Scheme reviewed with Rykneld Homes",
            "status": "on_track",
        },
    )
    assert good.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK
    assert (
        "Scheme reviewed with Rykneld Homes"
        in client.get(f"/actions/{action.pk}/").content.decode()
    )


def test_lead_officer_of_another_agency_is_refused(
    plan_with_actions: ActionPlan, client_as: Any
) -> None:
    client = client_as("lead_officer")  # a council officer
    police_action = plan_with_actions.actions.get(reference="SAC-1")
    assert client.get(f"/actions/{police_action.pk}/update/").status_code == 403
    assert client.post(f"/actions/{police_action.pk}/complete/", {}).status_code == 403
    assert "Record progress" not in client.get(f"/actions/{police_action.pk}/").content.decode()


def test_your_actions_lists_overdue_and_due_soon(client_as: Any, make_user: Any) -> None:
    client = client_as("lead_officer")
    today = dt.date.today()
    f.action(reference="LATE", due_date=today - dt.timedelta(days=3))
    f.action(reference="SOON", due_date=today + dt.timedelta(days=3))
    response = client.get("/actions/mine/")
    lists = response.context["lists"]
    assert [a.reference for a in lists.overdue] == ["LATE"]
    assert [a.reference for a in lists.due_soon] == ["SOON"]


def test_meeting_pages(client_as: Any) -> None:
    team = f.team("Domestic Violence")
    plan = f.plan("Plan 2010/11", dt.date(2010, 4, 1), dt.date(2011, 3, 31))
    f.action(plan, team=team, reference="DV-1", due_date=dt.date(2010, 6, 5))
    client = client_as("manager")
    response = client.post(f"/actions/teams/{team.pk}/meetings/new/", {"held_on": "2010-06-01"})
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/actions/meetings/{meeting.pk}/"
    page = client.get(f"/actions/meetings/{meeting.pk}/").content.decode()
    assert "DV-1" in page and "Add an action agreed at this meeting" in page
    client.post(
        f"/actions/meetings/{meeting.pk}/record/",
        {"minutes": "Safe house opening early 2004", "decisions": "Refer to the Board"},
    )
    meeting.refresh_from_db()
    assert meeting.decisions == "Refer to the Board"
    agency = f.agency()
    response = client.post(
        f"/actions/plans/{plan.pk}/actions/new/",
        {
            "reference": "DV-2",
            "description": "Training subgroup to look at training packages",
            "lead_partners": [agency.pk],
            "team": team.pk,
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 302
    assert meeting.new_actions.get().reference == "DV-2"
    # The same reference twice is refused with a message on the form.
    again = client.post(
        f"/actions/plans/{plan.pk}/actions/new/",
        {"reference": "DV-2", "description": "Again", "lead_partners": [agency.pk]},
    )
    assert again.status_code == 200 and "There is a problem" in again.content.decode()
    assert "team" in client.get(f"/actions/teams/{team.pk}/").content.decode().lower()


def test_action_page_links_to_the_performance_indicator(client_as: Any) -> None:
    from tests.performance.factories import make_survey_indicator

    indicator = make_survey_indicator(code="NI 21")
    action = f.action(indicator=indicator)
    assert action.priority == indicator.priority.title  # the link gives the words
    page = client_as("viewer").get(f"/actions/{action.pk}/").content.decode()
    assert f"/performance/indicators/{indicator.pk}/" in page
    assert f"/performance/priorities/{indicator.priority.pk}/" in page


def test_add_a_sub_group(client_as: Any) -> None:
    client = client_as("manager")
    parent = f.team("Anti-social Behaviour")
    bad = client.post("/actions/teams/new/", {"name": "Motorcycles", "kind": "sub_group"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    good = client.post(
        "/actions/teams/new/", {"name": "Motorcycles", "kind": "sub_group", "parent": parent.pk}
    )
    assert good.status_code == 302
    assert [t.name for t in parent.sub_groups.all()] == ["Motorcycles"]


def test_form_errors_say_why(client_as: Any) -> None:
    client = client_as("manager")
    page = client.post("/actions/teams/new/", {"name": "Mediation", "kind": "sub_group"})
    assert "A sub-group reports to an action team: choose which." in page.content.decode()
    page = client.post(
        "/actions/plans/new/",
        {"title": "Back to front", "starts_on": "2011-04-01", "ends_on": "2010-04-01"},
    )
    assert "The plan must end after it starts." in page.content.decode()


def test_every_list_downloads(client_as: Any) -> None:
    client = client_as("lead_officer")
    team = f.team("Autocrime")
    today = dt.date.today()
    late = f.action(team=team, reference="AUTO-1", due_date=today - dt.timedelta(days=1))
    f.action(team=team, reference="AUTO-2", due_date=today + dt.timedelta(days=2))
    mine = client.get("/actions/mine/?format=csv").content.decode().splitlines()
    assert mine[0].startswith("List,Reference,Priority")
    assert mine[1].startswith("Overdue,AUTO-1") and mine[2].startswith(
        "Due in the next 14 days,AUTO-2"
    )
    group = client.get(f"/actions/teams/{team.pk}/?format=csv").content.decode().splitlines()
    assert len(group) == 3
    assert "Autocrime" in client.get("/actions/teams/?format=csv").content.decode()
    client.post(
        f"/actions/{late.pk}/update/",
        {
            "made_on": today.isoformat(),
            "progress": "CCTV at Shardlow services",
            "status": "at_risk",
        },
    )
    updates = client.get(f"/actions/{late.pk}/?format=csv").content.decode().splitlines()
    assert updates[0] == "Date,Progress,Status,Progress towards target,Meeting,By"
    assert (
        updates[1] == f"{today.isoformat()},CCTV at Shardlow services,At risk,,,user-lead_officer"
    )
    xlsx = client.get("/actions/plans/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_record_a_contribution(client_as: Any) -> None:
    from saferhub.actions.models import PartnerContribution

    client = client_as("manager")
    plan = f.plan()
    police = f.agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")
    bad = client.post(f"/actions/plans/{plan.pk}/contributions/new/", {"agency": police.pk})
    assert "Describe the contribution" in bad.content.decode()
    for text in ("Licensed premises checks", "Licensed premises checks and PubWatch"):
        response = client.post(
            f"/actions/plans/{plan.pk}/contributions/new/",
            {"agency": police.pk, "priority": "Reducing Violent Crime", "contribution": text},
        )
        assert response.status_code == 302
    row = PartnerContribution.objects.get()
    assert row.contribution == "Licensed premises checks and PubWatch"
    page = client.get(f"/actions/plans/{plan.pk}/").content.decode()
    assert "Licensed premises checks and PubWatch" in page
