"""The ASB Case Review: applications, the threshold decision, the review, the figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import CaseReviewApplication, Complaint
from saferhub.cases.threshold import (
    ComplaintFacts,
    ThresholdError,
    add_months,
    check_threshold,
    qualifying_count,
    threshold_met,
)
from saferhub.cases.working_days import add_working_days

FIGURE_MEASURES = (
    "applications_received",
    "threshold_not_met",
    "reviews_carried_out",
    "reviews_with_recommendations",
)


def local_threshold(n: int | None = None) -> int:
    """The threshold to apply: ``n`` if given, else the setting; refused above 3."""
    return check_threshold(settings.SAFERHUB_CASE_REVIEW_THRESHOLD if n is None else n)


def decision_due(received: dt.date) -> dt.date:
    return add_working_days(received, settings.SAFERHUB_CASE_REVIEW_DECISION_WORKING_DAYS)


def _facts(complaints: list[Complaint]) -> list[ComplaintFacts]:
    return [
        ComplaintFacts(c.victim_ref, c.behaviour_date, c.reported_date, c.location_ref)
        for c in complaints
    ]


def application_qualifying_count(application: CaseReviewApplication) -> int:
    complaints = list(Complaint.objects.filter(victim_ref=application.victim_ref))
    return qualifying_count(_facts(complaints), application.received_date)


@transaction.atomic
def case_review_application_create(
    *,
    actor: Actor,
    application_ref: str,
    victim_ref: str,
    received_date: dt.date,
    applicant_type: str,
    consent: bool | None = None,
) -> CaseReviewApplication:
    """Record an application (staff-entered, or from the public form through this service)."""
    errors: dict[str, str] = {}
    if applicant_type == CaseReviewApplication.ApplicantType.THIRD_PARTY and consent is not True:
        errors["consent"] = "A third party can apply only with the victim's consent."
    if not Complaint.objects.filter(victim_ref=victim_ref).exists():
        errors["victim_ref"] = "There are no complaints for this victim: record them first."
    if errors:
        raise ValidationError(errors)
    application = CaseReviewApplication(
        application_ref=application_ref,
        victim_ref=victim_ref,
        received_date=received_date,
        applicant_type=applicant_type,
        consent=consent,
        decision_due=decision_due(received_date),
    )
    application.full_clean()
    application.save()
    audit_record(actor=actor, action=CaseAction.CASE_REVIEW_APPLY, obj=application)
    return application


@transaction.atomic
def case_review_decide(
    *,
    actor: Actor,
    application: CaseReviewApplication,
    decided_on: dt.date,
    threshold: int | None = None,
) -> CaseReviewApplication:
    """Apply the threshold rule and record the decision."""
    try:
        n = local_threshold(threshold)
    except ThresholdError as exc:
        raise ValidationError({"threshold": str(exc)}) from exc
    if decided_on < application.received_date:
        raise ValidationError({"decided_on": "The decision cannot come before the application."})
    met = threshold_met(application_qualifying_count(application), n)
    application.decision = (
        CaseReviewApplication.Decision.MET if met else CaseReviewApplication.Decision.NOT_MET
    )
    application.decided_on = decided_on
    application.save(update_fields=["decision", "decided_on"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_DECIDE,
        obj=application,
        new={"decision": application.decision},
    )
    return application


@transaction.atomic
def case_review_record_review(
    *, actor: Actor, application: CaseReviewApplication, review_date: dt.date, recommendations: int
) -> CaseReviewApplication:
    if recommendations < 0:
        raise ValidationError({"recommendations": "The number of recommendations is 0 or more."})
    if review_date < application.received_date:
        raise ValidationError({"review_date": "The review cannot come before the application."})
    application.review_date, application.recommendations = review_date, recommendations
    application.save(update_fields=["review_date", "recommendations"])
    audit_record(actor=actor, action=CaseAction.CASE_REVIEW_REVIEW, obj=application)
    return application


def financial_year(text: str) -> tuple[dt.date, dt.date]:
    """'2024/25' as (1 April 2024, 31 March 2025)."""
    try:
        first, second = text.split("/")
        start = int(first)
        if len(first) != 4 or int(second) != (start + 1) % 100:
            raise ValueError
    except ValueError as exc:
        raise ValueError(f"“{text}” is not a year April to March: write it as 2024/25.") from exc
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


@dataclass(frozen=True)
class CheckRow:
    application_ref: str
    qualifying_complaints: int
    threshold_met: bool


def case_review_check(*, threshold: int | None = None) -> list[CheckRow]:
    """Every application with its qualifying complaints and whether the threshold is met."""
    n = local_threshold(threshold)
    by_victim: dict[str, list[ComplaintFacts]] = defaultdict(list)
    for c in Complaint.objects.only(
        "victim_ref", "behaviour_date", "reported_date", "location_ref"
    ).iterator(chunk_size=5000):
        by_victim[c.victim_ref].append(
            ComplaintFacts(c.victim_ref, c.behaviour_date, c.reported_date, c.location_ref)
        )
    rows = []
    for app in CaseReviewApplication.objects.order_by("application_ref").only(
        "application_ref", "victim_ref", "received_date"
    ):
        count = qualifying_count(by_victim.get(app.victim_ref, []), app.received_date)
        rows.append(CheckRow(app.application_ref, count, threshold_met(count, n)))
    return rows


def _complaints_for(victims: set[str], earliest: dt.date) -> dict[str, list[ComplaintFacts]]:
    by_victim: dict[str, list[ComplaintFacts]] = defaultdict(list)
    queryset = Complaint.objects.filter(victim_ref__in=victims, reported_date__gte=earliest)
    for c in queryset.values_list("victim_ref", "behaviour_date", "reported_date", "location_ref"):
        by_victim[c[0]].append(ComplaintFacts(*c))
    return by_victim


def case_review_figures(*, year: str, threshold: int | None = None) -> dict[str, int]:
    """The four statutory figures for an April-March year.

    applications_received: applications received in the year (by date received);
    threshold_not_met: of those, how many do not meet the threshold;
    reviews_carried_out: reviews held in the year (by review date);
    reviews_with_recommendations: of those, how many made one recommendation or more.
    """
    n = local_threshold(threshold)
    start, end = financial_year(year)
    received = list(
        CaseReviewApplication.objects.filter(received_date__range=(start, end)).values_list(
            "victim_ref", "received_date"
        )
    )
    complaints = _complaints_for({v for v, _ in received}, add_months(start, -6))
    not_met = sum(
        1
        for victim, day in received
        if not threshold_met(qualifying_count(complaints.get(victim, []), day), n)
    )
    reviews = CaseReviewApplication.objects.filter(review_date__range=(start, end))
    return {
        "applications_received": len(received),
        "threshold_not_met": not_met,
        "reviews_carried_out": reviews.count(),
        "reviews_with_recommendations": reviews.filter(recommendations__gt=0).count(),
    }


def case_review_prompt_due(*, victim_ref: str, reported_date: dt.date) -> bool:
    """Whether the officer should tell the victim about the Case Review (2025 guidance):
    this complaint is at least their second reported within six calendar months."""
    earliest = add_months(reported_date, -6)
    return (
        Complaint.objects.filter(
            victim_ref=victim_ref, reported_date__range=(earliest, reported_date)
        ).count()
        >= 2
    )
