"""The accounts app's audit actions (values at most 60 characters)."""

from __future__ import annotations

from enum import StrEnum


class ApiTokenAction(StrEnum):
    """What happens to an API token, and each attributable use of one."""

    ISSUE = "api_token.issue"
    REVOKE = "api_token.revoke"
    USE = "api_token.use"
    REFUSED = "api_token.refused"
    LIST = "api_token.list"


class AuditLogAction(StrEnum):
    """Changes to the audit log's own keeping."""

    KEY_ROTATED = "audit.key_rotated"


class AccessAction(StrEnum):
    """The audit actions written by the access helpers (``accounts.access``)."""

    DENIED = "access.denied"
    PERSONAL_VIEW = "personal.view"
    CASE_VIEW = "case.view"
    CASE_NOT_FOUND = "case.access_refused"
    CASE_BREAK_GLASS_VIEW = "case.break_glass_view"


class SignInAction(StrEnum):
    """Sign-in delays and password-reset limits (``accounts/sign_in_delays.py``)."""

    DELAY_STARTED = "auth.sign_in_delay_started"
    REFUSED_WAITING = "auth.sign_in_refused_waiting"
    DELAY_CLEARED_BY_RESET = "auth.sign_in_delay_cleared"
    PASSWORD_RESET_LIMITED = "auth.password_reset_limited"
