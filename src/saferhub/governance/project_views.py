"""Pages of funded projects and commissioned services, with their value for money."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.core.exports import table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.governance import project_selectors as psel
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.forms import OutputForm, ProjectForm
from saferhub.governance.views import _actor, _download


class ProjectListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=psel.PROJECT_COLUMNS,
                rows=psel.project_rows(),
                filename="funded-projects",
                fmt=fmt,
                title="Funded projects",
            )
        rows = [psel.value_for_money(p) for p in psel.projects().prefetch_related("outputs")]
        return render(request, "governance/projects.html", {"rows": rows})


class ProjectCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "governance/project_create.html", {"form": ProjectForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProjectForm(request.POST)
        if form.is_valid():
            try:
                project = services.project_create(actor=_actor(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"“{project.title}” added: now add its outputs.")
                return redirect("governance:project", pk=project.pk)
        return render(request, "governance/project_create.html", {"form": form}, status=400)


class ProjectDetailView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = psel.project_get_for_user(user=request.user, id=pk)
        vfm = psel.value_for_money(project)
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=[
                    "Offence group",
                    "Unit cost (£)",
                    "Price year",
                    "Crimes to prevent",
                    "Source",
                ],
                rows=[
                    [g.offence_group, g.unit_cost_gbp, g.price_year, g.crimes_to_prevent, g.source]
                    for g in vfm.break_even.groups
                ]
                + [[name, None, "", None, "No unit cost held"] for name in vfm.break_even.missing],
                filename=f"project-{project.pk}-break-even",
                fmt=fmt,
                title="Break-even",
            )
        context: dict[str, Any] = {
            "project": project,
            "vfm": vfm,
            "outcomes": project.outcomes.all(),
        }
        return render(request, "governance/project.html", context)


class OutputAddView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def _render(
        self, request: HttpRequest, project: Any, form: OutputForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "governance/output_add.html", {"form": form, "project": project}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = psel.project_get_for_user(user=request.user, id=pk)
        return self._render(request, project, OutputForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = psel.project_get_for_user(user=request.user, id=pk)
        form = OutputForm(request.POST)
        if form.is_valid():
            try:
                services.project_output_add(
                    actor=_actor(request), project=project, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("governance:project", pk=project.pk)
        return self._render(request, project, form, status=400)
