"""Reads of the ASB Case Review for the staff pages (applications are partnership-wide:
every ASB case worker sees them; each view of one is audited, as it holds the applicant's
details)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from saferhub.accounts.access import has_permission
from saferhub.accounts.audit import audit_record
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import CaseReviewApplication, CaseReviewRecommendation

PERMISSION = "cases.work_asb"


def applications_for_user(*, user: Any) -> QuerySet[CaseReviewApplication]:
    if not has_permission(user, PERMISSION):
        return CaseReviewApplication.objects.none()
    return CaseReviewApplication.objects.select_related("meeting").order_by("-received_date", "-id")


def application_get_for_user(*, user: Any, id: Any) -> CaseReviewApplication:
    """One application, or a 404 (the same for one the user may not see as for none)."""
    try:
        application = applications_for_user(user=user).get(pk=id)
    except (CaseReviewApplication.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
    audit_record(actor=user, action=CaseAction.CASE_REVIEW_VIEW, obj=application)
    return application


def recommendations_due(*, user: Any, today: dt.date) -> list[CaseReviewRecommendation]:
    """Recommendations not yet done, soonest first (late ones are those before ``today``)."""
    if not has_permission(user, PERMISSION):
        return []
    return list(
        CaseReviewRecommendation.objects.filter(done_on__isnull=True)
        .select_related("application", "owner")
        .order_by("due_on", "id")[:200]
    )


def is_late(application: CaseReviewApplication, today: dt.date) -> bool:
    """The decision is late: undecided past its deadline, or decided after it."""
    if application.decision:
        return bool(application.decided_on and application.decided_on > application.decision_due)
    return application.decision_due < today
