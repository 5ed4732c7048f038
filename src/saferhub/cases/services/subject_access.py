"""The subject access export: everything held about one person, others redacted.

Each case the person is a party to is listed with the person's own part in it (role,
lawful basis, consent, flags, notes) and the case's facts (dates, incidents' dates and
agencies, interventions served on them). Other parties appear only as their role with
"[redacted]" in place of anything about them. Free text written about the case (incident
descriptions) is included for the person's own cases but must be read before release, as
it may mention others: the export says so.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.cases import registry
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import CaseReviewApplication, Party, Person

REDACTED = "[redacted]"
REVIEW_NOTE = (
    "Free-text entries may mention other people: read and redact them before release "
    "(UK GDPR article 15(4))."
)


def _party_part(party: Party) -> dict[str, Any]:
    return {
        "role": party.get_role_display(),
        "lawful_basis": party.get_article6_basis_display() if party.article6_basis else "",
        "schedule1_condition": party.get_schedule1_condition_display()
        if party.schedule1_condition
        else "",
        "vulnerability_flags": list(party.vulnerability_flags),
        "notes": party.notes,
        "consents": [
            {
                "agency": c.agency.name,
                "given_on": c.given_on.isoformat(),
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in party.consents.select_related("agency")
        ],
    }


def _case_part(party: Party) -> dict[str, Any]:
    case = party.case
    others = [
        {"role": p.get_role_display(), "personal_data": REDACTED}
        for p in case.parties.exclude(pk=party.pk)
    ]
    return {
        "reference": case.reference,
        "case_type": registry.get(case.case_type).name,
        "lead_agency": case.lead_agency.name,
        "opened_on": case.opened_on.isoformat(),
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "your_part": _party_part(party),
        "other_parties": others,
        "incidents": [
            {
                "behaviour_date": i.behaviour_date.isoformat(),
                "reported_date": i.reported_date.isoformat(),
                "agency": i.agency.name,
                "description": i.description,
            }
            for i in case.incidents.select_related("agency")
        ],
        "interventions_on_you": [
            {
                "kind": i.get_kind_display(),
                "served_on": i.served_on.isoformat(),
                "expires_at": i.expires_at.isoformat() if i.expires_at else None,
                "conditions": i.conditions,
                "breaches": i.breaches,
            }
            for i in case.interventions.filter(party=party)
        ],
    }


def subject_access_export(*, actor: Actor, person: Person) -> dict[str, Any]:
    """Everything held about ``person`` (audited, field names only)."""
    parties = Party.objects.filter(person=person).select_related("case", "case__lead_agency")
    data = {
        "person": {
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "address": person.address,
            "phone": person.phone,
        },
        "cases": [_case_part(p) for p in parties.order_by("case__opened_on", "id")],
        "note": REVIEW_NOTE,
    }
    audit_record(
        actor=actor,
        action=CaseAction.SUBJECT_ACCESS,
        obj=person,
        new={"cases": len(data["cases"])},
    )
    return data


def application_subject_access(
    *, actor: Actor, application: CaseReviewApplication
) -> dict[str, Any]:
    """Everything held about the applicant of a Case Review application (a public
    applicant is no party to a case, so is found by the reference given on submission):
    their name, contact and account, and what was decided (audited, field names only)."""
    held: dict[str, Any] = {
        "reference": application.application_ref,
        "received_date": application.received_date.isoformat(),
        "applicant_type": application.get_applicant_type_display(),
        "account": application.account,
        "decision": application.get_decision_display(),
        "decided_on": application.decided_on.isoformat() if application.decided_on else None,
        "review_date": application.review_date.isoformat() if application.review_date else None,
        "outcome_summary": application.outcome_summary,
        "appeal_outcome": application.appeal_outcome,
    }
    data: dict[str, Any] = {
        "person": {
            "full_name": application.applicant_name,
            "contact": application.applicant_contact,
        },
        "application": held,
        "cases": [],
        "note": REVIEW_NOTE,
    }
    audit_record(
        actor=actor,
        action=CaseAction.SUBJECT_ACCESS,
        obj=application,
        new={"fields": sorted(k for k, v in held.items() if v)},
    )
    return data


def subject_access_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cases/subject_access.html", {"data": data})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
