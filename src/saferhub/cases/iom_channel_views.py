"""IOM and Channel pages: thin callers of the selectors and services, every case reached
through the need-to-know scope (``cases.selectors``), every export audited."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.accounts.audit import audit_record
from saferhub.cases import selectors as sel
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.iom import PATHWAYS
from saferhub.cases.models import ChannelReview, IomCase, IomCohort
from saferhub.cases.services.iom import iom_before_after
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView

MEMBER_COLUMNS = [
    "Case",
    "Person reference",
    "Strand",
    "Adopted",
    "De-selected",
    "Score",
    "Offences (12 months)",
    "Days since latest",
    "Mean gravity",
    "Next review",
]


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _members(user: Any, cohort: IomCohort | None = None) -> list[IomCase]:
    cases = sel.cases_for_user(user=user, case_type="iom")
    members = IomCase.objects.filter(case__in=cases).select_related("case", "cohort")
    if cohort is not None:
        members = members.filter(cohort=cohort)
    return list(members.order_by("case__reference"))


def _number(value: float) -> str:
    return (
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
    )


class IomHomeView(PermissionRequiredView):
    """Cohorts, and the worker's own list: reviews due on the members they may see."""

    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = dt.date.today()
        members = _members(request.user)
        due = [
            m
            for m in members
            if m.next_review_due and m.next_review_due <= today + dt.timedelta(days=14)
        ]
        return render(
            request,
            "cases/iom/home.html",
            {"cohorts": IomCohort.objects.all(), "due": due, "today": today},
        )


class IomCohortView(PermissionRequiredView):
    """A cohort: its members (those the user may see) with their selection inputs, and the
    cohort's offending before and after adoption (counts over every member)."""

    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cohort = IomCohort.objects.filter(pk=pk).first()
        if cohort is None:
            raise Http404("Not found.")
        members = _members(request.user, cohort)
        rows = [
            [
                m.case.reference,
                m.offender_ref,
                m.get_strand_display(),
                m.adopted_on,
                m.deselected_on,
                m.selection.get("score"),
                m.selection.get("offences_12m"),
                m.selection.get("days_since_latest"),
                m.selection.get("mean_gravity"),
                m.next_review_due,
            ]
            for m in members
        ]
        if _fmt(request):
            audit_record(
                actor=request.user,
                action=CaseAction.CASE_EXPORT,
                object_type="cases.IomCase",
                new={"format": _fmt(request), "rows": len(rows), "fields": MEMBER_COLUMNS},
            )
            return table_response(
                columns=MEMBER_COLUMNS,
                rows=rows,
                filename=f"iom-cohort-{cohort.pk}",
                fmt=_fmt(request),  # type: ignore[arg-type]
                title=cohort.name,
            )
        figures = iom_before_after(cohort=cohort, as_of=dt.date.today())
        return render(
            request,
            "cases/iom/cohort.html",
            {
                "cohort": cohort,
                "rows": rows,
                "columns": MEMBER_COLUMNS,
                "members": members,
                "figures": figures,
                "rate_before": _number(figures.rate_before),
                "rate_after": _number(figures.rate_after),
            },
        )


class IomMemberView(PermissionRequiredView):
    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        member = getattr(case, "iom", None)
        if member is None:
            raise Http404("Not found.")
        plan = {key: [] for key, _ in PATHWAYS}  # type: dict[str, list[Any]]
        for action in case.iom_plan.select_related("agency"):
            plan[action.pathway].append(action)
        return render(
            request,
            "cases/iom/member.html",
            {
                "case": case,
                "member": member,
                "plan": [(label, plan[key]) for key, label in PATHWAYS],
                "reviews": case.iom_reviews.all(),
                "offending": case.offending.all(),
            },
        )


class ChannelListView(PermissionRequiredView):
    """The Channel cases the user is named on, and their reviews due."""

    permission_required = "cases.work_channel"

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = sel.cases_for_user(user=request.user, case_type="channel").select_related("channel")
        today = dt.date.today()
        due = ChannelReview.objects.filter(
            case__in=cases, held_on__isnull=True, due_on__lte=today + dt.timedelta(days=30)
        ).select_related("case")
        return render(
            request,
            "cases/channel/list.html",
            {"cases": cases[:500], "due": due, "today": today},
        )


class ChannelCaseView(PermissionRequiredView):
    permission_required = "cases.work_channel"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        detail = getattr(case, "channel", None)
        if detail is None:
            raise Http404("Not found.")
        return render(
            request,
            "cases/channel/case.html",
            {
                "case": case,
                "detail": detail,
                "assessments": case.channel_assessments.all(),
                "plans": case.channel_plans.all(),
                "support": case.channel_support.all(),
                "reviews": case.channel_reviews.all(),
                "members": detail.panel_members.all(),
            },
        )
