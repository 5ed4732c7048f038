"""The audit actions written by the access helpers (``accounts.access``)."""

from enum import StrEnum


class AccessAction(StrEnum):
    DENIED = "access.denied"
    PERSONAL_VIEW = "personal.view"
    CASE_VIEW = "case.view"
    CASE_NOT_FOUND = "case.access_refused"
    CASE_BREAK_GLASS_VIEW = "case.break_glass_view"
