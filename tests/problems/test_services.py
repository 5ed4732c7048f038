"""The problem services' rules on the real Derby geography and incidents: bad input
refused by field with nothing saved; the tasking agenda lists exactly what is due."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from saferhub.accounts.actors import SystemActor
from tests.problems import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
HOT = "E01013480"  # Derby 016A, Arboretum
OTHER = "E01013461"  # Allestree
ARBORETUM = "E05015511"  # the Derby ward (a name other authorities use too)
TEST = SystemActor.TEST


def _square(lon: float, lat: float, d: float = 0.002, close: bool = True) -> str:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]
    if close:
        ring.append([lon, lat])
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_polygon_not_closed_or_outside_is_refused_on_the_field(derbyshire: Any) -> None:
    from saferhub.problems.models import Problem
    from saferhub.problems.services import problem_create

    base = {
        "title": "Drawn",
        "area": factories.derby_area(),
        "place_type": "polygon",
        "lead_partner": factories.lead_partner(),
    }
    with pytest.raises(ValidationError) as open_ring:
        problem_create(actor=TEST, polygon=_square(-1.47, 52.92, close=False), **base)
    assert "does not close" in _errors(open_ring)["polygon"][0]
    with pytest.raises(ValidationError) as outside:  # central London
        problem_create(actor=TEST, polygon=_square(-0.13, 51.50), **base)
    assert "outside Derby" in _errors(outside)["polygon"][0]
    assert not Problem.objects.exists()
    inside = problem_create(actor=TEST, polygon=_square(-1.477, 52.922), **base)
    assert inside.pk


def test_response_needs_a_lead_partner_and_saves_nothing_in_part(derbyshire: Any) -> None:
    from saferhub.actions.models import Action
    from saferhub.problems.services import response_action_add

    problem = factories.problem(lsoa=HOT)
    with pytest.raises(ValidationError) as exc:
        response_action_add(
            actor=TEST,
            problem=problem,
            plan=factories.plan(),
            reference="P1",
            description="Patrols",
            lead_partners=[],
        )
    assert "lead partner" in _errors(exc)["lead_partners"][0]
    assert not Action.objects.exists()
    problem.refresh_from_db()
    assert problem.response_started_on is None and not problem.actions.exists()


def test_closing_needs_an_assessment_and_comparison_must_not_overlap(derbyshire: Any) -> None:
    from saferhub.geography.models import Area
    from saferhub.problems.models import ProblemAssessment
    from saferhub.problems.services import assessment_record, problem_status_set

    problem = factories.problem(lsoa=HOT)
    with pytest.raises(ValidationError) as closing:
        problem_status_set(actor=TEST, problem=problem, status="closed")
    assert "assessment" in _errors(closing)["status"][0]
    problem.refresh_from_db()
    assert problem.status == "proposed"
    arboretum = Area.objects.get(level="ward", code=ARBORETUM)
    with pytest.raises(ValidationError) as overlap:
        assessment_record(
            actor=TEST,
            problem=problem,
            comparison_area=arboretum,
            before_from=dt.date(2023, 1, 1),
            before_to=dt.date(2023, 12, 1),
            after_from=dt.date(2024, 1, 1),
            after_to=dt.date(2024, 12, 1),
            impact="reduced",
            reduced_percent=10,
            evidence="Counts",
        )
    assert "overlaps" in _errors(overlap)["comparison_area"][0]
    assert not ProblemAssessment.objects.exists()


def test_agenda_lists_exactly_what_is_due(derbyshire: Any) -> None:
    from saferhub.actions.services import action_edit
    from saferhub.problems.services import assessment_record, response_action_add
    from saferhub.problems.tasking import agenda_for, meeting_create

    held = dt.date(2025, 1, 15)
    due = factories.problem(lsoa=HOT, review_on=dt.date(2025, 1, 10), status="open")
    later = factories.problem(lsoa=OTHER, review_on=dt.date(2025, 2, 10), status="open")
    closed_ready = factories.problem(lsoa="E01013462", status="monitoring")
    plan = factories.plan()
    overdue = response_action_add(
        actor=TEST,
        problem=later,
        plan=plan,
        reference="P1",
        description="Patrols",
        lead_partners=[factories.lead_partner()],
        due_date=dt.date(2025, 1, 1),
    )
    response_action_add(
        actor=TEST,
        problem=later,
        plan=plan,
        reference="P2",
        description="Lighting",
        lead_partners=[factories.lead_partner()],
        due_date=dt.date(2025, 3, 1),
    )
    finished = response_action_add(
        actor=TEST,
        problem=due,
        plan=plan,
        reference="P3",
        description="Done",
        lead_partners=[factories.lead_partner()],
        due_date=dt.date(2024, 12, 1),
    )
    action_edit(actor=TEST, action=finished, status="completed")
    from saferhub.geography.models import Area

    assessment_record(
        actor=TEST,
        problem=closed_ready,
        comparison_area=Area.objects.get(level="ward", code=ARBORETUM),
        before_from=dt.date(2023, 1, 1),
        before_to=dt.date(2023, 12, 1),
        after_from=dt.date(2024, 1, 1),
        after_to=dt.date(2024, 12, 1),
        impact="handed_over",
        evidence="Handed to the council",
    )
    meeting = meeting_create(actor=TEST, group="Tasking", held_on=held, area=factories.derby_area())
    agenda = agenda_for(meeting)
    assert agenda.due_review == [due]
    assert [(p, a) for p, a in agenda.overdue_actions] == [(later, overdue)]
    assert agenda.for_closure == [closed_ready]
    # Candidates: significant rises and new hotspots, never a place already a problem.
    assert agenda.window == ("2024-12", "2024-12")
    assert {c.lsoa for c in agenda.candidates}.isdisjoint({HOT, OTHER, "E01013462"})
    for c in agenda.candidates:
        assert "significant rise" in c.reason or "new hotspot" in c.reason


def test_ranking_shows_inputs_and_weights(derbyshire: Any) -> None:
    from saferhub.incidents.models import Theme
    from saferhub.problems.ranking import rank_register
    from saferhub.problems.services import concern_record

    quiet = factories.problem(lsoa=OTHER)
    busy = factories.problem(lsoa=HOT)
    from saferhub.geography.models import Area

    concern_record(
        actor=TEST,
        place=Area.objects.get(level="lsoa", code=OTHER),
        theme=Theme.objects.get(pk=Theme.objects.values_list("pk", flat=True)[0]),
        raised_by="councillor",
        received_on=dt.date(2024, 11, 1),
        summary="Noise at night",
    )
    ranking = rank_register(weights={"concern": 0.0})
    assert [r.problem for r in ranking.rows] == [busy, quiet]
    assert "harm" in ranking.not_held and "concern" not in ranking.used
    top = ranking.rows[0]
    assert (top.inputs["volume"] or 0) > (ranking.rows[1].inputs["volume"] or 0)
    assert ranking.rows[1].inputs["concern"] == 1.0
    assert rank_register(top_n=1).rows[0].problem in (busy, quiet)


def test_batch_ranking_inputs_equal_one_by_one(derbyshire: Any) -> None:
    from saferhub.incidents.models import Category
    from saferhub.problems.measure import held_months
    from saferhub.problems.ranking import batch_inputs, problem_inputs

    violence = Category.objects.get(name="Violence and sexual offences")
    items = [
        factories.problem(lsoa=HOT),
        factories.problem(lsoa=HOT, categories=[violence]),
        factories.problem(
            lsoa="E01013456", place_type="location", location="On or near Argyle Street"
        ),
        factories.problem(
            lsoa=OTHER,
            place_type="point",
            lsoa_codes=[],
            longitude=-1.477,
            latitude=52.922,
            radius_m=300,
        ),
    ]
    months = held_months()[-12:]
    batch = batch_inputs(items, months, {violence.pk: 2.0})
    for problem in items:
        assert batch[problem.pk] == problem_inputs(problem, months, {violence.pk: 2.0})
    assert (batch[items[2].pk]["volume"] or 0) > 0 and (batch[items[3].pk]["volume"] or 0) > 0
