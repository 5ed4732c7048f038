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
from saferhub.accounts.models import Agency
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import (
    CaseReviewApplication,
    CaseReviewMeeting,
    CaseReviewRecommendation,
    Complaint,
)
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


def next_application_ref(received: dt.date) -> str:
    """The next reference of the year: ``CR-2026-00001`` (given to a public applicant)."""
    prefix = f"CR-{received.year}-"
    last = (
        CaseReviewApplication.objects.filter(application_ref__startswith=prefix)
        .order_by("-application_ref")
        .values_list("application_ref", flat=True)
        .first()
    )
    try:
        number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    except ValueError:
        number = (
            CaseReviewApplication.objects.filter(application_ref__startswith=prefix).count() + 1
        )
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_review_application_create(
    *,
    actor: Actor,
    received_date: dt.date,
    applicant_type: str,
    application_ref: str = "",
    victim_ref: str = "",
    consent: bool | None = None,
    source: str = CaseReviewApplication.Source.STAFF,
    applicant_name: str = "",
    applicant_contact: str = "",
    account: str = "",
) -> CaseReviewApplication:
    """Record an application: staff-entered, or from the public form (``source="public"``).

    A staff entry names the victim's pseudonymous reference, whose complaints must be
    recorded; a public application has none until staff match it
    (:func:`case_review_match_victim`). The decision deadline runs from receipt either way.
    """
    errors: dict[str, str] = {}
    if applicant_type == CaseReviewApplication.ApplicantType.THIRD_PARTY and consent is not True:
        errors["consent"] = "A third party can apply only with the victim's consent."
    if source != CaseReviewApplication.Source.PUBLIC:
        if not victim_ref.strip():
            errors["victim_ref"] = "Enter the victim's reference."
        elif not Complaint.objects.filter(victim_ref=victim_ref).exists():
            errors["victim_ref"] = "There are no complaints for this victim: record them first."
    if errors:
        raise ValidationError(errors)
    application = CaseReviewApplication(
        application_ref=application_ref.strip() or next_application_ref(received_date),
        victim_ref=victim_ref.strip(),
        received_date=received_date,
        applicant_type=applicant_type,
        consent=consent,
        decision_due=decision_due(received_date),
        source=source,
        applicant_name=applicant_name.strip(),
        applicant_contact=applicant_contact.strip(),
        account=account.strip(),
    )
    application.full_clean()
    application.save()
    filled = [
        f for f in ("applicant_name", "applicant_contact", "account") if getattr(application, f)
    ]
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_APPLY,
        obj=application,
        new={"source": source, "fields": filled},
    )
    return application


@transaction.atomic
def case_review_match_victim(
    *, actor: Actor, application: CaseReviewApplication, victim_ref: str
) -> CaseReviewApplication:
    """Match an application (from the public form) to the victim's complaints."""
    victim_ref = victim_ref.strip()
    if not victim_ref:
        raise ValidationError({"victim_ref": "Enter the victim's reference."})
    if not Complaint.objects.filter(victim_ref=victim_ref).exists():
        raise ValidationError(
            {"victim_ref": "There are no complaints for this victim: record them first."}
        )
    if application.decision:
        raise ValidationError({"victim_ref": "The application is already decided."})
    application.victim_ref = victim_ref
    application.save(update_fields=["victim_ref"])
    audit_record(actor=actor, action=CaseAction.CASE_REVIEW_MATCH, obj=application)
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
    if not application.victim_ref:
        raise ValidationError(
            {"decided_on": "Match the application to the victim's complaints before deciding."}
        )
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


def _require_met(application: CaseReviewApplication, field: str) -> None:
    if application.decision != CaseReviewApplication.Decision.MET:
        raise ValidationError({field: "Only an application that meets the threshold is reviewed."})


@transaction.atomic
def case_review_meeting_record(
    *,
    actor: Actor,
    application: CaseReviewApplication,
    held_on: dt.date,
    chair: str = "",
    notes: str = "",
) -> CaseReviewMeeting:
    """The review panel meeting of an application: its date is the review date."""
    _require_met(application, "held_on")
    if held_on < application.received_date:
        raise ValidationError({"held_on": "The review cannot come before the application."})
    meeting = application.meeting or CaseReviewMeeting()
    meeting.held_on, meeting.chair, meeting.notes = held_on, chair.strip(), notes
    meeting.full_clean()
    meeting.save()
    application.meeting, application.review_date = meeting, held_on
    application.recommendations = application.recommendation_items.count()
    application.save(update_fields=["meeting", "review_date", "recommendations"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_MEETING,
        obj=application,
        new={"held_on": held_on, "fields": ["chair", "notes"] if notes else ["chair"]},
    )
    return meeting


@transaction.atomic
def case_review_recommendation_add(
    *,
    actor: Actor,
    application: CaseReviewApplication,
    text: str,
    owner: Agency,
    due_on: dt.date,
) -> CaseReviewRecommendation:
    """A recommendation of the review, with the agency that owns it and its due date."""
    if application.review_date is None:
        raise ValidationError({"text": "Record the review meeting first."})
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation."})
    if due_on < application.review_date:
        raise ValidationError({"due_on": "The due date cannot come before the review."})
    item = CaseReviewRecommendation(
        application=application, text=text.strip(), owner=owner, due_on=due_on
    )
    item.full_clean()
    item.save()
    application.recommendations = application.recommendation_items.count()
    application.save(update_fields=["recommendations"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_RECOMMENDATION,
        obj=application,
        new={"recommendation": item.pk, "owner": owner.code, "due_on": due_on},
    )
    return item


@transaction.atomic
def case_review_recommendation_done(
    *, actor: Actor, item: CaseReviewRecommendation, done_on: dt.date
) -> CaseReviewRecommendation:
    if done_on < item.application.review_date:  # type: ignore[operator]
        raise ValidationError({"done_on": "It cannot be done before the review."})
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_RECOMMENDATION,
        obj=item.application,
        new={"recommendation": item.pk, "done_on": done_on},
    )
    return item


@transaction.atomic
def case_review_outcome_letter(
    *, actor: Actor, application: CaseReviewApplication, sent_on: dt.date, summary: str
) -> CaseReviewApplication:
    """Record that the outcome letter was sent, with the summary it gives the applicant."""
    if not application.decision:
        raise ValidationError(
            {"sent_on": "Decide the application before writing to the applicant."}
        )
    if not summary.strip():
        raise ValidationError({"summary": "Write the outcome for the applicant."})
    if sent_on < (application.review_date or application.decided_on or application.received_date):
        raise ValidationError(
            {"sent_on": "The letter cannot be sent before the decision or review."}
        )
    application.outcome_letter_sent_on, application.outcome_summary = sent_on, summary.strip()
    application.save(update_fields=["outcome_letter_sent_on", "outcome_summary"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_LETTER,
        obj=application,
        new={"sent_on": sent_on, "fields": ["outcome_summary"]},
    )
    return application


@transaction.atomic
def case_review_appeal_record(
    *, actor: Actor, application: CaseReviewApplication, received_on: dt.date
) -> CaseReviewApplication:
    """The applicant asks for the decision or the review's outcome to be looked at again."""
    if not application.decision:
        raise ValidationError({"received_on": "There is no decision to appeal yet."})
    if received_on < (application.decided_on or application.received_date):
        raise ValidationError({"received_on": "The appeal cannot come before the decision."})
    application.appeal_received_on = received_on
    application.save(update_fields=["appeal_received_on"])
    audit_record(actor=actor, action=CaseAction.CASE_REVIEW_APPEAL, obj=application)
    return application


@transaction.atomic
def case_review_appeal_decide(
    *, actor: Actor, application: CaseReviewApplication, decided_on: dt.date, outcome: str
) -> CaseReviewApplication:
    if application.appeal_received_on is None:
        raise ValidationError({"outcome": "Record the appeal first."})
    if not outcome.strip():
        raise ValidationError({"outcome": "Give the appeal's outcome."})
    if decided_on < application.appeal_received_on:
        raise ValidationError({"decided_on": "The outcome cannot come before the appeal."})
    application.appeal_outcome, application.appeal_decided_on = outcome.strip()[:200], decided_on
    application.save(update_fields=["appeal_outcome", "appeal_decided_on"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_REVIEW_APPEAL_OUTCOME,
        obj=application,
        new={"decided_on": decided_on},
    )
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
