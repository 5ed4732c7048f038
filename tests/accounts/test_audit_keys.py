"""The keyed audit chain and its anchors (issue 12, item 5).

The probe deleted the newest events and moved the head, and rewrote an event and
recomputed the (unkeyed) chain: both passed ``audit verify``. Now the chain is an HMAC
with a key from the environment, and signed heads are appended to a file outside the
database, so both are detected; key rotation keeps older events verifiable.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from saferhub.accounts.audit import _chained_fields, _digest, audit_record, audit_verify_chain
from saferhub.accounts.audit_anchor import anchor_path, anchors_verify, audit_anchor
from saferhub.accounts.audit_keys import current_key
from saferhub.accounts.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db

KEY_A = "2026-a:" + "a" * 40
KEY_B = "2026-b:" + "b" * 40


def _append(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor="tester", action="test.event", object_id=i, detail=f"event {i}")
        for i in range(n)
    ]


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _rewrite(sequence: int, *, detail: str, key_id: str | None = None) -> None:
    """What someone with the database but not the key can do: change an event and
    recompute every hash after it with plain SHA-256, moving the head."""
    events = list(AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"))
    previous = events[0].previous_hash
    with connection.cursor() as cursor:
        for event in events:
            if event.sequence == sequence:
                event.detail = detail
            fields = _chained_fields(event)
            new_hash = _digest(previous, fields, None)
            cursor.execute(
                "UPDATE accounts_auditevent SET detail = %s, previous_hash = %s, hash = %s,"
                " key_id = %s WHERE sequence = %s",
                [
                    event.detail,
                    previous,
                    new_hash,
                    event.key_id if key_id is None else key_id,
                    event.sequence,
                ],
            )
            previous = new_hash
        cursor.execute("UPDATE accounts_auditchainhead SET last_hash = %s", [previous])


def test_events_are_chained_with_the_keyed_hmac(settings: Any) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    event = _append(1)[0]
    assert event.key_id == "2026-a"
    assert event.hash != _digest(event.previous_hash, _chained_fields(event), None)
    assert audit_verify_chain().ok


def test_a_rewrite_with_the_chain_recomputed_without_the_key_is_detected(settings: Any) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    events = _append(5)
    _rewrite(events[2].sequence, detail="nothing happened")
    report = audit_verify_chain()
    assert report.first_bad_sequence == events[2].sequence
    assert "hash does not match" in report.reason
    with pytest.raises(CommandError, match="broken at event"):
        _verify()


def test_a_rewrite_passed_off_as_legacy_events_is_detected(settings: Any) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    events = _append(5)
    _rewrite(events[3].sequence, detail="nothing happened", key_id="")
    report = audit_verify_chain()
    assert report.first_bad_sequence == events[3].sequence
    assert "unkeyed event after keyed ones" in report.reason


def test_deleting_the_newest_events_and_moving_the_head_is_caught_by_the_anchor(
    settings: Any,
) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    events = _append(5)
    audit_anchor()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE sequence >= %s", [events[3].sequence])
        cursor.execute("UPDATE accounts_auditchainhead SET last_hash = %s", [events[2].hash])
    assert audit_verify_chain().ok  # the chain alone is consistent: only the anchor knows
    anchors = anchors_verify()
    assert not anchors.ok and "no longer in the log" in anchors.problem
    with pytest.raises(CommandError, match="events were removed"):
        _verify()


def test_a_rewrite_recomputed_with_the_key_is_still_caught_by_the_anchor(settings: Any) -> None:
    """Even someone holding the key cannot rewrite an anchored event unnoticed."""
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    events = _append(3)
    audit_anchor()
    key = current_key()
    event = events[2]
    event.detail = "changed"
    new_hash = _digest(event.previous_hash, _chained_fields(event), key)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditevent SET detail = %s, hash = %s WHERE sequence = %s",
            ["changed", new_hash, event.sequence],
        )
    AuditChainHead.objects.update(last_hash=new_hash)
    assert audit_verify_chain().ok
    assert "the chain was rewritten" in anchors_verify().problem


def test_anchors_are_appended_and_signed(settings: Any) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    _append(2)
    out = io.StringIO()
    call_command("audit", "anchor", stdout=out)
    assert "Anchored event" in out.getvalue()
    _append(1)
    audit_anchor()
    lines = anchor_path().read_text().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["sequence"] == AuditEvent.objects.latest("sequence").sequence
    assert "Anchors intact: 2 signed heads" in _verify()
    forged = json.loads(lines[1]) | {"hash": "f" * 64}
    anchor_path().write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    assert "signature does not match" in anchors_verify().problem


def test_key_rotation_keeps_older_events_verifiable(settings: Any) -> None:
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    _append(3)
    settings.SAFERHUB_AUDIT_KEY = KEY_B
    settings.SAFERHUB_AUDIT_OLD_KEYS = KEY_A
    out = io.StringIO()
    call_command("audit", "rotate", stdout=out)
    assert "Now chaining with key 2026-b" in out.getvalue()
    _append(2)
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"2026-a", "2026-b"}
    assert AuditEvent.objects.filter(action="audit.key_rotated", key_id="2026-b").exists()
    assert "Audit chain intact" in _verify()
    settings.SAFERHUB_AUDIT_OLD_KEYS = ""  # the old key lost: say so, do not pass
    report = audit_verify_chain()
    assert not report.ok and "'2026-a', which is not configured" in report.reason


def test_existing_unkeyed_events_verify_as_the_legacy_prefix(settings: Any) -> None:
    """Events stored before keys existed (key id empty, plain SHA-256) still verify,
    and keyed events follow them."""
    settings.SAFERHUB_AUDIT_KEY = KEY_A
    first = _append(3)
    _rewrite(first[0].sequence, detail="event 0", key_id="")  # as the old code chained them
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {""}
    assert audit_verify_chain().ok
    _append(2)
    assert audit_verify_chain().ok and audit_verify_chain().checked == 5
