"""Sign-in delays: repeated wrong passwords slow the next attempt; they never lock out.

Failures are counted under the user name tried and under the client's address
(``client_ip``). The first ``SAFERHUB_LOGIN_FAILURE_LIMIT`` failures of a key cost
nothing; each one after that imposes a wait that doubles, from
``SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS`` up to ``SAFERHUB_SIGNIN_MAX_DELAY_SECONDS``.
An attempt during the wait is refused without checking the password (the hasher still
runs, so it takes as long as any other). Failures are forgotten after
``SAFERHUB_SIGNIN_FORGET_HOURS`` without one.

The real user's way through, without a CAPTCHA: a browser they have signed in from
before carries a signed "known browser" cookie; its attempts are counted under that
browser only, so other people's failures against their user name or their address do
not slow them. On a new browser, the password-reset email clears their user name's
count. See docs/decisions/0014-sign-in-delays-not-lockout.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from saferhub.accounts.models import SignInDelay

KNOWN_BROWSER_COOKIE = "saferhub_known_browser"
_SALT = "saferhub.accounts.known-browser"

Key = tuple[str, str]


def enabled() -> bool:
    return bool(getattr(settings, "SAFERHUB_SIGNIN_DELAYS_ENABLED", True))


def delay_after(failures: int, *, free: int) -> int:
    """Seconds to wait after the given number of failures of one key."""
    if failures < free:
        return 0
    first = int(settings.SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS)
    most = int(settings.SAFERHUB_SIGNIN_MAX_DELAY_SECONDS)
    return int(min(most, first * 2 ** min(failures - free, 32)))


def _free(kind: str) -> int:
    if kind == SignInDelay.Kind.ADDRESS:
        return int(settings.SAFERHUB_SIGNIN_ADDRESS_FREE_FAILURES)
    return int(settings.SAFERHUB_LOGIN_FAILURE_LIMIT)


def _forget_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=float(settings.SAFERHUB_SIGNIN_FORGET_HOURS))


# ----------------------------------------------------------------------------- known browser


def known_browser(request: HttpRequest | None, username: str) -> str | None:
    """The id of this browser when it signed in as ``username`` before, else None."""
    if request is None:
        return None
    raw = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not raw:
        return None
    max_age = int(settings.SAFERHUB_KNOWN_BROWSER_DAYS) * 86400
    try:
        value = signing.loads(raw, salt=_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != username:
        return None
    browser = value.get("b")
    return browser if isinstance(browser, str) and browser else None


def remember_browser(response: HttpResponse, request: HttpRequest, username: str) -> None:
    """After a successful sign-in: mark this browser as known for the user name."""
    browser = known_browser(request, username) or secrets.token_urlsafe(18)
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps({"u": username, "b": browser}, salt=_SALT),
        max_age=int(settings.SAFERHUB_KNOWN_BROWSER_DAYS) * 86400,
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Lax",
    )


# ----------------------------------------------------------------------------- counting


def keys_for(request: HttpRequest | None, username: str) -> list[Key]:
    """What an attempt is counted under: its known browser alone, or else the user name
    and the client's address."""
    from saferhub.accounts.middleware import client_ip

    browser = known_browser(request, username)
    if browser:
        return [(SignInDelay.Kind.DEVICE, browser)]
    keys: list[Key] = [(SignInDelay.Kind.USERNAME, username[:200])]
    address = client_ip(request) if request is not None else None
    if address:
        keys.append((SignInDelay.Kind.ADDRESS, address[:60]))
        keys.append((SignInDelay.Kind.PAIR, _pair(address, username)))
    return keys


def _pair(address: str, username: str) -> str:
    return f"{address[:60]} {username}"[:200]


def _rows(keys: list[Key]) -> list[SignInDelay]:
    rows: list[SignInDelay] = []
    for kind, key in keys:
        row = SignInDelay.objects.filter(kind=kind, key=key).first()
        if row is not None:
            rows.append(row)
    return rows


def wait_left(keys: list[Key]) -> int:
    """Seconds before an attempt under these keys is checked (0: at once)."""
    if not enabled():
        return 0
    now = timezone.now()
    waits = [
        (row.wait_until - now).total_seconds()
        for row in _rows(keys)
        if row.wait_until is not None and row.wait_until > now
    ]
    return int(max(waits) + 0.999) if waits else 0


@dataclass
class Failure:
    wait: int  # seconds before the next attempt is checked


@transaction.atomic
def record_failure(keys: list[Key]) -> Failure:
    """Count a wrong password under each key; return the wait it starts."""
    if not enabled():
        return Failure(0)
    now = timezone.now()
    longest = 0
    for kind, key in keys:
        row, _ = SignInDelay.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"last_failure_at": now}
        )
        if row.last_failure_at < _forget_before():
            row.failures, row.refused = 0, 0
        row.failures += 1
        row.last_failure_at = now
        wait = 0 if kind == SignInDelay.Kind.PAIR else delay_after(row.failures, free=_free(kind))
        row.wait_until = now + dt.timedelta(seconds=wait) if wait else None
        row.save()
        longest = max(longest, wait)
    return Failure(longest)


def record_refused(keys: list[Key]) -> None:
    """Count an attempt refused during a wait (it does not lengthen the wait)."""
    for kind, key in keys:
        SignInDelay.objects.filter(kind=kind, key=key).update(refused=F("refused") + 1)


@transaction.atomic
def record_success(keys: list[Key]) -> None:
    """A right password: forget the user name's (or browser's) failures, and take those
    made from this address off its count, so that the user's own typing slows nobody
    behind it (failures under the name from other addresses stay on theirs)."""
    address = next((key for kind, key in keys if kind == SignInDelay.Kind.ADDRESS), None)
    for kind, key in keys:
        if kind == SignInDelay.Kind.USERNAME:
            clear_username(key, only_address=address or "")
        elif kind == SignInDelay.Kind.DEVICE:
            SignInDelay.objects.filter(kind=kind, key=key).delete()


@transaction.atomic
def clear_username(username: str, *, only_address: str | None = None) -> int:
    """Forget the failed sign-ins under a user name, and take them off the count of each
    address they came from (or of ``only_address`` alone). Returns the records cleared."""
    pairs = SignInDelay.objects.select_for_update().filter(
        kind=SignInDelay.Kind.PAIR, key__endswith=f" {username}"
    )
    for pair in pairs:
        address, _, name = pair.key.partition(" ")
        if name != username or (only_address is not None and address != only_address):
            continue
        row = (
            SignInDelay.objects.select_for_update()
            .filter(kind=SignInDelay.Kind.ADDRESS, key=address)
            .first()
        )
        if row is not None:
            row.failures = max(0, row.failures - pair.failures)
            wait = delay_after(row.failures, free=_free(row.kind))
            row.wait_until = row.last_failure_at + dt.timedelta(seconds=wait) if wait else None
            row.save()
        pair.delete()
    deleted, _ = SignInDelay.objects.filter(
        kind=SignInDelay.Kind.USERNAME, key=username[:200]
    ).delete()
    return int(deleted)


# ----------------------------------------------------------------------------- reading


def delayed_usernames() -> set[str]:
    """User names whose next sign-in must wait now."""
    if not enabled():
        return set()
    return set(
        SignInDelay.objects.filter(
            kind=SignInDelay.Kind.USERNAME, wait_until__gt=timezone.now()
        ).values_list("key", flat=True)
    )


def failures_of(username: str) -> int:
    """Failed (and refused) sign-ins counted under this user name, not yet forgotten."""
    row = SignInDelay.objects.filter(
        kind=SignInDelay.Kind.USERNAME,
        key=username[:200],
        last_failure_at__gte=_forget_before(),
    ).first()
    return 0 if row is None else row.failures + row.refused


def describe_wait(seconds: int) -> str:
    """'30 seconds', '4 minutes': how the wait page says it."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minutes"


def attach(request: Any, wait: int) -> None:
    """Note on the request that its sign-in was slowed (read by the login view)."""
    request.saferhub_sign_in_wait = wait
