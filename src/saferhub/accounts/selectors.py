from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from saferhub.accounts.access import get_for_user, scope_to_user
from saferhub.accounts.models import Agency, AuditEvent, User
from saferhub.accounts.roles import ROLES, Role, role_of

MANAGE_USERS = "accounts.manage_users"


def audit_events_for_user(*, user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    qs = scope_to_user(user, AuditEvent.objects.all(), perm="accounts.view_audit")
    if filters.get("actor"):
        qs = qs.filter(actor_username__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__icontains=filters["action"])
    if filters.get("object_type"):
        qs = qs.filter(object_type__icontains=filters["object_type"])
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__date__lte=filters["date_to"])
    return qs.order_by("-sequence")


AUDIT_COLUMNS = [
    "Sequence",
    "Time",
    "User",
    "Agency",
    "Action",
    "Record type",
    "Record id",
    "Source address",
    "Old values",
    "New values",
    "Detail",
    "Hash",
]


def audit_rows(qs: QuerySet[AuditEvent]) -> list[list[Any]]:
    return [
        [
            e.sequence,
            e.occurred_at.isoformat(),
            e.actor_username,
            e.agency_code,
            e.action,
            e.object_type,
            e.object_id,
            e.source_address or "",
            e.old_values,
            e.new_values,
            e.detail,
            e.hash,
        ]
        for e in qs.iterator()
    ]


# ----------------------------------------------------------------------------- users


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    agency: Agency | None = None
    role: str = ""
    status: str = ""


NO_ROLE = "none"
STATUSES = [("active", "Active"), ("inactive", "Deactivated"), ("locked", "Locked out")]


def locked_usernames() -> set[str]:
    """The user names whose next sign-in must wait now (after repeated wrong passwords;
    see ``accounts/sign_in_delays.py``). Delays of an address are not shown here."""
    from saferhub.accounts.sign_in_delays import delayed_usernames

    return delayed_usernames()


def failed_sign_ins(username: str) -> int:
    """Failed sign-ins counted under this user name and not yet cleared or forgotten."""
    from saferhub.accounts.sign_in_delays import failures_of

    return failures_of(username)


def _with_two_factor(qs: QuerySet[User]) -> QuerySet[User]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return qs.annotate(two_factor=Exists(confirmed))


def users_for_user(*, user: Any, filters: UserFilters) -> QuerySet[User]:
    """Every user (administrators manage the whole partnership), filtered and by name."""
    qs = scope_to_user(user, User.objects.all(), perm=MANAGE_USERS)
    for word in filters.q.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if filters.agency is not None:
        qs = qs.filter(agency=filters.agency)
    role_names = [r.name for r in ROLES.values()]
    if filters.role == NO_ROLE:
        qs = qs.exclude(groups__name__in=role_names)
    elif filters.role in ROLES:
        qs = qs.filter(groups__name=ROLES[filters.role].name)
    if filters.status == "active":
        qs = qs.filter(is_active=True)
    elif filters.status == "inactive":
        qs = qs.filter(is_active=False)
    elif filters.status == "locked":
        qs = qs.filter(username__in=locked_usernames())
    qs = _with_two_factor(qs).select_related("agency").prefetch_related("groups")
    return qs.order_by("last_name", "first_name", "username")


def active_administrators() -> QuerySet[User]:
    """Active users who can manage users: the administrator role, or superusers."""
    return User.objects.filter(is_active=True).filter(
        Q(groups__name=ROLES["administrator"].name) | Q(is_superuser=True)
    )


def is_administrator(user: User) -> bool:
    return user.is_superuser or user.groups.filter(name=ROLES["administrator"].name).exists()


def is_only_active_administrator(user: User) -> bool:
    return (
        user.is_active
        and is_administrator(user)
        and not active_administrators().exclude(pk=user.pk).exists()
    )


def user_get_for_user(*, user: Any, id: Any) -> User:
    return get_for_user(user, _with_two_factor(User.objects.all()), id=id, perm=MANAGE_USERS)


@dataclass(frozen=True)
class UserRow:
    user: User
    role: Role | None
    locked: bool


def user_rows(users: list[User]) -> list[UserRow]:
    """Each user with their role and whether they are locked out (one query for all)."""
    locked = locked_usernames()
    return [UserRow(u, role_of(u), u.username in locked) for u in users]


USER_COLUMNS = [
    "Name",
    "User name",
    "Email",
    "Agency",
    "Role",
    "Active",
    "Two-factor set up",
    "Locked out",
    "Last sign-in",
]


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def user_export_rows(qs: QuerySet[User]) -> list[list[Any]]:
    rows = []
    for r in user_rows(list(qs)):
        u = r.user
        rows.append(
            [
                u.get_full_name(),
                u.username,
                u.email,
                u.agency.name if u.agency else "",
                r.role.name if r.role else "No role",
                _yes(u.is_active),
                _yes(getattr(u, "two_factor", False)),
                _yes(r.locked),
                timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M")
                if u.last_login
                else "Never",
            ]
        )
    return rows
