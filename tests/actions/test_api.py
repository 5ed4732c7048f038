"""The API: the same selectors, services and permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhub.actions.models import Action
from tests.actions import factories as f

pytestmark = pytest.mark.django_db


def test_list_filter_detail_and_year_end(client_as: Any) -> None:
    plan = f.plan()
    f.action(
        plan,
        reference="A1",
        status="on_track",
        priority="ASB",
        target_quantity=2500,
        target_unit="homes",
        progress_quantity=500,
    )
    f.action(plan, reference="A2", status="at_risk", priority="ASB")
    client = client_as("viewer")
    data = client.get("/api/actions/actions/?status=at_risk").json()
    assert [a["reference"] for a in data] == ["A2"]
    one = client.get(f"/api/actions/actions/?plan={plan.pk}&priority=ASB").json()
    assert {a["reference"] for a in one} == {"A1", "A2"}
    a1 = next(a for a in one if a["reference"] == "A1")
    assert a1["progress_percent"] == 20 and a1["lead_partners"] == ["derby-city-council"]
    assert client.get("/api/actions/actions/?status=nonsense").status_code == 400
    year_end = client.get(f"/api/actions/plans/{plan.pk}/year-end/").json()
    assert year_end["total"] == {
        "team": "Total",
        "actions": 2,
        "completed": 0,
        "carried_forward": 2,
        "dropped": 0,
        "percent_completed": 0,
    }


def test_update_and_complete_through_the_api(client_as: Any) -> None:
    action = f.action(reference="A1")
    client = client_as("lead_officer")
    today = dt.date.today().isoformat()
    response = client.post(
        f"/api/actions/actions/{action.pk}/updates/",
        {"made_on": today, "progress": "Started", "status": "on_track"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "on_track"
    refused = client.post(
        f"/api/actions/actions/{action.pk}/updates/",
        {"made_on": today, "progress": "Done", "status": "completed"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    done = client.post(
        f"/api/actions/actions/{action.pk}/complete/",
        {"completed_on": today, "outcome_achieved": "partly", "evidence": "Most kits issued"},
        content_type="application/json",
    )
    assert done.status_code == 201
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED
    assert action.evaluation.outcome_achieved == "partly"
    again = client.post(
        f"/api/actions/actions/{action.pk}/complete/",
        {"completed_on": today, "outcome_achieved": "yes", "evidence": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "already completed" in str(again.json())


def test_api_refuses_another_agencys_lead(client_as: Any) -> None:
    police = f.agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")
    action = f.action(lead=police)
    client = client_as("lead_officer")
    response = client.post(
        f"/api/actions/actions/{action.pk}/updates/",
        {"made_on": dt.date.today().isoformat(), "progress": "x", "status": "on_track"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not action.updates.exists()
