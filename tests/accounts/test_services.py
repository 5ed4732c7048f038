"""Accounts services: agencies, users, roles; every change audited with old and new values."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from saferhub.accounts.models import Agency, AuditEvent
from saferhub.accounts.roles import ROLES, role_of
from saferhub.accounts.services import agency_create, roles_sync, user_create, user_set_role


@pytest.mark.django_db
def test_every_role_group_holds_exactly_its_permissions() -> None:
    roles_sync()
    for role in ROLES.values():
        group = Group.objects.get(name=role.name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held <= role.permissions, role.key
        # Every permission of the foundation's own apps exists and is held.
        own = {p for p in role.permissions if p.split(".")[0] in {"core", "accounts"}}
        assert own <= held, role.key


@pytest.mark.django_db
def test_roles_that_see_or_grant_personal_data_need_two_factor() -> None:
    for role in ROLES.values():
        sensitive = {"accounts.view_personal_data", "accounts.manage_users"} & role.permissions
        assert role.requires_2fa == bool(sensitive), role.key


@pytest.mark.django_db
def test_user_create_is_audited_and_gives_one_role(agency: Agency) -> None:
    user = user_create(
        actor="operator", username="jsmith", email="j@example.org", agency=agency, role="analyst"
    )
    assert role_of(user) == ROLES["analyst"]
    assert not user.has_usable_password()  # they set one with "Forgotten your password?"
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor_username == "operator"
    assert event.new_values == {
        "username": "jsmith",
        "email": "j@example.org",
        "agency": "derby-city-council",
        "role": "analyst",
    }


@pytest.mark.django_db
def test_user_create_refuses_bad_input(agency: Agency) -> None:
    with pytest.raises(ValueError, match="Unknown role 'chief'"):
        user_create(actor="op", username="x", email="x@example.org", agency=agency, role="chief")
    with pytest.raises(ValidationError) as exc:
        user_create(actor="op", username="bad name!", email="nope", agency=agency, role="viewer")
    assert {"username", "email"} <= set(exc.value.message_dict)
    assert not AuditEvent.objects.filter(action="user.create").exists()


@pytest.mark.django_db
def test_user_set_role_records_old_and_new(make_user: Any) -> None:
    user = make_user("viewer")
    user_set_role(actor="admin", user=user, role="manager")
    assert role_of(user) == ROLES["manager"]
    event = AuditEvent.objects.get(action="user.role")
    assert event.old_values == {"groups": ["Viewer"]}
    assert event.new_values == {"role": "manager"}


@pytest.mark.django_db
def test_agency_create_validates_and_audits() -> None:
    agency_create(
        actor="op", code="derbyshire-fire", name="Derbyshire Fire and Rescue Service", kind="fire"
    )
    assert AuditEvent.objects.filter(action="agency.create", object_type="accounts.Agency").exists()
    with pytest.raises(ValidationError) as exc:
        agency_create(actor="op", code="x", name="X", kind="pirates")
    assert "kind" in exc.value.message_dict


@pytest.mark.django_db
def test_demo_partnership_is_idempotent() -> None:
    from saferhub.accounts.demo import DEMO_USERS, demo_partnership_create

    first = demo_partnership_create()
    count = AuditEvent.objects.count()
    second = demo_partnership_create()
    assert [u.username for u, _ in first] == [u.username for u, _ in second]
    assert AuditEvent.objects.count() == count  # nothing created the second time
    assert {role.key for _, role in first} == set(ROLES)
    assert len(first) == len(DEMO_USERS)


@pytest.mark.django_db
def test_demo_command_refuses_production(settings: Any) -> None:
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="embedded mode only"):
        call_command("demo")
