"""The sign-in backend: Django's, noting when an inactive account's password was right."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class SignInBackend(ModelBackend):
    """Django's ModelBackend, with one addition: when the password of an inactive account
    is right, it says so on the request, so that the sign-in form can tell them the
    account is disabled without checking the password a second time (which would make
    an inactive account's refusal take measurably longer than anyone else's)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        self._request = request
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user: Any) -> bool:
        allowed = super().user_can_authenticate(user)
        request = getattr(self, "_request", None)
        if not allowed and request is not None:
            request.saferhub_inactive_password_ok = True  # type: ignore[attr-defined]
        return allowed
