"""Edit pages for budget lines, projects and risks: the existing services do the checks,
so a closed year, a profile that does not add up or an unknown offence group is a message
on the field and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from saferhub.accounts.access import require_permission
from saferhub.governance import project_selectors as psel
from saferhub.governance import risk_selectors as rsel
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.board_views import _FormView
from saferhub.governance.forms import (
    ExpenditureLineForm,
    IncomeLineForm,
    ProjectForm,
    RiskEditForm,
)
from saferhub.governance.models import IncomeLine
from saferhub.governance.views import _actor


class _EditView(_FormView):
    """GET shows the record's values; POST saves through ``save`` or shows the messages."""

    def record(self, request: HttpRequest, pk: int) -> Any:
        raise NotImplementedError

    def initial(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in self.form_class.base_fields}

    def save(self, request: HttpRequest, record: Any, data: dict[str, Any]) -> HttpResponse:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record(request, pk)
        return self.page(
            request, self.form_class(initial=self.initial(record)), caption=str(record)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record(request, pk)
        form: Form = self.form_class(request.POST)
        if form.is_valid():
            try:
                return self.save(request, record, dict(form.cleaned_data))
            except ValidationError as exc:
                from saferhub.core.views import form_errors_from

                form_errors_from(form, exc)
        return self.page(request, form, status=400, caption=str(record))


class ExpenditureLineEditView(_EditView):
    permission_required = sel.MANAGE
    form_class = ExpenditureLineForm
    heading = "Change an expenditure line"
    button = "Save the line"

    def record(self, request: HttpRequest, pk: int) -> Any:
        return sel.expenditure_line_get_for_user(user=request.user, id=pk)

    def save(self, request: HttpRequest, record: Any, data: dict[str, Any]) -> HttpResponse:
        services.expenditure_line_edit(actor=_actor(request), line=record, **data)
        messages.success(request, f"“{record.title}” saved.")
        return redirect("governance:budget", pk=record.year_id)


class IncomeLineEditView(_EditView):
    permission_required = sel.MANAGE
    form_class = IncomeLineForm
    heading = "Change an income line"
    button = "Save the line"

    def record(self, request: HttpRequest, pk: int) -> Any:
        require_permission(request.user, sel.VIEW)
        line = IncomeLine.objects.live().select_related("year").filter(pk=pk).first()
        if line is None:
            raise Http404("No such income line.")
        return line

    def save(self, request: HttpRequest, record: Any, data: dict[str, Any]) -> HttpResponse:
        services.income_line_edit(actor=_actor(request), line=record, **data)
        messages.success(request, f"Income from {record.funder} saved.")
        return redirect("governance:budget", pk=record.year_id)


class ProjectEditView(_EditView):
    permission_required = sel.MANAGE
    form_class = ProjectForm
    heading = "Change a project or service"
    button = "Save the project"

    def record(self, request: HttpRequest, pk: int) -> Any:
        return psel.project_get_for_user(user=request.user, id=pk)

    def initial(self, record: Any) -> dict[str, Any]:
        values = super().initial(record)
        values["target_offence_groups"] = "\n".join(record.target_offence_groups)
        return values

    def save(self, request: HttpRequest, record: Any, data: dict[str, Any]) -> HttpResponse:
        services.project_edit(actor=_actor(request), project=record, **data)
        messages.success(request, f"“{record.title}” saved.")
        return redirect("governance:project", pk=record.pk)


class RiskEditView(_EditView):
    permission_required = rsel.MANAGE_RISKS
    form_class = RiskEditForm
    heading = "Change a risk"
    button = "Save the risk"

    def record(self, request: HttpRequest, pk: int) -> Any:
        return rsel.risk_get_for_user(user=request.user, id=pk)

    def initial(self, record: Any) -> dict[str, Any]:
        values = super().initial(record)
        values["actions"] = list(record.actions.all())
        return values

    def save(self, request: HttpRequest, record: Any, data: dict[str, Any]) -> HttpResponse:
        services.risk_edit(actor=_actor(request), risk=record, **data)
        messages.success(request, f"Risk “{record.title}” saved.")
        return redirect("governance:risk", pk=record.pk)
