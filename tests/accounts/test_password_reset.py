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


@pytest.mark.django_db
def test_a_new_user_with_no_password_chooses_one_with_the_link(
    client: Any, agency: Any, settings: Any
) -> None:
    """An administrator creates users without a password: the link is how they set one.

    (Django's own form sends nothing to a user without a usable password.)
    """
    from saferhub.accounts.services import user_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = user_create(
        actor="admin", username="newbie", email="newbie@example.org", agency=agency, role="viewer"
    )
    assert not user.has_usable_password()
    client.post("/accounts/password-reset/", {"email": "NewBie@Example.org"})
    assert [m.to for m in mail.outbox] == [["newbie@example.org"]]
    match = re.search(
        r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body
    )
    assert match
    page = client.get(match.group(1), follow=True)
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/complete/"
    signed_in = client.post("/accounts/login/", {"username": "newbie", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_a_deactivated_user_gets_no_link(client: Any, make_user: Any, settings: Any) -> None:
    from saferhub.accounts.services import user_set_active

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user_set_active(actor="admin", user=make_user("viewer", username="board"), active=False)
    response = client.post("/accounts/password-reset/", {"email": "board@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
