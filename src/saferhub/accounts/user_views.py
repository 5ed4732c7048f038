"""User administration: the list of users, adding one, and each user's page and actions.

Every page needs ``accounts.manage_users`` (administrators). Each action is a POST
form through a service in ``saferhub.accounts.services``, which writes the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.accounts import selectors as sel
from saferhub.accounts import services
from saferhub.accounts.audit import audit_record
from saferhub.accounts.forms import UserAddForm, UserAgencyForm, UserFilterForm, UserRoleForm
from saferhub.accounts.models import User
from saferhub.accounts.roles import ROLES, role_of
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from

EMAIL_FAILED = (
    "The email could not be sent. Try again later, or ask your IT team to check "
    "SaferHub's email settings."
)


class UserListView(PermissionRequiredView):
    permission_required = sel.MANAGE_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = UserFilterForm(request.GET or None)
        filters = sel.UserFilters(**form.cleaned_data) if form.is_valid() else sel.UserFilters()
        users = sel.users_for_user(user=request.user, filters=filters)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            audit_record(actor=request.user, action="user.export", detail=f"{fmt} {filters}")
            return table_response(
                columns=sel.USER_COLUMNS,
                rows=sel.user_export_rows(users),
                filename="users",
                fmt=fmt,
                title="Users",
            )
        page = Paginator(users, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        return render(
            request,
            "accounts/users.html",
            {
                "form": form,
                "page": page,
                "rows": sel.user_rows(list(page)),
                "query": query.urlencode(),
            },
        )


def _send_password_email(request: HttpRequest, account: User) -> None:
    services.user_password_email(
        actor=request.user, user=account, domain=request.get_host(), use_https=request.is_secure()
    )


class UserAddView(PermissionRequiredView):
    permission_required = sel.MANAGE_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, UserAddForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    email=data["email"],
                    agency=data["agency"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                created = f"{account.display_name}’s account was created."
                if not data["send_email"]:
                    messages.success(request, created)
                else:
                    self._email(request, account, created)
                return redirect("accounts:user", pk=account.pk)
        return self._page(request, form)

    def _email(self, request: HttpRequest, account: User, created: str) -> None:
        try:
            _send_password_email(request, account)
        except (ValidationError, OSError):
            messages.success(request, created)
            messages.warning(request, EMAIL_FAILED)
        else:
            messages.success(
                request,
                f"{created} We have emailed {account.email} a link to choose their password.",
            )

    def _page(self, request: HttpRequest, form: UserAddForm) -> HttpResponse:
        return render(request, "accounts/user_add.html", {"form": form, "roles": ROLES.values()})


def _render_user(
    request: HttpRequest,
    account: User,
    *,
    role_form: UserRoleForm | None = None,
    agency_form: UserAgencyForm | None = None,
    refusal: tuple[str, str] | None = None,
) -> HttpResponse:
    """The user's page; after a refused action, with its form's errors or the refusal
    (message, id of the button it concerns) in the error summary."""
    role = role_of(account)
    failures = sel.failed_sign_ins(account.username)
    error_form = next((f for f in (role_form, agency_form) if f is not None and f.errors), None)
    return render(
        request,
        "accounts/user.html",
        {
            "account": account,
            "account_role": role,
            "locked": account.username in sel.locked_usernames(),
            "failures": failures,
            "is_self": account.pk == request.user.pk,
            "only_administrator": sel.is_only_active_administrator(account),
            "role_form": role_form or UserRoleForm(initial={"role": role.key if role else ""}),
            "agency_form": agency_form or UserAgencyForm(initial={"agency": account.agency_id}),
            "error_form": error_form,
            "refusal": refusal,
        },
    )


class UserDetailView(PermissionRequiredView):
    permission_required = sel.MANAGE_USERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _render_user(request, sel.user_get_for_user(user=request.user, id=pk))


class _UserActionView(PermissionRequiredView):
    """One action on one user: a POST only, then back to the user's page."""

    permission_required = sel.MANAGE_USERS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.act(request, sel.user_get_for_user(user=request.user, id=pk))

    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        raise NotImplementedError

    def done(self, request: HttpRequest, account: User, message: str) -> HttpResponse:
        messages.success(request, message)
        return redirect("accounts:user", pk=account.pk)


class UserRoleView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        form = UserRoleForm(request.POST)
        if form.is_valid():
            role = ROLES[form.cleaned_data["role"]]
            try:
                services.user_set_role(actor=request.user, user=account, role=role.key)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if account.pk == request.user.pk and not (
                    sel.MANAGE_USERS in role.permissions or account.is_superuser
                ):
                    # They have just given up managing users: these pages are closed to them.
                    messages.success(request, f"Your role is now {role.name}.")
                    return redirect("core:home")
                return self.done(request, account, f"{account.display_name} is now {role.name}.")
        return _render_user(request, account, role_form=form)


class UserAgencyView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        form = UserAgencyForm(request.POST)
        if form.is_valid():
            agency = form.cleaned_data["agency"]
            try:
                services.user_set_agency(actor=request.user, user=account, agency=agency)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.done(
                    request, account, f"{account.display_name} is now in {agency.name}."
                )
        return _render_user(request, account, agency_form=form)


class UserDeactivateView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        try:
            services.user_set_active(actor=request.user, user=account, active=False)
        except ValidationError as exc:
            return _render_user(request, account, refusal=(" ".join(exc.messages), "deactivate"))
        return self.done(
            request,
            account,
            f"{account.display_name}’s account is deactivated: they can no longer sign in.",
        )


class UserReactivateView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        services.user_set_active(actor=request.user, user=account, active=True)
        return self.done(request, account, f"{account.display_name}’s account is active again.")


class UserUnlockView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        services.user_unlock(actor=request.user, user=account)
        return self.done(
            request,
            account,
            f"{account.display_name}’s failed sign-ins are cleared: they can sign in again.",
        )


class UserTwoFactorResetView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        services.user_two_factor_reset(actor=request.user, user=account)
        return self.done(
            request,
            account,
            f"{account.display_name}’s two-factor authentication is reset: they set it up "
            "again the next time they sign in.",
        )


class UserPasswordEmailView(_UserActionView):
    def act(self, request: HttpRequest, account: User) -> HttpResponse:
        try:
            _send_password_email(request, account)
        except ValidationError as exc:
            return _render_user(
                request, account, refusal=(" ".join(exc.messages), "password-email")
            )
        except OSError:
            return _render_user(request, account, refusal=(EMAIL_FAILED, "password-email"))
        return self.done(
            request, account, f"We have emailed {account.email} a link to choose a password."
        )
