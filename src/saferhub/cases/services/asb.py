"""ASB case services: open, incidents, risk assessment, interventions, reviews, updates, close."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.ladder import check_intervention
from saferhub.cases.models import (
    AsbCase,
    AsbIncident,
    Case,
    Intervention,
    Party,
    RiskAssessment,
    VictimUpdate,
)
from saferhub.cases.risk import QUESTIONNAIRES
from saferhub.cases.services.cases import case_close, case_open

# Days between reviews by priority (configurable by a partnership in one place).
REVIEW_DAYS = {"high": 7, "medium": 14, "standard": 28}
STAGE_ORDER = [s.value for s in AsbCase.Stage]


@transaction.atomic
def asb_case_open(
    *,
    actor: Actor,
    lead_agency: Agency,
    opened_on: dt.date,
    category: str,
    basis: str,
    officer: User | None = None,
    single_point_of_contact: User | None = None,
    summary: str = "",
) -> AsbCase:
    case = case_open(
        actor=actor, case_type="asb", lead_agency=lead_agency, opened_on=opened_on, officer=officer
    )
    asb = AsbCase(
        case=case,
        category=category,
        basis=basis,
        single_point_of_contact=single_point_of_contact or officer,
        summary=summary,
        next_review_due=opened_on + dt.timedelta(days=REVIEW_DAYS["standard"]),
        last_victim_update=opened_on,
    )
    asb.full_clean()
    asb.save()
    return asb


@transaction.atomic
def asb_incident_add(
    *,
    actor: Actor,
    case: Case,
    behaviour_date: dt.date,
    reported_date: dt.date,
    agency: Agency,
    agency_reference: str = "",
    location: str = "",
    description: str = "",
) -> AsbIncident:
    if behaviour_date > reported_date:
        raise ValidationError({"behaviour_date": "The behaviour cannot be after it was reported."})
    incident = AsbIncident(
        case=case,
        behaviour_date=behaviour_date,
        reported_date=reported_date,
        agency=agency,
        agency_reference=agency_reference,
        location=location,
        description=description,
    )
    incident.full_clean()
    incident.save()
    audit_record(
        actor=actor, action=CaseAction.INCIDENT_ADD, obj=case, new={"incident": incident.pk}
    )
    return incident


@transaction.atomic
def asb_risk_assess(
    *,
    actor: Actor,
    case: Case,
    assessed_on: dt.date,
    answers: dict[str, bool],
    questionnaire: str = "default",
) -> RiskAssessment:
    """Score the victim's risk; the band sets the case's priority and review date. High risk
    opens the vulnerable-victim action plan and alerts the officer."""
    form = QUESTIONNAIRES.get(questionnaire)
    if form is None:
        raise ValidationError({"questionnaire": f"There is no questionnaire {questionnaire!r}."})
    try:
        score = form.score(answers)
    except ValueError as exc:
        raise ValidationError({"answers": str(exc)}) from exc
    band = form.band(score)
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        questionnaire=form.key,
        answers=answers,
        score=score,
        band=band,
    )
    asb = case.asb
    asb.priority = band
    asb.next_review_due = assessed_on + dt.timedelta(days=REVIEW_DAYS[band])
    if band == "high" and not asb.vulnerable_victim_plan:
        asb.vulnerable_victim_plan = True
        if case.officer and case.officer.email:
            send_mail(
                f"High-risk victim on case {case.reference}",
                f"The victim on case {case.reference} was assessed as high risk. A vulnerable-"
                "victim action plan has been opened; review the case within "
                f"{REVIEW_DAYS['high']} days.",
                None,
                [case.officer.email],
            )
    asb.save(update_fields=["priority", "next_review_due", "vulnerable_victim_plan"])
    audit_record(
        actor=actor, action=CaseAction.RISK_ASSESS, obj=case, new={"score": score, "band": band}
    )
    return assessment


@transaction.atomic
def asb_intervention_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    served_on: dt.date,
    party: Party | None = None,
    starts_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    conditions: str = "",
    after_conviction: bool = False,
) -> Intervention:
    """Record an intervention, refused when outside the 2014 Act's limits (age, duration)."""
    born = party.person.date_of_birth if party and party.person else None
    problems = check_intervention(
        kind=kind,
        born=born,
        served_on=served_on,
        starts_at=starts_at,
        expires_at=expires_at,
        after_conviction=after_conviction,
    )
    if problems:
        raise ValidationError(problems)
    intervention = Intervention(
        case=case,
        party=party,
        kind=kind,
        served_on=served_on,
        starts_at=starts_at,
        expires_at=expires_at,
        conditions=conditions,
        after_conviction=after_conviction,
    )
    intervention.full_clean()
    intervention.save()
    audit_record(
        actor=actor,
        action=CaseAction.INTERVENTION_ADD,
        obj=case,
        new={"kind": kind, "fields": ["conditions"]},
    )
    return intervention


@transaction.atomic
def asb_set_stage(*, actor: Actor, case: Case, stage: str) -> AsbCase:
    if stage not in STAGE_ORDER or stage == AsbCase.Stage.CLOSED:
        raise ValidationError({"stage": "Choose a stage; close a case with its closure."})
    asb = case.asb
    old = asb.stage
    asb.stage = stage
    asb.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action=CaseAction.CASE_CHANGE,
        obj=case,
        old={"stage": old},
        new={"stage": stage},
    )
    return asb


@transaction.atomic
def asb_review_record(*, actor: Actor, case: Case, reviewed_on: dt.date) -> AsbCase:
    asb = case.asb
    asb.next_review_due = reviewed_on + dt.timedelta(days=REVIEW_DAYS[asb.priority])
    asb.save(update_fields=["next_review_due"])
    audit_record(
        actor=actor,
        action=CaseAction.REVIEW_RECORD,
        obj=case,
        new={"next_review_due": asb.next_review_due},
    )
    return asb


@transaction.atomic
def asb_victim_update(
    *,
    actor: Actor,
    case: Case,
    given_on: dt.date,
    method: str,
    summary: str = "",
    given_by: User | None = None,
) -> VictimUpdate:
    if given_on < case.opened_on:
        raise ValidationError({"given_on": "An update cannot come before the case opened."})
    update = VictimUpdate.objects.create(
        case=case,
        given_on=given_on,
        method=method,
        summary=summary,
        given_by=given_by or (actor if isinstance(actor, User) else None),
    )
    asb = case.asb
    if not asb.last_victim_update or given_on > asb.last_victim_update:
        asb.last_victim_update = given_on
        asb.save(update_fields=["last_victim_update"])
    audit_record(
        actor=actor, action=CaseAction.VICTIM_UPDATE, obj=case, new={"fields": ["summary"]}
    )
    return update


def victim_update_overdue(asb: AsbCase, today: dt.date) -> bool:
    days = settings.SAFERHUB_CASES_VICTIM_UPDATE_DAYS
    return asb.case.status == Case.Status.OPEN and (
        asb.last_victim_update is None or (today - asb.last_victim_update).days >= days
    )


@transaction.atomic
def asb_case_close(
    *,
    actor: Actor,
    case: Case,
    closed_on: dt.date,
    reason: str,
    victim_told: bool,
    satisfaction: int | None = None,
) -> AsbCase:
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for closing the case."
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = "Satisfaction is 1 (very dissatisfied) to 5 (very satisfied)."
    if errors:
        raise ValidationError(errors)
    case_close(actor=actor, case=case, closed_on=closed_on)
    asb = case.asb
    asb.stage = AsbCase.Stage.CLOSED
    asb.closure_reason, asb.victim_told_of_closure = reason.strip(), victim_told
    asb.victim_satisfaction = satisfaction
    asb.save(
        update_fields=["stage", "closure_reason", "victim_told_of_closure", "victim_satisfaction"]
    )
    return asb
