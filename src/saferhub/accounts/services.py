"""Writes for accounts: agencies, users, roles. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.accounts.roles import ROLES


def roles_sync() -> None:
    """Make each role's group hold exactly its permissions (run after every migrate).

    A permission of an app that is not installed is skipped.
    """
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set([all_perms[p] for p in sorted(role.permissions) if p in all_perms])


@transaction.atomic
def agency_create(*, actor: Any, code: str, name: str, kind: str) -> Agency:
    agency = Agency(code=code, name=name, kind=kind)
    agency.full_clean()
    agency.save()
    audit_record(
        actor=actor,
        action="agency.create",
        obj=agency,
        new={"code": code, "name": name, "kind": kind},
    )
    return agency


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    email: str,
    agency: Agency,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    user = User(
        username=username, email=email, agency=agency, first_name=first_name, last_name=last_name
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=ROLES[role].name)[0]])
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        new={"username": username, "email": email, "agency": agency.code, "role": role},
    )
    return user


@transaction.atomic
def user_set_role(*, actor: Any, user: User, role: str) -> User:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    old = [g.name for g in user.groups.all()]
    user.groups.set([Group.objects.get_or_create(name=ROLES[role].name)[0]])
    audit_record(actor=actor, action="user.role", obj=user, old={"groups": old}, new={"role": role})
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    old = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.active",
        obj=user,
        old={"is_active": old},
        new={"is_active": active},
    )
    return user
