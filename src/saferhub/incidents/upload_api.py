"""API: start an import (multipart upload), list partner sources, read an import's result.

One view per operation, thin callers of the same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.audit import audit_record
from saferhub.incidents.audit_actions import RowProblemAction
from saferhub.incidents.partner import partner_source_list
from saferhub.incidents.upload import (
    PARTNER,
    POLICE_UK,
    PROBLEM_COLUMNS,
    UploadRefused,
    import_upload_start,
    upload_job_for_user,
    upload_problems,
)

PERMISSION = "incidents.import_data"


class ImportStartApi(APIView):
    """Upload a file and start its import as a background job; answers the job id."""

    required_permission = PERMISSION
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=[POLICE_UK, PARTNER])
        source = serializers.CharField(  # type: ignore[assignment]
            required=False, allow_blank=True, help_text="Partner source name (kind=partner)."
        )
        file = serializers.FileField()
        dry_run = serializers.BooleanField(required=False, default=False)
        all_or_nothing = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(serializers.Serializer):
        job_id = serializers.UUIDField()
        status = serializers.CharField()
        job_url = serializers.CharField()
        result_url = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        source = None
        if values["kind"] == PARTNER:
            name = values.get("source") or ""
            source = partner_source_list().filter(name__iexact=name).first()
            if source is None:
                names = list(partner_source_list().values_list("name", flat=True))
                return Response(
                    {"source": [f"No partner source called {name!r}. Sources: {names}."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        try:
            job = import_upload_start(
                actor=request.user,
                kind=values["kind"],
                upload=values["file"],
                source=source,
                dry_run=values["dry_run"],
                all_or_nothing=values["all_or_nothing"],
            )
        except UploadRefused as exc:
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        out = {
            "job_id": job.pk,
            "status": job.status,
            "job_url": reverse("api:job", args=[job.pk]),
            "result_url": reverse("api:data_import_result", args=[job.pk]),
        }
        return Response(self.OutputSerializer(out).data, status=status.HTTP_202_ACCEPTED)


class PartnerSourceListApi(APIView):
    """The partner sources and their column mappings."""

    required_permission = PERMISSION

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        agency = serializers.CharField(source="agency.code", allow_null=True, default=None)
        default_theme = serializers.CharField(source="default_theme.key")
        allow_new_categories = serializers.BooleanField()
        encoding = serializers.CharField()
        sheet_name = serializers.CharField()
        date_column = serializers.CharField()
        date_precision = serializers.CharField()
        date_format = serializers.CharField()
        category_column = serializers.CharField()
        location_kind = serializers.CharField()
        x_column = serializers.CharField()
        y_column = serializers.CharField()
        area_column = serializers.CharField()
        reference_column = serializers.CharField()
        victim_ref_column = serializers.CharField()
        location_ref_column = serializers.CharField()
        ignored_columns = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(partner_source_list(), many=True).data)


class ImportResultApi(APIView):
    """An import's status and result: counts, messages, new categories (not the problems)."""

    required_permission = PERMISSION

    class OutputSerializer(serializers.Serializer):
        job_id = serializers.UUIDField(source="pk")
        status = serializers.CharField()
        percent = serializers.IntegerField()
        message = serializers.CharField()
        error = serializers.CharField()
        result = serializers.DictField()
        problems_url = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, job_id: Any) -> Response:
        job = upload_job_for_user(user=request.user, job_id=job_id)
        result = dict(job.result) if isinstance(job.result, dict) else {}
        result.pop("problems", None)
        result.pop("traceback", None)
        out = {
            "pk": job.pk,
            "status": job.status,
            "percent": job.percent,
            "message": job.message,
            "error": job.error,
            "result": result,
            "problems_url": reverse("api:data_import_problems", args=[job.pk]),
        }
        return Response(self.OutputSerializer(out).data)


class ImportProblemsApi(APIView):
    """Every problem row of an import (refused rows and warnings)."""

    required_permission = PERMISSION

    class OutputSerializer(serializers.Serializer):
        file = serializers.CharField(allow_blank=True)
        row_number = serializers.IntegerField(allow_null=True)
        column = serializers.CharField(allow_blank=True)
        value = serializers.CharField(allow_blank=True)
        problem = serializers.CharField()
        severity = serializers.CharField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request, job_id: Any) -> Response:
        job = upload_job_for_user(user=request.user, job_id=job_id)
        keys = ["file", "row_number", "column", "value", "problem", "severity"]
        assert len(keys) == len(PROBLEM_COLUMNS)
        rows = [dict(zip(keys, row)) for row in upload_problems(job)]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=RowProblemAction.VIEW,
            object_type="core.Job",
            object_id=str(job.pk),
            detail="api",
        )
        return Response(self.OutputSerializer(rows, many=True).data)


urlpatterns = [
    path("uploads/", ImportStartApi.as_view(), name="data_import_start"),
    path("uploads/<uuid:job_id>/", ImportResultApi.as_view(), name="data_import_result"),
    path(
        "uploads/<uuid:job_id>/problems/",
        ImportProblemsApi.as_view(),
        name="data_import_problems",
    ),
    path("sources/", PartnerSourceListApi.as_view(), name="data_partner_sources"),
]
