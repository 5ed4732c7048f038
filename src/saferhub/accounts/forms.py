from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from saferhub.accounts.models import Agency, User
from saferhub.accounts.roles import ROLES
from saferhub.accounts.selectors import NO_ROLE, STATUSES


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Ask your administrator to re-enable it.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-input", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "govuk-input", "autocomplete": "current-password"}
        )

    def clean(self) -> dict[str, Any]:
        """Check the password, or refuse while the sign-in delay runs.

        Every outcome runs the password hasher exactly once (an unknown user name, an
        inactive account, a wrong or right password, an attempt during a delay), so the
        time taken tells nothing about the account.
        """
        from django.contrib.auth import authenticate
        from django.contrib.auth.hashers import make_password

        from saferhub.accounts import sign_in_delays as delays
        from saferhub.accounts.audit import audit_record
        from saferhub.accounts.audit_actions import SignInAction

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        keys = delays.keys_for(self.request, username)
        wait = delays.wait_left(keys)
        if wait:
            make_password(password)  # the same work as checking it
            delays.record_refused(keys)
            audit_record(actor=username, action=SignInAction.REFUSED_WAITING, detail=f"{wait}s")
            raise self._delayed(wait)
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            failure = delays.record_failure(keys)
            if getattr(self.request, "saferhub_inactive_password_ok", False):
                # Django's ModelBackend refuses an inactive user as if the password were
                # wrong. Say the account is disabled, but only to someone who knows its
                # password (the backend noted it, without a second check).
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
            if failure.wait:
                audit_record(
                    actor=username, action=SignInAction.DELAY_STARTED, detail=f"{failure.wait}s"
                )
                raise self._delayed(failure.wait)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        delays.record_success(keys)
        return self.cleaned_data

    def _delayed(self, wait: int) -> forms.ValidationError:
        from saferhub.accounts import sign_in_delays as delays

        if self.request is not None:
            delays.attach(self.request, wait)
        return forms.ValidationError(
            f"Too many wrong passwords. Wait {delays.describe_wait(wait)}, then try again.",
            code="delayed",
        )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        max_length=8,
        min_length=6,
        help_text="The 6-digit code from your authenticator app.",
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "The security code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The security code must contain only numbers")
        return token


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="User name")
    action = forms.CharField(required=False, label="Action")
    object_type = forms.CharField(required=False, label="Record type")
    date_from = forms.DateField(
        required=False, label="From date", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To date", widget=forms.DateInput(attrs={"type": "date"})
    )


class SetPasswordEmailForm(PasswordResetForm):
    """Django's password reset form, also for accounts that have no password yet.

    Django sends no link to a user without a usable password (meant for accounts that
    sign in elsewhere). In SaferHub such a user is one an administrator has just
    created: the link is how they choose their first password. Inactive users still
    get nothing.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        field = User.get_email_field_name()
        wanted = _folded(email)
        candidates = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        # The exact comparison Django makes (Unicode case folding), so that a look-alike
        # address can never receive another account's link.
        return (u for u in candidates if _folded(str(getattr(u, field))) == wanted)


class LimitedPasswordResetForm(SetPasswordEmailForm):
    """The public "forgotten your password" form: at most
    ``SAFERHUB_PASSWORD_RESETS_PER_HOUR`` emails an hour to one address and to one
    account, and ``SAFERHUB_PASSWORD_RESETS_PER_CLIENT_HOUR`` from one client address.
    The page says the same either way (see ``accounts/password_reset_limits.py``)."""

    _request: Any = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._request = kwargs.get("request")
        super().save(*args, **kwargs)

    def get_users(self, email: str) -> Iterator[Any]:
        from saferhub.accounts.password_reset_limits import allowed_users

        users = list(super().get_users(email))
        return iter(allowed_users(email=email, users=users, request=self._request))


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class OneUserPasswordEmailForm(SetPasswordEmailForm):
    """The password-reset email for one chosen user, sent by an administrator.

    Only that user gets a link, even when another account shares the address, and a
    failure to send is raised (Django's form only logs it), so the administrator is
    never told an email went when it did not.
    """

    def __init__(self, user: Any) -> None:
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email: str) -> Iterator[Any]:
        return iter([self.user] if self.user.is_active else [])

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.core.mail import EmailMessage
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMessage(subject, body, from_email, [to_email]).send(fail_silently=False)


# ----------------------------------------------------------------------------- users


def _role_choices(empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(key, role.name) for key, role in ROLES.items()]


class UserFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Name, user name or email",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    # Every agency, active or not: users may still belong to one no longer active.
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, label="Agency", empty_label="All agencies"
    )
    role = forms.ChoiceField(required=False, label="Role")
    status = forms.ChoiceField(required=False, label="Status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [*_role_choices("All roles"), (NO_ROLE, "No role")]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", "Any status"), *STATUSES]  # type: ignore[attr-defined]


USERNAME_RULE = "User name must contain only letters, numbers and the characters @ . + - _"


class UserAddForm(forms.Form):
    username = forms.CharField(
        label="User name",
        max_length=150,
        help_text="They sign in with it. Letters, numbers and @ . + - _ only; "
        "capital letters count.",
        error_messages={
            "required": "Enter a user name",
            "max_length": "User name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter their first name",
            "max_length": "First name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter their last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work address. The link to choose a password is sent here.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(active=True),
        label="Agency",
        empty_label="Choose an agency",
        error_messages={
            "required": "Select their agency",
            "invalid_choice": "Select one of the agencies in the list",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select one of the roles in the list",
        },
    )
    send_email = forms.BooleanField(
        required=False, initial=True, label="Email them a link to choose their password now"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices("Choose a role")  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator(message=USERNAME_RULE)(username)
        # Sign-in is case-sensitive, so "JSmith" and "jsmith" would be two accounts that
        # people cannot tell apart: refuse a name that differs only in capitals.
        taken = User.objects.filter(username__iexact=username).first()
        if taken is not None:
            raise forms.ValidationError(
                f"There is already a user with the user name {taken.username}"
            )
        return username


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select one of the roles in the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices("Choose a role")  # type: ignore[attr-defined]


class UserAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(active=True),
        label="Agency",
        empty_label="Choose an agency",
        error_messages={
            "required": "Select an agency",
            "invalid_choice": "Select one of the agencies in the list",
        },
    )


class SetPasswordRevokingTokensForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's new-password form; saving it also revokes every API token of the user."""

    def save(self, commit: bool = True) -> Any:
        from saferhub.accounts.audit import audit_record
        from saferhub.accounts.audit_actions import SignInAction
        from saferhub.accounts.models import ApiToken
        from saferhub.accounts.sign_in_delays import clear_username
        from saferhub.accounts.token_services import api_tokens_revoke_all

        user = super().save(commit=commit)
        if commit:
            api_tokens_revoke_all(actor=user, user=user, because=ApiToken.RevokedBecause.PASSWORD)
            # The email link proved the owner: their user name's sign-in delay ends.
            if clear_username(user.get_username()):
                audit_record(actor=user, action=SignInAction.DELAY_CLEARED_BY_RESET, obj=user)
        return user


class ApiTokenIssueForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, for example the script or report that uses it.",
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        initial=30,
        help_text="At most the limit your administrator sets (90 days unless changed).",
    )
