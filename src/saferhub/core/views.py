"""Pages of the house: home, the four stages, jobs, statements, error pages."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views import View

from saferhub.accounts.access import require_permission, scope_to_user
from saferhub.core.models import Job
from saferhub.core.stages import STAGES


def form_errors_from(form: Form, exc: ValidationError) -> None:
    """Put a service's validation error on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PermissionRequiredView(View):
    """Base for every signed-in page: the role must hold ``permission_required``.

    Deny by default: a view that names no permission refuses everyone.
    """

    permission_required: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_permission(
            request.user, self.permission_required or "core.__none__", what=request.path
        )
        return super().dispatch(request, *args, **kwargs)


class HomeView(PermissionRequiredView):
    permission_required = "core.view_own_jobs"

    def get(self, request: HttpRequest) -> HttpResponse:
        from saferhub.core.home import tiles_for

        return render(
            request, "core/home.html", {"stages": STAGES, "tiles": tiles_for(request.user)}
        )


class StageView(PermissionRequiredView):
    permission_required = "core.view_own_jobs"
    stage_key = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        stage = next(s for s in STAGES if s.key == self.stage_key)
        links = [link for link in stage.links if request.user.has_perm(link.permission)]
        return render(request, "core/stage.html", {"stage": stage, "links": links})


def _job_for_user(request: HttpRequest, job_id: Any) -> Job:
    from django.http import Http404

    require_permission(request.user, "core.view_own_jobs")
    qs = scope_to_user(
        request.user, Job.objects.all(), perm="core.view_own_jobs", assigned_field="created_by"
    )
    job = qs.filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


class JobView(PermissionRequiredView):
    permission_required = "core.view_own_jobs"

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = _job_for_user(request, job_id)
        return render(request, "core/job.html", {"job": job})


class JobStatusView(PermissionRequiredView):
    permission_required = "core.view_own_jobs"

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = _job_for_user(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "percent": job.percent,
                "message": job.message,
                "finished": job.finished,
                "error": job.error,
                "result_url": job.result.get("url", "") if isinstance(job.result, dict) else "",
            }
        )


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import InterfaceError, OperationalError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page; under /api/ (an address no API route matches, such as an id that is
    not a number) the API's own JSON error, as its schema says."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an old page, a signed-out session)."""
    return render(request, "errors/csrf.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 page when the cause is that the database cannot be reached.

    Django calls this while handling the exception, so ``sys.exc_info()`` holds it. Neither
    page needs the database, so both render while it is down (a restart, a failover).
    """
    from django.db import InterfaceError, OperationalError

    cause = sys.exc_info()[1]
    if isinstance(cause, OperationalError | InterfaceError):
        response = render(request, "errors/503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "errors/500.html", status=500)
