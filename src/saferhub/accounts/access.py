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

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from saferhub.accounts.audit import audit_record
from saferhub.accounts.audit_actions import AccessAction

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
        audit_record(actor=user, action=AccessAction.DENIED, detail=f"{perm} {what}".strip())
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
        audit_record(actor=user, action=AccessAction.PERSONAL_VIEW, obj=obj)
    return obj


# --- Need-to-know access to cases (personal data) -------------------------------------------
#
# A user sees a case only when (1) their role works that case type (permission
# ``cases.work_<type>``) and (2) their agency leads the case or has been added to it, or
# (3) they hold an unexpired break-glass grant on it. Lists, search, exports and the API all
# narrow through :func:`scope_cases`; one case is fetched through :func:`case_get_for_user`,
# which answers 404 for a case outside the scope exactly as for a case that does not exist,
# and audits the attempt. ``prefix`` lets a related model (a party, an incident) be scoped
# through its case: ``scope_cases(user, Party.objects.all(), prefix="case__")``.


def case_types_for_user(user: Any, case_types: list[str]) -> list[str]:
    """The case types (of ``case_types``) whose work permission the user's role holds."""
    return [t for t in case_types if has_permission(user, f"cases.work_{t}")]


# A case type may narrow its cases further (never widen them): a rule takes the user and the
# prefix and answers a Q that a case of that type must also meet (MARAC: a member of a
# meeting the case is on, its IDVA or its officer). The cases app passes its rules in.
ScopeRule = Callable[[Any, str], Q]


def _normal_scope(
    user: Any, case_types: list[str], prefix: str, rules: Mapping[str, ScopeRule] | None
) -> Q | None:
    """The condition of the normal (not break-glass) scope; None when it admits nothing."""
    types = case_types_for_user(user, case_types)
    agency_id = getattr(user, "agency_id", None)
    if not types or not agency_id:
        return None
    member = Q(**{f"{prefix}lead_agency_id": agency_id}) | Q(
        **{f"{prefix}agencies__agency_id": agency_id}
    )
    rules = rules or {}
    plain = [t for t in types if t not in rules]
    allowed = Q(**{f"{prefix}case_type__in": plain}) if plain else Q(pk__in=[])
    for t in types:
        if t in rules:
            allowed |= Q(**{f"{prefix}case_type": t}) & rules[t](user, prefix)
    return allowed & member


def scope_cases(
    user: Any,
    queryset: QuerySet[M],
    *,
    case_types: list[str],
    prefix: str = "",
    rules: Mapping[str, ScopeRule] | None = None,
) -> QuerySet[M]:
    """The rows of ``queryset`` (cases, or rows with a case at ``prefix``) the user may see."""
    from django.utils import timezone

    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    glass = Q(
        **{
            f"{prefix}break_glass__user": user,
            f"{prefix}break_glass__expires_at__gt": timezone.now(),
        }
    )
    allowed = _normal_scope(user, case_types, prefix, rules)
    if allowed is None:
        return queryset.filter(pk__in=queryset.filter(glass).values("pk"))
    # A sub-select keeps the rows distinct without DISTINCT on the outer query.
    return queryset.filter(pk__in=queryset.filter(allowed | glass).values("pk"))


def case_get_for_user(
    user: Any,
    queryset: QuerySet[M],
    *,
    id: Any,
    case_types: list[str],
    prefix: str = "",
    rules: Mapping[str, ScopeRule] | None = None,
) -> M:
    """One case (or case-scoped row) through the need-to-know scope; Http404 outside it.

    A refusal is audited (``case.access_refused``) and looks exactly like a missing case;
    a view is audited as ``case.view`` (or ``case.break_glass_view`` when only a
    break-glass grant lets the user in).
    """
    label = queryset.model._meta.label
    try:
        obj = scope_cases(user, queryset, case_types=case_types, prefix=prefix, rules=rules).get(
            pk=id
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        audit_record(
            actor=user,
            action=AccessAction.CASE_NOT_FOUND,
            object_type=label,
            object_id=str(id)[:64],
        )
        raise Http404("Not found.") from exc
    action = (
        AccessAction.CASE_VIEW
        if _in_normal_scope(user, queryset, obj.pk, case_types, prefix, rules)
        else AccessAction.CASE_BREAK_GLASS_VIEW
    )
    audit_record(actor=user, action=action, obj=obj)
    return obj


def _in_normal_scope(
    user: Any,
    queryset: QuerySet[M],
    pk: Any,
    case_types: list[str],
    prefix: str,
    rules: Mapping[str, ScopeRule] | None = None,
) -> bool:
    allowed = _normal_scope(user, case_types, prefix, rules)
    return allowed is not None and queryset.filter(Q(pk=pk) & allowed).exists()
