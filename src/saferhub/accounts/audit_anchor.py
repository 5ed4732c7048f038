"""The audit chain's head anchored outside the database (decision record 0012).

``audit_anchor()`` appends one line to ``SAFERHUB_AUDIT_ANCHOR_FILE``: the newest
event's sequence and hash, the time, the key id and an HMAC signature over them. The
file is opened for appending only; keep it where the database's administrators cannot
rewrite it (another machine, write-once storage, a remote log). ``anchors_verify()``
checks every signature and that each anchored event is still in the log with the same
hash, so removing the newest events, or rewriting the chain, shows up at the first
anchor after the change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from saferhub.accounts.audit_keys import current_key, known_keys, sign
from saferhub.accounts.models import AuditEvent


def anchor_path() -> Path:
    return Path(settings.SAFERHUB_AUDIT_ANCHOR_FILE)


def _signed_text(record: dict[str, Any]) -> str:
    return f"{record['sequence']}|{record['hash']}|{record['anchored_at']}|{record['key_id']}"


def audit_anchor() -> dict[str, Any] | None:
    """Append the signed head of the chain to the anchor file; None for an empty log."""
    newest = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
    if newest is None:
        return None
    key = current_key()
    record: dict[str, Any] = {
        "sequence": newest.sequence,
        "hash": newest.hash,
        "anchored_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "key_id": key.key_id,
    }
    record["signature"] = sign(_signed_text(record), key)
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return record


@dataclass(frozen=True)
class AnchorReport:
    checked: int
    problem: str  # "" when every anchor holds

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        if not self.checked and self.ok:
            return "No anchors yet (run 'saferhub audit anchor', or Celery beat does)."
        if self.ok:
            return f"Anchors intact: {self.checked} signed heads match the log."
        return f"Anchor check failed: {self.problem}"


def anchors_verify(*, latest: int | None = None) -> AnchorReport:
    """Check the anchor file's signatures and that each anchored event is unchanged.

    ``latest`` checks only that many of the newest anchors (all by default).
    """
    path = anchor_path()
    if not path.exists():
        return AnchorReport(0, "")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if latest is not None:
        lines = lines[-latest:]
    keys = known_keys()
    for n, line in enumerate(lines, start=1):
        problem = _anchor_problem(line, keys)
        if problem:
            return AnchorReport(n - 1, f"anchor {n} of {len(lines)}: {problem}")
    return AnchorReport(len(lines), "")


def _anchor_problem(line: str, keys: dict[str, Any]) -> str:
    try:
        record = json.loads(line)
        signed = _signed_text(record)
    except (ValueError, KeyError, TypeError):
        return "not a valid anchor line"
    key = keys.get(record["key_id"])
    if key is None:
        return f"signed with key {record['key_id']!r}, which is not configured"
    if sign(signed, key) != record.get("signature"):
        return "the signature does not match (the anchor file was edited)"
    event = AuditEvent.objects.filter(sequence=record["sequence"]).only("hash").first()
    if event is None:
        return (
            f"event {record['sequence']} (anchored at {record['anchored_at']}) is no longer "
            "in the log: events were removed"
        )
    if event.hash != record["hash"]:
        return (
            f"event {record['sequence']} has another hash than when it was anchored at "
            f"{record['anchored_at']}: the chain was rewritten"
        )
    return ""
