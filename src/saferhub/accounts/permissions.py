"""DRF permission classes: the same role permissions as the pages; deny by default."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission


class HasRolePermission(BasePermission):
    """Allow only if the view names ``required_permission`` and the user's role has it.

    A view that names no permission is refused: deny by default.
    """

    message = "You do not have permission to do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        perm = getattr(view, "required_permission", None)
        if isinstance(perm, dict):
            perm = perm.get(request.method, perm.get("*"))
        return bool(perm) and user.has_perm(perm)
