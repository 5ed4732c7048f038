"""ASB cases: risk and priority, the 2014 Act's limits, victim updates, stages, closure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from saferhub.cases.models import Intervention, Party
from saferhub.cases.services.asb import (
    asb_case_close,
    asb_incident_add,
    asb_intervention_add,
    asb_risk_assess,
    asb_set_stage,
    asb_victim_update,
    victim_update_overdue,
)
from saferhub.cases.services.cases import case_link
from saferhub.cases.services.parties import party_add
from tests.cases import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def _perpetrator(asb, born: D | None):  # type: ignore[no-untyped-def]
    return party_add(
        actor=f.T,
        case=asb.case,
        role=Party.Role.PERPETRATOR,
        person=f.person("Carl Respondent", born),
        article6_basis=Party.Article6.PUBLIC_TASK,
    )


def _at(day: D, hours: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0))) + dt.timedelta(hours=hours)


def test_references_are_numbered_per_type_and_year() -> None:
    assert f.asb_case().case.reference == "ASB-2025-00001"
    assert f.asb_case().case.reference == "ASB-2025-00002"


def test_high_risk_sets_priority_opens_the_plan_and_alerts_the_officer() -> None:
    asb = f.asb_case(officer=f.user("asb_officer", email="o@example.org"))
    answers = {
        "repeat": True,
        "targeted": True,
        "hate": True,
        "afraid_home": True,
        "disability": True,
        "self_harm": True,
    }
    assessment = asb_risk_assess(
        actor=f.T, case=asb.case, assessed_on=D(2025, 1, 7), answers=answers
    )
    asb.refresh_from_db()
    assert (assessment.score, assessment.band, asb.priority) == (15, "high", "high")
    assert asb.vulnerable_victim_plan and asb.next_review_due == D(2025, 1, 14)
    assert mail.outbox[-1].to == ["o@example.org"]
    low = asb_risk_assess(
        actor=f.T, case=asb.case, assessed_on=D(2025, 2, 1), answers={"alone": True}
    )
    assert low.band == "standard"
    with pytest.raises(ValidationError):
        asb_risk_assess(
            actor=f.T, case=asb.case, assessed_on=D(2025, 2, 1), answers={"nonsense": True}
        )


@pytest.mark.parametrize(
    ("kind", "born", "hours", "conviction", "field"),
    [
        ("cpw", D(2009, 6, 1), None, False, "party"),  # 15 on the day served
        ("cpn", None, None, False, "party"),  # age limit with no date of birth
        ("injunction", D(2016, 1, 1), None, False, "party"),  # 9
        ("injunction", D(2009, 1, 1), 24 * 370, False, "expires_at"),  # under 18, over 12 months
        ("cbo", D(1990, 1, 1), None, False, "after_conviction"),
        ("dispersal", None, 49, False, "expires_at"),
        ("closure_notice", None, 49, False, "expires_at"),
        ("closure_order", None, 24 * 200, False, "expires_at"),
        ("pspo", None, 24 * 365 * 3 + 48, False, "expires_at"),
    ],
)
def test_interventions_outside_the_acts_limits_are_refused_on_the_field(
    kind: str, born: D | None, hours: int | None, conviction: bool, field: str
) -> None:
    asb = f.asb_case()
    party = _perpetrator(asb, born)
    served = D(2025, 3, 1)
    with pytest.raises(ValidationError) as caught:
        asb_intervention_add(
            actor=f.T,
            case=asb.case,
            kind=kind,
            served_on=served,
            party=party,
            starts_at=_at(served) if hours else None,
            expires_at=_at(served, hours) if hours else None,
            after_conviction=conviction,
        )
    assert field in caught.value.message_dict
    assert not Intervention.objects.exists()


@pytest.mark.parametrize(
    ("kind", "born", "hours", "conviction"),
    [
        ("cpw", D(2009, 3, 1), None, False),  # 16 on the day served
        ("injunction", D(2015, 3, 1), 24 * 365, False),  # 10, 12 months
        ("injunction", D(2000, 1, 1), 24 * 800, False),  # adult: no fixed maximum
        ("cbo", D(1990, 1, 1), None, True),
        ("dispersal", None, 48, False),
        ("closure_order", None, 24 * 180, False),
        ("warning_letter", None, None, False),
    ],
)
def test_interventions_within_the_limits_are_recorded(
    kind: str, born: D | None, hours: int | None, conviction: bool
) -> None:
    asb = f.asb_case()
    served = D(2025, 3, 1)
    asb_intervention_add(
        actor=f.T,
        case=asb.case,
        kind=kind,
        served_on=served,
        party=_perpetrator(asb, born),
        starts_at=_at(served) if hours else None,
        expires_at=_at(served, hours) if hours else None,
        after_conviction=conviction,
        conditions="Not to enter Larch Road",
    )
    assert Intervention.objects.get().conditions == "Not to enter Larch Road"


def test_victim_not_updated_for_14_days_is_flagged() -> None:
    asb = f.asb_case(opened_on=D(2025, 1, 6))
    assert not victim_update_overdue(asb, D(2025, 1, 19))
    assert victim_update_overdue(asb, D(2025, 1, 20))
    asb_victim_update(actor=f.T, case=asb.case, given_on=D(2025, 1, 19), method="phone")
    asb.refresh_from_db()
    assert not victim_update_overdue(asb, D(2025, 1, 20))


def test_bad_input_is_refused_on_the_field() -> None:
    asb = f.asb_case()
    with pytest.raises(ValidationError) as caught:
        asb_incident_add(
            actor=f.T,
            case=asb.case,
            behaviour_date=D(2025, 2, 2),
            reported_date=D(2025, 2, 1),
            agency=f.agency(),
        )
    assert "behaviour_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        asb_case_close(
            actor=f.T,
            case=asb.case,
            closed_on=D(2025, 3, 1),
            reason="",
            victim_told=True,
            satisfaction=9,
        )
    assert set(caught.value.message_dict) == {"reason", "satisfaction"}
    with pytest.raises(ValidationError):
        asb_set_stage(actor=f.T, case=asb.case, stage="closed")


def test_from_opening_to_closure() -> None:
    asb = f.asb_case()
    other = f.asb_case()
    case_link(actor=f.T, case=asb.case, other=other.case)
    assert list(other.case.linked_cases.all()) == [asb.case]
    for stage in ["early_intervention", "enforcement", "legal"]:
        asb_set_stage(actor=f.T, case=asb.case, stage=stage)
    asb_case_close(
        actor=f.T,
        case=asb.case,
        closed_on=D(2025, 6, 1),
        reason="Injunction obeyed",
        victim_told=True,
        satisfaction=4,
    )
    asb.refresh_from_db()
    assert (asb.stage, asb.case.status, asb.victim_satisfaction) == ("closed", "closed", 4)


def test_single_points_of_contact_are_reminded_of_victims_not_updated() -> None:
    from saferhub.cases.services.reminders import victim_update_reminders

    contact = f.user("asb_officer", email="spoc@example.org")
    late = f.asb_case(officer=contact, opened_on=D(2025, 1, 1))
    f.asb_case(officer=contact, opened_on=D(2025, 1, 10))
    assert victim_update_reminders(today=D(2025, 1, 16)) == 1
    assert mail.outbox[-1].to == ["spoc@example.org"]
    assert late.case.reference in mail.outbox[-1].body and "00002" not in mail.outbox[-1].body
