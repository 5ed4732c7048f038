from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.audit import audit_record
from saferhub.accounts.forms import (
    AuditFilterForm,
    LimitedPasswordResetForm,
    LoginForm,
    SetPasswordRevokingTokensForm,
    TokenForm,
)
from saferhub.accounts.selectors import AUDIT_COLUMNS, audit_events_for_user, audit_rows
from saferhub.core.exports import table_response
from saferhub.core.views import PermissionRequiredView


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        from saferhub.accounts.sign_in_delays import remember_browser

        response = super().form_valid(form)
        remember_browser(response, self.request, form.get_user().get_username())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        from saferhub.accounts.sign_in_delays import describe_wait

        wait = getattr(self.request, "saferhub_sign_in_wait", 0)
        if wait:
            response = render(
                self.request,
                "accounts/locked.html",
                {"wait": describe_wait(wait), "wait_seconds": wait},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    img.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


WRONG_CODE = "The security code is wrong or has expired. Try the newest code."
TOO_MANY = "Too many wrong security codes in a row. Wait a minute, then enter the newest code."


def _throttled(devices: list[Any]) -> bool:
    """True when every device refuses to check codes for now, after wrong codes."""
    return bool(devices) and not any(d.verify_is_allowed()[0] for d in devices)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP authenticator: scan the code (or type the key), then confirm a code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()  # type: ignore[misc]
    if device is None:
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():  # type: ignore[misc]
            return redirect("accounts:two_factor_verify")
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)  # type: ignore[misc]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _throttled([device]):
        form.add_error("token", TOO_MANY)
        audit_record(actor=user, action="auth.2fa_failed", detail="setup, throttled")
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            audit_record(actor=user, action="auth.2fa_setup", obj=device)
            return redirect(_safe_next(request))
        form.add_error("token", WRONG_CODE)
        audit_record(actor=user, action="auth.2fa_failed", detail="setup")
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
    )


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    devices = list(devices_for_user(request.user, confirmed=True))
    if request.method == "POST" and form.is_valid() and _throttled(devices):
        form.add_error("token", TOO_MANY)
        audit_record(actor=request.user, action="auth.2fa_failed", detail="verify, throttled")
    elif request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(actor=request.user, action="auth.2fa_verified")
            return redirect(_safe_next(request))
        form.add_error("token", WRONG_CODE)
        audit_record(actor=request.user, action="auth.2fa_failed", detail="verify")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


class AuditLogView(PermissionRequiredView):
    permission_required = "accounts.view_audit"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
        qs = audit_events_for_user(user=request.user, filters=filters)
        fmt = request.GET.get("format")
        if fmt in {"csv", "xlsx"}:
            audit_record(actor=request.user, action="audit.export", detail=f"{fmt} {filters}")
            return table_response(
                columns=AUDIT_COLUMNS,
                rows=audit_rows(qs),
                filename="audit-log",
                fmt=fmt,
                title="Audit log",
            )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request, "accounts/audit.html", {"form": form, "page": page, "query": query.urlencode()}
        )


class ProfileView(PermissionRequiredView):
    permission_required = "core.view_own_jobs"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/profile.html")


# Password reset (Django's views, GOV.UK templates, open to signed-out users).
password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=LimitedPasswordResetForm,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url="/accounts/password-reset/sent/",
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=SetPasswordRevokingTokensForm,
        success_url="/accounts/password-reset/complete/",
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
