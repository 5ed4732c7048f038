"""Writes for priorities and objectives; every change audited with old and new values."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.audit import audit_record, model_values
from saferhub.core.services import model_update, stamp
from saferhub.performance.models import Objective, Priority

PRIORITY_FIELDS = [
    "title",
    "theme",
    "aim",
    "matters_because",
    "hope_together",
    "together_we_will",
    "plan_period",
    "order",
    "reason",
]


@transaction.atomic
def priority_create(*, actor: Any, title: str, **fields: Any) -> Priority:
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown priority fields: {', '.join(sorted(unknown))}")
    priority = Priority(title=title, **fields)
    stamp(priority, actor)
    priority.full_clean()
    priority.save()
    audit_record(actor=actor, action="priority.create", obj=priority, new=model_values(priority))
    return priority


@transaction.atomic
def priority_update(*, actor: Any, priority: Priority, **fields: Any) -> Priority:
    model_update(
        actor=actor,
        instance=priority,
        fields=fields,
        allowed=PRIORITY_FIELDS,
        action="priority.update",
        audit_unchanged=True,
    )
    return priority


@transaction.atomic
def priority_archive(*, actor: Any, priority: Priority) -> Priority:
    priority.archived_at = timezone.now()
    stamp(priority, actor)
    priority.save(update_fields=["archived_at", "modified_by", "modified_at"])
    audit_record(actor=actor, action="priority.archive", obj=priority)
    return priority


@transaction.atomic
def priorities_create_from_recommendations(
    *, actor: Any, recommendations: list[dict[str, Any]]
) -> list[Priority]:
    """One priority per recommendation of the Strategic Assessment, in one step.

    Each recommendation is ``{"theme": ..., "title": ..., "reason": ...}``; its
    reason becomes the "It matters because" evidence. A recommendation whose
    theme already has a live priority is not duplicated (running it twice
    changes nothing).
    """
    created: list[Priority] = []
    start = (Priority.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for index, rec in enumerate(recommendations):
        title = str(rec.get("title") or "").strip()
        theme = str(rec.get("theme") or "").strip()
        reason = str(rec.get("reason") or "").strip()
        if not title:
            raise ValidationError({"recommendations": f"Recommendation {index + 1} has no title."})
        existing = Priority.objects.live()
        if (theme and existing.filter(theme=theme).exists()) or (
            not theme and existing.filter(title=title).exists()
        ):
            continue
        created.append(
            priority_create(
                actor=actor,
                title=title,
                theme=theme,
                reason=reason,
                matters_because=reason,
                order=start + len(created),
            )
        )
    audit_record(
        actor=actor,
        action="priority.from_assessment",
        detail=f"{len(created)} of {len(recommendations)} recommendations became priorities",
    )
    return created


@transaction.atomic
def objective_create(*, actor: Any, priority: Priority, title: str, order: int = 0) -> Objective:
    objective = Objective(priority=priority, title=title, order=order)
    stamp(objective, actor)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="objective.create", obj=objective, new=model_values(objective))
    return objective


@transaction.atomic
def priority_set_objectives(
    *, actor: Any, priority: Priority, titles: list[str]
) -> list[Objective]:
    """Make the priority's live objectives exactly ``titles``, in that order.

    An objective no longer listed is archived (never deleted: indicators may refer to it).
    """
    wanted = [t.strip() for t in titles if t.strip()]
    live = {o.title: o for o in priority.objectives.live()}
    result = []
    for order, title in enumerate(wanted, start=1):
        objective = live.pop(title, None)
        if objective is None:
            objective = objective_create(actor=actor, priority=priority, title=title, order=order)
        elif objective.order != order:
            objective.order = order
            stamp(objective, actor)
            objective.save(update_fields=["order", "modified_by", "modified_at"])
        result.append(objective)
    for objective in live.values():
        objective.archived_at = timezone.now()
        stamp(objective, actor)
        objective.save(update_fields=["archived_at", "modified_by", "modified_at"])
        audit_record(actor=actor, action="objective.archive", obj=objective)
    return result
