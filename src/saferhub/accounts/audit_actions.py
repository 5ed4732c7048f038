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
