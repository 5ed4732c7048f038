from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.access import scope_to_user
from saferhub.accounts.roles import role_of
from saferhub.core.models import Job


@login_not_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation page: Swagger UI from the pinned copy under static/vendor."""
    return render(request, "api/docs.html")


class MeView(APIView):
    """Who the token belongs to: user name, agency and role."""

    required_permission = "core.view_own_jobs"

    class MeOutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        agency = serializers.CharField(allow_null=True)
        role = serializers.CharField(allow_null=True)

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        role = role_of(user)
        data = {
            "username": user.username,
            "agency": user.agency.code if user.agency else None,
            "role": role.key if role else None,
        }
        return Response(self.MeOutputSerializer(data).data)


class JobView(APIView):
    """Progress and result of a background job you started."""

    required_permission = "core.view_own_jobs"

    class JobOutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Job
            fields = [
                "id",
                "kind",
                "title",
                "status",
                "done",
                "total",
                "percent",
                "message",
                "result",
                "error",
                "created_at",
                "finished_at",
            ]

    @extend_schema(responses=JobOutputSerializer)
    def get(self, request: Request, job_id: Any) -> Response:
        qs = scope_to_user(
            request.user, Job.objects.all(), perm="core.view_own_jobs", assigned_field="created_by"
        )
        job = qs.filter(pk=job_id).first()
        if job is None:
            raise Http404
        return Response(self.JobOutputSerializer(job).data)
