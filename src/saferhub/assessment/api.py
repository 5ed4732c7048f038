"""API: saved assessments and their data, and starting a run."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.assessment import selectors
from saferhub.assessment.figures import FIGURE_COLUMNS, figure_rows
from saferhub.assessment.sources import AreaNotFound, resolve_area
from saferhub.core.jobs import job_start
from saferhub.core.periods import MONTH_RE


class VersionListApi(APIView):
    """Saved assessment versions (newest first), without their data."""

    required_permission = "assessment.view_assessment"

    class AssessmentVersionSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        area_code = serializers.CharField()
        area_name = serializers.CharField()
        period_from = serializers.CharField()
        period_to = serializers.CharField()
        content_hash = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(responses=AssessmentVersionSerializer(many=True))
    def get(self, request: Request) -> Response:
        versions = selectors.version_list(user=request.user)[:500]
        return Response(self.AssessmentVersionSerializer(versions, many=True).data)


class VersionDataApi(APIView):
    """The whole assessment data of one version, exactly as saved (JSON)."""

    required_permission = "assessment.view_assessment"

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        version = selectors.version_get_for_user(user=request.user, id=pk)
        return Response(
            {"id": version.pk, "content_hash": version.content_hash, "data": version.data}
        )


class VersionFiguresApi(APIView):
    """The tidy figures of one version: one object per figure, with the export's columns.

    The same figures as the version page's "Figures (CSV)" download and
    ``saferhub assess --format figures``.
    """

    required_permission = "assessment.view_assessment"

    @extend_schema(
        responses=inline_serializer(
            name="AssessmentFigure",
            fields={
                name: serializers.FloatField(allow_null=True)
                if name in {"value", "lower", "upper"}
                else serializers.CharField(allow_blank=True)
                for name in FIGURE_COLUMNS
            },
            many=True,
        )
    )
    def get(self, request: Request, pk: int) -> Response:
        version = selectors.version_get_for_user(user=request.user, id=pk)
        figures = [dict(zip(FIGURE_COLUMNS, row, strict=True)) for row in figure_rows(version.data)]
        return Response(figures)


class RunApi(APIView):
    """Start an assessment as a background job; poll /api/jobs/<id>/ for progress."""

    required_permission = "assessment.run_assessment"

    class AssessmentRunSerializer(serializers.Serializer):
        area = serializers.CharField()
        first_month = serializers.RegexField(MONTH_RE.pattern, required=False)
        last_month = serializers.RegexField(MONTH_RE.pattern, required=False)

    @extend_schema(request=AssessmentRunSerializer, responses={202: dict})
    def post(self, request: Request) -> Response:
        given = self.AssessmentRunSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data: dict[str, Any] = given.validated_data
        try:
            code, name = resolve_area(data["area"])
        except AreaNotFound as exc:
            return Response({"area": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        if bool(data.get("first_month")) != bool(data.get("last_month")):
            return Response(
                {"first_month": ["Give both the first and the last month, or neither."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        job = job_start(
            kind="assessment.run",
            title=f"Strategic Assessment: {name}",
            params={
                "area": code,
                "first_month": data.get("first_month"),
                "last_month": data.get("last_month"),
            },
            user=request.user,
        )
        return Response({"job": str(job.pk)}, status=status.HTTP_202_ACCEPTED)
