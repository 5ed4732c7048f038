"""Request context, deny-by-default login, and two-factor enforcement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from saferhub.accounts.audit import current_source_address
from saferhub.accounts.roles import requires_2fa


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or, behind ``SAFERHUB_PROXY_COUNT`` trusted
    proxies, the address the outermost of them saw (from ``X-Forwarded-For``).

    Used for the audit log's source address and for lockout by address, so that behind
    a proxy one person's wrong passwords do not lock everyone out.
    """
    from django.conf import settings

    count = int(getattr(settings, "SAFERHUB_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Make the request's source address available to services writing audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_source_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_source_address.reset(token)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless marked ``login_not_required``.

    The API authenticates with tokens inside DRF and answers 401/403 itself.
    """

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


TWO_FACTOR_EXEMPT = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/api/")


class TwoFactorMiddleware:
    """Users whose role may see personal data must set up and pass TOTP two-factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        user = getattr(request, "user", None)
        if (
            settings.SAFERHUB_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            and requires_2fa(user)
            and not user.is_verified()
        ):
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
