"""Writes for accounts: agencies, users, roles. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.accounts.roles import ROLES
from saferhub.accounts.selectors import active_administrators, is_administrator

ADMINISTRATOR = "administrator"


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


def _keep_an_administrator(user: User, *, field: str | None) -> None:
    """Refuse a change that would leave no active administrator (call it before the change).

    The active administrators' rows are locked first, so that two administrators
    removing each other at the same moment cannot both succeed; the count that follows
    is a new statement, so it sees what a change committed while we waited did.
    """
    if not (user.is_active and is_administrator(user)):
        return
    administrators = active_administrators()
    list(User.objects.select_for_update().filter(pk__in=administrators.values("pk")))
    if not administrators.exclude(pk=user.pk).exists():
        message = (
            f"{user.display_name} is the only active administrator. "
            "Give another user the administrator role first."
        )
        raise ValidationError({field: message} if field else message, code="last_administrator")


@transaction.atomic
def user_set_role(*, actor: Any, user: User, role: str) -> User:
    """Give the user this role (their only one). Never takes the role from the last
    active administrator."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    if role != ADMINISTRATOR and not user.is_superuser:
        _keep_an_administrator(user, field="role")
    old = [g.name for g in user.groups.all()]
    user.groups.set([Group.objects.get_or_create(name=ROLES[role].name)[0]])
    audit_record(actor=actor, action="user.role", obj=user, old={"groups": old}, new={"role": role})
    return user


@transaction.atomic
def user_set_agency(*, actor: Any, user: User, agency: Agency) -> User:
    if not agency.active:
        raise ValidationError(
            {"agency": f"{agency.name} is no longer an active agency."}, code="inactive"
        )
    old = user.agency.code if user.agency else None
    user.agency = agency
    user.save(update_fields=["agency"])
    audit_record(
        actor=actor,
        action="user.agency",
        obj=user,
        old={"agency": old},
        new={"agency": agency.code},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate (they can no longer sign in, and are signed out) or reactivate a user.

    Nobody deactivates their own account, nor the last active administrator.
    """
    if not active:
        if getattr(actor, "pk", None) is not None and actor.pk == user.pk:
            raise ValidationError("You cannot deactivate your own account.", code="self")
        _keep_an_administrator(user, field=None)
    old = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        from saferhub.accounts.models import ApiToken
        from saferhub.accounts.token_services import api_tokens_revoke_all

        api_tokens_revoke_all(actor=actor, user=user, because=ApiToken.RevokedBecause.DEACTIVATED)
    audit_record(
        actor=actor,
        action="user.active",
        obj=user,
        old={"is_active": old},
        new={"is_active": active},
    )
    return user


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> int:
    """Clear the user name's failed sign-ins, so a user kept waiting by wrong passwords
    can sign in again at once. Returns how many records of failed attempts were cleared.

    Sign-ins are also slowed by address: an address slowed by failures under many user
    names waits until its delay ends.
    """
    from saferhub.accounts.sign_in_delays import clear_username

    cleared = clear_username(user.get_username())
    audit_record(
        actor=actor, action="user.unlock", obj=user, new={"failed_attempt_records": cleared}
    )
    return cleared


@transaction.atomic
def user_two_factor_reset(*, actor: Any, user: User) -> int:
    """Remove every two-factor device of the user: at their next page they must set up
    an authenticator again (a signed-in session loses its verification at once).

    Returns how many devices were removed.
    """
    from django_otp import devices_for_user

    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    audit_record(
        actor=actor,
        action="user.2fa_reset",
        obj=user,
        old={"devices": [f"{d._meta.label}:{d.name}" for d in devices]},
    )
    return len(devices)


def user_password_email(*, actor: Any, user: User, domain: str, use_https: bool) -> None:
    """Email the user a one-use link to choose a password (the password-reset email).

    For a user with no password yet it says their account was created. Raises
    ValidationError when the user cannot receive it, and OSError when the email
    could not be sent.
    """
    from saferhub.accounts.forms import OneUserPasswordEmailForm

    if not user.is_active:
        raise ValidationError("This account is deactivated: reactivate it first.", code="inactive")
    if not user.email:
        raise ValidationError("This user has no email address.", code="no_email")
    form = OneUserPasswordEmailForm(user)
    if not form.is_valid():
        raise ValidationError(
            f"The email address {user.email} is not valid: correct it first.", code="email"
        )
    first_password = not user.has_usable_password()
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        extra_email_context={"first_password": "yes" if first_password else ""},
    )
    audit_record(
        actor=actor,
        action="user.password_email",
        obj=user,
        detail="first password" if first_password else "password reset",
    )
