"""Password reset by email: the link arrives, works once, and sets a new password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

NEW_PASSWORD = "a-brand-new-Password-42"


@pytest.mark.django_db
def test_password_reset_by_email(client: Any, make_user: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("viewer", username="board")  # email board@example.org
    response = client.post("/accounts/password-reset/", {"email": "board@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert "Check your email" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["board@example.org"]
    match = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    link = match.group(1)

    page = client.get(link, follow=True)  # Django swaps the token for a session key
    assert page.status_code == 200
    assert "Choose a new password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]

    # Too short a password: the error summary names the field.
    short = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    html = short.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_new_password2"' in html
    assert "at least 12 characters" in html

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password-reset/complete/"
    assert "Your password has been changed" in client.get(done["Location"]).content.decode()

    # The link works once.
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()

    # The old password no longer works; the new one does.
    old = client.post(
        "/accounts/login/", {"username": "board", "password": "a-Long-test-password-1"}
    )
    assert old.status_code == 200
    new = client.post("/accounts/login/", {"username": "board", "password": NEW_PASSWORD})
    assert new.status_code == 302


@pytest.mark.django_db
def test_unknown_address_looks_the_same_and_sends_nothing(client: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_invalid_email_gets_the_error_summary(client: Any) -> None:
    response = client.post("/accounts/password-reset/", {"email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_email"' in html


def test_development_email_goes_to_the_console() -> None:
    from saferhub.config import settings as config

    if not config.PRODUCTION and not __import__("os").environ.get("EMAIL_BACKEND"):
        assert config.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
