from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.access import scope_to_user
from saferhub.accounts.models import AuditEvent


def audit_events_for_user(*, user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    qs = scope_to_user(user, AuditEvent.objects.all(), perm="accounts.view_audit")
    if filters.get("actor"):
        qs = qs.filter(actor_username__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__icontains=filters["action"])
    if filters.get("object_type"):
        qs = qs.filter(object_type__icontains=filters["object_type"])
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__date__lte=filters["date_to"])
    return qs.order_by("-sequence")


AUDIT_COLUMNS = [
    "Sequence",
    "Time",
    "User",
    "Agency",
    "Action",
    "Record type",
    "Record id",
    "Source address",
    "Old values",
    "New values",
    "Detail",
    "Hash",
]


def audit_rows(qs: QuerySet[AuditEvent]) -> list[list[Any]]:
    return [
        [
            e.sequence,
            e.occurred_at.isoformat(),
            e.actor_username,
            e.agency_code,
            e.action,
            e.object_type,
            e.object_id,
            e.source_address or "",
            e.old_values,
            e.new_values,
            e.detail,
            e.hash,
        ]
        for e in qs.iterator()
    ]
