"""Pages of the risk register: the register with its heat map, a risk and its history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.core.exports import table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.governance import risk_selectors as rsel
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.forms import RiskForm, RiskReviewForm
from saferhub.governance.views import _actor, _download


class RiskRegisterView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = _download(request)
        if fmt and request.GET.get("table") == "heat-map":
            grid = rsel.heat_map()
            return table_response(
                columns=["Likelihood", "Impact", "Score", "Band", "Open risks"],
                rows=[
                    [c.likelihood, c.impact, c.score, c.band, c.count] for r in grid.rows for c in r
                ],
                filename="risk-heat-map",
                fmt=fmt,
                title="Heat map",
            )
        if fmt:
            return table_response(
                columns=rsel.RISK_COLUMNS,
                rows=rsel.risk_rows(),
                filename="risk-register",
                fmt=fmt,
                title="Risk register",
            )
        context: dict[str, Any] = {
            "risks": rsel.open_risks().prefetch_related("actions"),
            "after": rsel.heat_map(after_controls=True),
            "before": rsel.heat_map(after_controls=False),
            "impacts": range(1, 6),
        }
        return render(request, "governance/risks.html", context)


class RiskCreateView(PermissionRequiredView):
    permission_required = rsel.MANAGE_RISKS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "governance/risk_create.html", {"form": RiskForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RiskForm(request.POST)
        if form.is_valid():
            try:
                risk = services.risk_create(actor=_actor(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Risk “{risk.title}” added.")
                return redirect("governance:risk", pk=risk.pk)
        return render(request, "governance/risk_create.html", {"form": form}, status=400)


class RiskDetailView(PermissionRequiredView):
    permission_required = sel.VIEW

    def _render(
        self, request: HttpRequest, risk: Any, form: RiskReviewForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "risk": risk,
            "form": form,
            "ratings": risk.ratings.all(),
            "actions": risk.actions.all(),
        }
        return render(request, "governance/risk.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        risk = rsel.risk_get_for_user(user=request.user, id=pk)
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=[
                    "Rated on",
                    "Likelihood before",
                    "Impact before",
                    "Likelihood after",
                    "Impact after",
                    "Score after",
                    "Note",
                ],
                rows=[
                    [
                        r.rated_on,
                        r.likelihood_before,
                        r.impact_before,
                        r.likelihood_after,
                        r.impact_after,
                        r.score_after,
                        r.note,
                    ]
                    for r in risk.ratings.all()
                ],
                filename=f"risk-{risk.pk}-history",
                fmt=fmt,
                title="Rating history",
            )
        initial = {
            name: getattr(risk, name)
            for name in ("likelihood_before", "impact_before", "likelihood_after", "impact_after")
        }
        return self._render(
            request, risk, RiskReviewForm(initial=initial | {"review_on": risk.review_on})
        )


class RiskReviewView(PermissionRequiredView):
    permission_required = rsel.MANAGE_RISKS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        risk = rsel.risk_get_for_user(user=request.user, id=pk)
        form = RiskReviewForm(request.POST)
        if form.is_valid():
            try:
                services.risk_rescore(actor=_actor(request), risk=risk, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Review recorded.")
                return redirect("governance:risk", pk=risk.pk)
        return RiskDetailView()._render(request, risk, form, status=400)


class BoardPackView(PermissionRequiredView):
    """The quarterly Board pack: one click for the PDF, one for the workbook."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        from saferhub.core.exports import XLSX_TYPE
        from saferhub.governance.board_pack import board_pack, board_pack_pdf, board_pack_xlsx

        try:
            pack = board_pack(user=request.user, quarter=request.GET.get("quarter") or None)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("governance:board_pack")
        fmt = request.GET.get("format")
        if fmt == "pdf":
            response = HttpResponse(board_pack_pdf(pack), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{pack.filename}.pdf"'
            return response
        if fmt == "xlsx":
            response = HttpResponse(board_pack_xlsx(pack), content_type=XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{pack.filename}.xlsx"'
            return response
        return render(request, "governance/board_pack.html", {"pack": pack})
