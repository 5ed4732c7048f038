"""Pages of the Strategic Assessment: versions, run, view, downloads, compare."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from saferhub.assessment import selectors
from saferhub.assessment.build import all_tables
from saferhub.assessment.forms import AssessmentRunForm
from saferhub.assessment.render import render as render_output
from saferhub.assessment.render import report_context
from saferhub.assessment.sources import AreaNotFound, force_areas
from saferhub.core.exports import EXPORT_FORMATS, XLSX_TYPE, table_response
from saferhub.core.jobs import job_start
from saferhub.core.views import PermissionRequiredView

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": XLSX_TYPE,
    "figures": "text/csv; charset=utf-8",
}
# The file name's ending for each download (the figures are a CSV file).
EXTENSIONS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "figures": "figures.csv"}


class VersionListView(PermissionRequiredView):
    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest) -> HttpResponse:
        versions = selectors.version_list(user=request.user).select_related("created_by")
        return render(request, "assessment/index.html", {"versions": versions[:200]})


def _areas() -> list[tuple[str, str]]:
    try:
        return force_areas()
    except (OSError, AreaNotFound):
        return []


class RunView(PermissionRequiredView):
    permission_required = "assessment.run_assessment"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AssessmentRunForm(areas=_areas())
        return render(request, "assessment/run.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AssessmentRunForm(request.POST, areas=_areas())
        if not form.is_valid():
            return render(request, "assessment/run.html", {"form": form}, status=400)
        area = form.cleaned_data["area"]
        name = dict(_areas()).get(area, area)
        job = job_start(
            kind="assessment.run",
            title=f"Strategic Assessment: {name}",
            params={
                "area": area,
                "first_month": form.cleaned_data["first_month"] or None,
                "last_month": form.cleaned_data["last_month"] or None,
            },
            user=request.user,
        )
        return HttpResponseRedirect(reverse("core:job", args=[job.pk]))


class VersionView(PermissionRequiredView):
    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = selectors.version_get_for_user(user=request.user, id=pk)
        context = report_context(version.data, mode="page")
        context["version"] = version
        others = selectors.version_list(user=request.user).filter(area_code=version.area_code)
        context["others"] = others.exclude(pk=version.pk)[:20]
        return render(request, "assessment/version.html", context)


class DownloadView(PermissionRequiredView):
    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        version = selectors.version_get_for_user(user=request.user, id=pk)
        if fmt not in CONTENT_TYPES:
            raise Http404("Unknown format.")
        response = HttpResponse(render_output(version.data, fmt), content_type=CONTENT_TYPES[fmt])
        name = f"assessment-{version.area_code}-{version.period_from}-{version.period_to}-v{version.pk}"
        disposition = "inline" if fmt == "pdf" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{name}.{EXTENSIONS[fmt]}"'
        return response


class TableView(PermissionRequiredView):
    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        version = selectors.version_get_for_user(user=request.user, id=pk)
        tables = {t["key"]: t for t in all_tables(version.data)}
        if key not in tables:
            raise Http404("No such table.")
        fmt = request.GET.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            fmt = "csv"
        t = tables[key]
        return table_response(
            columns=t["columns"],
            rows=t["rows"],
            filename=f"assessment-{version.area_code}-v{version.pk}-{key}",
            fmt=fmt,
            title=t["title"],
        )


class CompareView(PermissionRequiredView):
    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest) -> HttpResponse:
        versions = selectors.version_list(user=request.user)
        context: dict[str, Any] = {"versions": versions[:200], "error": ""}
        old_id, new_id = request.GET.get("old"), request.GET.get("new")
        if old_id and new_id:
            if not (old_id.isdigit() and new_id.isdigit()):
                context["error"] = "Choose two versions from the lists."
            else:
                old = selectors.version_get_for_user(user=request.user, id=int(old_id))
                new = selectors.version_get_for_user(user=request.user, id=int(new_id))
                context.update(
                    old=old,
                    new=new,
                    changes=selectors.version_compare(old.data, new.data),
                    same=old.content_hash == new.content_hash,
                )
        return render(request, "assessment/compare.html", context)
