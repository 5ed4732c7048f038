"""OpenAPI naming that fits one API view per operation with nested serializers.

Nested ``InputSerializer``/``OutputSerializer`` classes would all be called "Input" and
"Output"; components are named after their view instead (``ActionUpdateApiInput``), and
each operation id after its view class, so no two operations can collide.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_operation_id(self) -> str:
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", self.view.__class__.__name__).lower()
        return f"{name}_{self.method.lower()}"

    def _get_serializer_name(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        cls = serializer if isinstance(serializer, type) else serializer.__class__
        outer = cls.__qualname__.split(".")
        if len(outer) > 1 and name in {"Input", "Output", "Filter", "Query"} | {
            outer[-1].removesuffix("Serializer")
        }:
            return outer[-2] + name
        return name


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    """``Authorization: Token <key>`` (SaferHub's own named, expiring tokens)."""

    target_class = "saferhub.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    """The browser session (after two-factor where the role needs it)."""

    target_class = "saferhub.accounts.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
