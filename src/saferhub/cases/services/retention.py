"""Retention: list closed cases due for review, and erase their personal fields; the same
for ASB Case Review applications that never became part of a case (a public application
not matched to a victim's complaints keeps its applicant's name, contact and account
only for the ASB case type's retention period after its last step).

Erasure blanks every encrypted field of every row that belongs to the case (found through
:func:`saferhub.cases.fields.encrypted_fields`, so a new case type's models are covered
without change), detaches the parties from their people, and erases a person who is then on
no other case. The case, its parties' roles and flags, its incidents' dates and agencies,
its interventions' kinds and its complaints stay: the anonymised counts for statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.cases import registry
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.fields import EncryptedDateField, encrypted_fields
from saferhub.cases.models import Case, CaseReviewApplication, Party, Person


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def review_due_on(case: Case) -> dt.date | None:
    if case.closed_on is None:
        return None
    return add_years(case.closed_on, registry.get(case.case_type).retention_years)


@dataclass(frozen=True)
class DueForReview:
    case: Case
    due_on: dt.date


def retention_due(*, today: dt.date) -> list[DueForReview]:
    """Closed cases past their retention period, not erased and not on legal hold."""
    candidates = Case.objects.filter(
        status=Case.Status.CLOSED, erased_at__isnull=True, legal_hold=False
    ).order_by("closed_on", "id")
    out = []
    for case in candidates:
        due = review_due_on(case)
        if due is not None and due <= today:
            out.append(DueForReview(case, due))
    return out


def _blank(model: type[Model], names: list[str]) -> dict[str, object]:
    return {
        n: (None if isinstance(model._meta.get_field(n), EncryptedDateField) else "") for n in names
    }


@transaction.atomic
def case_erase(*, actor: Actor, case: Case, today: dt.date) -> dict[str, int]:
    """Erase the personal fields of a case due for review (the confirmation step)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.legal_hold:
        raise ValidationError(f"{case.reference} is on legal hold and cannot be erased.")
    due = review_due_on(case)
    if case.erased_at or due is None or due > today:
        raise ValidationError(f"{case.reference} is not due for retention review.")
    erased: dict[str, int] = {}
    for model, names in encrypted_fields():
        field_names = {f.name for f in model._meta.get_fields()}
        if model is Person or "case" not in field_names:
            continue
        rows = model.objects.filter(case=case).update(**_blank(model, names))  # type: ignore[attr-defined]
        if rows:
            erased[model._meta.label] = rows
    person_ids = set(
        Party.objects.filter(case=case, person__isnull=False).values_list("person_id", flat=True)
    )
    Party.objects.filter(case=case).update(person=None, source_ref="")
    alone = Person.objects.filter(pk__in=person_ids).exclude(
        parties__case__erased_at__isnull=True, parties__isnull=False
    )
    erased["cases.Person"] = alone.update(
        **_blank(Person, ["full_name", "date_of_birth", "address", "phone"]),
        name_dob_index="",
        erased_at=timezone.now(),
    )
    case.erased_at = timezone.now()
    case.save(update_fields=["erased_at"])
    audit_record(actor=actor, action=CaseAction.RETENTION_ERASE, obj=case, new={"rows": erased})
    return erased


# The personal fields of an application (encrypted), blanked on erasure.
APPLICATION_PERSONAL_FIELDS = ("applicant_name", "applicant_contact", "account", "outcome_summary")


@dataclass(frozen=True)
class ApplicationDueForReview:
    application: CaseReviewApplication
    last_step_on: dt.date
    due_on: dt.date


def _last_step(application: CaseReviewApplication) -> dt.date:
    steps = [
        application.received_date,
        application.decided_on,
        application.review_date,
        application.outcome_letter_sent_on,
        application.appeal_received_on,
        application.appeal_decided_on,
    ]
    return max(d for d in steps if d is not None)


def applications_due(*, today: dt.date) -> list[ApplicationDueForReview]:
    """Case Review applications on no case, still holding personal fields, whose last step
    (received, decided, reviewed, letter, appeal) is older than the ASB retention period."""
    years = registry.get("asb").retention_years
    out = []
    for application in CaseReviewApplication.objects.filter(case__isnull=True).order_by(
        "received_date", "id"
    ):
        if not any(getattr(application, name) for name in APPLICATION_PERSONAL_FIELDS):
            continue
        last = _last_step(application)
        due = add_years(last, years)
        if due <= today:
            out.append(ApplicationDueForReview(application, last, due))
    return out


@transaction.atomic
def application_erase(
    *, actor: Actor, application: CaseReviewApplication, today: dt.date
) -> list[str]:
    """Erase the personal fields of an application due for review (the confirmation step);
    its reference, dates, decision and counts stay for the Case Review's figures."""
    application = CaseReviewApplication.objects.select_for_update().get(pk=application.pk)
    if application.case_id is not None:
        raise ValidationError(
            f"{application.application_ref} is part of a case: it is erased with the case."
        )
    due = add_years(_last_step(application), registry.get("asb").retention_years)
    if due > today:
        raise ValidationError(f"{application.application_ref} is not due for retention review.")
    erased = [name for name in APPLICATION_PERSONAL_FIELDS if getattr(application, name)]
    for name in APPLICATION_PERSONAL_FIELDS:
        setattr(application, name, "")
    application.save(update_fields=list(APPLICATION_PERSONAL_FIELDS))
    audit_record(
        actor=actor,
        action=CaseAction.RETENTION_ERASE,
        obj=application,
        new={"fields": erased},
    )
    return erased
