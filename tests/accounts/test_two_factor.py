"""TOTP two-factor: required for roles that may see personal data, not for others."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import AuditEvent

PASSWORD = "a-Long-test-password-1"
LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"


def _sign_in(client: Any, username: str) -> Any:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.django_db
def test_case_worker_is_sent_to_set_up_and_a_real_code_lets_them_in(
    client: Any, make_user: Any
) -> None:
    user = make_user("asb_officer", username="asb")
    response = _sign_in(client, "asb")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/"
    # Every other page sends them back to set-up until they have done it.
    assert client.get("/plan/")["Location"].startswith(SETUP)

    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set up two-factor authentication" in html
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown_key = re.search(r"<code data-totp-key>([A-Z2-7 ]+)</code>", html)
    assert shown_key is not None  # the key to type in, for people who cannot scan the code

    code = f"{totp(device.bin_key):06d}"
    response = client.post(f"{SETUP}?next=/plan/", {"token": code})
    assert response.status_code == 302
    assert response["Location"] == "/plan/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/plan/").status_code == 200
    assert AuditEvent.objects.filter(actor_username="asb", action="auth.2fa_setup").exists()


@pytest.mark.django_db
def test_wrong_code_gives_the_error_summary_and_an_audit_event(client: Any, make_user: Any) -> None:
    user = make_user("idva", username="idva")
    _sign_in(client, "idva")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set up two-factor" in html
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_token"' in html
    assert "The security code is wrong or has expired" in html
    assert AuditEvent.objects.filter(actor_username="idva", action="auth.2fa_failed").exists()
    assert client.get("/")["Location"].startswith(SETUP)  # still not in

    response = client.post(SETUP, {"token": "abcdef"})
    assert "The security code must contain only numbers" in response.content.decode()
    response = client.post(SETUP, {"token": ""})
    assert "Enter the 6-digit security code" in response.content.decode()


@pytest.mark.django_db
def test_next_sign_in_asks_for_the_code_of_the_confirmed_device(
    client: Any, make_user: Any, settings: Any
) -> None:
    # django-otp slows down guessing after a wrong code; switch that off to go on at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user("administrator", username="admin")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = _sign_in(client, "admin")
    assert response["Location"] == f"{VERIFY}?next=/"
    assert client.get(SETUP)["Location"] == "/accounts/two-factor/verify/"
    bad = client.post(VERIFY, {"token": f"{(totp(device.bin_key) + 7) % 1_000_000:06d}"})
    assert 'class="govuk-error-summary"' in bad.content.decode()
    response = client.post(
        f"{VERIFY}?next=/accounts/audit/", {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response["Location"] == "/accounts/audit/"
    assert client.get("/accounts/audit/").status_code == 200
    assert AuditEvent.objects.filter(actor_username="admin", action="auth.2fa_verified").exists()


@pytest.mark.django_db
def test_next_must_stay_on_this_site(client: Any, make_user: Any) -> None:
    user = make_user("administrator", username="admin")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, "admin")
    response = client.post(
        f"{VERIFY}?next=https://evil.example/", {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "lead_officer", "analyst", "manager"])
def test_roles_without_personal_data_are_not_asked(client: Any, make_user: Any, role: str) -> None:
    make_user(role, username="someone")
    response = _sign_in(client, "someone")
    assert response.status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.django_db
def test_guessing_is_slowed_down_with_a_clear_message(client: Any, make_user: Any) -> None:
    """After a wrong code, even the right one is refused for a while (django-otp's
    throttling), and the page says why instead of calling the right code wrong."""
    user = make_user("iom_officer", username="iom")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, "iom")
    client.post(VERIFY, {"token": f"{(totp(device.bin_key) + 3) % 1_000_000:06d}"})
    response = client.post(VERIFY, {"token": f"{totp(device.bin_key):06d}"})
    html = response.content.decode()
    assert "Too many wrong security codes in a row" in html
    assert 'class="govuk-error-summary"' in html
    assert client.get("/")["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action="auth.2fa_failed", detail="verify, throttled").exists()
