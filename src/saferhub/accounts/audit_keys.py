"""The audit chain's keys: HMAC-SHA256 with a key from the environment (record 0012).

``SAFERHUB_AUDIT_KEY`` is ``<key id>:<secret>``: new events are chained with it and
store its id. ``SAFERHUB_AUDIT_OLD_KEYS`` lists earlier keys the same way, comma
separated, so that events chained before a rotation still verify. Events stored before
keys existed have an empty key id and a plain SHA-256 hash: they verify as the legacy
prefix of the chain, and only before the first keyed event.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY = ""


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes


def parse_key(text: str, *, name: str) -> AuditKey:
    key_id, sep, secret = text.strip().partition(":")
    if not sep or not key_id or len(key_id) > 40 or len(secret) < 32:
        raise ImproperlyConfigured(
            f"{name} must be '<key id>:<secret>', the id at most 40 characters and the "
            "secret at least 32 characters."
        )
    return AuditKey(key_id, secret.encode())


def current_key() -> AuditKey:
    return parse_key(settings.SAFERHUB_AUDIT_KEY, name="SAFERHUB_AUDIT_KEY")


def known_keys() -> dict[str, AuditKey]:
    """Every key that verifies events: the current one and the old ones, by id."""
    keys = {}
    for text in (settings.SAFERHUB_AUDIT_OLD_KEYS or "").split(","):
        if text.strip():
            key = parse_key(text, name="SAFERHUB_AUDIT_OLD_KEYS")
            keys[key.key_id] = key
    key = current_key()
    keys[key.key_id] = key
    return keys


def chain_digest(previous_hash: str, payload: str, key: AuditKey | None) -> str:
    """The event's hash: HMAC-SHA256 over the previous hash, the key id and the fields;
    plain SHA-256 for a legacy event (``key`` None)."""
    if key is None:
        return hashlib.sha256((previous_hash + payload).encode()).hexdigest()
    message = f"{previous_hash}|{key.key_id}|{payload}".encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def sign(text: str, key: AuditKey) -> str:
    return hmac.new(key.secret, text.encode(), hashlib.sha256).hexdigest()
