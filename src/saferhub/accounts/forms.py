from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


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
        try:
            return super().clean()
        except forms.ValidationError:
            # Django's ModelBackend refuses an inactive user as if the password were wrong.
            # Say the account is disabled, but only to someone who knows its password.
            user = self._inactive_user_with_this_password()
            if user is not None:
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from None
            raise

    def _inactive_user_with_this_password(self) -> Any:
        from django.contrib.auth import get_user_model

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is not None and not user.is_active and user.check_password(password):
            return user
        return None


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
        from django.contrib.auth import get_user_model

        model = get_user_model()
        field = model.get_email_field_name()
        wanted = _folded(email)
        candidates = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        # The exact comparison Django makes (Unicode case folding), so that a look-alike
        # address can never receive another account's link.
        return (u for u in candidates if _folded(str(getattr(u, field))) == wanted)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()
