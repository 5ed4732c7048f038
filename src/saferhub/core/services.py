"""Writes every app shares: who made and changed a record, and the audited update.

* :func:`stamp` sets ``created_by`` (on a record not yet saved) and ``modified_by``
  (always) from the actor: a user, or nobody when a system actor acted.
  ``created_at`` and ``modified_at`` are set by the database fields themselves
  (``auto_now_add``/``auto_now``), so stamping the people is all a service does.
* :func:`model_update` is "set the allowed fields, validate, save those fields, audit the
  old and new values" in one place, for every ``<thing>_update`` service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.accounts.models import User

M = TypeVar("M", bound=models.Model)


def actor_user(actor: Actor | None) -> User | None:
    """The user to store as ``created_by``/``modified_by``: None for a system actor."""
    return actor if isinstance(actor, User) and actor.pk else None


def stamp(record: models.Model, actor: Actor) -> None:
    """``created_by`` on a record not yet saved, and ``modified_by``, from ``actor``."""
    user = actor_user(actor)
    if record.pk is None:
        record.created_by = user  # type: ignore[attr-defined]
    record.modified_by = user  # type: ignore[attr-defined]


def model_update(
    *,
    actor: Actor,
    instance: M,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    action: StrEnum | str,
    clean: Callable[[M], object] | None = None,
    adjust: Callable[[M], object] | None = None,
    after_save: Callable[[M], object] | None = None,
    values: Callable[[M], dict[str, Any]] = model_values,
    audit_unchanged: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change ``fields`` of ``instance``: the one "set, validate, save, audit" of services.

    * a field not in ``allowed`` is a programming error: :class:`TypeError`, nothing saved;
    * ``adjust`` may change further fields that follow from the new values;
    * ``clean`` validates (default ``full_clean()``); a ``ValidationError`` leaves the
      database as it was (call inside the service's ``transaction.atomic``);
    * only the fields given and those that changed on the way (by ``adjust`` or ``clean``)
      are saved (``update_fields``, with ``modified_by`` and ``modified_at``), then ``after_save`` runs (many-to-many fields, follow-on records);
    * the audit event holds the old and the new value of each field that changed
      (``values`` says what is compared; default every concrete field). Nothing changed:
      no event, unless ``audit_unchanged``.

    Returns the (old, new) values that changed.
    """
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        noun = instance._meta.verbose_name
        raise TypeError(f"Unknown {noun} fields: {', '.join(sorted(unknown))}.")
    old = values(instance)
    stored = model_values(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    if adjust is not None:
        adjust(instance)
    stamp(instance, actor)
    if clean is None:
        instance.full_clean()
    else:
        clean(instance)
    now = model_values(instance)
    moved = [f.name for f in instance._meta.concrete_fields if stored[f.attname] != now[f.attname]]
    update_fields = {instance._meta.get_field(name).name for name in fields} | set(moved)
    instance.save(update_fields=sorted(update_fields | {"modified_by", "modified_at"}))
    if after_save is not None:
        after_save(instance)
    before, after = changed_values(old, values(instance))
    if after or audit_unchanged:
        audit_record(actor=actor, action=action, obj=instance, old=before, new=after)
    return before, after
