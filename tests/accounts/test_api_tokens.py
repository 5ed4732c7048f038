"""API tokens and the second factor on the API (issue 12, item 1).

The failures found by the probe, each now refused: a password-only session of a role
that needs two-factor reading and writing through the API; tokens of those roles that
never passed a second factor; no way to list, name, expire or revoke a token; tokens
that survived a password change.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from saferhub.accounts.audit_actions import ApiTokenAction
from saferhub.accounts.models import ApiToken, AuditEvent
from saferhub.accounts.token_services import (
    api_token_issue,
    api_token_revoke,
    key_digest,
)
from tests.conftest import api_token_key, verified_client

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


# --- the second factor on the API ------------------------------------------------------


def test_a_password_only_session_of_a_2fa_role_is_refused_by_the_api(
    client: Any, make_user: Any
) -> None:
    admin = make_user("administrator", username="adm")
    client.force_login(admin)  # password passed, second factor not
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]
    # and no write either (the probe created a priority this way)
    assert client.post("/api/tokens/", {"name": "x", "days": 5}).status_code == 401


def test_a_verified_session_of_a_2fa_role_reaches_the_api(client: Any, make_user: Any) -> None:
    admin = make_user("administrator", username="adm")
    verified_client(client, admin)
    assert client.get("/api/me/").json()["username"] == "adm"


def test_a_session_of_a_role_without_2fa_reaches_the_api(client: Any, make_user: Any) -> None:
    client.force_login(make_user("analyst", username="ana"))
    assert client.get("/api/me/").status_code == 200


# --- issuing ------------------------------------------------------------------------------


def test_a_2fa_role_gets_a_token_only_from_a_verified_session(make_user: Any) -> None:
    worker = make_user("idva", username="idva")
    with pytest.raises(ValidationError, match="two-factor"):
        api_token_issue(actor=worker, user=worker, name="x", days=5, second_factor_verified=False)
    issued = api_token_issue(
        actor=worker, user=worker, name="Weekly export", days=5, second_factor_verified=True
    )
    assert _api(issued.key).get("/api/me/").json()["role"] == "idva"


def test_the_key_is_stored_only_as_a_hash(make_user: Any) -> None:
    user = make_user("analyst", username="ana")
    key = api_token_key(user)
    token = ApiToken.objects.get()
    assert token.key_hash == key_digest(key) and key not in token.key_hash
    assert key[:8] == token.key_prefix


def test_tokens_expire_within_the_limit(make_user: Any, settings: Any) -> None:
    settings.SAFERHUB_API_TOKEN_MAX_DAYS = 10
    user = make_user("analyst", username="ana")
    with pytest.raises(ValidationError, match="1 to 10 days"):
        api_token_issue(actor=user, user=user, name="x", days=11, second_factor_verified=True)
    key = api_token_key(user, days=2)
    ApiToken.objects.update(
        created_at=timezone.now() - dt.timedelta(days=3),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    response = _api(key).get("/api/me/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_nobody_issues_a_token_for_someone_else(make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    admin = make_user("administrator", username="adm")
    ana = make_user("analyst", username="ana")
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=admin, user=ana, name="x", days=5, second_factor_verified=True)


def test_a_token_cannot_issue_another(make_user: Any) -> None:
    key = api_token_key(make_user("analyst", username="ana"))
    response = _api(key).post("/api/tokens/", {"name": "more", "days": 5}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_issue_list_and_revoke_through_the_api(client: Any, make_user: Any) -> None:
    verified_client(client, make_user("iom_officer", username="iom"))
    response = client.post("/api/tokens/", {"name": "Cohort sync", "days": 7})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "Active" and body["key"]
    listed = client.get("/api/tokens/").json()
    assert [t["name"] for t in listed] == ["Cohort sync"] and "key" not in listed[0]
    assert client.delete(f"/api/tokens/{body['id']}/").status_code == 204
    assert _api(body["key"]).get("/api/me/").status_code == 401


def test_issue_and_revoke_on_the_page(client: Any, make_user: Any) -> None:
    verified_client(client, make_user("asb_officer", username="asb"))
    response = client.post("/accounts/tokens/", {"name": "Case export", "days": 30})
    assert response.status_code == 200
    key = response.context["key"]
    assert key and key.encode() in response.content
    assert _api(key).get("/api/me/").status_code == 200
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert _api(key).get("/api/me/").status_code == 401
    assert b"Revoked by its owner" in client.get("/accounts/tokens/").content


def test_a_bad_issue_form_names_the_field(client: Any, make_user: Any) -> None:
    verified_client(client, make_user("analyst", username="ana"))
    response = client.post("/accounts/tokens/", {"name": "x", "days": 999})
    assert response.status_code == 400
    assert b"1 to 90 days" in response.content
    assert not ApiToken.objects.exists()


# --- revoking -----------------------------------------------------------------------------


def test_someone_elses_token_is_not_theirs_to_see_or_revoke(make_user: Any) -> None:
    ana = make_user("analyst", username="ana")
    other = make_user("analyst", username="other")
    api_token_key(ana)
    token = ApiToken.objects.get()
    other_api = _api(api_token_key(other))
    assert other_api.get(f"/api/tokens/{token.pk}/").status_code == 404
    assert other_api.delete(f"/api/tokens/{token.pk}/").status_code == 404
    assert other_api.get("/api/tokens/?everyone=true").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_administrator_revokes_anyones_token(client: Any, make_user: Any) -> None:
    key = api_token_key(make_user("analyst", username="ana"))
    token = ApiToken.objects.get()
    verified_client(client, make_user("administrator", username="adm"))
    page = client.get("/accounts/tokens/")
    assert page.context["everyone"][0]["token"] == token
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_because == ApiToken.RevokedBecause.ADMINISTRATOR
    assert _api(key).get("/api/me/").status_code == 401


def test_a_password_change_by_any_route_revokes_every_token(make_user: Any) -> None:
    user = make_user("analyst", username="ana")
    key = api_token_key(user)
    user.set_password("a-New-long-password-2")
    user.save()
    response = _api(key).get("/api/me/")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    token = ApiToken.objects.get()
    assert token.revoked_because == ApiToken.RevokedBecause.PASSWORD


def test_the_password_reset_page_revokes_every_token(client: Any, make_user: Any) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = make_user("analyst", username="ana")
    api_token_key(user)
    api_token_key(user, name="second")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = f"/accounts/password-reset/{uid}/{default_token_generator.make_token(user)}/"
    form_url = client.get(url)["Location"]
    password = "a-New-long-password-2"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert set(ApiToken.objects.values_list("revoked_because", flat=True)) == {"password"}


def test_deactivation_revokes_every_token(make_user: Any) -> None:
    from saferhub.accounts.services import user_set_active

    user = make_user("analyst", username="ana")
    key = api_token_key(user)
    user_set_active(actor=make_user("administrator", username="adm"), user=user, active=False)
    assert ApiToken.objects.get().revoked_because == ApiToken.RevokedBecause.DEACTIVATED
    user_set_active(actor=make_user("administrator", username="adm2"), user=user, active=True)
    assert _api(key).get("/api/me/").status_code == 401  # reactivation does not revive it


# --- the audit log ------------------------------------------------------------------------


def test_first_use_each_day_and_every_write_are_audited(make_user: Any) -> None:
    user = make_user("analyst", username="ana")
    key = api_token_key(user, name="Nightly")
    api = _api(key)
    api.get("/api/me/")
    api.get("/api/me/")
    uses = AuditEvent.objects.filter(action=ApiTokenAction.USE)
    assert uses.count() == 1
    event = uses.get()
    assert event.actor_username == "ana" and event.detail == "GET /api/me/"
    assert event.new_values["token"] == "Nightly"
    assert event.object_id == str(ApiToken.objects.get().pk)
    api.delete("/api/tokens/999999/")  # a write, even one that finds nothing
    assert uses.count() == 2
    ApiToken.objects.update(last_used_on=timezone.localdate() - dt.timedelta(days=1))
    api.get("/api/me/")
    assert uses.count() == 3


def test_issue_and_revoke_are_audited(make_user: Any) -> None:
    user = make_user("analyst", username="ana")
    api_token_key(user, name="Audit me")
    api_token_revoke(actor=user, token=ApiToken.objects.get())
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == [ApiTokenAction.ISSUE, ApiTokenAction.REVOKE]


# --- the command --------------------------------------------------------------------------


def test_the_tokens_command(make_user: Any) -> None:
    make_user("analyst", username="ana")
    make_user("idva", username="idva")
    out, err = StringIO(), StringIO()
    call_command(
        "tokens", "issue", "--user", "ana", "--name", "Cron", "--days", "3", stdout=out, stderr=err
    )
    key = out.getvalue().strip()
    assert _api(key).get("/api/me/").status_code == 200
    with pytest.raises(CommandError, match="two-factor"):
        call_command("tokens", "issue", "--user", "idva", "--name", "x")
    out = StringIO()
    call_command("tokens", "list", "--user", "ana", stdout=out)
    assert "Cron" in out.getvalue() and "Active" in out.getvalue() and key not in out.getvalue()
    token = ApiToken.objects.get()
    call_command("tokens", "revoke", str(token.pk), stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_because == ApiToken.RevokedBecause.COMMAND_LINE
    with pytest.raises(CommandError, match="No token number"):
        call_command("tokens", "revoke", "999999")
