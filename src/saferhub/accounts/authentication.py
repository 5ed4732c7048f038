"""How the API knows who is asking: a SaferHub API token, or a browser session that has
passed the second factor where the user's role needs one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import authentication, exceptions

from saferhub.accounts.roles import requires_2fa
from saferhub.accounts.token_services import TokenRefused, api_token_authenticate

SECOND_FACTOR_NEEDED = (
    "Your role needs two-factor authentication: enter the code from your authenticator "
    "app on the sign-in pages first, or use an API token."
)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` with a live (named, unexpired, unrevoked) token."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        try:
            token = api_token_authenticate(key=key, method=request.method, path=request.path)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, refused for a role that needs two-factor until it is passed."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if (
            settings.SAFERHUB_REQUIRE_2FA
            and requires_2fa(user)
            and not getattr(request._request.user, "is_verified", lambda: False)()
        ):
            raise exceptions.NotAuthenticated(SECOND_FACTOR_NEEDED)
        return result
