"""Writes for the risk register: add a risk, rescore it (its history kept), remind owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.actors import Actor, SystemActor
from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.accounts.models import User
from saferhub.actions.models import Action
from saferhub.core.services import stamp
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import Risk, RiskRating
from saferhub.governance.models.risks import SCORE_FIELDS
from saferhub.performance.models import Priority

REVIEW_SOON_DAYS = 14


def _check_scores(scores: Mapping[str, object]) -> None:
    errors = {
        name: f"Give a score from 1 to 5 (not {value})."
        for name, value in scores.items()
        if not isinstance(value, int) or not 1 <= value <= 5
    }
    if errors:
        raise ValidationError(errors)


def _rating(risk: Risk, actor: Actor, rated_on: dt.date, note: str) -> RiskRating:
    rating = RiskRating(
        risk=risk,
        rated_on=rated_on,
        recorded_by=actor if isinstance(actor, User) and actor.pk else None,
        note=note,
        **{name: getattr(risk, name) for name in SCORE_FIELDS},
    )
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def risk_create(
    *,
    actor: Actor,
    title: str,
    cause: str,
    consequence: str,
    owner: User,
    likelihood_before: int,
    impact_before: int,
    likelihood_after: int,
    impact_after: int,
    review_on: dt.date,
    existing_controls: str = "",
    priority: Priority | None = None,
    actions: Iterable[Action] = (),
) -> Risk:
    scores = {
        "likelihood_before": likelihood_before,
        "impact_before": impact_before,
        "likelihood_after": likelihood_after,
        "impact_after": impact_after,
    }
    _check_scores(scores)
    risk = Risk(
        title=title.strip(),
        cause=cause.strip(),
        consequence=consequence.strip(),
        owner=owner,
        existing_controls=existing_controls.strip(),
        priority=priority,
        review_on=review_on,
        **scores,
    )
    stamp(risk, actor)
    risk.full_clean()
    risk.save()
    risk.actions.set(list(actions))
    _rating(risk, actor, timezone.localdate(), "First rating")
    audit_record(actor=actor, action=GovernanceAudit.RISK_CREATE, obj=risk, new=model_values(risk))
    return risk


@transaction.atomic
def risk_rescore(
    *,
    actor: Actor,
    risk: Risk,
    likelihood_before: int,
    impact_before: int,
    likelihood_after: int,
    impact_after: int,
    review_on: dt.date,
    note: str = "",
    rated_on: dt.date | None = None,
) -> Risk:
    """A review: new scores and the next review date; the rating joins the risk's history."""
    scores = {
        "likelihood_before": likelihood_before,
        "impact_before": impact_before,
        "likelihood_after": likelihood_after,
        "impact_after": impact_after,
    }
    _check_scores(scores)
    old = model_values(risk)
    for name, value in scores.items():
        setattr(risk, name, value)
    risk.review_on = review_on
    stamp(risk, actor)
    risk.full_clean()
    risk.save()
    _rating(risk, actor, rated_on or timezone.localdate(), note.strip())
    before, after = changed_values(old, model_values(risk))
    audit_record(
        actor=actor,
        action=GovernanceAudit.RISK_RESCORE,
        obj=risk,
        old=before,
        new=after,
        detail=note.strip()[:200],
    )
    return risk


@dataclass
class RiskReminderReport:
    sent: list[str] = field(default_factory=list)


def risks_send_review_reminders(
    *,
    actor: Actor = SystemActor.SCHEDULE,
    today: dt.date | None = None,
    days: int = REVIEW_SOON_DAYS,
) -> RiskReminderReport:
    """Email each owner the open risks whose review is due within ``days`` (or overdue)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    due = (
        Risk.objects.live()
        .filter(status=Risk.Status.OPEN, review_on__lte=horizon)
        .select_related("owner")
        .order_by("review_on", "title")
    )
    by_owner: dict[int, tuple[User, list[Risk]]] = {}
    for risk in due:
        if risk.owner.is_active and risk.owner.email:
            by_owner.setdefault(risk.owner.pk, (risk.owner, []))[1].append(risk)
    report = RiskReminderReport()
    for owner, risks in by_owner.values():
        lines = [
            f"- {r.title}: review {'was due' if r.review_on < today else 'due'} "
            f"{r.review_on:%d %B %Y} (rated {r.score_after}, {r.band_after})"
            for r in risks
        ]
        send_mail(
            subject=f"Risk reviews due: {len(risks)}",
            message="These risks you own are due for review:\n\n" + "\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[owner.email],
        )
        audit_record(
            actor=actor,
            action=GovernanceAudit.RISK_REMINDER,
            object_type="accounts.User",
            object_id=owner.pk,
            detail=f"{len(risks)} risks due for review",
        )
        report.sent.append(owner.get_username())
    return report


RISK_FIELDS = (
    "title",
    "cause",
    "consequence",
    "owner",
    "existing_controls",
    "priority",
    "status",
)


@transaction.atomic
def risk_edit(
    *, actor: Actor, risk: Risk, actions: Iterable[Action] | None = None, **fields: object
) -> Risk:
    """Change what a risk is and who owns it (its scores change only by a review)."""
    from saferhub.core.services import model_update

    if "status" in fields and fields["status"] not in Risk.Status.values:
        raise ValidationError({"status": "Choose open or closed."})

    def link(r: Risk) -> None:
        if actions is None:
            return
        before = sorted(a.reference for a in r.actions.all())
        r.actions.set(list(actions))
        after = sorted(a.reference for a in r.actions.all())
        if before != after:
            audit_record(
                actor=actor,
                action=GovernanceAudit.RISK_EDIT,
                obj=r,
                old={"actions": before},
                new={"actions": after},
            )

    model_update(
        actor=actor,
        instance=risk,
        fields={k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
        allowed=RISK_FIELDS,
        action=GovernanceAudit.RISK_EDIT,
        after_save=link,
    )
    return risk
