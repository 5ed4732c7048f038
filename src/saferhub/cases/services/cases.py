"""Generic case services: open, share with an agency, break-glass, close, legal hold."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.access import has_permission
from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases import registry
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import BreakGlassGrant, Case, CaseAgency, Party

BREAK_GLASS_HOURS = 24


def next_reference(case_type: str, year: int) -> str:
    prefix = f"{registry.get(case_type).reference_prefix}-{year}-"
    last = Case.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    case_type: str,
    lead_agency: Agency,
    opened_on: dt.date,
    officer: User | None = None,
    reference: str = "",
) -> Case:
    registry.get(case_type)
    case = Case(
        case_type=case_type,
        reference=reference or next_reference(case_type, opened_on.year),
        lead_agency=lead_agency,
        officer=officer,
        opened_on=opened_on,
    )
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action=CaseAction.CASE_OPEN,
        obj=case,
        new={"fields": ["case_type", "lead_agency"]},
    )
    return case


def sharing_refusals(case: Case, agency: Agency) -> list[str]:
    """Why the case's parties may not be shared with ``agency`` ([] when they may)."""
    reasons = []
    for n, party in enumerate(case.parties.filter(person__isnull=False), start=1):
        label = f"Party {n} ({party.get_role_display().lower()})"
        if not party.article6_basis:
            reasons.append(f"{label} has no lawful basis recorded (UK GDPR article 6).")
            continue
        if party.special_category and not party.schedule1_condition:
            reasons.append(
                f"{label} has special category or criminal offence data but no "
                "DPA 2018 Schedule 1 condition recorded."
            )
        if (
            party.article6_basis == Party.Article6.CONSENT
            and not party.consents.filter(agency=agency, withdrawn_on__isnull=True).exists()
        ):
            reasons.append(
                f"{label}: the basis is consent, and they have not consented to sharing "
                f"with {agency.name}."
            )
    return reasons


def case_share_with_agency(*, actor: Actor, case: Case, agency: Agency) -> CaseAgency:
    """Add an agency to a case (it then sees the case). Refused without a recorded basis.

    Not one atomic block on purpose: the refusal's audit event must outlive the refusal.
    """
    if agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": f"{agency.name} already leads this case."})
    reasons = sharing_refusals(case, agency)
    if reasons:
        audit_record(
            actor=actor, action=CaseAction.CASE_SHARE_REFUSED, obj=case, detail=agency.code
        )
        raise ValidationError(
            {"agency": [f"Cannot share with {agency.name}: {r}" for r in reasons]}
        )
    with transaction.atomic():
        link, _ = CaseAgency.objects.get_or_create(case=case, agency=agency)
        audit_record(actor=actor, action=CaseAction.CASE_SHARE, obj=case, detail=agency.code)
    return link


@transaction.atomic
def case_break_glass(*, actor: User, case_id: int, reason: str) -> BreakGlassGrant:
    """Open a case outside one's scope for a limited time, with a written reason.

    Only roles holding ``cases.break_glass``; audited with the reason, and the case's
    officer is told by email. The reason is stored encrypted (it may name someone).
    """
    if not has_permission(actor, "cases.break_glass"):
        raise PermissionDenied("Your role cannot use break-glass access.")
    if len(reason.strip()) < 20:
        raise ValidationError(
            {"reason": "Write why you need this case now, in at least 20 characters."}
        )
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise ValidationError({"case": "There is no such case."})
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        expires_at=timezone.now() + dt.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(actor=actor, action=CaseAction.BREAK_GLASS, obj=case, detail=f"grant {grant.pk}")
    if case.officer and case.officer.email:
        send_mail(
            f"Break-glass access to case {case.reference}",
            f"{actor.display_name} ({actor.agency.name if actor.agency else 'no agency'}) "
            f"used break-glass access to case {case.reference} at "
            f"{timezone.localtime(grant.granted_at):%d %B %Y %H:%M}. Their reason is in "
            "the case's audit trail.",
            None,
            [case.officer.email],
        )
    return grant


@transaction.atomic
def case_set_legal_hold(*, actor: Actor, case: Case, hold: bool, reason: str = "") -> Case:
    if hold and not reason.strip():
        raise ValidationError({"reason": "Say why the case is on legal hold."})
    case.legal_hold, case.legal_hold_reason = hold, reason.strip() if hold else ""
    case.save(update_fields=["legal_hold", "legal_hold_reason"])
    audit_record(actor=actor, action=CaseAction.LEGAL_HOLD, obj=case, new={"legal_hold": hold})
    return case


@transaction.atomic
def case_close(*, actor: Actor, case: Case, closed_on: dt.date) -> Case:
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": "A case cannot close before it opened."})
    case.status, case.closed_on = Case.Status.CLOSED, closed_on
    case.full_clean()
    case.save(update_fields=["status", "closed_on"])
    audit_record(actor=actor, action=CaseAction.CASE_CLOSE, obj=case, new={"status": "closed"})
    return case


@transaction.atomic
def case_link(*, actor: Actor, case: Case, other: Case) -> None:
    if other.pk == case.pk:
        raise ValidationError({"other": "A case cannot be linked to itself."})
    case.linked_cases.add(other)
    audit_record(actor=actor, action=CaseAction.CASE_LINK, obj=case, detail=other.reference)
