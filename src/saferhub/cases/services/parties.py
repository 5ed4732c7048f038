"""People and parties: identity (encrypted), lawful basis, consent, exact-match search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.crypto import blind_index
from saferhub.cases.models import Case, Party, PartyConsent, Person
from saferhub.cases.selectors import parties_for_user

PERSON_FIELDS = ["full_name", "date_of_birth", "address", "phone"]


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    full_name: str,
    date_of_birth: dt.date | None = None,
    address: str = "",
    phone: str = "",
) -> Person:
    person = Person(
        full_name=full_name.strip(),
        date_of_birth=date_of_birth,
        address=address.strip(),
        phone=phone.strip(),
        name_dob_index=blind_index(full_name, date_of_birth),
    )
    person.full_clean()
    person.save()
    filled = [f for f in PERSON_FIELDS if getattr(person, f)]
    audit_record(actor=actor, action=CaseAction.PARTY_ADD, obj=person, new={"fields": filled})
    return person


def _check_basis(party: Party) -> None:
    errors: dict[str, str] = {}
    if party.special_category and not party.schedule1_condition:
        errors["schedule1_condition"] = (
            "Special category or criminal offence data needs a DPA 2018 Schedule 1 condition."
        )
    if party.unknown and party.person_id:
        errors["unknown"] = "An unknown party cannot also name a person."
    if party.unknown and party.role != Party.Role.PERPETRATOR:
        errors["unknown"] = "Only a perpetrator or respondent can be unknown."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def party_add(
    *,
    actor: Actor,
    case: Case,
    role: str,
    person: Person | None = None,
    unknown: bool = False,
    vulnerable: bool = False,
    vulnerability_flags: list[str] | None = None,
    article6_basis: str = "",
    special_category: bool = False,
    schedule1_condition: str = "",
    notes: str = "",
    source_ref: str = "",
) -> Party:
    party = Party(
        case=case,
        person=person,
        role=role,
        unknown=unknown,
        vulnerable=vulnerable or bool(vulnerability_flags),
        vulnerability_flags=list(vulnerability_flags or []),
        article6_basis=article6_basis,
        special_category=special_category,
        schedule1_condition=schedule1_condition,
        notes=notes,
        source_ref=source_ref,
    )
    party.full_clean()
    _check_basis(party)
    party.save()
    audit_record(
        actor=actor,
        action=CaseAction.PARTY_ADD,
        obj=case,
        new={
            "party": party.pk,
            "role": role,
            "fields": ["article6_basis", "notes"] if notes else ["article6_basis"],
        },
    )
    return party


@transaction.atomic
def party_set_basis(
    *,
    actor: Actor,
    party: Party,
    article6_basis: str,
    special_category: bool,
    schedule1_condition: str,
) -> Party:
    party.article6_basis = article6_basis
    party.special_category = special_category
    party.schedule1_condition = schedule1_condition
    party.full_clean()
    _check_basis(party)
    party.save(update_fields=["article6_basis", "special_category", "schedule1_condition"])
    audit_record(
        actor=actor,
        action=CaseAction.PARTY_CHANGE,
        obj=party.case,
        new={
            "party": party.pk,
            "fields": ["article6_basis", "special_category", "schedule1_condition"],
        },
    )
    return party


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    party: Party,
    agency: Agency,
    given_on: dt.date,
    withdrawn_on: dt.date | None = None,
) -> PartyConsent:
    consent, _ = PartyConsent.objects.update_or_create(
        party=party, agency=agency, defaults={"given_on": given_on, "withdrawn_on": withdrawn_on}
    )
    audit_record(
        actor=actor,
        action=CaseAction.CONSENT_CHANGE,
        obj=party.case,
        new={"party": party.pk, "agency": agency.code, "withdrawn": withdrawn_on is not None},
    )
    return consent


def party_search(*, user: Any, full_name: str, date_of_birth: dt.date) -> QuerySet[Party]:
    """Parties (on cases the user may see) whose name and date of birth match exactly.

    Audited as a search, with the number of matches and never the terms searched for.
    """
    digest = blind_index(full_name, date_of_birth)
    found = parties_for_user(user=user).filter(person__name_dob_index=digest) if digest else None
    result = found if found is not None else parties_for_user(user=user).none()
    audit_record(
        actor=user,
        action=CaseAction.CASE_SEARCH,
        object_type="cases.Person",
        new={"fields": ["full_name", "date_of_birth"], "matches": result.count()},
    )
    return result


@transaction.atomic
def person_find_or_create(
    *,
    actor: Actor,
    full_name: str,
    date_of_birth: dt.date | None = None,
    address: str = "",
    phone: str = "",
) -> Person:
    """The person with this exact name and date of birth (by the blind index), or a new one.

    One person on many cases is what lets a repeat victim be seen across agencies; the
    match needs both name and date of birth, so a name alone always makes a new person.
    """
    digest = blind_index(full_name, date_of_birth)
    if digest:
        found = Person.objects.filter(name_dob_index=digest, erased_at__isnull=True).first()
        if found is not None:
            return found
    return person_create(
        actor=actor,
        full_name=full_name,
        date_of_birth=date_of_birth,
        address=address,
        phone=phone,
    )
