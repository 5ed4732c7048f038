from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from saferhub.accounts.roles import role_of
from saferhub.core.stages import NAMESPACE_STAGE, STAGES


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    current = NAMESPACE_STAGE.get(namespace, "")
    if namespace == "core" and match is not None and match.url_name in {s.key for s in STAGES}:
        current = match.url_name
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "nav_stages": STAGES,
        "current_stage": current,
        "user_role": role_of(user) if user is not None else None,
    }
