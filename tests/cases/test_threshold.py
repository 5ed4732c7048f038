"""The Case Review threshold on its edges, the working-day deadline, the four figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from saferhub.cases.models import Complaint
from saferhub.cases.services.case_review import (
    case_review_application_create,
    case_review_decide,
    case_review_figures,
    case_review_record_review,
    decision_due,
    financial_year,
)
from saferhub.cases.threshold import (
    ComplaintFacts,
    ThresholdError,
    add_months,
    check_threshold,
    qualifies,
    qualifying_count,
)
from tests.cases import factories as f

D = dt.date


def c(behaviour: D, reported: D, victim: str = "V1", location: str = "L1") -> ComplaintFacts:
    return ComplaintFacts(victim, behaviour, reported, location)


def test_calendar_months_clamp_to_the_end_of_a_shorter_month() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)  # leap year
    assert add_months(D(2024, 8, 31), -6) == D(2024, 2, 29)
    assert add_months(D(2025, 8, 31), -6) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 1) == D(2024, 3, 29)


def test_reported_one_calendar_month_after_the_behaviour_is_in_a_day_later_is_out() -> None:
    received = D(2025, 3, 15)
    assert qualifies(c(D(2025, 1, 31), D(2025, 2, 28)), received)  # end of month
    assert not qualifies(c(D(2025, 1, 31), D(2025, 3, 1)), received)  # reported late
    assert qualifies(c(D(2025, 1, 15), D(2025, 2, 15)), received)
    assert not qualifies(c(D(2025, 1, 15), D(2025, 2, 16)), received)


def test_leap_day_both_ends() -> None:
    # Behaviour on 29 February 2024: one month later is 29 March 2024.
    assert qualifies(c(D(2024, 2, 29), D(2024, 3, 29)), D(2024, 4, 1))
    assert not qualifies(c(D(2024, 2, 29), D(2024, 3, 30)), D(2024, 4, 1))
    # Received 31 August 2024: six months before is 29 February 2024 (inclusive).
    assert qualifies(c(D(2024, 2, 29), D(2024, 2, 29)), D(2024, 8, 31))
    assert not qualifies(c(D(2024, 2, 28), D(2024, 2, 28)), D(2024, 8, 31))


def test_six_months_before_the_application_inclusive_and_not_after_it() -> None:
    received = D(2025, 7, 10)
    assert qualifies(c(D(2025, 1, 10), D(2025, 1, 10)), received)
    assert not qualifies(c(D(2025, 1, 9), D(2025, 1, 9)), received)
    assert qualifies(c(D(2025, 7, 10), D(2025, 7, 10)), received)
    assert not qualifies(c(D(2025, 7, 10), D(2025, 7, 11)), received)


def test_same_victim_date_and_location_counts_once_across_agencies() -> None:
    received = D(2025, 3, 1)
    day = D(2025, 2, 1)
    same = [
        ComplaintFacts("V1", day, day, "L1", "police"),
        ComplaintFacts("V1", day, D(2025, 2, 2), "L1", "council"),
        ComplaintFacts("V1", day, day, "L1", "housing"),
    ]
    assert qualifying_count(same, received) == 1
    assert qualifying_count([*same, c(day, day, location="L2")], received) == 2
    assert qualifying_count([*same, c(D(2025, 2, 3), D(2025, 2, 3))], received) == 2


@pytest.mark.parametrize("n", [0, 4, -1])
def test_a_threshold_above_3_or_below_1_is_refused(n: int) -> None:
    with pytest.raises(ThresholdError, match="s.104"):
        check_threshold(n)


def test_decision_deadline_counts_working_days_over_bank_holidays(settings: object) -> None:
    assert decision_due(D(2024, 12, 20)) == D(2025, 1, 8)  # 10 working days over Christmas
    # Good Friday, Easter Monday and the early May bank holiday are not working days.
    assert decision_due(D(2025, 4, 17)) == D(2025, 5, 6)


def test_financial_year_is_april_to_march() -> None:
    assert financial_year("2024/25") == (D(2024, 4, 1), D(2025, 3, 31))
    for bad in ["2024", "2024/26", "24/25"]:
        with pytest.raises(ValueError, match="2024/25"):
            financial_year(bad)


def _complaint(ref: str, victim: str, behaviour: D, reported: D, location: str = "L1") -> None:
    Complaint.objects.create(
        complaint_ref=ref,
        victim_ref=victim,
        behaviour_date=behaviour,
        reported_date=reported,
        agency=f.agency(),
        location_ref=location,
    )


@pytest.mark.django_db
def test_applications_decisions_and_the_four_figures() -> None:
    for i, day in enumerate([D(2024, 5, 1), D(2024, 5, 8), D(2024, 5, 15)]):
        _complaint(f"C{i}", "V1", day, day)
    _complaint("C9", "V2", D(2025, 3, 1), D(2025, 3, 1))
    met = case_review_application_create(
        actor=f.T,
        application_ref="A1",
        victim_ref="V1",
        received_date=D(2024, 6, 1),
        applicant_type="victim",
    )
    not_met = case_review_application_create(
        actor=f.T,
        application_ref="A2",
        victim_ref="V2",
        received_date=D(2025, 3, 31),
        applicant_type="third_party",
        consent=True,
    )
    case_review_application_create(  # outside the year
        actor=f.T,
        application_ref="A3",
        victim_ref="V2",
        received_date=D(2025, 4, 1),
        applicant_type="business",
    )
    assert (
        case_review_decide(actor=f.T, application=met, decided_on=D(2024, 6, 5)).decision == "met"
    )
    assert (
        case_review_decide(actor=f.T, application=not_met, decided_on=D(2025, 4, 2)).decision
        == "not_met"
    )
    assert (
        case_review_decide(
            actor=f.T, application=not_met, decided_on=D(2025, 4, 2), threshold=1
        ).decision
        == "met"
    )
    case_review_record_review(
        actor=f.T, application=met, review_date=D(2024, 7, 1), recommendations=3
    )
    assert case_review_figures(year="2024/25") == {
        "applications_received": 2,
        "threshold_not_met": 1,
        "reviews_carried_out": 1,
        "reviews_with_recommendations": 1,
    }
    assert case_review_figures(year="2024/25", threshold=1)["threshold_not_met"] == 0


@pytest.mark.django_db
def test_bad_applications_are_refused_on_the_field() -> None:
    _complaint("C1", "V1", D(2024, 5, 1), D(2024, 5, 1))
    with pytest.raises(ValidationError) as caught:
        case_review_application_create(
            actor=f.T,
            application_ref="A1",
            victim_ref="V1",
            received_date=D(2024, 6, 1),
            applicant_type="third_party",
            consent=False,
        )
    assert "consent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        case_review_application_create(
            actor=f.T,
            application_ref="A2",
            victim_ref="NOBODY",
            received_date=D(2024, 6, 1),
            applicant_type="victim",
        )
    assert "victim_ref" in caught.value.message_dict
    app = case_review_application_create(
        actor=f.T,
        application_ref="A3",
        victim_ref="V1",
        received_date=D(2024, 6, 1),
        applicant_type="victim",
    )
    with pytest.raises(ValidationError) as caught:
        case_review_decide(actor=f.T, application=app, decided_on=D(2024, 6, 2), threshold=4)
    assert "threshold" in caught.value.message_dict


@pytest.mark.django_db
def test_a_second_complaint_within_six_months_prompts_the_case_review() -> None:
    from saferhub.cases.services.case_review import case_review_prompt_due

    _complaint("C1", "V1", D(2024, 3, 1), D(2024, 3, 1))
    assert not case_review_prompt_due(victim_ref="V1", reported_date=D(2024, 3, 1))
    _complaint("C2", "V1", D(2024, 9, 1), D(2024, 9, 1))
    assert case_review_prompt_due(victim_ref="V1", reported_date=D(2024, 9, 1))
    assert not case_review_prompt_due(victim_ref="V1", reported_date=D(2024, 9, 2))
