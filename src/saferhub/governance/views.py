"""Pages of the budget: thin callers of the selectors, services and the workbook."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.accounts.actors import Actor
from saferhub.accounts.models import User
from saferhub.core.exports import EXPORT_FORMATS, XLSX_TYPE, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.charts import bar_svg
from saferhub.governance.forms import (
    BudgetImportForm,
    ExpenditureLineForm,
    IncomeLineForm,
    QuarterSpendForm,
    YearForm,
)
from saferhub.governance.models import FinancialYear
from saferhub.governance.workbook import ImportRefused, budget_import, budget_workbook


def _actor(request: HttpRequest) -> Actor:
    """The signed-in user (every page here requires a permission, so never anonymous)."""
    return cast(User, request.user)


def _download(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


class YearListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = [(y, sel.budget_summary(y)) for y in sel.years()]
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=["Year", "Status", "Income (£)", "Expenditure (£)", "Forecast outturn (£)"],
                rows=[
                    [
                        y.label,
                        y.get_status_display(),
                        s.income_total,
                        s.expenditure_total,
                        s.forecast_total,
                    ]
                    for y, s in rows
                ],
                filename="budget-years",
                fmt=fmt,
                title="Budget years",
            )
        return render(request, "governance/years.html", {"rows": rows})


class YearCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "governance/year_create.html", {"form": YearForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = YearForm(request.POST)
        if form.is_valid():
            try:
                year = services.year_create(actor=_actor(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Financial year {year.label} added.")
                return redirect("governance:budget", pk=year.pk)
        return render(request, "governance/year_create.html", {"form": form}, status=400)


def _tables(year: FinancialYear) -> dict[str, tuple[list[str], list[list[object]]]]:
    summary = sel.budget_summary(year)

    def rows(items: list[sel.SummaryRow]) -> list[list[object]]:
        return [[r.label, r.amount, r.percent] for r in items]

    return {
        "income": (sel.INCOME_COLUMNS, sel.income_rows(year)),
        "expenditure": (sel.EXPENDITURE_COLUMNS, sel.expenditure_rows(year)),
        "income-by-source": (["Source", "Amount (£)", "%"], rows(summary.income_by_source)),
        "income-by-funder": (["Funder", "Amount (£)", "%"], rows(summary.income_by_funder)),
        "expenditure-by-priority": (
            ["Priority", "Budget (£)", "%"],
            rows(summary.expenditure_by_priority),
        ),
    }


class BudgetView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        fmt = _download(request)
        table = request.GET.get("table", "expenditure")
        tables = _tables(year)
        if fmt and table in tables:
            columns, rows = tables[table]
            return table_response(
                columns=columns,
                rows=rows,
                filename=f"budget-{year.pk}-{table}",
                fmt=fmt,
                title=table.replace("-", " ").capitalize(),
            )
        summary = sel.budget_summary(year)
        context: dict[str, Any] = {
            "year": year,
            "summary": summary,
            "lines": sel.expenditure_lines(year),
            "income_lines": sel.income_lines(year),
            "variance": sel.variance_lines(year),
            "income_chart": bar_svg(
                rows=summary.income_by_funder,
                title=f"Income {year.label} by funder",
                chart_id="income-chart",
            ),
            "spend_chart": bar_svg(
                rows=summary.expenditure_by_priority,
                title=f"Expenditure {year.label} by priority",
                chart_id="spend-chart",
            ),
        }
        return render(request, "governance/budget.html", context)


class BudgetWorkbookView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        response = HttpResponse(budget_workbook(year), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="budget-{year.pk}.xlsx"'
        return response


class _YearFormView(PermissionRequiredView):
    permission_required = sel.MANAGE
    form_class: type[Form] = Form
    template = ""

    def _render(
        self, request: HttpRequest, year: FinancialYear, form: Form, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template, {"form": form, "year": year}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        return self._render(request, year, self.form_class())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(request, year, form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("governance:budget", pk=year.pk)
        return self._render(request, year, form, status=400)

    def save(self, request: HttpRequest, year: FinancialYear, data: dict[str, Any]) -> None:
        raise NotImplementedError


class IncomeCreateView(_YearFormView):
    form_class = IncomeLineForm
    template = "governance/income_create.html"

    def save(self, request: HttpRequest, year: FinancialYear, data: dict[str, Any]) -> None:
        line = services.income_line_create(actor=_actor(request), year=year, **data)
        messages.success(request, f"Income from {line.funder} added.")


class ExpenditureCreateView(_YearFormView):
    form_class = ExpenditureLineForm
    template = "governance/expenditure_create.html"

    def save(self, request: HttpRequest, year: FinancialYear, data: dict[str, Any]) -> None:
        profile = tuple(data.pop(f"profile_q{q}") for q in (1, 2, 3, 4))
        line = services.expenditure_line_create(
            actor=_actor(request), year=year, profile=profile, **data
        )
        messages.success(request, f"Expenditure line “{line.title}” added.")


class QuarterSpendView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = sel.expenditure_line_get_for_user(user=request.user, id=pk)
        initial = {
            "forecast_outturn": line.forecast_outturn or line.budget,
            "variance_reason": line.variance_reason,
        }
        form = QuarterSpendForm(initial=initial)
        return render(request, "governance/spend.html", {"form": form, "line": line})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = sel.expenditure_line_get_for_user(user=request.user, id=pk)
        form = QuarterSpendForm(request.POST)
        if form.is_valid():
            try:
                services.quarter_spend_record(actor=_actor(request), line=line, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    f"Quarter {form.cleaned_data['quarter']} spend on “{line.title}” saved.",
                )
                return redirect("governance:budget", pk=line.year_id)
        return render(request, "governance/spend.html", {"form": form, "line": line}, status=400)


class BudgetImportView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        return render(request, "governance/import.html", {"form": BudgetImportForm(), "year": year})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        form = BudgetImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = budget_import(
                    actor=_actor(request), year=year, filename=upload.name, content=upload.read()
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc))
            else:
                if report.saved:
                    messages.success(
                        request,
                        f"{upload.name}: {report.income_created} income and "
                        f"{report.expenditure_created} expenditure lines added, "
                        f"{report.updated} updated, {report.unchanged} unchanged.",
                    )
                    return redirect("governance:budget", pk=year.pk)
        context = {"form": form, "year": year, "report": report}
        return render(request, "governance/import.html", context, status=400)


class YearStatusView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        status = request.POST.get("status", "")
        try:
            services.year_set_status(actor=_actor(request), year=year, status=status)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Financial year {year.label} is now {status}.")
        return redirect("governance:budget", pk=year.pk)
