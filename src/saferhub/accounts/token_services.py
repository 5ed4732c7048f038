"""API tokens: issue, revoke, check. Every issue, revocation and attributable use is audited.

Rules (decision record 0010):

* a token is named and expires (at most ``SAFERHUB_API_TOKEN_MAX_DAYS`` days);
* for a role that needs two-factor authentication a token is issued only to a signed-in
  session that has passed the second factor, never by another token nor at the command
  line;
* the owner and administrators revoke it; a password change (by any route) and the
  account's deactivation revoke every token of the user;
* the audit log records the first use of each token on each day and every write made
  with it (``api_token.use``, naming the token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from saferhub.accounts.actors import Actor, SystemActor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.audit_actions import ApiTokenAction
from saferhub.accounts.models import ApiToken, User
from saferhub.accounts.roles import requires_2fa

KEY_PREFIX_LENGTH = 8
MANAGE_USERS = "accounts.manage_users"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def max_days() -> int:
    return int(getattr(settings, "SAFERHUB_API_TOKEN_MAX_DAYS", 90))


def key_digest(key: str) -> str:
    """SHA-256 of a key: keys are 256 random bits, so a fast hash is enough to store."""
    return hashlib.sha256(key.encode()).hexdigest()


def password_mark(user: User) -> str:
    """A keyed fingerprint of the user's password hash: it changes when the password does."""
    return user.get_session_auth_hash()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once; never stored


@transaction.atomic
def api_token_issue(
    *, actor: Actor, user: User, name: str, days: int, second_factor_verified: bool
) -> IssuedToken:
    """Issue a token to ``user``. ``second_factor_verified`` says whether the request that
    asks comes from a session that passed two-factor authentication."""
    if isinstance(actor, User) and actor.pk != user.pk:
        raise PermissionDenied("You can issue tokens only for yourself.")
    if not user.is_active:
        raise ValidationError("This account is deactivated.", code="inactive")
    if requires_2fa(user) and not (second_factor_verified and isinstance(actor, User)):
        raise ValidationError(
            "Your role needs two-factor authentication: issue a token from a signed-in "
            "session that has passed the second factor.",
            code="second_factor",
        )
    if not 1 <= days <= max_days():
        raise ValidationError({"days": f"A token lasts from 1 to {max_days()} days."}, code="days")
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=key[:KEY_PREFIX_LENGTH],
        key_hash=key_digest(key),
        password_mark=password_mark(user),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action=ApiTokenAction.ISSUE,
        obj=token,
        new={"user": user.username, "name": token.name, "expires_at": token.expires_at},
    )
    return IssuedToken(token=token, key=key)


def _may_revoke(actor: Actor, token: ApiToken) -> bool:
    if isinstance(actor, SystemActor):
        return True
    return actor.pk == token.user_id or actor.has_perm(MANAGE_USERS)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one token (its owner, an administrator, or the command line)."""
    if not _may_revoke(actor, token):
        raise PermissionDenied("You can revoke only your own tokens.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    if isinstance(actor, SystemActor):
        because = ApiToken.RevokedBecause.COMMAND_LINE
    elif actor.pk == token.user_id:
        because = ApiToken.RevokedBecause.OWNER
    else:
        because = ApiToken.RevokedBecause.ADMINISTRATOR
    return _revoke(actor=actor, token=token, because=because)


def _revoke(*, actor: Actor, token: ApiToken, because: str) -> ApiToken:
    token.revoked_at = timezone.now()
    token.revoked_because = because
    token.full_clean()
    token.save(update_fields=["revoked_at", "revoked_because"])
    audit_record(
        actor=actor,
        action=ApiTokenAction.REVOKE,
        obj=token,
        new={"user": token.user.username, "name": token.name, "because": because},
    )
    return token


@transaction.atomic
def api_tokens_revoke_all(*, actor: Actor, user: User, because: str) -> int:
    """Revoke every live token of ``user`` (deactivation, password change)."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _revoke(actor=actor, token=token, because=because)
    return len(tokens)


class TokenRefused(Exception):
    """The key names no live token; the message says why, without the key."""


def api_token_authenticate(*, key: str, method: str, path: str) -> ApiToken:
    """The live token with this key, its use audited as the rules say; or TokenRefused."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_digest(key)).first()
    if token is None:
        raise TokenRefused("Invalid token.")
    user = token.user
    now = timezone.now()
    if token.revoked_at is None and password_mark(user) != token.password_mark:
        _revoke(actor=user, token=token, because=ApiToken.RevokedBecause.PASSWORD)
    if not user.is_active:
        raise TokenRefused("Invalid token: the account is deactivated.")
    if token.revoked_at is not None:
        _refused(token, "revoked")
        raise TokenRefused("Invalid token: it was revoked.")
    if token.expires_at <= now:
        _refused(token, "expired")
        raise TokenRefused("Invalid token: it has expired.")
    _record_use(token, method=method, path=path, today=timezone.localdate(now))
    return token


def _refused(token: ApiToken, why: str) -> None:
    audit_record(actor=token.user, action=ApiTokenAction.REFUSED, obj=token, detail=why)


def _record_use(token: ApiToken, *, method: str, path: str, today: dt.date) -> None:
    first_today = token.last_used_on != today
    if first_today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    if first_today or method.upper() not in SAFE_METHODS:
        audit_record(
            actor=token.user,
            action=ApiTokenAction.USE,
            obj=token,
            detail=f"{method.upper()} {path}"[:500],
            new={"token": token.name, "first_use_today": first_today},
        )


def api_tokens_for_user(*, user: User, everyone: bool = False) -> QuerySet[ApiToken]:
    """The user's own tokens; with ``everyone``, every user's (administrators only)."""
    qs = ApiToken.objects.select_related("user")
    if everyone:
        if not user.has_perm(MANAGE_USERS):
            raise PermissionDenied("Only administrators see every user's tokens.")
        return qs.order_by("user__username", "-created_at")
    return qs.filter(user=user)


def api_token_get_for_user(*, user: User, id: int) -> ApiToken:
    """One token the user may see and revoke: their own, or any for an administrator."""
    token = ApiToken.objects.select_related("user").filter(pk=id).first()
    if token is None or not (token.user_id == user.pk or user.has_perm(MANAGE_USERS)):
        from django.http import Http404

        raise Http404("No such token.")
    return token


def api_token_status(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return token.get_revoked_because_display()
    if token.expires_at <= timezone.now():
        return "Expired"
    return "Active"
