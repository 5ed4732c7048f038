"""Error pages: GOV.UK style, no traceback, the refusal audited."""

from __future__ import annotations

from typing import Any

import pytest

from saferhub.accounts.models import AuditEvent


@pytest.fixture
def no_debug(settings: Any) -> Any:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.urls_with_errors"
    return settings


@pytest.mark.django_db
def test_missing_permission_gives_the_govuk_403_page_and_is_audited(
    client_as: Any, no_debug: Any
) -> None:
    client = client_as("viewer")
    response = client.get("/accounts/audit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have permission to see this page" in html
    assert 'class="govuk-heading-l"' in html
    assert "govuk-frontend.min.css" in html
    assert "Traceback" not in html
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_username == "user-viewer"
    assert event.detail == "accounts.view_audit /accounts/audit/"
    assert event.source_address == "127.0.0.1"


@pytest.mark.django_db
def test_404_page_in_govuk_style(client_as: Any, no_debug: Any) -> None:
    client = client_as("viewer")
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found" in html
    assert "If you typed the web address, check it is correct." in html
    assert 'class="govuk-header' in html or "govuk-generic-header" in html
    assert "Traceback" not in html and "URLconf" not in html


@pytest.mark.django_db
def test_404_for_signed_out_visitor_sends_them_to_sign_in_first(client: Any, no_debug: Any) -> None:
    response = client.get("/no-such-page/")
    # Deny by default: a signed-out visitor learns nothing about which pages exist.
    assert response.status_code in {302, 404}
    if response.status_code == 404:
        assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_500_page_in_govuk_style_with_no_traceback(client: Any, no_debug: Any) -> None:
    client.raise_request_exception = False
    response = client.get("/test-errors/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-frontend.min.css" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html and "RuntimeError" not in html


@pytest.mark.django_db
def test_a_database_that_cannot_be_reached_gives_a_503_page_that_says_so(
    client: Any, no_debug: Any
) -> None:
    client.raise_request_exception = False
    response = client.get("/test-errors/database-gone/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in html
    assert "10.0.0.5" not in html and "OperationalError" not in html


@pytest.mark.django_db
def test_400_page(client: Any, no_debug: Any) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert "Sorry, there is a problem with the request" in response.content.decode()


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_a_govuk_page(no_debug: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Sorry, the form could not be sent" in html
    assert "govuk-frontend.min.css" in html
    assert "CSRF verification failed" not in html
