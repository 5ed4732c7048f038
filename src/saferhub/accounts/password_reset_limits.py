"""Password-reset emails, limited per address, per account and per client address.

The public "forgotten your password" form answers the same whatever happens, so a
limit never tells anyone whether an address has an account. Requests are counted in
``PasswordResetSent`` (the address only as a keyed digest); one over the limit sends
nothing and is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from saferhub.accounts.audit import audit_record
from saferhub.accounts.audit_actions import SignInAction
from saferhub.accounts.models import PasswordResetSent


def email_digest(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email).casefold().strip()
    key = f"saferhub.password-reset:{settings.SECRET_KEY}".encode()
    return hmac.new(key, folded.encode(), hashlib.sha256).hexdigest()


def allowed_users(*, email: str, users: list[Any], request: HttpRequest | None) -> list[Any]:
    """The users who may be sent a reset link now; records the request either way."""
    from saferhub.accounts.middleware import client_ip

    now = timezone.now()
    since = now - dt.timedelta(hours=1)
    per_hour = int(settings.SAFERHUB_PASSWORD_RESETS_PER_HOUR)
    per_client = int(settings.SAFERHUB_PASSWORD_RESETS_PER_CLIENT_HOUR)
    digest = email_digest(email)
    source = (client_ip(request) if request is not None else None) or ""
    recent = PasswordResetSent.objects.filter(sent_at__gte=since)
    client_full = bool(source) and recent.filter(source_address=source).count() >= per_client
    address_full = recent.filter(email_digest=digest, sent=True).count() >= per_hour
    allowed: list[Any] = []
    for user in users:
        account_full = recent.filter(user=user, sent=True).count() >= per_hour
        ok = not (client_full or address_full or account_full)
        PasswordResetSent.objects.create(
            sent_at=now, email_digest=digest, user=user, source_address=source, sent=ok
        )
        if ok:
            allowed.append(user)
        else:
            why = "client address" if client_full else "address" if address_full else "account"
            audit_record(
                actor=user,
                action=SignInAction.PASSWORD_RESET_LIMITED,
                obj=user,
                detail=f"limit per {why} reached ({per_client if client_full else per_hour}/h)",
            )
    if not users:
        PasswordResetSent.objects.create(
            sent_at=now, email_digest=digest, user=None, source_address=source, sent=False
        )
    return allowed
