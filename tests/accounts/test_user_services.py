"""User administration services: each changes what it should, is audited, and keeps its guards."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import Agency, AuditEvent, User
from saferhub.accounts.roles import ROLES, role_of
from saferhub.accounts.selectors import failed_sign_ins, locked_usernames
from saferhub.accounts.services import (
    user_create,
    user_password_email,
    user_set_active,
    user_set_agency,
    user_set_role,
    user_two_factor_reset,
    user_unlock,
)
from tests.conftest import verified_client

PASSWORD = "a-Long-test-password-1"
LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"


def _events(action: str, user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=action, object_type="accounts.User", object_id=user.pk)
    )


def _fire() -> Agency:
    return Agency.objects.create(
        code="derbyshire-fire", name="Derbyshire Fire and Rescue Service", kind="fire"
    )


# ----------------------------------------------------------------------------- role


@pytest.mark.django_db
def test_the_last_active_administrator_keeps_the_role(make_user: Any) -> None:
    admin = make_user("administrator", username="admin")
    with pytest.raises(ValidationError) as exc:
        user_set_role(actor=admin, user=admin, role="viewer")
    assert exc.value.message_dict == {
        "role": [
            "admin is the only active administrator. Give another user the administrator "
            "role first."
        ]
    }
    assert role_of(admin) == ROLES["administrator"]
    assert _events("user.role", admin) == []

    # A deactivated administrator does not count...
    other = make_user("administrator", username="other")
    user_set_active(actor=admin, user=other, active=False)
    with pytest.raises(ValidationError):
        user_set_role(actor=admin, user=admin, role="manager")

    # ...an active one does: then either may stop being an administrator.
    user_set_active(actor=admin, user=other, active=True)
    user_set_role(actor=other, user=admin, role="manager")
    assert role_of(admin) == ROLES["manager"]
    event = _events("user.role", admin)[0]
    assert event.actor_username == "other"
    assert event.old_values == {"groups": ["Administrator"]}
    assert event.new_values == {"role": "manager"}
    with pytest.raises(ValidationError):
        user_set_role(actor=other, user=other, role="viewer")


@pytest.mark.django_db
def test_a_superuser_counts_as_an_administrator(make_user: Any) -> None:
    admin = make_user("administrator", username="admin")
    root = make_user("viewer", username="root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    user_set_role(actor="operator", user=admin, role="analyst")
    assert role_of(admin) == ROLES["analyst"]


@pytest.mark.django_db
def test_other_roles_change_freely(make_user: Any) -> None:
    user = make_user("viewer", username="board")
    user_set_role(actor="operator", user=user, role="idva")
    assert role_of(user) == ROLES["idva"]
    assert _events("user.role", user)[0].new_values == {"role": "idva"}


# ----------------------------------------------------------------------------- agency


@pytest.mark.django_db
def test_user_set_agency_moves_them_and_is_audited(make_user: Any) -> None:
    user = make_user("viewer", username="board")
    fire = _fire()
    user_set_agency(actor="operator", user=user, agency=fire)
    user.refresh_from_db()
    assert user.agency == fire
    event = _events("user.agency", user)[0]
    assert event.old_values == {"agency": "derby-city-council"}
    assert event.new_values == {"agency": "derbyshire-fire"}


@pytest.mark.django_db
def test_user_set_agency_refuses_an_inactive_agency(make_user: Any) -> None:
    user = make_user("viewer", username="board")
    closed = Agency.objects.create(
        code="old", name="Old Partnership Team", kind="other", active=False
    )
    with pytest.raises(ValidationError) as exc:
        user_set_agency(actor="operator", user=user, agency=closed)
    assert "agency" in exc.value.message_dict
    user.refresh_from_db()
    assert user.agency is not None and user.agency.code == "derby-city-council"
    assert _events("user.agency", user) == []


# ----------------------------------------------------------------------------- active


@pytest.mark.django_db
def test_deactivate_and_reactivate_are_audited_and_stop_sign_in(
    client: Any, make_user: Any
) -> None:
    admin = make_user("administrator", username="admin")
    user = make_user("viewer", username="board")
    user_set_active(actor=admin, user=user, active=False)
    user.refresh_from_db()
    assert not user.is_active
    assert client.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 200
    user_set_active(actor=admin, user=user, active=True)
    assert client.post(LOGIN, {"username": "board", "password": PASSWORD}).status_code == 302
    events = _events("user.active", user)
    assert [(e.old_values, e.new_values) for e in reversed(events)] == [
        ({"is_active": True}, {"is_active": False}),
        ({"is_active": False}, {"is_active": True}),
    ]
    assert {e.actor_username for e in events} == {"admin"}


@pytest.mark.django_db
def test_deactivation_signs_them_out_at_once(client: Any, make_user: Any) -> None:
    user = make_user("viewer", username="board")
    client.force_login(user)
    assert client.get("/").status_code == 200
    user_set_active(actor="operator", user=user, active=False)
    assert client.get("/")["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_nobody_deactivates_themself(make_user: Any) -> None:
    admin = make_user("administrator", username="admin")
    make_user("administrator", username="other")
    with pytest.raises(ValidationError, match="You cannot deactivate your own account"):
        user_set_active(actor=admin, user=admin, active=False)
    admin.refresh_from_db()
    assert admin.is_active
    assert _events("user.active", admin) == []


@pytest.mark.django_db
def test_the_last_active_administrator_is_not_deactivated(make_user: Any) -> None:
    admin = make_user("administrator", username="admin")
    with pytest.raises(ValidationError, match="only active administrator"):
        user_set_active(actor="operator", user=admin, active=False)
    admin.refresh_from_db()
    assert admin.is_active
    # With another administrator, an administrator can be deactivated.
    other = make_user("administrator", username="other")
    user_set_active(actor=other, user=admin, active=False)
    admin.refresh_from_db()
    assert not admin.is_active


# ----------------------------------------------------------------------------- unlock


@pytest.mark.django_db
def test_unlock_lets_a_locked_out_user_sign_in_again(
    client: Any, make_user: Any, settings: Any
) -> None:
    user = make_user("viewer", username="board")
    for _ in range(settings.SAFERHUB_LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "board", "password": "wrong"})
    locked = client.post(LOGIN, {"username": "board", "password": PASSWORD})
    assert locked.status_code == 429  # waiting: even the right password is refused
    assert "board" in locked_usernames()
    # (the refused right password counts as one more failure)
    assert failed_sign_ins("board") == settings.SAFERHUB_LOGIN_FAILURE_LIMIT + 1

    cleared = user_unlock(actor="operator", user=user)
    assert cleared >= 1
    assert "board" not in locked_usernames()
    assert failed_sign_ins("board") == 0
    event = _events("user.unlock", user)[0]
    assert event.actor_username == "operator"
    assert event.new_values == {"failed_attempt_records": cleared}

    response = client.post(LOGIN, {"username": "board", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_failures_below_the_limit_are_not_a_lockout(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    for _ in range(2):
        client.post(LOGIN, {"username": "board", "password": "wrong"})
    assert failed_sign_ins("board") == 2
    assert "board" not in locked_usernames()


# ----------------------------------------------------------------------------- two-factor


@pytest.mark.django_db
def test_two_factor_reset_removes_the_devices_and_sends_them_to_set_up(
    client: Any, make_user: Any
) -> None:
    user = make_user("administrator", username="admin")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    client.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert client.get("/")["Location"].startswith(VERIFY)  # asked for the code...
    client.logout()

    removed = user_two_factor_reset(actor="operator", user=user)
    assert removed == 2
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = _events("user.2fa_reset", user)[0]
    assert sorted(event.old_values["devices"]) == [
        "otp_static.StaticDevice:backup codes",
        "otp_totp.TOTPDevice:Authenticator app",
    ]

    # ...and now, at the next sign-in, sent to set up a new authenticator.
    response = client.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/")["Location"] == f"{SETUP}?next=/"
    assert "Set up two-factor authentication" in client.get(SETUP).content.decode()


@pytest.mark.django_db
def test_two_factor_reset_ends_a_verified_session(client: Any, make_user: Any) -> None:
    user = make_user("idva", username="idva")
    verified_client(client, user)
    assert client.get("/").status_code == 200
    user_two_factor_reset(actor="operator", user=user)
    assert client.get("/")["Location"].startswith(SETUP)


# ----------------------------------------------------------------------------- password email


@pytest.mark.django_db
def test_a_new_user_is_emailed_a_link_to_choose_a_password(client: Any, agency: Agency) -> None:
    user = user_create(
        actor="admin", username="newbie", email="newbie@example.org", agency=agency, role="viewer"
    )
    user_password_email(actor="admin", user=user, domain="saferhub.example.org", use_https=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newbie@example.org"]
    assert message.subject == "SaferHub: choose your password"
    assert "Your user name is newbie." in message.body
    link = re.search(r"https://saferhub\.example\.org(/accounts/password-reset/\S+/)", message.body)
    assert link, message.body
    event = _events("user.password_email", user)[0]
    assert event.actor_username == "admin"
    assert event.detail == "first password"

    page = client.get(link.group(1), follow=True)
    form_url = page.redirect_chain[-1][0]
    new = "a-brand-new-Password-42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert client.post(LOGIN, {"username": "newbie", "password": new}).status_code == 302


@pytest.mark.django_db
def test_the_link_goes_only_to_the_chosen_user(make_user: Any, agency: Agency) -> None:
    user = make_user("viewer", username="board", password=PASSWORD)
    user_create(
        actor="admin", username="board2", email="board@example.org", agency=agency, role="viewer"
    )
    user_password_email(actor="admin", user=user, domain="testserver", use_https=False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "SaferHub: reset your password"
    assert "(board)" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_link_for_a_deactivated_user_or_one_without_email(
    make_user: Any, agency: Agency
) -> None:
    user = make_user("viewer", username="board")
    user_set_active(actor="admin", user=user, active=False)
    with pytest.raises(ValidationError, match="deactivated"):
        user_password_email(actor="admin", user=user, domain="testserver", use_https=False)
    nobody = user_create(actor="admin", username="noemail", email="", agency=agency, role="viewer")
    with pytest.raises(ValidationError, match="no email address"):
        user_password_email(actor="admin", user=nobody, domain="testserver", use_https=False)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="user.password_email").exists()


@pytest.mark.django_db
def test_a_failure_to_send_is_raised_not_hidden(make_user: Any, settings: Any) -> None:
    """Django's reset form only logs a failed send; the administrator must be told."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    user = make_user("viewer", username="board")
    with pytest.raises(OSError):
        user_password_email(actor="admin", user=user, domain="testserver", use_https=False)
    assert not AuditEvent.objects.filter(action="user.password_email").exists()
