"""The one object-scoping helper pattern that every app uses (deny by default).

* :func:`require_permission` raises :class:`PermissionDenied` (and audits the refusal)
  unless the user's role grants the permission.
* :func:`scope_to_user` narrows a queryset to what a user may see: nothing without the
  permission; with it, everything for partnership-wide data, or only their agency's
  rows (``agency_field``) and, for personal data, only the records they are assigned to
  (``assigned_field``).
* :func:`get_for_user` fetches one object through that scope, raising ``Http404`` when
  it is outside the scope (never revealing whether it exists), and audits the view of a
  personal record.

A later app writes ``<thing>_get_for_user(*, user, id)`` as a one-line call of
:func:`get_for_user`, and list selectors call :func:`scope_to_user`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from saferhub.accounts.audit import audit_record

M = TypeVar("M", bound=Model)


def has_permission(user: Any, perm: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm(perm)
    )


def require_permission(user: Any, perm: str, *, what: str = "") -> None:
    """Raise PermissionDenied, and audit the refusal, unless ``user`` has ``perm``."""
    if not has_permission(user, perm):
        audit_record(actor=user, action="access.denied", detail=f"{perm} {what}".strip())
        raise PermissionDenied("You do not have permission to do this.")


def scope_to_user(
    user: Any,
    queryset: QuerySet[M],
    *,
    perm: str,
    agency_field: str | None = None,
    assigned_field: str | None = None,
) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may see; an empty queryset when none."""
    if not has_permission(user, perm):
        return queryset.none()
    condition = Q()
    if agency_field:
        condition &= Q(**{agency_field: user.agency_id})
    if assigned_field:
        condition &= Q(**{assigned_field: user})
    return queryset.filter(condition)


def get_for_user(
    user: Any,
    queryset: QuerySet[M],
    *,
    id: Any,
    perm: str,
    agency_field: str | None = None,
    assigned_field: str | None = None,
    personal: bool = False,
) -> M:
    """One object through the user's scope; Http404 outside it. Audits personal views."""
    require_permission(user, perm, what=f"{queryset.model._meta.label}:{id}")
    scoped = scope_to_user(
        user, queryset, perm=perm, agency_field=agency_field, assigned_field=assigned_field
    )
    try:
        obj = scoped.get(pk=id)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
    if personal:
        audit_record(actor=user, action="personal.view", obj=obj)
    return obj
