"""Sign-in: success, a wrong password, lockout, a disabled account; each audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saferhub.accounts.models import AuditEvent

PASSWORD = "a-Long-test-password-1"
LOGIN = "/accounts/login/"


def _actions(username: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor_username=username)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_login_page_is_open_and_has_labelled_fields(client: Any) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_username">' in html
    assert '<label class="govuk-label" for="id_password">' in html
    assert "Forgotten your password?" in html


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=/")


@pytest.mark.django_db
def test_login_success_is_audited_and_lands_on_home(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    response = client.post(LOGIN, {"username": "board", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    event = AuditEvent.objects.filter(action="auth.login").get()
    assert event.actor_username == "board"
    assert event.agency_code == "derby-city-council"
    assert event.source_address == "127.0.0.1"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, " in home.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_error_summary_and_audit_event(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    response = client.post(LOGIN, {"username": "board", "password": "wrong-password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert "Enter a correct username and password. Both are case-sensitive." in html
    assert "auth.login_failed" in _actions("board")
    assert "auth.login" not in _actions("board")


@pytest.mark.django_db
def test_empty_form_names_each_missing_field(client: Any) -> None:
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert html.count('href="#id_username"') == 1
    assert html.count('href="#id_password"') == 1
    assert 'class="govuk-form-group govuk-form-group--error"' in html


@pytest.mark.django_db
def test_repeated_failures_make_the_next_sign_in_wait(
    client: Any, make_user: Any, settings: Any
) -> None:
    make_user("viewer", username="board")
    limit = settings.SAFERHUB_LOGIN_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        response = client.post(LOGIN, {"username": "board", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "board", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Wait before you try again" in html
    assert "Wait 30 seconds" in html
    assert "Traceback" not in html
    assert _actions("board").count("auth.sign_in_delay_started") == 1
    # Even the right password is refused while the wait runs, with the same message.
    response = client.post(LOGIN, {"username": "board", "password": PASSWORD})
    assert response.status_code == 429
    assert "Wait before you try again" in response.content.decode()
    assert "auth.login" not in _actions("board")


@pytest.mark.django_db
def test_success_before_the_limit_resets_the_count(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    for _ in range(3):
        client.post(LOGIN, {"username": "board", "password": "wrong"})
    assert client.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(3):
        response = client.post(LOGIN, {"username": "board", "password": "wrong"})
    assert response.status_code == 200  # 3 + 3 failures, but the success reset the count


@pytest.mark.django_db
def test_disabled_account_gets_a_clear_message(client: Any, make_user: Any) -> None:
    from saferhub.accounts.services import user_set_active

    user = make_user("viewer", username="board")
    user_set_active(actor="admin", user=user, active=False)
    assert "user.active" in list(AuditEvent.objects.values_list("action", flat=True))
    response = client.post(LOGIN, {"username": "board", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    # Django's ModelBackend refuses inactive users before the form can tell them apart,
    # so the form must say so itself: see LoginForm.
    assert "This account has been disabled" in html
    # ...but only to someone who knows the password: otherwise the usual message.
    response = client.post(LOGIN, {"username": "board", "password": "wrong-password"})
    html = response.content.decode()
    assert "This account has been disabled" not in html
    assert "Enter a correct username and password" in html
    assert "auth.login_failed" in _actions("board")
    assert "auth.login" not in _actions("board")


@pytest.mark.django_db
def test_logout_is_a_post_and_is_audited(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    client.post(LOGIN, {"username": "board", "password": PASSWORD})
    assert client.get(reverse("accounts:logout")).status_code == 405  # never by a link
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _actions("board")[-1] == "auth.logout"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_is_audited_and_locked(
    client: Any, make_user: Any, settings: Any
) -> None:
    """One person's wrong passwords through the proxy must not lock out everyone else."""
    settings.SAFERHUB_PROXY_COUNT = 1
    make_user("viewer", username="board")
    make_user("viewer", username="lead")
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
    colleague = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for i in range(5):
        client.post(LOGIN, {"username": f"nobody{i}", "password": "x"}, **attacker)
    event = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert event is not None and event.source_address == "203.0.113.9"
    locked = client.post(LOGIN, {"username": "board", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429  # that address is locked...
    ok = client.post(LOGIN, {"username": "lead", "password": PASSWORD}, **colleague)
    assert ok.status_code == 302  # ...but not everyone behind the proxy
    assert AuditEvent.objects.get(action="auth.login").source_address == "198.51.100.7"


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_header_is_ignored(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    client.post(
        LOGIN,
        {"username": "board", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AuditEvent.objects.get(action="auth.login").source_address == "127.0.0.1"
