"""The audit log: one function writes every event; one verifies the chain.

Services call :func:`audit_record` for every change of a record and every view of a
personal record. The request's source address is taken from the request context set by
:class:`saferhub.accounts.middleware.RequestContextMiddleware`, so services need not be
handed the request.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from saferhub.accounts.audit_keys import LEGACY, AuditKey, chain_digest, current_key, known_keys
from saferhub.accounts.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
current_source_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "saferhub_source_address", default=None
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _digest(previous_hash: str, fields: dict[str, Any], key: AuditKey | None) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return chain_digest(previous_hash, payload, key)


def _chained_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_username": event.actor_username,
        "agency_code": event.agency_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "source_address": event.source_address or "",
        "old_values": event.old_values,
        "new_values": event.new_values,
        "detail": event.detail,
    }


def model_values(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A record's field values, for the old/new values of an audit event."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def changed_values(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    detail: str = "",
    source_address: str | None = None,
) -> AuditEvent:
    """Append one event to the chained audit log (in its own atomic block)."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    authenticated = getattr(actor, "is_authenticated", False)
    agency = getattr(actor, "agency", None) if authenticated else None
    key = current_key()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor if authenticated else None,
            actor_username=(actor.get_username() if authenticated else str(actor or "anonymous"))[
                :150
            ],
            agency_code=agency.code if agency else "",
            action=action[:60],
            object_type=str(object_type)[:100],
            object_id=str(object_id)[:64],
            source_address=source_address or current_source_address.get(),
            old_values=_jsonable(old or {}),
            new_values=_jsonable(new or {}),
            detail=detail[:500],
            previous_hash=head.last_hash,
            key_id=key.key_id,
        )
        event.hash = _digest(head.last_hash, _chained_fields(event), key)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_sequence: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_bad_sequence is None

    @property
    def message(self) -> str:
        if self.ok:
            return f"Audit chain intact: {self.checked} events checked."
        return (
            f"Audit chain broken at event {self.first_bad_sequence}: {self.reason} "
            f"({self.checked} events were intact before it)."
        )


def audit_verify_chain(
    batch_size: int = 5000, on_progress: Callable[[int, int], None] | None = None
) -> ChainReport:
    """Recompute every hash in order; report the first event that breaks the chain.

    ``on_progress(checked, total)`` is called after each batch (a job's progress).
    """
    previous = GENESIS
    checked = 0
    keys = known_keys()
    keyed_seen = False
    total = AuditEvent.objects.count() if on_progress else 0
    for event in _in_order(batch_size):
        if on_progress and checked and checked % batch_size == 0:
            on_progress(checked, total)
        problem = _event_problem(event, previous, keys, keyed_seen)
        if problem:
            return ChainReport(checked, event.sequence, problem)
        keyed_seen = keyed_seen or event.key_id != LEGACY
        previous = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and checked and head.last_hash != previous:
        return ChainReport(checked, -1, "the newest events were removed")
    return ChainReport(checked, None, "intact")


def _event_problem(
    event: AuditEvent, previous: str, keys: dict[str, AuditKey], keyed_seen: bool
) -> str:
    """Why this event breaks the chain, or "" when it holds."""
    if event.previous_hash != previous:
        return "previous hash does not match (a row was removed)"
    if event.key_id == LEGACY:
        if keyed_seen:
            return "an unkeyed event after keyed ones (a row was rewritten without the key)"
        key = None
    elif event.key_id in keys:
        key = keys[event.key_id]
    else:
        return f"chained with key {event.key_id!r}, which is not configured"
    if _digest(previous, _chained_fields(event), key) != event.hash:
        return "hash does not match the row (a row was changed)"
    return ""


def _in_order(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence
