"""Pages: priorities, indicators with their judgement, forms, scorecard and reports (thin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.jobs import job_start
from saferhub.core.views import PermissionRequiredView
from saferhub.performance import reports, selectors, services
from saferhub.performance.charts import trend_svg
from saferhub.performance.forms import (
    IndicatorForm,
    MeasurementForm,
    MilestoneForm,
    PriorityForm,
    ReportForm,
    apply_errors,
)
from saferhub.performance.models import Indicator

VIEW = "performance.view_priority"
MANAGE = "performance.manage_performance"
ENTER = "performance.enter_measurement"


def _export(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


class PriorityListView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        priorities = selectors.priorities_for_user(user=request.user)
        return render(request, "performance/priorities.html", {"priorities": priorities})


class PriorityDetailView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        priority = selectors.priority_get_for_user(user=request.user, id=pk)
        indicators = selectors.indicators_for_user(user=request.user).filter(priority=priority)
        judgements = [selectors.indicator_judgement(i) for i in indicators]
        return render(
            request,
            "performance/priority.html",
            {
                "priority": priority,
                "judgements": judgements,
                "objectives": priority.objectives.live(),
            },
        )


class PriorityFormView(PermissionRequiredView):
    permission_required = MANAGE

    def _priority(self, request: HttpRequest, pk: int | None) -> Any:
        return selectors.priority_get_for_user(user=request.user, id=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        priority = self._priority(request, pk)
        initial = None
        if priority:
            initial = {
                name: getattr(priority, name)
                for name in PriorityForm.base_fields
                if name != "objectives"
            }
            initial["objectives"] = "\n".join(o.title for o in priority.objectives.live())
        return render(
            request,
            "performance/priority_form.html",
            {"form": PriorityForm(initial=initial), "priority": priority},
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        priority = self._priority(request, pk)
        form = PriorityForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            objectives = (data.pop("objectives") or "").splitlines()
            try:
                if priority:
                    priority = services.priority_update(
                        actor=request.user, priority=priority, **data
                    )
                else:
                    priority = services.priority_create(
                        actor=request.user, title=data.pop("title"), **data
                    )
                services.priority_set_objectives(
                    actor=request.user, priority=priority, titles=objectives
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Priority “{priority.title}” saved.")
                return redirect("performance:priority", pk=priority.pk)
        return render(
            request,
            "performance/priority_form.html",
            {"form": form, "priority": priority},
            status=400,
        )


class IndicatorDetailView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        judgement = selectors.indicator_judgement(indicator)
        columns = ["Month or period", "Value", "Milestone", "Target"]
        rows = [
            [
                r["month"],
                None if r.get("rolling") is None else round(r["rolling"], indicator.decimals),
                r.get("milestone"),
                judgement.target,
            ]
            for r in judgement.series
        ]
        fmt = _export(request)
        if fmt:
            return table_response(
                columns=columns,
                rows=rows,
                filename=f"indicator-{indicator.pk}",
                fmt=fmt,
                title=str(indicator)[:31],
            )
        what = (
            "rolling 12-month total"
            if indicator.kind == Indicator.Kind.INCIDENT_COUNT
            else "rolling 12-month rate"
            if indicator.kind == Indicator.Kind.INCIDENT_RATE
            else "value"
        )
        chart = trend_svg(
            series=judgement.series,
            target=judgement.target,
            baseline=judgement.baseline,
            title=f"{indicator}: {what}, milestones and target",
            description=f"{judgement.status.rule} The data table below gives every figure.",
            decimals=indicator.decimals,
        )
        return render(
            request,
            "performance/indicator.html",
            {
                "indicator": indicator,
                "j": judgement,
                "chart": chart,
                "series_label": what,
                "rows": rows,
                "milestones": selectors.live_milestones(indicator),
                "history": selectors.measurement_history(indicator)[:50],
                "can_enter": services.can_enter_for(request.user, indicator),
            },
        )


class IndicatorFormView(PermissionRequiredView):
    permission_required = MANAGE

    def _indicator(self, request: HttpRequest, pk: int | None) -> Indicator | None:
        return selectors.indicator_get_for_user(user=request.user, id=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        indicator = self._indicator(request, pk)
        initial = IndicatorForm.initial_for(indicator) if indicator else {}
        if not indicator and request.GET.get("priority"):
            initial["priority"] = request.GET["priority"]
        return render(
            request,
            "performance/indicator_form.html",
            {"form": IndicatorForm(initial=initial), "indicator": indicator},
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        indicator = self._indicator(request, pk)
        form = IndicatorForm(request.POST)
        if form.is_valid():
            data = form.service_fields()
            try:
                if indicator:
                    indicator = services.indicator_update(
                        actor=request.user, indicator=indicator, **data
                    )
                else:
                    priority = data.pop("priority")
                    indicator = services.indicator_create(
                        actor=request.user, priority=priority, **data
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Indicator “{indicator}” saved.")
                return redirect("performance:indicator", pk=indicator.pk)
        return render(
            request,
            "performance/indicator_form.html",
            {"form": form, "indicator": indicator},
            status=400,
        )


class MeasurementEnterView(PermissionRequiredView):
    permission_required = ENTER

    def _indicator(self, request: HttpRequest, pk: int) -> Indicator:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        if not services.can_enter_for(request.user, indicator):
            raise PermissionDenied(
                "Only officers of the lead partner, or a manager, can enter values for this "
                "indicator (and data-driven indicators are measured automatically)."
            )
        return indicator

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = self._indicator(request, pk)
        return render(
            request,
            "performance/measurement_form.html",
            {"form": MeasurementForm(), "indicator": indicator},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = self._indicator(request, pk)
        form = MeasurementForm(request.POST)
        if form.is_valid():
            try:
                services.measurement_enter(
                    actor=request.user, indicator=indicator, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Value saved.")
                return redirect("performance:indicator", pk=indicator.pk)
        return render(
            request,
            "performance/measurement_form.html",
            {"form": form, "indicator": indicator},
            status=400,
        )


class MilestoneSetView(PermissionRequiredView):
    """Managers set a milestone by hand; it then stays when the baseline or target change."""

    permission_required = MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        return render(
            request,
            "performance/milestone_form.html",
            {"form": MilestoneForm(), "indicator": indicator},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_set(actor=request.user, indicator=indicator, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Milestone saved.")
                return redirect("performance:indicator", pk=indicator.pk)
        return render(
            request,
            "performance/milestone_form.html",
            {"form": form, "indicator": indicator},
            status=400,
        )


class ScorecardView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        judgements = selectors.judgements_for_user(user=request.user)
        fmt = _export(request)
        if fmt:
            return table_response(
                columns=selectors.SCORECARD_COLUMNS,
                rows=selectors.scorecard_rows(judgements),
                filename="performance-scorecard",
                fmt=fmt,
                title="Scorecard",
            )
        counts = reports.status_counts(judgements)
        return render(
            request, "performance/scorecard.html", {"judgements": judgements, "counts": counts}
        )


class YearEndView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        period = request.GET.get("period") or None
        error = ""
        try:
            rows = selectors.year_end_rows(user=request.user, period=period)
        except ValueError as exc:
            error, rows = str(exc), selectors.year_end_rows(user=request.user)
        fmt = _export(request)
        if fmt:
            return table_response(
                columns=selectors.YEAR_END_COLUMNS,
                rows=selectors.year_end_table(rows),
                filename="year-end-performance",
                fmt=fmt,
                title="Year end",
            )
        return render(
            request,
            "performance/year_end.html",
            {"rows": rows, "period": period or "", "error": error},
        )


def _report(request: HttpRequest) -> tuple[reports.BoardReport, ReportForm]:
    form = ReportForm(request.GET or None)
    quarter = None
    if form.is_valid():
        quarter = form.cleaned_data.get("quarter") or None
        try:
            return reports.board_report(user=request.user, quarter=quarter), form
        except ValueError as exc:
            form.add_error("quarter", str(exc))
    return reports.board_report(user=request.user, quarter=None), form


class BoardReportView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        report, form = _report(request)
        return render(request, "performance/board_report.html", {"report": report, "form": form})


class BoardReportPdfView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        from saferhub.performance.report_cache import board_report_pdf_cached

        report, _ = _report(request)
        pdf, cached = board_report_pdf_cached(report)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.filename}.pdf"'
        response["X-SaferHub-Cache"] = "hit" if cached else "miss"
        return response


class BoardReportXlsxView(PermissionRequiredView):
    permission_required = VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        from saferhub.core.exports import XLSX_TYPE

        report, _ = _report(request)
        response = HttpResponse(reports.board_report_xlsx(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{report.filename}.xlsx"'
        return response


class RefreshView(PermissionRequiredView):
    permission_required = MANAGE

    def post(self, request: HttpRequest) -> HttpResponse:
        job = job_start(
            kind="performance.refresh",
            title="Refresh data-driven indicators",
            params={},
            user=request.user,
        )
        return redirect(reverse("core:job", kwargs={"job_id": job.pk}))


class IndicatorPublishView(PermissionRequiredView):
    """Publish an indicator on the public site, or withdraw it (managers)."""

    permission_required = "performance.manage_performance"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        public = request.POST.get("public") == "yes"
        actor: Any = request.user  # signed in: the permission check has passed
        services.indicator_set_public(actor=actor, indicator=indicator, public=public)
        messages.success(
            request,
            "Published on the public site." if public else "Withdrawn from the public site.",
        )
        return redirect("performance:indicator", pk=indicator.pk)
