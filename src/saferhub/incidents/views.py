"""Pages for analysts: the import ledger, row problems, the taxonomy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.accounts.access import get_for_user, require_permission
from saferhub.accounts.audit import audit_record
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.periods import format_month
from saferhub.core.views import PermissionRequiredView
from saferhub.incidents import selectors, services
from saferhub.incidents.audit_actions import RowProblemAction
from saferhub.incidents.models import Category, ImportBatch, Theme

IMPORT_COLUMNS = [
    "file",
    "kind",
    "imported",
    "first month",
    "last month",
    "rows read",
    "loaded",
    "already held",
    "refused",
    "warnings",
    "no location",
    "sha256",
]
PROBLEM_COLUMNS = ["row", "column", "value", "problem", "severity"]


def import_rows(qs: Any) -> list[list[Any]]:
    return [
        [
            b.file_name,
            b.get_kind_display(),
            b.created_at.strftime("%Y-%m-%d %H:%M"),
            format_month(b.first_month) if b.first_month else "",
            format_month(b.last_month) if b.last_month else "",
            b.rows_read,
            b.rows_loaded,
            b.rows_duplicate,
            b.rows_refused,
            b.rows_warning,
            b.rows_no_location,
            b.sha256,
        ]
        for b in qs
    ]


class DataHomeView(PermissionRequiredView):
    """The imports list: every file in the ledger with its counts."""

    permission_required = "incidents.view_incident_counts"

    def get(self, request: HttpRequest) -> HttpResponse:
        batches = selectors.batch_list()
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=IMPORT_COLUMNS,
                rows=import_rows(batches),
                filename="imports",
                fmt=fmt,
                title="Imports",
            )
        totals = {
            "files": batches.count(),
            "rows": sum(b.rows_loaded for b in batches),
            "refused": sum(b.rows_refused for b in batches),
        }
        return render(request, "incidents/home.html", {"batches": batches[:200], "totals": totals})


class ProblemsView(PermissionRequiredView):
    """The refused and warned rows of one imported file (page, CSV, Excel)."""

    permission_required = "incidents.view_incident_counts"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_for_user(
            request.user, ImportBatch.objects.all(), id=pk, perm=self.permission_required
        )
        problems = selectors.batch_problems(batch)
        fmt = request.GET.get("format")
        rows = [[p.row_number, p.column, p.value, p.problem, p.severity] for p in problems]
        if fmt in EXPORT_FORMATS:
            audit_record(actor=request.user, action=RowProblemAction.EXPORT, obj=batch, detail=fmt)
            return table_response(
                columns=PROBLEM_COLUMNS,
                rows=rows,
                filename=f"row-problems-{batch.pk}",
                fmt=fmt,
                title="Row problems",
            )
        audit_record(actor=request.user, action=RowProblemAction.VIEW, obj=batch, detail="page")
        return render(
            request, "incidents/problems.html", {"batch": batch, "problems": problems[:500]}
        )


class TaxonomyView(PermissionRequiredView):
    """Which categories count towards which themes."""

    permission_required = "incidents.view_incident_counts"

    def get(self, request: HttpRequest) -> HttpResponse:
        categories = selectors.category_list()
        themes = selectors.theme_list()
        rows = [[c.name, c.source, ", ".join(t.name for t in c.themes.all())] for c in categories]
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=["category", "source", "themes"],
                rows=rows,
                filename="taxonomy",
                fmt=fmt,
                title="Taxonomy",
            )
        return render(
            request,
            "incidents/taxonomy.html",
            {
                "categories": categories,
                "themes": themes,
                "can_edit": request.user.has_perm("incidents.manage_taxonomy"),
            },
        )


class CategoryThemesForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="Themes this category counts towards",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t.key, t.name) for t in Theme.objects.all()]  # type: ignore[attr-defined]


class CategoryEditView(PermissionRequiredView):
    permission_required = "incidents.manage_taxonomy"

    def _category(self, pk: int) -> Category:
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise Http404("No such category.")
        return category

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = self._category(pk)
        form = CategoryThemesForm(
            initial={"themes": list(category.themes.values_list("key", flat=True))}
        )
        return render(request, "incidents/category_edit.html", {"category": category, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_permission(request.user, self.permission_required)
        category = self._category(pk)
        form = CategoryThemesForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "incidents/category_edit.html",
                {"category": category, "form": form},
                status=400,
            )
        services.category_set_themes(
            actor=request.user, category=category, theme_keys=form.cleaned_data["themes"]
        )
        messages.success(request, f"Themes of {category.name} saved.")
        return redirect("incidents:taxonomy")
