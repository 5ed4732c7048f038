"""Reads of case work, every one through the need-to-know scope of ``accounts.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.access import case_get_for_user as _case_get
from saferhub.accounts.access import scope_cases
from saferhub.cases import registry
from saferhub.cases.models import Case, Party


def _types() -> list[str]:
    return [t.key for t in registry.all_types()]


def cases_for_user(*, user: Any, case_type: str | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see (optionally of one type), newest first."""
    queryset = Case.objects.select_related("lead_agency", "officer")
    if case_type:
        queryset = queryset.filter(case_type=case_type)
    return scope_cases(user, queryset, case_types=_types())


def case_get_for_user(*, user: Any, id: Any) -> Case:
    """One case, or Http404 (audited) when it is outside the user's scope or missing."""
    return _case_get(
        user, Case.objects.select_related("lead_agency", "officer"), id=id, case_types=_types()
    )


def parties_for_user(*, user: Any) -> QuerySet[Party]:
    """Parties on cases the user may see (for search and subject access)."""
    return scope_cases(
        user, Party.objects.select_related("case", "person"), case_types=_types(), prefix="case__"
    )
