"""API token pages: your tokens (issue, revoke) and, for administrators, everyone's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.accounts import token_services as ts
from saferhub.accounts.audit import audit_record
from saferhub.accounts.audit_actions import ApiTokenAction
from saferhub.accounts.forms import ApiTokenIssueForm
from saferhub.accounts.roles import requires_2fa
from saferhub.core.views import PermissionRequiredView, form_errors_from

OWN = "core.view_own_jobs"


def _rows(tokens: Any) -> list[dict[str, Any]]:
    return [{"token": t, "status": ts.api_token_status(t)} for t in tokens]


class ApiTokenListView(PermissionRequiredView):
    """Your tokens, a form to issue one, and (administrators) every user's tokens."""

    permission_required = OWN

    def _page(self, request: HttpRequest, form: ApiTokenIssueForm, key: str = "") -> HttpResponse:
        user: Any = request.user
        everyone = user.has_perm(ts.MANAGE_USERS)
        if everyone:
            audit_record(actor=user, action=ApiTokenAction.LIST, detail="every user's tokens")
        return render(
            request,
            "accounts/tokens.html",
            {
                "form": form,
                "key": key,
                "own": _rows(ts.api_tokens_for_user(user=user)),
                "everyone": _rows(ts.api_tokens_for_user(user=user, everyone=True))
                if everyone
                else None,
                "needs_second_factor": requires_2fa(user),
                "max_days": ts.max_days(),
            },
            status=200 if form.is_bound is False or not form.errors else 400,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ApiTokenIssueForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenIssueForm(request.POST)
        if form.is_valid():
            try:
                issued = ts.api_token_issue(
                    actor=request.user,  # type: ignore[arg-type]
                    user=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    second_factor_verified=bool(request.user.is_verified()),  # type: ignore[union-attr]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self._page(request, ApiTokenIssueForm(), key=issued.key)
        return self._page(request, form)


class ApiTokenRevokeView(PermissionRequiredView):
    permission_required = OWN

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = ts.api_token_get_for_user(user=request.user, id=pk)  # type: ignore[arg-type]
        ts.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, f"The token {token.name} is revoked: it no longer works.")
        return redirect("accounts:tokens")
