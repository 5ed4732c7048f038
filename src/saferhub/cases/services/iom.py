"""Integrated Offender Management: cohorts, candidates, the selection score, adoption and
de-selection with reasons, the pathway plan, reviews, offending, and the cohort's offending
before and after adoption (:func:`saferhub.analysis.cohort.offending_before_after`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.analysis.cohort import CohortOffending, offending_before_after
from saferhub.cases.audit_actions import IomCaseAction
from saferhub.cases.iom import PATHWAYS, Selection, Weights, selection_score
from saferhub.cases.models import (
    Case,
    IomCase,
    IomCohort,
    IomPlanAction,
    IomReview,
    OffendingRecord,
)
from saferhub.cases.services.cases import case_open


@transaction.atomic
def iom_cohort_create(
    *,
    actor: Actor,
    name: str,
    kind: str = IomCohort.Kind.IOM,
    review_interval_days: int = 90,
    weights: Weights | None = None,
) -> IomCohort:
    weights = weights or Weights()
    if not name.strip():
        raise ValidationError({"name": "Name the cohort."})
    if not 7 <= review_interval_days <= 366:
        raise ValidationError({"review_interval_days": "Review every 7 to 366 days."})
    cohort = IomCohort(
        name=name.strip(),
        kind=kind,
        review_interval_days=review_interval_days,
        weight_recency=weights.recency,
        weight_frequency=weights.frequency,
        weight_gravity=weights.gravity,
    )
    cohort.full_clean()
    cohort.save()
    audit_record(actor=actor, action=IomCaseAction.COHORT, obj=cohort, new={"kind": kind})
    return cohort


def cohort_weights(cohort: IomCohort) -> Weights:
    return Weights(cohort.weight_recency, cohort.weight_frequency, cohort.weight_gravity)


@transaction.atomic
def iom_candidate_open(
    *,
    actor: Actor,
    cohort: IomCohort,
    offender_ref: str,
    lead_agency: Agency,
    opened_on: dt.date,
    officer: User | None = None,
) -> IomCase:
    """A person considered for the cohort (a case of type ``iom``, not yet adopted)."""
    if not offender_ref.strip():
        raise ValidationError({"offender_ref": "Enter the person's reference."})
    case = case_open(
        actor=actor, case_type="iom", lead_agency=lead_agency, opened_on=opened_on, officer=officer
    )
    return IomCase.objects.create(case=case, cohort=cohort, offender_ref=offender_ref.strip())


@transaction.atomic
def offending_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    offence_date: dt.date,
    offence: str,
    gravity: int | None = None,
) -> OffendingRecord:
    record = OffendingRecord(
        case=case, kind=kind, offence_date=offence_date, offence=offence.strip(), gravity=gravity
    )
    # Checked before full_clean, whose check constraint would name no field.
    if gravity is not None and not 1 <= gravity <= 10:
        raise ValidationError({"gravity": "Gravity runs from 1 to 10."})
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=IomCaseAction.OFFENDING, obj=case, new={"kind": kind})
    return record


def offences_of(case_ids: list[int]) -> list[tuple[int, dt.date, int | None]]:
    """One row per offence (case, date, gravity): an arrest, charge and conviction for the
    same offence on the same date count once, with the highest gravity recorded."""
    seen: dict[tuple[int, dt.date, str], int | None] = {}
    for case_id, day, offence, gravity in OffendingRecord.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "offence_date", "offence", "gravity"):
        key = (case_id, day, offence.strip().lower())
        old = seen.get(key)
        seen[key] = max(g for g in (old, gravity) if g is not None) if (old or gravity) else None
    return [(case_id, day, gravity) for (case_id, day, _), gravity in seen.items()]


def iom_selection(*, member: IomCase, as_of: dt.date) -> Selection:
    rows = offences_of([member.pk])
    return selection_score(
        [(day, g) for _, day, g in rows], as_of=as_of, weights=cohort_weights(member.cohort)
    )


@transaction.atomic
def iom_adopt(
    *, actor: Actor, member: IomCase, strand: str, adopted_on: dt.date, reason: str
) -> IomCase:
    """Adopt onto the cohort; refused without a selection reason. The score as of the
    adoption day is kept beside it, with its inputs and weights."""
    errors = {}
    if not reason.strip():
        errors["reason"] = "Write why this person is selected for the cohort."
    if strand not in IomCase.Strand.values:
        errors["strand"] = "Choose the Fixed, Flex or Free strand."
    if adopted_on < member.case.opened_on:
        errors["adopted_on"] = "A person cannot be adopted before they were considered."
    if member.adopted_on and not member.deselected_on:
        errors["adopted_on"] = "This person is already adopted."
    if errors:
        raise ValidationError(errors)
    member.strand = strand
    member.adopted_on = adopted_on
    member.adoption_reason = reason.strip()
    member.deselected_on, member.deselection_reason = None, ""
    member.selection = iom_selection(member=member, as_of=adopted_on).as_dict()
    member.next_review_due = adopted_on + dt.timedelta(days=member.cohort.review_interval_days)
    member.save()
    audit_record(
        actor=actor,
        action=IomCaseAction.ADOPT,
        obj=member.case,
        new={"strand": strand, "fields": ["adoption_reason"]},
    )
    return member


@transaction.atomic
def iom_deselect(*, actor: Actor, member: IomCase, deselected_on: dt.date, reason: str) -> IomCase:
    errors = {}
    if not reason.strip():
        errors["reason"] = "Write why this person leaves the cohort."
    if member.adopted_on is None:
        errors["deselected_on"] = "This person has not been adopted."
    elif deselected_on < member.adopted_on:
        errors["deselected_on"] = "De-selection cannot come before adoption."
    if errors:
        raise ValidationError(errors)
    member.deselected_on, member.deselection_reason = deselected_on, reason.strip()
    member.next_review_due = None
    member.save(update_fields=["deselected_on", "deselection_reason", "next_review_due"])
    audit_record(
        actor=actor,
        action=IomCaseAction.DESELECT,
        obj=member.case,
        new={"fields": ["deselection_reason"]},
    )
    return member


@transaction.atomic
def iom_plan_action_add(
    *, actor: Actor, member: IomCase, pathway: str, agency: Agency, text: str, due_on: dt.date
) -> IomPlanAction:
    if pathway not in dict(PATHWAYS):
        raise ValidationError({"pathway": "Choose one of the seven pathways."})
    if not text.strip():
        raise ValidationError({"text": "Write the action."})
    action = IomPlanAction.objects.create(
        case=member.case, pathway=pathway, agency=agency, text=text.strip(), due_on=due_on
    )
    audit_record(
        actor=actor,
        action=IomCaseAction.PLAN,
        obj=member.case,
        new={"pathway": pathway, "agency": agency.code, "fields": ["text"]},
    )
    return action


@transaction.atomic
def iom_review_record(
    *, actor: Actor, member: IomCase, reviewed_on: dt.date, summary: str = ""
) -> IomReview:
    review = IomReview.objects.create(case=member.case, reviewed_on=reviewed_on, summary=summary)
    if member.adopted_on and not member.deselected_on:
        member.next_review_due = reviewed_on + dt.timedelta(days=member.cohort.review_interval_days)
        member.save(update_fields=["next_review_due"])
    audit_record(actor=actor, action=IomCaseAction.REVIEW, obj=member.case)
    return review


def iom_before_after(
    *, cohort: IomCohort, as_of: dt.date, window_months: int = 12
) -> CohortOffending:
    """The cohort's offences per person-month before and after adoption, with the exact
    test, its interval and the regression-to-the-mean caveat."""
    members = list(
        IomCase.objects.filter(cohort=cohort, adopted_on__isnull=False).values_list(
            "pk", "adopted_on", "deselected_on"
        )
    )
    adoptions = pd.DataFrame(members, columns=["person", "adopted", "ended"]).astype(
        {"ended": object}
    )
    rows = offences_of([m[0] for m in members])
    offences = pd.DataFrame([(c, d) for c, d, _ in rows], columns=["person", "date"])
    return offending_before_after(adoptions, offences, as_of=as_of, window_months=window_months)
