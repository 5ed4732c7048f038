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

# The error body every refusal has (core/api_errors.py, DRF's handler): {"detail": ...}
# or {field: [messages]}.
ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": True,
    "description": 'Why: {"detail": "..."} or {"<field>": ["message", ...]}',
}
ERRORS = {
    "400": "The request is not valid: a parameter or field is wrong (named in the body).",
    "401": "No valid token or session: sign in, or send Authorization: Token <key>.",
    "403": "Signed in, but the role may not do this (or two-factor is not verified).",
    "404": "No such record, or not one you may see.",
    "405": "The method is not allowed here.",
    "413": "The upload is larger than the limit.",
}


class AutoSchema(SpectacularAutoSchema):
    """Also documents the refusals every operation can give: 400 when it takes
    parameters or a body, 401 and 403 when it needs authentication, 404 when its path
    names a record, 413 for uploads; each with the error body."""

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        codes = set()
        needs_auth = bool(getattr(self.view, "permission_classes", None))
        if needs_auth:
            codes |= {"401", "403"}
        has_input = (
            self.method in {"POST", "PUT", "PATCH"}
            or bool(self._get_filter_parameters() or self.get_override_parameters())
            or self.method == "GET"
            and self._is_list_view()
        )
        if has_input:
            codes.add("400")
        if "{" in self.path:
            codes.add("404")
        if self.method in {"POST", "PUT", "PATCH"} and any(
            "multipart" in getattr(p, "media_type", "") for p in self.view.get_parsers()
        ):
            codes.add("413")
        for code in sorted(codes):
            responses.setdefault(
                code,
                {
                    "content": {"application/json": {"schema": ERROR_BODY}},
                    "description": ERRORS[code],
                },
            )
        return responses

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
