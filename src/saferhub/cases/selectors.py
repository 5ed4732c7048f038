"""Reads of case work, every one through the need-to-know scope of ``accounts.access``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.access import case_get_for_user as _case_get
from saferhub.accounts.access import has_permission, scope_cases
from saferhub.cases import registry
from saferhub.cases.models import AsbCase, Case, CaseReviewApplication, Party


def _types() -> list[str]:
    return [t.key for t in registry.all_types()]


def cases_for_user(*, user: Any, case_type: str | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see (optionally of one type), newest first."""
    queryset = Case.objects.select_related("lead_agency", "officer")
    if case_type:
        queryset = queryset.filter(case_type=case_type)
    return scope_cases(user, queryset, case_types=_types(), rules=registry.scope_rules())


def open_cases_of_officer(*, user: Any) -> QuerySet[Case]:
    """The open cases ``user`` is the officer of, within their scope. The officer filter
    is inside the scope's sub-select, so it reads the officer's rows by index, not every
    case the agency leads."""
    queryset = Case.objects.filter(officer_id=user.pk, status=Case.Status.OPEN)
    return scope_cases(user, queryset, case_types=_types())


def case_get_for_user(*, user: Any, id: Any) -> Case:
    """One case, or Http404 (audited) when it is outside the user's scope or missing."""
    return _case_get(
        user,
        Case.objects.select_related("lead_agency", "officer"),
        id=id,
        case_types=_types(),
        rules=registry.scope_rules(),
    )


def parties_for_user(*, user: Any) -> QuerySet[Party]:
    """Parties on cases the user may see (for search and subject access)."""
    return scope_cases(
        user,
        Party.objects.select_related("case", "person"),
        case_types=_types(),
        prefix="case__",
        rules=registry.scope_rules(),
    )


@dataclass(frozen=True)
class YourCases:
    """An officer's open ASB cases needing something, and Case Review decisions due."""

    reviews_due: list[AsbCase]
    not_updated: list[AsbCase]
    deadlines: list[CaseReviewApplication]


def your_open_case_count(*, user: Any) -> int:
    """How many open cases ``user`` is the officer of, among those they may see."""
    return cases_for_user(user=user).filter(officer_id=user.pk, status="open").count()


def your_cases(*, user: Any, today: dt.date) -> YourCases:
    """ "Your cases": reviews due, victims not updated, Case Review decisions awaited."""
    from saferhub.cases.services.asb import victim_update_overdue

    mine = open_cases_of_officer(user=user)
    asb = [c.asb for c in mine.select_related("asb") if hasattr(c, "asb")]
    return YourCases(
        reviews_due=[a for a in asb if a.next_review_due and a.next_review_due <= today],
        not_updated=[a for a in asb if victim_update_overdue(a, today)],
        deadlines=(
            list(CaseReviewApplication.objects.filter(decision="").order_by("decision_due")[:200])
            if has_permission(user, "cases.work_asb")
            else []
        ),
    )
