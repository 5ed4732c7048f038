"""The shared writes: stamping who made and changed a record, and ``model_update``."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import AuditEvent
from saferhub.core.services import actor_user, model_update, stamp
from saferhub.performance.models import Priority
from tests.performance.factories import make_priority

FIELDS = ["title", "aim"]


@pytest.mark.django_db
def test_stamp_sets_created_by_once_and_modified_by_always(make_user: Any) -> None:
    first, second = make_user("manager", "first"), make_user("manager", "second")
    record = Priority(title="Reduce arson", aim="Fewer fires.")
    stamp(record, first)
    record.save()
    assert (record.created_by, record.modified_by) == (first, first)
    stamp(record, second)
    assert (record.created_by, record.modified_by) == (first, second)
    stamp(record, SystemActor.IMPORT)
    assert (record.created_by, record.modified_by) == (first, None)
    assert actor_user(SystemActor.COMMAND_LINE) is None


@pytest.mark.django_db
def test_model_update_saves_only_its_fields_and_audits_old_and_new(make_user: Any) -> None:
    user = make_user("manager")
    priority = make_priority()
    # Someone else changes another field meanwhile: the update must not overwrite it.
    Priority.objects.filter(pk=priority.pk).update(reason="Set elsewhere.")
    before, after = model_update(
        actor=user,
        instance=priority,
        fields={"aim": "Far fewer violent offences."},
        allowed=FIELDS,
        action="priority.update",
    )
    assert before["aim"] == "Fewer violent offences." and "reason" not in before
    assert after["aim"] == "Far fewer violent offences." and after["modified_by_id"] == user.pk
    stored = Priority.objects.get(pk=priority.pk)
    assert (stored.aim, stored.reason, stored.modified_by) == (
        "Far fewer violent offences.",
        "Set elsewhere.",
        user,
    )
    event = AuditEvent.objects.filter(action="priority.update").latest("sequence")
    assert event.old_values["aim"] == "Fewer violent offences."
    assert event.new_values["aim"] == "Far fewer violent offences."


@pytest.mark.django_db
def test_model_update_refuses_unknown_fields_and_invalid_values() -> None:
    priority = make_priority()
    events = AuditEvent.objects.count()
    with pytest.raises(TypeError, match="Unknown priority fields: archived_at"):
        model_update(
            actor=SystemActor.TEST,
            instance=priority,
            fields={"archived_at": None},
            allowed=FIELDS,
            action="priority.update",
        )
    with pytest.raises(ValidationError) as refused:
        model_update(
            actor=SystemActor.TEST,
            instance=priority,
            fields={"title": ""},
            allowed=FIELDS,
            action="priority.update",
        )
    assert "title" in refused.value.message_dict
    assert Priority.objects.get(pk=priority.pk).title == "Reduce violence"
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_model_update_writes_no_event_when_nothing_changed() -> None:
    priority = make_priority()
    events = AuditEvent.objects.count()
    values = lambda p: {"title": p.title, "aim": p.aim}  # noqa: E731
    before, after = model_update(
        actor=SystemActor.TEST,
        instance=priority,
        fields={"title": priority.title},
        allowed=FIELDS,
        action="priority.update",
        values=values,
    )
    assert (before, after) == ({}, {})
    assert AuditEvent.objects.count() == events
