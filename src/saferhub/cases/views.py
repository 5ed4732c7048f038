"""Case-work pages: thin callers of the selectors and services, all through the access helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from saferhub.accounts.access import has_permission
from saferhub.accounts.audit import audit_record
from saferhub.cases import selectors as sel
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.forms import BreakGlassForm, ExchangeUploadForm, FiguresForm
from saferhub.cases.imports import ExchangeRefused, exchange_import, read_exchange_zip
from saferhub.cases.services.case_review import FIGURE_MEASURES, case_review_figures
from saferhub.cases.services.cases import case_break_glass
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from

PERSONAL = "accounts.view_personal_data"
CASE_COLUMNS = ["Reference", "Type", "Lead agency", "Officer", "Status", "Opened", "Closed"]


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _case_row(case: Any) -> list[Any]:
    return [
        case.reference,
        case.case_type,
        case.lead_agency.name,
        case.officer.display_name if case.officer else "",
        case.get_status_display(),
        case.opened_on,
        case.closed_on,
    ]


class CaseListView(PermissionRequiredView):
    permission_required = PERSONAL

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = sel.cases_for_user(user=request.user)
        fmt = _fmt(request)
        if fmt:
            audit_record(
                actor=request.user,
                action=CaseAction.CASE_EXPORT,
                object_type="cases.Case",
                new={"format": fmt, "rows": cases.count(), "fields": CASE_COLUMNS},
            )
            return table_response(
                columns=CASE_COLUMNS,
                rows=[_case_row(c) for c in cases],
                filename="cases",
                fmt=fmt,
                title="Cases",
            )
        return render(
            request, "cases/case_list.html", {"cases": cases[:500], "total": cases.count()}
        )


class MyCasesView(PermissionRequiredView):
    permission_required = PERSONAL

    def get(self, request: HttpRequest) -> HttpResponse:
        today = dt.date.today()
        found = sel.your_cases(user=request.user, today=today)
        reviews_due, not_updated, deadlines = found.reviews_due, found.not_updated, found.deadlines
        rows = (
            [["Review due", a.case.reference, a.next_review_due] for a in reviews_due]
            + [["Victim not updated", a.case.reference, a.last_victim_update] for a in not_updated]
            + [["Case Review decision due", a.application_ref, a.decision_due] for a in deadlines]
        )
        fmt = _fmt(request)
        if fmt:
            audit_record(
                actor=request.user,
                action=CaseAction.CASE_EXPORT,
                object_type="cases.Case",
                new={"format": fmt, "rows": len(rows), "list": "your cases"},
            )
            return table_response(
                columns=["List", "Reference", "Date"],
                rows=rows,
                filename="your-cases",
                fmt=fmt,
                title="Your cases",
            )
        from saferhub.cases.repeat_victims import repeat_flags
        from saferhub.cases.review_selectors import recommendations_due

        open_cases = list(sel.open_cases_of_officer(user=request.user))
        flags = repeat_flags(case_ids=[c.pk for c in open_cases], today=today)
        return render(
            request,
            "cases/my_cases.html",
            {
                "reviews_due": reviews_due,
                "not_updated": not_updated,
                "deadlines": deadlines,
                "today": today,
                "repeat": [(c, flags[c.pk]) for c in open_cases if c.pk in flags],
                "recommendations": recommendations_due(user=request.user, today=today),
            },
        )


class CaseDetailView(PermissionRequiredView):
    """One case. Case workers reach it through their scope; a role holding break-glass
    reaches it only through an unexpired grant (the access helper decides, with a 404)."""

    permission_required = PERSONAL

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if has_permission(request.user, "cases.break_glass"):
            return View.dispatch(self, request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        asb = getattr(case, "asb", None)
        parties = list(case.parties.select_related("person"))
        context: dict[str, Any] = {"case": case, "asb": asb, "parties": parties}
        if asb is not None:
            from saferhub.cases.case_pages import asb_case_context

            context.update(asb_case_context(request.user, case, has_parties=bool(parties)))
        return render(request, "cases/case_detail.html", context)


class BreakGlassView(PermissionRequiredView):
    permission_required = "cases.break_glass"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "cases/break_glass.html", {"form": BreakGlassForm(), "pk": pk})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            try:
                case_break_glass(actor=request.user, case_id=pk, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:detail", args=[pk]))
        return render(request, "cases/break_glass.html", {"form": form, "pk": pk}, status=400)


class ExchangeImportView(PermissionRequiredView):
    permission_required = "cases.work_asb"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/import.html", {"form": ExchangeUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExchangeUploadForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                files = (
                    read_exchange_zip(upload.read())
                    if upload.name.endswith(".zip")
                    else {upload.name.rsplit("/", 1)[-1]: upload.read()}
                )
                context["report"] = exchange_import(
                    actor=request.user,  # type: ignore[arg-type]
                    files=files,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ExchangeRefused as exc:
                form.add_error("file", str(exc))
        status = 200 if form.is_valid() and not form.errors else 400
        if "report" in context and context["report"].ok and not context["report"].dry_run:
            messages.success(request, "The exchange set was imported.")
        return render(request, "cases/import.html", context, status=status)


class FiguresView(PermissionRequiredView):
    permission_required = "cases.view_case_review_figures"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = FiguresForm(request.GET or None)
        figures = None
        if form.is_valid():
            try:
                figures = case_review_figures(
                    year=form.cleaned_data["year"], threshold=form.cleaned_data["threshold"]
                )
            except ValueError as exc:
                form.add_error("year", str(exc))
        fmt = _fmt(request)
        if figures is not None and fmt:
            return table_response(
                columns=["measure", "value"],
                rows=list(figures.items()),
                filename=f"case-review-figures-{form.cleaned_data['year'].replace('/', '-')}",
                fmt=fmt,
                title="ASB Case Review figures",
            )
        return render(
            request,
            "cases/figures.html",
            {
                "form": form,
                "figures": figures,
                "measures": FIGURE_MEASURES,
                "query": request.GET.urlencode(),
            },
        )
