"""Pages: upload a file to import, see the result, and keep partner column mappings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView
from saferhub.incidents.models import PartnerSource
from saferhub.incidents.partner import (
    partner_source_create,
    partner_source_list,
    partner_source_update,
)
from saferhub.incidents.upload import (
    PROBLEM_COLUMNS,
    UploadRefused,
    import_upload_start,
    upload_job_for_user,
    upload_problems,
)
from saferhub.incidents.upload_forms import PartnerSourceForm, UploadForm

PERMISSION = "incidents.import_data"
SOURCE_COLUMNS = [
    "Name",
    "Agency",
    "Default theme",
    "Date column",
    "Dates by",
    "Date format",
    "Category column",
    "Location",
    "Location columns",
    "Victim reference column",
    "Columns left out",
]


class UploadView(PermissionRequiredView):
    permission_required = PERMISSION

    def _form(self, request: HttpRequest) -> UploadForm:
        sources = list(partner_source_list())
        if request.method == "POST":
            return UploadForm(request.POST, request.FILES, sources=sources)
        return UploadForm(sources=sources)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "incidents/upload.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            kind, source = form.kind_and_source()
            try:
                job = import_upload_start(
                    actor=request.user,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    source=source,
                    dry_run=form.cleaned_data["dry_run"],
                    all_or_nothing=form.cleaned_data["all_or_nothing"],
                )
            except UploadRefused as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("core:job", job_id=job.pk)
        return render(request, "incidents/upload.html", {"form": form}, status=400)


class UploadResultView(PermissionRequiredView):
    permission_required = PERMISSION

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = upload_job_for_user(user=request.user, job_id=job_id)
        result = job.result if isinstance(job.result, dict) else {}
        problems = upload_problems(job) if job.finished else []
        return render(
            request,
            "incidents/upload_result.html",
            {
                "job": job,
                "result": result,
                "problems": problems[:100],
                "problems_total": len(problems),
                "columns": PROBLEM_COLUMNS,
            },
        )


class UploadProblemsView(PermissionRequiredView):
    """The problem rows of one import, as CSV (default) or Excel."""

    permission_required = PERMISSION

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = upload_job_for_user(user=request.user, job_id=job_id)
        fmt = request.GET.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            raise Http404("Export format must be csv or xlsx.")
        name = str((job.result or {}).get("file_name", "import")).rsplit(".", 1)[0]
        return table_response(
            columns=PROBLEM_COLUMNS,
            rows=upload_problems(job),
            filename=f"{name}-problems",
            fmt=fmt,
            title="Problems",
        )


def _source_row(s: PartnerSource) -> list[Any]:
    if s.location_kind in {"wgs84", "bng"}:
        columns = f"{s.x_column}, {s.y_column}"
    else:
        columns = s.area_column
    return [
        s.name,
        s.agency.name if s.agency else "",
        s.default_theme.name,
        s.date_column,
        s.get_date_precision_display(),
        s.date_format,
        s.category_column or "(one category: the source's name)",
        s.get_location_kind_display(),
        columns,
        s.victim_ref_column,
        ", ".join(s.ignored_columns or []),
    ]


class PartnerSourceListView(PermissionRequiredView):
    permission_required = PERMISSION

    def get(self, request: HttpRequest) -> HttpResponse:
        sources = list(partner_source_list())
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=SOURCE_COLUMNS,
                rows=[_source_row(s) for s in sources],
                filename="partner-sources",
                fmt=fmt,
                title="Partner sources",
            )
        rows = [(s, _source_row(s)) for s in sources]
        return render(
            request,
            "incidents/partner_sources.html",
            {"rows": rows, "columns": SOURCE_COLUMNS},
        )


class PartnerSourceEditView(PermissionRequiredView):
    permission_required = PERMISSION

    def _source(self, pk: int | None) -> PartnerSource | None:
        if pk is None:
            return None
        source = partner_source_list().filter(pk=pk).first()
        if source is None:
            raise Http404("No such partner source.")
        return source

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        source = self._source(pk)
        form = PartnerSourceForm(instance=source)
        return render(
            request, "incidents/partner_source_form.html", {"form": form, "source": source}
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        source = self._source(pk)
        form = PartnerSourceForm(request.POST, instance=source)
        if form.is_valid():
            mapping = form.mapping()
            try:
                if source is None:
                    name = mapping.pop("name")
                    partner_source_create(actor=request.user, name=name, **mapping)
                else:
                    # The form has already set the instance's fields: refresh, then change.
                    source.refresh_from_db()
                    partner_source_update(actor=request.user, source=source, **mapping)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(reverse("incidents:partner_sources"))
        return render(
            request,
            "incidents/partner_source_form.html",
            {"form": form, "source": source},
            status=400,
        )
