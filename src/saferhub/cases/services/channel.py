"""Channel panel cases: referral, panel members, the vulnerability assessment, the support
plan (refused without recorded consent: how, when and by whom it was sought), support
providers, reviews, exit, and the reviews 6 and 12 months after exit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.access import has_permission
from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases.audit_actions import ChannelCaseAction
from saferhub.cases.models import (
    Case,
    ChannelAssessment,
    ChannelCase,
    ChannelReview,
    ChannelSupport,
    ChannelSupportPlan,
)
from saferhub.cases.services.cases import case_open
from saferhub.cases.threshold import add_months


@transaction.atomic
def channel_refer(
    *,
    actor: Actor,
    lead_agency: Agency,
    referring_agency: Agency,
    referred_on: dt.date,
    today: dt.date,
    concern: str,
    officer: User | None = None,
    panel_members: list[User] | None = None,
) -> ChannelCase:
    errors = {}
    if referred_on > today:
        errors["referred_on"] = "The referral date cannot be in the future."
    if not concern.strip():
        errors["concern"] = "Describe the concern that led to the referral."
    if errors:
        raise ValidationError(errors)
    case = case_open(
        actor=actor,
        case_type="channel",
        lead_agency=lead_agency,
        opened_on=referred_on,
        officer=officer,
    )
    detail = ChannelCase.objects.create(
        case=case,
        referred_on=referred_on,
        referring_agency=referring_agency,
        concern=concern.strip(),
    )
    for user in panel_members or []:
        channel_add_panel_member(actor=actor, detail=detail, user=user)
    audit_record(
        actor=actor,
        action=ChannelCaseAction.REFER,
        obj=case,
        new={"referring_agency": referring_agency.code, "fields": ["concern"]},
    )
    return detail


@transaction.atomic
def channel_add_panel_member(*, actor: Actor, detail: ChannelCase, user: User) -> None:
    if not has_permission(user, "cases.work_channel"):
        raise ValidationError(
            {"member": f"{user.display_name} does not work Channel cases, so cannot be named."}
        )
    detail.panel_members.add(user)
    audit_record(
        actor=actor, action=ChannelCaseAction.PANEL, obj=detail.case, new={"member": user.pk}
    )


@transaction.atomic
def channel_assess(
    *,
    actor: Actor,
    case: Case,
    assessed_on: dt.date,
    decision: str,
    engagement: str = "",
    intent: str = "",
    capability: str = "",
) -> ChannelAssessment:
    if decision not in ChannelAssessment.Decision.values:
        raise ValidationError({"decision": "Choose the panel's decision."})
    if not (engagement.strip() or intent.strip() or capability.strip()):
        raise ValidationError(
            {"engagement": "Record the assessment of engagement, intent or capability."}
        )
    assessment = ChannelAssessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        decision=decision,
        engagement=engagement.strip(),
        intent=intent.strip(),
        capability=capability.strip(),
    )
    audit_record(
        actor=actor,
        action=ChannelCaseAction.ASSESS,
        obj=case,
        new={"decision": decision, "fields": ["engagement", "intent", "capability"]},
    )
    return assessment


@transaction.atomic
def channel_support_plan(
    *,
    actor: Actor,
    case: Case,
    agreed_on: dt.date,
    consent_sought_how: str,
    consent_sought_on: dt.date | None,
    consent_sought_by: str,
    consent_given: bool | None,
    summary: str = "",
) -> ChannelSupportPlan:
    """Channel is voluntary: a plan is refused unless consent is recorded (how, when and by
    whom it was sought) and was given."""
    errors = {}
    if not consent_sought_how.strip():
        errors["consent_sought_how"] = "Say how consent was sought."
    if consent_sought_on is None:
        errors["consent_sought_on"] = "Enter when consent was sought."
    elif consent_sought_on > agreed_on:
        errors["consent_sought_on"] = "Consent must be sought before the plan is agreed."
    if not consent_sought_by.strip():
        errors["consent_sought_by"] = "Say who sought consent."
    if consent_given is not True:
        errors["consent_given"] = (
            "Channel support is voluntary: a plan needs the person's consent (or, for a "
            "child, their parent's or guardian's)."
        )
    if errors:
        raise ValidationError(errors)
    assert consent_sought_on is not None
    plan = ChannelSupportPlan.objects.create(
        case=case,
        agreed_on=agreed_on,
        summary=summary.strip(),
        consent_sought_how=consent_sought_how.strip(),
        consent_sought_on=consent_sought_on,
        consent_sought_by=consent_sought_by.strip(),
        consent_given=True,
    )
    audit_record(actor=actor, action=ChannelCaseAction.PLAN, obj=case, new={"fields": ["summary"]})
    return plan


@transaction.atomic
def channel_support_add(
    *, actor: Actor, case: Case, provider: str, kind: str, started_on: dt.date
) -> ChannelSupport:
    if not case.channel_plans.exists():
        raise ValidationError({"provider": "Agree a support plan, with consent, first."})
    if not provider.strip():
        raise ValidationError({"provider": "Name the support provider."})
    support = ChannelSupport.objects.create(
        case=case, provider=provider.strip(), kind=kind.strip(), started_on=started_on
    )
    audit_record(actor=actor, action=ChannelCaseAction.SUPPORT, obj=case)
    return support


@transaction.atomic
def channel_review(
    *, actor: Actor, case: Case, held_on: dt.date, kind: str = "panel", summary: str = ""
) -> ChannelReview:
    """Record a review: a scheduled 6- or 12-month review fills its due row; a panel
    review is a new row."""
    review = None
    if kind != ChannelReview.Kind.PANEL:
        review = case.channel_reviews.filter(kind=kind, held_on__isnull=True).first()
        if review is None:
            raise ValidationError({"kind": "That review is not due on this case."})
    review = review or ChannelReview(case=case, kind=kind, due_on=held_on)
    review.held_on, review.summary = held_on, summary.strip()
    review.save()
    audit_record(actor=actor, action=ChannelCaseAction.REVIEW, obj=case, new={"kind": kind})
    return review


@transaction.atomic
def channel_exit(
    *, actor: Actor, detail: ChannelCase, exited_on: dt.date, reason: str
) -> ChannelCase:
    """Exit the case and schedule the reviews 6 and 12 months after exit."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case exits Channel."})
    if exited_on < detail.referred_on:
        raise ValidationError({"exited_on": "A case cannot exit before it was referred."})
    detail.exited_on, detail.exit_reason = exited_on, reason.strip()
    detail.save(update_fields=["exited_on", "exit_reason"])
    for kind, months in (
        (ChannelReview.Kind.SIX_MONTHS, 6),
        (ChannelReview.Kind.TWELVE_MONTHS, 12),
    ):
        ChannelReview.objects.get_or_create(
            case=detail.case, kind=kind, defaults={"due_on": add_months(exited_on, months)}
        )
    audit_record(
        actor=actor, action=ChannelCaseAction.EXIT, obj=detail.case, new={"fields": ["exit_reason"]}
    )
    return detail
