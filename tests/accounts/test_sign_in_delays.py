"""Sign-in delays (slow, never lock out), the known-browser path, reset-email limits,
equal work for every refusal, and the production check of the proxy count."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.utils import timezone

from saferhub.accounts.checks import check_sign_in_deploy, check_sign_in_settings
from saferhub.accounts.models import AuditEvent, PasswordResetSent, SignInDelay
from saferhub.accounts.selectors import failed_sign_ins, locked_usernames
from saferhub.accounts.sign_in_delays import KNOWN_BROWSER_COOKIE, delay_after

PASSWORD = "a-Long-test-password-1"
LOGIN = "/accounts/login/"
RESET = "/accounts/password-reset/"


def _wrong(client: Any, username: str = "board", **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)


def _time_passes() -> None:
    """The waits end (as if their time had gone by)."""
    SignInDelay.objects.update(wait_until=timezone.now() - dt.timedelta(seconds=1))


def test_the_delay_doubles_from_the_first_to_the_limit(settings: Any) -> None:
    settings.SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS = 30
    settings.SAFERHUB_SIGNIN_MAX_DELAY_SECONDS = 900
    waits = [delay_after(n, free=5) for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert delay_after(10_000, free=5) == 900  # no overflow, never more than the limit


@pytest.mark.django_db
def test_each_failure_after_the_wait_lengthens_it_and_the_account_is_never_locked(
    client: Any, make_user: Any
) -> None:
    make_user("viewer", username="board")
    for _ in range(4):
        assert _wrong(client).status_code == 200
    seen = []
    for _ in range(3):
        response = _wrong(client)
        assert response.status_code == 429
        seen.append(int(response["Retry-After"]))
        # During the wait nothing is checked: even the right password is refused...
        assert client.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 429
        _time_passes()
    assert seen == [30, 60, 120]
    assert "board" not in locked_usernames()  # the wait is over...
    # ...and the right password works again: slowed, never locked out.
    assert client.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 302
    assert not SignInDelay.objects.filter(kind="username", key="board").exists()


@pytest.mark.django_db
def test_the_wait_page_says_how_long_and_offers_the_reset_link(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    for _ in range(5):
        response = _wrong(client)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Wait 30 seconds, then sign in again" in html
    assert "your account is not locked" in html
    assert 'href="/accounts/password-reset/"' in html
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("auth.login_failed") == 5
    assert actions.count("auth.sign_in_delay_started") == 1


@pytest.mark.django_db
def test_a_known_browser_is_not_slowed_by_someone_elses_failures(make_user: Any) -> None:
    make_user("viewer", username="board")
    owner, attacker = Client(), Client()
    assert owner.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 302
    assert KNOWN_BROWSER_COOKIE in owner.cookies
    owner.post("/accounts/logout/")

    for _ in range(8):
        _wrong(attacker)
    assert "board" in locked_usernames()
    assert attacker.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 429
    # The owner's browser signed in as board before: counted apart, not slowed.
    assert owner.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 302
    # A known browser's own wrong passwords still slow it, on its own count.
    owner.post("/accounts/logout/")
    for _ in range(5):
        response = _wrong(owner)
    assert response.status_code == 429
    assert SignInDelay.objects.filter(kind="device", failures=5).exists()


@pytest.mark.django_db
def test_a_forged_or_other_users_browser_cookie_is_no_way_round(make_user: Any) -> None:
    make_user("viewer", username="board")
    make_user("viewer", username="lead")
    lead = Client()
    assert lead.post(LOGIN, {"username": "lead", "password": PASSWORD}).status_code == 302
    lead.post("/accounts/logout/")
    attacker = Client()
    for _ in range(5):
        _wrong(attacker, REMOTE_ADDR="203.0.113.5")
    # lead's known-browser cookie does not help with board's user name...
    response = _wrong(lead, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    # ...and a made-up cookie is ignored.
    forged = Client()
    forged.cookies[KNOWN_BROWSER_COOKIE] = '{"u": "board", "b": "x"}'
    assert _wrong(forged, REMOTE_ADDR="198.51.100.2").status_code == 429


@pytest.mark.django_db
def test_the_password_reset_link_ends_the_wait(client: Any, make_user: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("viewer", username="board")
    for _ in range(6):
        _wrong(client, REMOTE_ADDR="203.0.113.5")
    assert "board" in locked_usernames()
    client.post(RESET, {"email": "board@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body)
    assert link
    page = client.get(link.group(1), follow=True)
    new = "a-brand-new-Password-42"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert "board" not in locked_usernames()
    assert "auth.sign_in_delay_cleared" in AuditEvent.objects.values_list("action", flat=True)
    response = client.post(
        LOGIN, {"username": "board", "password": new}, REMOTE_ADDR="198.51.100.1"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_one_users_own_typing_does_not_slow_their_office(make_user: Any) -> None:
    """The address count forgets a user's failures from it when they sign in from it."""
    make_user("viewer", username="board")
    make_user("viewer", username="lead")
    office = {"REMOTE_ADDR": "192.0.2.10"}
    a, b = Client(), Client()
    for _ in range(4):
        _wrong(a, **office)
    assert a.post(LOGIN, {"username": "board", "password": PASSWORD}, **office).status_code == 302
    for _ in range(4):
        assert _wrong(b, "lead", **office).status_code == 200  # 8 on the address, 4 forgiven
    assert SignInDelay.objects.get(kind="address", key="192.0.2.10").failures == 4


# ----------------------------------------------------------------------------- equal work


class CountingHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher, counting each time it derives a key."""

    algorithm = "pbkdf2_sha256"
    iterations = 1000
    calls: ClassVar[list[int]] = []

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        CountingHasher.calls.append(iterations or self.iterations)
        return super().encode(password, salt, iterations)


@pytest.mark.django_db
def test_every_refusal_and_success_runs_the_hasher_once(
    client: Any, make_user: Any, settings: Any
) -> None:
    """Unknown, inactive, wrong, waiting and right: the same hashing work for each, so the
    time taken tells nothing about the account (counted, not only timed)."""
    from saferhub.accounts.services import user_set_active

    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("viewer", username="board")
    make_user("viewer", username="gone")
    user_set_active(actor="admin", user=make_user("viewer", username="gone2"), active=False)
    from saferhub.accounts.models import User

    user_set_active(actor="admin", user=User.objects.get(username="gone"), active=False)
    make_user("viewer", username="slowed")
    for _ in range(5):
        _wrong(Client(), "slowed", REMOTE_ADDR="203.0.113.1")

    def work(username: str, password: str, address: str) -> tuple[int, list[int]]:
        CountingHasher.calls.clear()
        response = Client().post(
            LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
        )
        return response.status_code, list(CountingHasher.calls)

    outcomes = {
        "unknown": work("nobody", "wrong", "198.51.100.1"),
        "active, wrong": work("board", "wrong", "198.51.100.2"),
        "inactive, wrong": work("gone", "wrong", "198.51.100.3"),
        "inactive, right": work("gone2", PASSWORD, "198.51.100.4"),
        "waiting": work("slowed", PASSWORD, "198.51.100.5"),
        "right": work("board", PASSWORD, "198.51.100.6"),
    }
    assert outcomes["waiting"][0] == 429
    assert outcomes["right"][0] == 302
    for name, (_, calls) in outcomes.items():
        assert calls == [1000], f"{name}: {calls}"


# ----------------------------------------------------------------------------- reset limits


@pytest.mark.django_db
def test_reset_emails_are_limited_per_address_and_look_the_same(
    client: Any, make_user: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SAFERHUB_PASSWORD_RESETS_PER_HOUR = 3
    make_user("viewer", username="board")
    for _ in range(5):
        response = client.post(RESET, {"email": "BOARD@example.org"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 3
    assert PasswordResetSent.objects.filter(sent=True).count() == 3
    assert not PasswordResetSent.objects.filter(email_digest__contains="@").exists()
    limited = AuditEvent.objects.filter(action="auth.password_reset_limited")
    assert limited.count() == 2
    assert "per address" in (limited.first().detail or "")  # type: ignore[union-attr]
    # An hour later the limit is free again.
    PasswordResetSent.objects.update(sent_at=timezone.now() - dt.timedelta(hours=2))
    client.post(RESET, {"email": "board@example.org"})
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_reset_emails_are_limited_per_account(client: Any, make_user: Any, settings: Any) -> None:
    """An account found under a second address (a colleague's, shared) is still limited."""
    from saferhub.accounts.password_reset_limits import allowed_users

    settings.SAFERHUB_PASSWORD_RESETS_PER_HOUR = 2
    user = make_user("viewer", username="board")
    assert allowed_users(email="board@example.org", users=[user], request=None) == [user]
    assert allowed_users(email="desk@example.org", users=[user], request=None) == [user]
    assert allowed_users(email="other@example.org", users=[user], request=None) == []
    assert AuditEvent.objects.filter(
        action="auth.password_reset_limited", detail__contains="per account"
    ).exists()


@pytest.mark.django_db
def test_reset_emails_are_limited_per_client_address(
    client: Any, make_user: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SAFERHUB_PASSWORD_RESETS_PER_CLIENT_HOUR = 4
    for i in range(4):
        client.post(RESET, {"email": f"nobody{i}@example.org"}, REMOTE_ADDR="203.0.113.7")
    make_user("viewer", username="board")
    client.post(RESET, {"email": "board@example.org"}, REMOTE_ADDR="203.0.113.7")
    assert mail.outbox == []  # that client has asked too often
    client.post(RESET, {"email": "board@example.org"}, REMOTE_ADDR="198.51.100.7")
    assert len(mail.outbox) == 1


# ----------------------------------------------------------------------------- proxy check


def test_production_requires_the_proxy_count_to_be_set(settings: Any) -> None:
    settings.MODE = "production"
    settings.SAFERHUB_PROXY_COUNT_SET = False
    assert [e.id for e in check_sign_in_deploy()] == ["saferhub.E016"]
    settings.SAFERHUB_PROXY_COUNT_SET = True
    assert check_sign_in_deploy() == []
    settings.SAFERHUB_SIGNIN_DELAYS_ENABLED = False
    assert [e.id for e in check_sign_in_deploy()] == ["saferhub.E017"]
    settings.MODE = "embedded"
    assert check_sign_in_deploy() == []  # development needs no proxy setting


def test_a_proxy_count_out_of_range_is_an_error(settings: Any) -> None:
    settings.SAFERHUB_PROXY_COUNT = -1
    assert [e.id for e in check_sign_in_settings()] == ["saferhub.E014"]
    settings.SAFERHUB_PROXY_COUNT = 1
    settings.SAFERHUB_SIGNIN_MAX_DELAY_SECONDS = 1
    assert [e.id for e in check_sign_in_settings()] == ["saferhub.E015"]


@pytest.mark.django_db
def test_check_deploy_fails_when_the_proxy_count_is_unset(settings: Any) -> None:
    settings.MODE = "production"
    settings.SAFERHUB_PROXY_COUNT_SET = False
    with pytest.raises(SystemCheckError, match="SAFERHUB_PROXY_COUNT is not set"):
        call_command("check", "--deploy", "--tag", "security")


def test_failed_sign_ins_selector_counts_refused_attempts_too(db: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    client = Client()
    for _ in range(7):
        _wrong(client)
    assert failed_sign_ins("board") == 7  # 5 checked, 2 refused while waiting
