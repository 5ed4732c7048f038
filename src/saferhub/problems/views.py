"""Pages of problems and tasking: thin callers of the selectors and services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.accounts.access import require_permission
from saferhub.accounts.models import User
from saferhub.assessment.charts import spc_svg
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.geography.loaders import geojson_text, to_wgs84
from saferhub.problems import forms as f
from saferhub.problems import place as places
from saferhub.problems import selectors as sel
from saferhub.problems import services
from saferhub.problems.measure import change_since_response, problem_series
from saferhub.problems.models import Problem
from saferhub.problems.ranking import MEASURE_TITLES, MEASURES, Ranking, rank_register
from saferhub.problems.registers import ranking_rows, register_columns


def acting(request: HttpRequest) -> User:
    """The signed-in user, as the actor of a service (every page here needs a sign-in)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _weights(request: HttpRequest) -> dict[str, float]:
    out = {}
    for m in MEASURES:
        try:
            out[m] = max(0.0, min(10.0, float(request.GET.get(f"w_{m}", "1"))))
        except ValueError:
            out[m] = 1.0
    return out


def _top_n(request: HttpRequest, default: int = 50) -> int:
    try:
        return max(1, min(500, int(request.GET.get("top", default))))
    except ValueError:
        return default


def _ranking_context(ranking: Ranking) -> dict[str, Any]:
    return {
        "ranking": ranking,
        "measures": [(m, MEASURE_TITLES[m], ranking.weights.get(m)) for m in MEASURES],
    }


class RegisterView(PermissionRequiredView):
    """The register ranked by its transparent score; CSV and Excel with every input."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        ranking = rank_register(
            problems=sel.problem_list(user=request.user).exclude(status="closed"),
            weights=_weights(request),
            top_n=_top_n(request),
        )
        fmt = _fmt(request)
        if fmt:
            return table_response(
                columns=register_columns(),
                rows=ranking_rows(ranking),
                filename="problem-register",
                fmt=fmt,
                title="Problem register, ranked",
            )
        context = _ranking_context(ranking) | {
            "closed": sel.problem_list(user=request.user, status="closed"),
            "can_create": sel.can_create(request.user),
            "top": _top_n(request),
            "query": request.GET.urlencode(),
        }
        return render(request, "problems/register.html", context)


class ProblemCreateView(PermissionRequiredView):
    permission_required = sel.VIEW

    def _check(self, request: HttpRequest) -> None:
        if not sel.can_create(request.user):
            require_permission(request.user, sel.EDIT_OWN, what=request.path)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        initial = sel.problem_initial(request.GET)
        if initial.get("lsoa_codes"):
            initial["lsoa_codes"] = ", ".join(initial["lsoa_codes"])
        initial.setdefault("lead_partner", getattr(request.user, "agency", None))
        initial.setdefault("lead_officer", request.user)
        context = {
            "form": f.ProblemForm(initial=initial),
            "heading": "Register a problem",
            "draw": draw_context(initial.get("area")),
        }
        return render(request, "problems/problem_form.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = f.ProblemForm(request.POST)
        if form.is_valid():
            try:
                problem = services.problem_create(actor=acting(request), **form.service_values())
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Problem “{problem.title}” registered.")
                return redirect("problems:problem", pk=problem.pk)
        context = {
            "form": form,
            "heading": "Register a problem",
            "draw": draw_context(form.cleaned_data.get("area") if form.is_valid() else None),
        }
        return render(request, "problems/problem_form.html", context, status=400)


def draw_context(area: Any, problem: Problem | None = None) -> dict[str, Any]:
    """What the drawing map shows: the partnership's boundary (simplified) and the
    problem's place as it is. Without JavaScript the GeoJSON box is the way in."""
    features: list[dict[str, Any]] = []
    if area is not None and bool(getattr(area, "geometry", None)):
        shape = places.area_shape_bng(area)
        if shape is not None:
            outline = json.loads(geojson_text(to_wgs84(shape.simplify(20))))
            features.append(
                {"type": "Feature", "geometry": outline, "properties": {"role": "area"}}
            )
    if problem is not None:
        features += [
            feature | {"properties": {"role": "place"}}
            for feature in _place_geojson(problem)["features"]
        ]
    return {"type": "FeatureCollection", "features": features}


def _place_geojson(problem: Problem) -> dict[str, Any]:
    place = places.resolve(problem)
    if place.shape_bng is None:
        return {"type": "FeatureCollection", "features": []}
    shape = place.shape_bng
    if shape.geom_type in ("Point", "MultiPoint"):
        shape = shape.buffer(15)
    geometry = json.loads(geojson_text(to_wgs84(shape)))
    feature = {"type": "Feature", "geometry": geometry, "properties": {"name": problem.title}}
    return {"type": "FeatureCollection", "features": [feature]}


class ProblemDetailView(PermissionRequiredView):
    """A problem: register details, the OSARA task list, live measurement, chart, map."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = sel.problem_get_for_user(user=request.user, id=pk)
        series = problem_series(problem)
        table = {
            "title": f"{problem.title}: incidents per month",
            "rows": [
                [r["period"], r["value"], r["centre"], r["lower"], r["upper"], r["signal"]]
                for r in series.spc
            ],
        }
        fmt = _fmt(request)
        if fmt:
            return table_response(
                columns=["Month", "Count", "Since the response", "SPC signal"],
                rows=[
                    [
                        r["month"],
                        "gap in the source" if r["gap"] else r["count"],
                        "yes" if r["after_response"] else "",
                        (r["spc"] or {}).get("signal_description", ""),
                    ]
                    for r in series.rows
                ],
                filename=f"problem-{problem.pk}-months",
                fmt=fmt,
                title=str(table["title"]),
            )
        assessment = (
            getattr(problem, "assessment", None) if hasattr(problem, "assessment") else None
        )
        context = {
            "problem": problem,
            "series": series,
            "change": change_since_response(series),
            "chart": spc_svg(table, chart_id="problem-chart") if table["rows"] else "",
            "assessment": assessment,
            "can_edit": sel.can_edit(request.user, problem),
            "place_geojson": _place_geojson(problem),
            "actions": list(problem.actions.all()),
            "decisions": list(problem.decisions.select_related("meeting")),
        }
        return render(request, "problems/problem.html", context)


def _editable(request: HttpRequest, pk: int) -> Problem:
    problem = sel.problem_get_for_user(user=request.user, id=pk)
    if not sel.can_edit(request.user, problem):
        require_permission(request.user, sel.MANAGE, what=request.path)
        raise PermissionDenied("You do not lead this problem.")
    return problem


class ProblemEditView(PermissionRequiredView):
    """The register's details of a problem: title, kind, place, categories and themes,
    owner, partners, status and review date, through ``problem_edit``."""

    permission_required = sel.VIEW

    def _render(
        self, request: HttpRequest, problem: Problem, form: Form, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "problem": problem,
            "heading": "Change the problem",
            "draw": draw_context(problem.area, problem),
        }
        return render(request, "problems/problem_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.ProblemEditForm(initial=f.ProblemEditForm.initial_of(problem))
        return self._render(request, problem, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.ProblemEditForm(request.POST)
        if form.is_valid():
            try:
                services.problem_edit(
                    actor=acting(request), problem=problem, **form.service_values()
                )
            except ValidationError as exc:
                problem.refresh_from_db()  # the service changed the object, not the database
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Problem “{problem.title}” changed.")
                return redirect("problems:problem", pk=problem.pk)
        return self._render(request, problem, form, status=400)


STEPS: dict[str, tuple[str, type[Form]]] = {
    "objective": ("Objective", f.ObjectiveForm),
    "scanning": ("Scanning", f.ScanningForm),
    "analysis": ("Analysis: the problem analysis triangle", f.AnalysisForm),
}


class OsaraStepView(PermissionRequiredView):
    permission_required = sel.VIEW

    def _step(self, step: str) -> tuple[str, type[Form]]:
        if step not in STEPS:
            from django.http import Http404

            raise Http404("No such step.")
        return STEPS[step]

    def get(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        problem = _editable(request, pk)
        title, form_class = self._step(step)
        initial = {name: getattr(problem, name) for name in form_class.base_fields}
        context = {"problem": problem, "title": title, "form": form_class(initial=initial)}
        return render(request, "problems/step.html", context)

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        problem = _editable(request, pk)
        title, form_class = self._step(step)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.osara_record(actor=acting(request), problem=problem, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{title} recorded.")
                return redirect("problems:problem", pk=problem.pk)
        context = {"problem": problem, "title": title, "form": form}
        return render(request, "problems/step.html", context, status=400)


class ResponseActionView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        initial = {"lead_partners": [problem.lead_partner], "lead_officer": problem.lead_officer}
        form = f.ResponseActionForm(initial=initial)
        return render(request, "problems/response.html", {"problem": problem, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.ResponseActionForm(request.POST)
        if form.is_valid():
            try:
                action = services.response_action_add(
                    actor=acting(request), problem=problem, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action {action.reference} added to the response.")
                return redirect("problems:problem", pk=problem.pk)
        context = {"problem": problem, "form": form}
        return render(request, "problems/response.html", context, status=400)


class AssessmentView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        return render(
            request,
            "problems/assessment.html",
            {"problem": problem, "form": f.AssessmentForm(problem=problem)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.AssessmentForm(request.POST, problem=problem)
        if form.is_valid():
            try:
                services.assessment_record(
                    actor=acting(request), problem=problem, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Assessment recorded.")
                return redirect("problems:problem", pk=problem.pk)
        context = {"problem": problem, "form": form}
        return render(request, "problems/assessment.html", context, status=400)


class StatusView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.StatusForm(initial={"status": problem.status})
        return render(request, "problems/status.html", {"problem": problem, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = _editable(request, pk)
        form = f.StatusForm(request.POST)
        if form.is_valid():
            try:
                services.problem_status_set(
                    actor=acting(request), problem=problem, status=form.cleaned_data["status"]
                )
            except ValidationError as exc:
                problem.refresh_from_db()
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Status: {problem.get_status_display()}.")
                return redirect("problems:problem", pk=problem.pk)
        context = {"problem": problem, "form": form}
        return render(request, "problems/status.html", context, status=400)
