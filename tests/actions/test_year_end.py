"""Year end: South Derbyshire's Table 1 on its own numbers, and carrying actions forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhub.accounts.models import AuditEvent
from saferhub.actions.models import Action, ActionPlan
from saferhub.actions.selectors import percent, year_end_rows, year_end_summary
from saferhub.actions.services import action_complete, action_edit, plan_carry_forward
from tests.actions import factories as f

# South Derbyshire Crime and Disorder Partnership, End of Year Report 2002-2003,
# Table 1 - Completed Actions in Year One: (action team, actions, completed, ongoing).
TABLE_1 = [
    ("Domestic Burglary", 9, 7, 2),
    ("Autocrime", 5, 4, 1),
    ("Anti-social Behaviour", 13, 8, 5),
    ("Substance Misuse", 7, 5, 2),
    ("Violent Crime (includes Domestic Violence)", 7, 5, 2),
    ("Community Engagement", 8, 6, 2),
]
TABLE_1_TOTAL = ("Total", 49, 35, 14)


def _year_one_plan() -> ActionPlan:
    """The Year One Action Plan with Table 1's actions, completed as the report says."""
    plan = f.plan("Year One Action Plan 2002/03", dt.date(2002, 4, 1), dt.date(2003, 3, 31))
    for name, actions, completed, _ongoing in TABLE_1:
        team = f.team(name)
        for i in range(actions):
            action = f.action(
                plan,
                reference=f"{name[:3].upper()}-{i + 1}",
                description=f"{name} action {i + 1}",
                team=team,
                priority=name,
                due_date=dt.date(2003, 3, 31),
                status=Action.Status.ON_TRACK,
            )
            if i < completed:
                action_complete(
                    actor="test",
                    action=action,
                    completed_on=dt.date(2003, 3, 1),
                    outcome_achieved="yes",
                    evidence="Reported to the action team",
                )
    return plan


@pytest.fixture
def year_one(db: Any) -> ActionPlan:
    return _year_one_plan()


def test_percent_rounds_half_up_as_the_report_does() -> None:
    assert percent(35, 49) == 71  # 71.43
    assert percent(1, 8) == 13  # 12.5 rounds up, not to even
    assert percent(0, 0) is None


def test_table_1_shape_and_arithmetic(year_one: ActionPlan) -> None:
    rows, total = year_end_summary(year_one)
    assert [(r.team, r.actions, r.completed, r.carried_forward) for r in rows] == TABLE_1
    assert (total.team, total.actions, total.completed, total.carried_forward) == TABLE_1_TOTAL
    # "35 actions have been completed, representing 71% success rate"
    assert total.percent_completed == 71
    assert [r.percent_completed for r in rows] == [78, 80, 62, 71, 71, 75]
    # Every row adds up: completed + carried forward (+ dropped) = actions.
    for r in [*rows, total]:
        assert r.completed + r.carried_forward + r.dropped == r.actions


def test_year_end_page_and_export_show_table_1(year_one: ActionPlan, client_as: Any) -> None:
    client = client_as("viewer")
    page = client.get(f"/actions/plans/{year_one.pk}/").content.decode()
    assert "The plan consists of 49 actions across 6 action teams." in page
    assert "35 actions have been completed, representing 71%" in page
    assert "the remaining 14 actions are to be carried into next year" in page
    csv = client.get(f"/actions/plans/{year_one.pk}/?format=csv").content.decode().splitlines()
    assert csv[0] == "Action team,No of actions,Completed,Carried forward,Dropped,% completed"
    assert csv[1] == "Domestic Burglary,9,7,2,0,78"
    assert csv[-1] == "Total,49,35,14,0,71"
    assert year_end_rows(year_one)[-1] == ["Total", 49, 35, 14, 0, 71]


def test_dropped_actions_are_neither_completed_nor_carried(year_one: ActionPlan) -> None:
    open_action = year_one.actions.exclude(status=Action.Status.COMPLETED).first()
    assert open_action is not None
    action_edit(actor="test", action=open_action, status=Action.Status.DROPPED)
    _, total = year_end_summary(year_one)
    assert (total.actions, total.completed, total.carried_forward, total.dropped) == (49, 35, 13, 1)


def test_unfinished_actions_carry_into_next_years_plan_in_one_step(year_one: ActionPlan) -> None:
    unfinished = set(
        year_one.actions.exclude(status=Action.Status.COMPLETED).values_list("reference", flat=True)
    )
    assert len(unfinished) == 14
    next_plan, carried = plan_carry_forward(
        actor="test",
        plan=year_one,
        title="Year Two Action Plan 2003/04",
        starts_on=dt.date(2003, 4, 1),
        ends_on=dt.date(2004, 3, 31),
    )
    assert next_plan.previous == year_one
    assert {a.reference for a in carried} == unfinished
    assert next_plan.actions.count() == 14
    copy = next_plan.actions.select_related("carried_from").first()
    assert copy is not None and copy.carried_from is not None
    assert copy.carried_from.status == Action.Status.CARRIED_FORWARD
    assert copy.team == copy.carried_from.team
    assert list(copy.lead_partners.all()) == list(copy.carried_from.lead_partners.all())
    # The old due date (31 March 2003) is before the new plan: it moves to the new plan's end.
    assert copy.due_date == dt.date(2004, 3, 31)
    assert copy.status == Action.Status.ON_TRACK
    # Last year's table is unchanged in its arithmetic: 14 carried forward.
    _, total = year_end_summary(year_one)
    assert (total.completed, total.carried_forward) == (35, 14)
    # Next year starts with 14 actions, none completed.
    _, next_total = year_end_summary(next_plan)
    assert (next_total.actions, next_total.completed, next_total.carried_forward) == (14, 0, 14)
    assert AuditEvent.objects.filter(action="actions.action_carry_forward").count() == 14
    # Doing it again carries nothing more and makes no second plan.
    again, carried_again = plan_carry_forward(
        actor="test",
        plan=year_one,
        title="Another title",
        starts_on=dt.date(2003, 4, 1),
        ends_on=dt.date(2004, 3, 31),
    )
    assert again == next_plan and carried_again == []
    assert next_plan.actions.count() == 14


def test_carry_forward_page(year_one: ActionPlan, client_as: Any) -> None:
    client = client_as("manager")
    page = client.get(f"/actions/plans/{year_one.pk}/carry-forward/").content.decode()
    assert "14 actions of this plan are neither completed nor dropped" in page
    response = client.post(
        f"/actions/plans/{year_one.pk}/carry-forward/",
        {"title": "Year Two", "starts_on": "2003-04-01", "ends_on": "2004-03-31"},
    )
    assert response.status_code == 302
    next_plan = ActionPlan.objects.get(title="Year Two")
    assert response["Location"] == f"/actions/plans/{next_plan.pk}/"
    assert next_plan.actions.count() == 14
    # A plan that ends before it starts is refused with a message, not an error page.
    bad = client.post(
        f"/actions/plans/{next_plan.pk}/carry-forward/",
        {"title": "Year Three", "starts_on": "2005-04-01", "ends_on": "2004-03-31"},
    )
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()
