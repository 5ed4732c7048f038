"""Creating and changing priorities, indicators and values: validation, permissions, audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saferhub.accounts.models import Agency, AuditEvent
from saferhub.performance import selectors, services
from saferhub.performance.models import Indicator, Measurement, Milestone, Priority
from tests.performance.factories import make_priority, make_survey_indicator

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def ni16(**overrides: Any) -> Indicator:
    fields: dict[str, Any] = {
        "code": "NI 16",
        "title": "Serious acquisitive crime",
        "kind": Indicator.Kind.PARTNER_REPORTED,
        "unit": "offences",
        "direction": Indicator.Direction.LOWER,
        "baseline_period": "2007/08",
        "baseline_value": Decimal("8800"),
        "target_kind": Indicator.TargetKind.PERCENT_CHANGE,
        "target_value": Decimal("-3"),
        "target_period": "2010/11",
        "data_source": "Derbyshire Constabulary",
    }
    fields.update(overrides)
    return services.indicator_create(actor="test", priority=make_priority(), **fields)


def test_ni16_milestones_are_stored_and_audited() -> None:
    ind = ni16()
    assert ind.resolved_target == Decimal("8536")
    ms = Milestone.objects.filter(indicator=ind, archived_at=None)
    assert [(m.period, int(m.value)) for m in ms] == [
        ("2008/09", 8712),
        ("2009/10", 8624),
        ("2010/11", 8536),
    ]
    event = AuditEvent.objects.filter(action="indicator.create", object_id=str(ind.pk)).get()
    assert Decimal(event.new_values["baseline_value"]) == 8800
    assert Decimal(event.new_values["resolved_target"]) == 8536


def test_milestones_follow_a_changed_target_but_set_ones_stay() -> None:
    ind = ni16()
    services.milestone_set(actor="test", indicator=ind, period="2008/09", value=Decimal("8750"))
    services.indicator_update(actor="test", indicator=ind, target_value=Decimal("-6"))
    ms = {m.period: int(m.value) for m in Milestone.objects.filter(indicator=ind, archived_at=None)}
    assert ms == {"2008/09": 8750, "2009/10": 8448, "2010/11": 8272}
    update = AuditEvent.objects.filter(action="indicator.update").get()
    assert {k: Decimal(v) for k, v in update.old_values.items() if k != "modified_at"} == {
        "target_value": Decimal("-3"),
        "resolved_target": Decimal("8536"),
    }
    assert Decimal(update.new_values["target_value"]) == -6


def test_target_in_the_wrong_direction() -> None:
    with pytest.raises(ValidationError) as err:
        ni16(target_value=Decimal("2"))
    message = _errors(err)["target_value"][0]
    assert "Lower is better" in message and "below the baseline (8,800)" in message
    with pytest.raises(ValidationError) as err:
        make_survey_indicator(target_value=Decimal("55"))
    assert "above the baseline" in _errors(err)["target_value"][0]


def test_a_percentage_over_100() -> None:
    with pytest.raises(ValidationError) as err:
        make_survey_indicator(target_value=Decimal("104"))
    assert "between 0 and 100" in _errors(err)["target_value"][0]
    with pytest.raises(ValidationError) as err:
        make_survey_indicator(baseline_value=Decimal("120"))
    assert "between 0 and 100" in _errors(err)["baseline_value"][0]
    ind = make_survey_indicator()
    with pytest.raises(ValidationError) as err:
        services.measurement_enter(
            actor=_manager(), indicator=ind, period="2024/25", value=Decimal("101"), evidence="x"
        )
    assert "between 0 and 100" in _errors(err)["value"][0]


def test_a_period_that_does_not_exist() -> None:
    with pytest.raises(ValidationError) as err:
        ni16(target_period="2010/12")
    assert "write it as 2010/11" in _errors(err)["target_period"][0]
    with pytest.raises(ValidationError) as err:
        ni16(baseline_period="2007-Q5")
    assert "quarters run from Q1 to Q4" in _errors(err)["baseline_period"][0]
    with pytest.raises(ValidationError) as err:
        ni16(target_period="2006/07")
    assert "must end after the baseline" in _errors(err)["target_period"][0]


def test_a_rate_with_no_population() -> None:
    with pytest.raises(ValidationError) as err:
        ni16(target_kind=Indicator.TargetKind.RATE, target_value=Decimal("11.3"))
    assert "needs the area's population" in _errors(err)["target_kind"][0]
    with pytest.raises(ValidationError) as err:
        ni16(
            target_kind=Indicator.TargetKind.RATE,
            target_value=Decimal("11.3"),
            area_code="E07999999",
        )
    assert "none is held for area E07999999" in _errors(err)["target_kind"][0]


def test_a_baseline_period_with_no_data() -> None:
    with pytest.raises(ValidationError) as err:
        services.indicator_create(
            actor="test",
            priority=make_priority(),
            title="Burglary",
            kind=Indicator.Kind.INCIDENT_COUNT,
            categories=["Burglary"],
            area_code="E06000015",
            unit="offences",
            direction="lower",
            baseline_period="2019",
            target_kind="percent_change",
            target_value=Decimal("-5"),
            target_period="2020",
        )
    assert "no incident data for 2019 in area E06000015" in _errors(err)["baseline_period"][0]


def _manager() -> Any:
    from saferhub.accounts.services import user_create

    return user_create(
        actor="test",
        username="mgr",
        email="m@example.org",
        agency=Agency.objects.get(code="derby-city-council"),
        role="manager",
    )


def test_lead_officers_enter_values_only_for_indicators_their_agency_leads(
    make_user: Any,
) -> None:
    ind = make_survey_indicator()  # led by Derby City Council
    council_lead = make_user("lead_officer")
    police = Agency.objects.create(code="police", name="Derbyshire Constabulary", kind="police")
    police_lead = make_user("lead_officer", username="police-lead", agency=police)
    viewer = make_user("viewer")
    assert services.can_enter_for(council_lead, ind)
    assert not services.can_enter_for(police_lead, ind)
    assert not services.can_enter_for(viewer, ind)
    with pytest.raises(PermissionDenied):
        services.measurement_enter(
            actor=police_lead, indicator=ind, period="2024/25", value=Decimal(62), evidence="x"
        )
    m = services.measurement_enter(
        actor=council_lead,
        indicator=ind,
        period="2024/25",
        value=Decimal("62.5"),
        evidence="Residents' survey wave 3, 1,204 answers",
    )
    assert m.created_by == council_lead and m.source == Measurement.Source.ENTERED
    # Entering again keeps the old value in the history.
    services.measurement_enter(
        actor=council_lead, indicator=ind, period="2024/25", value=Decimal("63"), evidence="Revised"
    )
    history = list(selectors.measurement_history(ind))
    assert [float(h.value) for h in history] == [63.0, 62.5]
    assert history[1].archived_at is not None
    events = AuditEvent.objects.filter(action="measurement.enter").order_by("sequence")
    assert [e.new_values["value"] for e in events] == ["62.5", "63"]
    assert Decimal(events[1].old_values["value"]) == Decimal("62.5")


def test_entered_values_need_evidence_and_a_period_after_the_baseline(make_user: Any) -> None:
    ind = make_survey_indicator()
    lead = make_user("lead_officer")
    with pytest.raises(ValidationError) as err:
        services.measurement_enter(
            actor=lead, indicator=ind, period="2022/23", value=Decimal(61), evidence=" "
        )
    errors = _errors(err)
    assert "after the baseline (2023/24)" in errors["period"][0]
    assert "evidence" in errors["evidence"][0]
    with pytest.raises(ValidationError) as err:
        services.measurement_enter(
            actor=lead, indicator=ind, period="2099", value=Decimal(61), evidence="x"
        )
    assert "has not started yet" in _errors(err)["period"][0]


def test_judgement_of_an_entered_indicator(make_user: Any) -> None:
    ind = make_survey_indicator()  # 60% in 2023/24, target 66% by 2025/26
    lead = make_user("lead_officer")
    services.measurement_enter(
        actor=lead, indicator=ind, period="2024/25", value=Decimal(63), evidence="survey"
    )
    j = selectors.indicator_judgement(ind)
    assert j.value == 63 and j.period == "2024/25"
    assert j.forecast.value == pytest.approx(66.0)  # straight line 60 -> 63 carries on to 66
    assert "straight-line trend" in j.forecast.method
    assert j.status.key == "on_track" and "at or above the target (66.0)" in j.status.rule
    assert "not a count" in j.significance
    assert j.latest_milestone is not None and j.latest_milestone.period == "2024/25"
    assert j.milestone_met is True


def test_priorities_from_recommendations_in_one_step() -> None:
    # (Themes no other test's priorities use: the session's Derby data may be present.)
    recs = [
        {"theme": "hate-crime", "title": "Tackle hate crime", "reason": "Highest harm score."},
        {"theme": "drugs", "title": "Reduce drug-related harm", "reason": "Rising trend."},
    ]
    created = services.priorities_create_from_recommendations(actor="test", recommendations=recs)
    assert [p.title for p in created] == ["Tackle hate crime", "Reduce drug-related harm"]
    assert created[0].matters_because == "Highest harm score."
    before = Priority.objects.count()
    again = services.priorities_create_from_recommendations(actor="test", recommendations=recs)
    assert again == [] and Priority.objects.count() == before
    with pytest.raises(ValidationError):
        services.priorities_create_from_recommendations(
            actor="test", recommendations=[{"theme": "x", "title": ""}]
        )


def test_year_end_row_in_the_south_derbyshire_shape(make_user: Any) -> None:
    ind = ni16(
        lead_agency=Agency.objects.get_or_create(
            code="derby-city-council", defaults={"name": "Derby City Council", "kind": "council"}
        )[0]
    )
    manager = _manager()
    services.measurement_enter(
        actor=manager, indicator=ind, period="2008/09", value=Decimal(8650), evidence="police"
    )
    services.measurement_enter(
        actor=manager, indicator=ind, period="2009/10", value=Decimal(8700), evidence="police"
    )
    [row] = [r for r in selectors.year_end_rows(user=manager) if r.indicator.pk == ind.pk]
    assert (row.previous_period, row.previous) == ("2008/09", 8650.0)
    assert (row.current_period, row.current, row.target) == ("2009/10", 8700.0, 8624.0)
    assert row.margin == -76 and row.margin_text == "-76 (target missed)"
