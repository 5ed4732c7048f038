"""The IOM step pages: each a form that saves through its service (audited), refuses bad
input with status 400 on the field and saves nothing, and is refused exactly as the member
page is to a user outside the case's scope or without the IOM role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from saferhub.accounts.models import AuditEvent
from saferhub.cases.models import (
    Case,
    IomCase,
    IomCohort,
    IomPlanAction,
    IomReview,
    OffendingRecord,
)
from saferhub.cases.services.iom import iom_candidate_open, iom_cohort_create
from tests.cases import factories as f
from tests.cases.iom_channel.pages import audit_events, post_step, refused_on
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def officer(client: Any) -> Any:
    user = f.user("iom_officer")
    verified_client(client, user)
    return user


_post = post_step


def _audited(action: str, actor: Any, case: Case) -> Any:
    return audit_events(action, actor, case).get()


def test_an_officer_creates_a_cohort_and_works_a_member_through_the_pages(
    client: Any, officer: Any
) -> None:
    home = client.get(reverse("cases:iom_home")).content.decode()
    assert reverse("cases:iom_cohort_new") in home
    # A cohort without a name: refused on the field, nothing saved.
    refused_on(
        client.post(
            reverse("cases:iom_cohort_new"),
            {
                "name": " ",
                "kind": "iom",
                "review_interval_days": 60,
                "weight_recency": 1,
                "weight_frequency": 1,
                "weight_gravity": 1,
            },
        ),
        "name",
    )
    assert not IomCohort.objects.exists()
    made = client.post(
        reverse("cases:iom_cohort_new"),
        {
            "name": "Neighbourhood crime",
            "kind": "iom",
            "review_interval_days": 60,
            "weight_recency": 2,
            "weight_frequency": 1,
            "weight_gravity": 1,
        },
    )
    cohort = IomCohort.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "cases:iom_cohort", args=[cohort.pk]
    )
    assert (cohort.review_interval_days, cohort.weight_recency) == (60, 2.0)
    assert AuditEvent.objects.filter(action="iom.cohort", actor=officer).exists()
    cohort_page = client.get(reverse("cases:iom_cohort", args=[cohort.pk])).content.decode()
    new_url = reverse("cases:iom_candidate_new", args=[cohort.pk])
    assert new_url in cohort_page

    refused_on(
        client.post(new_url, {"offender_ref": "", "opened_on": "2023-01-02"}), "offender_ref"
    )
    assert not Case.objects.exists()
    opened = client.post(new_url, {"offender_ref": "OFF-7", "opened_on": "2023-01-02"})
    member = IomCase.objects.get()
    assert opened["Location"] == reverse("cases:iom_member", args=[member.pk])
    assert member.case.officer == officer and member.case.lead_agency == officer.agency
    assert member.cohort == cohort and member.offender_ref == "OFF-7"

    page = client.get(reverse("cases:iom_member", args=[member.pk])).content.decode()
    for name in ("iom_offending_add", "iom_adopt", "iom_plan_add", "iom_review"):
        assert reverse(f"cases:{name}", args=[member.pk]) in page
    assert reverse("cases:iom_deselect", args=[member.pk]) not in page  # not adopted yet

    # Offending: arrests, charges and convictions by date and offence.
    for kind, day in (
        ("arrest", "2023-02-01"),
        ("charge", "2023-02-01"),
        ("conviction", "2023-06-01"),
    ):
        done = _post(
            client,
            "iom_offending_add",
            member.pk,
            {"kind": kind, "offence_date": day, "offence": "Burglary", "gravity": 7},
        )
        assert done.status_code == 302
    assert OffendingRecord.objects.filter(case=member.case).count() == 3
    assert (
        AuditEvent.objects.filter(
            action="iom.offending", actor=officer, object_id=str(member.pk)
        ).count()
        == 3
    )
    refused_on(
        _post(
            client,
            "iom_offending_add",
            member.pk,
            {"kind": "arrest", "offence_date": "2023-07-01", "offence": "Theft", "gravity": 11},
        ),
        "gravity",
    )
    refused_on(
        _post(
            client,
            "iom_offending_add",
            member.pk,
            {"kind": "caution", "offence_date": "2023-07-01", "offence": "Theft"},
        ),
        "kind",
    )
    assert OffendingRecord.objects.filter(case=member.case).count() == 3

    # Adoption: refused on the field without a reason; with one, the score is kept.
    text = refused_on(
        _post(
            client,
            "iom_adopt",
            member.pk,
            {"strand": "fixed", "adopted_on": "2023-07-01", "reason": " "},
        ),
        "reason",
    )
    assert "Write why this person is selected" in text
    member.refresh_from_db()
    assert member.adopted_on is None and not AuditEvent.objects.filter(action="iom.adopt").exists()
    refused_on(
        _post(client, "iom_adopt", member.pk, {"adopted_on": "2023-07-01", "reason": "Prolific"}),
        "strand",
    )
    adopted = _post(
        client,
        "iom_adopt",
        member.pk,
        {"strand": "flex", "adopted_on": "2023-07-01", "reason": "Two burglaries this year"},
    )
    assert adopted.status_code == 302
    assert adopted["Location"] == reverse("cases:iom_member", args=[member.pk])
    member.refresh_from_db()
    assert (member.strand, member.adopted_on) == ("flex", D(2023, 7, 1))
    assert member.selection["offences_12m"] == 2  # arrest and charge of one date: one offence
    assert member.next_review_due == D(2023, 8, 30)
    event = _audited("iom.adopt", officer, member.case)
    assert "Two burglaries" not in str(event.new_values)  # field names only

    # Plan actions by the seven pathways, each with an agency.
    housing = f.housing()
    refused_on(
        _post(
            client,
            "iom_plan_add",
            member.pk,
            {"pathway": "luck", "agency": housing.pk, "text": "x", "due_on": "2023-08-01"},
        ),
        "pathway",
    )
    refused_on(
        _post(
            client,
            "iom_plan_add",
            member.pk,
            {"pathway": "accommodation", "agency": housing.pk, "text": " ", "due_on": "2023-08-01"},
        ),
        "text",
    )
    assert not IomPlanAction.objects.exists()
    _post(
        client,
        "iom_plan_add",
        member.pk,
        {
            "pathway": "accommodation",
            "agency": housing.pk,
            "text": "Tenancy support",
            "due_on": "2023-08-01",
        },
    )
    action = IomPlanAction.objects.get()
    assert (action.pathway, action.agency, action.text) == (
        "accommodation",
        housing,
        "Tenancy support",
    )
    assert "Tenancy" not in str(_audited("iom.plan_action", officer, member.case).new_values)

    # A review moves the next review on by the cohort's interval.
    refused_on(
        _post(client, "iom_review", member.pk, {"reviewed_on": "", "summary": "x"}), "reviewed_on"
    )
    assert not IomReview.objects.exists()
    _post(client, "iom_review", member.pk, {"reviewed_on": "2023-08-20", "summary": "Engaging"})
    member.refresh_from_db()
    assert member.next_review_due == D(2023, 10, 19)
    _audited("iom.review", officer, member.case)

    # De-selection: refused without a reason, or before adoption.
    page = client.get(reverse("cases:iom_member", args=[member.pk])).content.decode()
    assert reverse("cases:iom_deselect", args=[member.pk]) in page
    refused_on(
        _post(client, "iom_deselect", member.pk, {"deselected_on": "2023-12-01", "reason": ""}),
        "reason",
    )
    refused_on(
        _post(
            client, "iom_deselect", member.pk, {"deselected_on": "2023-06-01", "reason": "Moved"}
        ),
        "deselected_on",
    )
    member.refresh_from_db()
    assert member.deselected_on is None
    _post(
        client, "iom_deselect", member.pk, {"deselected_on": "2023-12-01", "reason": "Moved away"}
    )
    member.refresh_from_db()
    assert (member.deselected_on, member.deselection_reason) == (D(2023, 12, 1), "Moved away")
    assert member.next_review_due is None
    _audited("iom.deselect", officer, member.case)


def _member_of(lead: Any) -> IomCase:
    cohort = iom_cohort_create(actor=f.T, name="Cohort")
    return iom_candidate_open(
        actor=f.T, cohort=cohort, offender_ref="OFF1", lead_agency=lead, opened_on=D(2023, 1, 2)
    )


STEPS = {
    "iom_offending_add": {"kind": "arrest", "offence_date": "2023-02-01", "offence": "Theft"},
    "iom_adopt": {"strand": "fixed", "adopted_on": "2023-02-01", "reason": "Prolific"},
    "iom_deselect": {"deselected_on": "2023-02-01", "reason": "Moved"},
    "iom_plan_add": {"pathway": "health", "text": "GP", "due_on": "2023-03-01"},
    "iom_review": {"reviewed_on": "2023-02-01", "summary": "x"},
}


@pytest.mark.parametrize("who", ["iom_officer of another agency", "asb_officer"])
def test_the_step_pages_are_refused_as_the_member_page_is(client: Any, who: str) -> None:
    if who == "asb_officer":  # the council's case, the council's ASB officer
        member, user = _member_of(f.agency()), f.user("asb_officer")
    else:  # the police's case, the council's IOM officer
        member, user = _member_of(f.police()), f.user("iom_officer")
    verified_client(client, user)
    page = client.get(reverse("cases:iom_member", args=[member.pk])).status_code
    assert page in {403, 404}
    data = dict(STEPS)
    data["iom_plan_add"] = {**STEPS["iom_plan_add"], "agency": f.housing().pk}
    for name, form in data.items():
        url = reverse(f"cases:{name}", args=[member.pk])
        assert client.get(url).status_code == page, name
        assert client.post(url, form).status_code == page, name
    if who == "asb_officer":  # no IOM role: the cohort pages are refused too
        new = reverse("cases:iom_candidate_new", args=[member.cohort.pk])
        assert client.post(new, {"offender_ref": "X", "opened_on": "2023-01-01"}).status_code == 403
        assert client.post(reverse("cases:iom_cohort_new"), {"name": "X"}).status_code == 403
        assert IomCase.objects.count() == 1 and IomCohort.objects.count() == 1
    member.refresh_from_db()
    assert member.adopted_on is None and member.deselected_on is None
    assert not OffendingRecord.objects.exists() and not IomPlanAction.objects.exists()
    assert not IomReview.objects.exists()
    if page == 404:
        assert AuditEvent.objects.filter(action="case.access_refused", actor=user).count() >= 11


def test_a_closed_case_has_no_step_pages(client: Any, officer: Any) -> None:
    member = _member_of(officer.agency)
    Case.objects.filter(pk=member.pk).update(status=Case.Status.CLOSED)
    assert client.get(reverse("cases:iom_member", args=[member.pk])).status_code == 200
    for name in STEPS:
        assert client.get(reverse(f"cases:{name}", args=[member.pk])).status_code == 404
