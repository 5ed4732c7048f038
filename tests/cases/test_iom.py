"""IOM: the selection score and its inputs, adoption and de-selection with reasons, the
pathway plan, reviews, access, and the before/after figures against an independent count."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.http import Http404
from scipy import stats

from saferhub.accounts.roles import ROLES
from saferhub.cases import selectors as sel
from saferhub.cases.iom import Weights, selection_score
from saferhub.cases.models import IomCase, IomCohort
from saferhub.cases.services.iom import (
    iom_adopt,
    iom_before_after,
    iom_candidate_open,
    iom_cohort_create,
    iom_deselect,
    iom_plan_action_add,
    iom_review_record,
    iom_selection,
    offending_record,
)
from tests.cases import factories as f

D = dt.date


def test_the_selection_score_shows_its_inputs_and_weights() -> None:
    as_of = D(2024, 6, 30)
    offences = [(D(2024, 6, 1), 6), (D(2024, 3, 1), 4), (D(2023, 6, 30), 9), (D(2024, 7, 1), 10)]
    s = selection_score(offences, as_of=as_of)
    # 2023-06-30 is 366 days before (outside the 12 months); 2024-07-01 is after as_of.
    assert (s.offences_12m, s.days_since_latest, s.mean_gravity) == (2, 29, 5.0)
    assert s.recency == pytest.approx((365 - 29) / 365)
    assert s.frequency == pytest.approx(2 / 12) and s.gravity == pytest.approx(0.5)
    assert s.score == round(100 * ((365 - 29) / 365 + 2 / 12 + 0.5) / 3, 1)
    weighted = selection_score(offences, as_of=as_of, weights=Weights(2, 1, 0))
    assert weighted.score == round(100 * (2 * (365 - 29) / 365 + 2 / 12) / 3, 1)
    assert selection_score([], as_of=as_of).score == 0.0
    with pytest.raises(ValueError):
        Weights(0, 0, 0)


@pytest.fixture
def cohort(db: object) -> IomCohort:
    return iom_cohort_create(actor=f.T, name="Neighbourhood crime cohort", review_interval_days=60)


def _member(cohort: IomCohort, ref: str = "OFF1", opened: D = D(2023, 1, 2)) -> IomCase:
    return iom_candidate_open(
        actor=f.T, cohort=cohort, offender_ref=ref, lead_agency=f.agency(), opened_on=opened
    )


@pytest.mark.django_db
def test_adoption_needs_a_reason_and_keeps_the_score(cohort: IomCohort) -> None:
    member = _member(cohort)
    offending_record(
        actor=f.T,
        case=member.case,
        kind="arrest",
        offence_date=D(2023, 3, 1),
        offence="Burglary",
        gravity=7,
    )
    offending_record(
        actor=f.T,
        case=member.case,
        kind="charge",
        offence_date=D(2023, 3, 1),
        offence="burglary",
        gravity=8,
    )
    assert iom_selection(member=member, as_of=D(2023, 4, 1)).offences_12m == 1  # one offence
    with pytest.raises(ValidationError) as exc:
        iom_adopt(actor=f.T, member=member, strand="fixed", adopted_on=D(2023, 4, 1), reason=" ")
    assert "reason" in exc.value.message_dict
    member.refresh_from_db()
    assert member.adopted_on is None
    iom_adopt(
        actor=f.T, member=member, strand="flex", adopted_on=D(2023, 4, 1), reason="Three burglaries"
    )
    member.refresh_from_db()
    assert member.selection["offences_12m"] == 1 and member.selection["mean_gravity"] == 8
    assert member.selection["weights"] == {"recency": 1.0, "frequency": 1.0, "gravity": 1.0}
    assert member.next_review_due == D(2023, 5, 31)
    iom_review_record(actor=f.T, member=member, reviewed_on=D(2023, 5, 20), summary="Engaging")
    member.refresh_from_db()
    assert member.next_review_due == D(2023, 7, 19)
    iom_plan_action_add(
        actor=f.T,
        member=member,
        pathway="accommodation",
        agency=f.housing(),
        text="Tenancy support",
        due_on=D(2023, 6, 1),
    )
    with pytest.raises(ValidationError, match="seven pathways"):
        iom_plan_action_add(
            actor=f.T,
            member=member,
            pathway="luck",
            agency=f.housing(),
            text="x",
            due_on=D(2023, 6, 1),
        )
    with pytest.raises(ValidationError, match="leaves the cohort"):
        iom_deselect(actor=f.T, member=member, deselected_on=D(2023, 9, 1), reason="")
    iom_deselect(actor=f.T, member=member, deselected_on=D(2023, 9, 1), reason="No offending")
    member.refresh_from_db()
    assert member.deselected_on == D(2023, 9, 1) and member.next_review_due is None


@pytest.mark.django_db
def test_ppo_is_a_cohort_type() -> None:
    ppo = iom_cohort_create(actor=f.T, name="PPO", kind="ppo")
    assert ppo.get_kind_display().startswith("Prolific")


def _independent(
    members: list[tuple[D, D | None, list[D]]], as_of: D, w: int
) -> tuple[int, int, float, float, float, float, float]:
    """Counts, person-months, the two-sided exact p-value (summing binomial probabilities
    no larger than the observed one) and the Clopper-Pearson interval of the rate ratio."""
    before = after = 0
    days_b = days_a = 0
    for adopted, ended, offences in members:
        start = adopted - relativedelta(months=w)
        stop = min(adopted + relativedelta(months=w), as_of + dt.timedelta(days=1))
        if ended:
            stop = min(stop, ended)
        days_b += (adopted - start).days
        days_a += (stop - adopted).days
        before += sum(1 for d in offences if start <= d < adopted)
        after += sum(1 for d in offences if adopted <= d < stop)
    tb, ta = days_b / (365.25 / 12), days_a / (365.25 / 12)
    n, p = before + after, ta / (tb + ta)
    pmf = [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    p_value = min(1.0, sum(q for q in pmf if q <= pmf[after] * (1 + 1e-7)))
    low = stats.beta.ppf(0.025, after, n - after + 1) if after else 0.0
    high = stats.beta.ppf(0.975, after + 1, n - after) if after < n else 1.0
    ratio = lambda q: q / (1 - q) * tb / ta if q < 1 else math.inf  # noqa: E731
    return before, after, tb, ta, p_value, ratio(low), ratio(high)


@pytest.mark.django_db
def test_before_after_against_an_independent_computation(cohort: IomCohort) -> None:
    as_of = D(2024, 6, 30)
    plan = [
        # adopted, de-selected, offence dates (duplicates by kind are one offence)
        (
            D(2023, 1, 31),
            None,
            [
                D(2022, 3, 1),
                D(2022, 6, 1),
                D(2022, 9, 1),
                D(2022, 12, 1),
                D(2023, 1, 31),
                D(2023, 8, 1),
            ],
        ),
        (
            D(2023, 3, 15),
            D(2023, 9, 15),
            [D(2022, 4, 1), D(2022, 5, 1), D(2022, 7, 1), D(2023, 4, 1), D(2023, 10, 1)],
        ),
        (D(2024, 2, 29), None, [D(2023, 3, 1), D(2023, 3, 2), D(2023, 11, 5), D(2024, 5, 1)]),
        (
            D(2023, 6, 1),
            None,
            [
                D(2022, 6, 1),
                D(2022, 8, 8),
                D(2022, 10, 10),
                D(2023, 1, 1),
                D(2023, 2, 2),
                D(2023, 3, 3),
                D(2023, 4, 4),
            ],
        ),
    ]
    for n, (adopted, ended, offences) in enumerate(plan):
        member = _member(cohort, ref=f"OFF{n}", opened=D(2022, 1, 1))
        for day in offences:
            offending_record(
                actor=f.T, case=member.case, kind="arrest", offence_date=day, offence="Theft"
            )
            offending_record(
                actor=f.T, case=member.case, kind="charge", offence_date=day, offence="Theft"
            )
        iom_adopt(actor=f.T, member=member, strand="fixed", adopted_on=adopted, reason="Prolific")
        if ended:
            iom_deselect(actor=f.T, member=member, deselected_on=ended, reason="Moved away")
    _member(cohort, ref="NOT-ADOPTED", opened=D(2022, 1, 1))
    got = iom_before_after(cohort=cohort, as_of=as_of)
    before, after, tb, ta, p_value, low, high = _independent(plan, as_of, 12)
    assert (got.people, got.offences_before, got.offences_after) == (4, before, after)
    assert got.person_months_before == pytest.approx(tb)
    assert got.person_months_after == pytest.approx(ta)
    assert got.rate_before == pytest.approx(before / tb) and got.rate_after == pytest.approx(
        after / ta
    )
    assert got.change is not None
    assert got.change.p_value == pytest.approx(p_value, rel=1e-6)
    assert got.change.ratio_lower == pytest.approx(low, rel=1e-6)
    assert got.change.ratio_upper == pytest.approx(high, rel=1e-6)
    assert "regression to the mean" in got.caveat


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_the_iom_role_of_the_lead_agency_sees_an_iom_case(
    role: str, cohort: IomCohort
) -> None:
    member = _member(cohort)
    someone = f.user(role)
    if role == "iom_officer":
        assert sel.case_get_for_user(user=someone, id=member.pk) == member.case
    else:
        with pytest.raises(Http404):
            sel.case_get_for_user(user=someone, id=member.pk)
