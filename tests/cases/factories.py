"""Factories for case work: agencies, users, cases, people and parties."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import Agency, User
from saferhub.accounts.services import user_create
from saferhub.cases.models import AsbCase, Party, Person
from saferhub.cases.services.asb import asb_case_open
from saferhub.cases.services.parties import party_add, person_create

_n = itertools.count(1)
T = SystemActor.TEST


def agency(
    code: str = "derby-city-council", name: str = "Derby City Council", kind: str = "council"
) -> Agency:
    return Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def police() -> Agency:
    return agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")


def housing() -> Agency:
    return agency("city-homes", "City Homes", "housing")


def user(role: str, *, of: Agency | None = None, email: str = "") -> User:
    n = next(_n)
    return user_create(
        actor=T,
        username=f"{role}-{n}",
        email=email or f"{role}-{n}@example.org",
        agency=of or agency(),
        role=role,
        password="a-Long-test-password-1",
    )


def asb_case(
    *, lead: Agency | None = None, officer: User | None = None, opened_on: dt.date | None = None
) -> AsbCase:
    return asb_case_open(
        actor=T,
        lead_agency=lead or agency(),
        opened_on=opened_on or dt.date(2025, 1, 6),
        category=AsbCase.Category.PERSONAL,
        basis=AsbCase.Basis.PERSON,
        officer=officer,
        summary="Noise and threats from the flat above",
    )


def person(
    name: str = "Alice Quenby-Marsh", born: dt.date | None = dt.date(1980, 2, 29), **kw: Any
) -> Person:
    return person_create(
        actor=T,
        full_name=name,
        date_of_birth=born,
        address=kw.get("address", "12 Larch Road"),
        phone=kw.get("phone", "07700 900123"),
    )


def victim(case: AsbCase, who: Person | None = None, **kw: Any) -> Party:
    return party_add(
        actor=T,
        case=case.case,
        role=Party.Role.VICTIM,
        person=who or person(),
        article6_basis=kw.pop("article6_basis", Party.Article6.PUBLIC_TASK),
        notes=kw.pop("notes", "Prefers phone calls after 5pm"),
        **kw,
    )


def complaints(victim_ref: str, days: list[dt.date], location: str = "L1") -> None:
    """Complaints of one victim, each reported on the day of the behaviour."""
    from saferhub.cases.models import Complaint

    for day in days:
        Complaint.objects.create(
            complaint_ref=f"C-{victim_ref}-{next(_n)}",
            victim_ref=victim_ref,
            behaviour_date=day,
            reported_date=day,
            agency=agency(),
            location_ref=location,
        )


def application(
    victim_ref: str = "V-REPEAT", received: dt.date = dt.date(2025, 6, 2), **kw: Any
) -> Any:
    """A staff-recorded Case Review application with three complaints behind it."""
    from saferhub.cases.services.case_review import case_review_application_create

    complaints(victim_ref, [dt.date(2025, 4, 1), dt.date(2025, 4, 20), dt.date(2025, 5, 10)])
    return case_review_application_create(
        actor=T,
        received_date=received,
        applicant_type=kw.pop("applicant_type", "victim"),
        victim_ref=victim_ref,
        **kw,
    )


def decided_application(*, letter: bool = True) -> Any:
    """An application decided (threshold met), reviewed, with its outcome letter."""
    from saferhub.cases.services import case_review as svc

    app = application(victim_ref=f"V-{next(_n)}")
    svc.case_review_decide(actor=T, application=app, decided_on=dt.date(2025, 6, 5))
    svc.case_review_meeting_record(actor=T, application=app, held_on=dt.date(2025, 6, 20))
    if letter:
        svc.case_review_outcome_letter(
            actor=T, application=app, sent_on=dt.date(2025, 6, 23), summary="We will act."
        )
    return app
