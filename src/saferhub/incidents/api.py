"""REST API of incident data: the import ledger and monthly counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.access import scope_to_user
from saferhub.core.periods import parse_month
from saferhub.incidents import selectors
from saferhub.incidents.models import ImportBatch


class ImportListApi(APIView):
    """Files imported (the ledger), newest first."""

    required_permission = "incidents.view_incident_counts"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = ImportBatch
            fields = [
                "id",
                "kind",
                "source",
                "file_name",
                "sha256",
                "status",
                "rows_read",
                "rows_loaded",
                "rows_duplicate",
                "rows_refused",
                "rows_warning",
                "rows_no_location",
                "first_month",
                "last_month",
                "message",
                "created_at",
            ]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        qs = scope_to_user(request.user, selectors.batch_list(), perm=self.required_permission)
        return Response(self.OutputSerializer(qs[:1000], many=True).data)


def _month(text: str | None, name: str, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        if len(text) == 7:
            return parse_month(text)
        return dt.date.fromisoformat(text).replace(day=1)
    except ValueError as exc:
        raise ValidationError({name: f"{text!r} is not a month (YYYY-MM)."}) from exc


class MonthlyCountsApi(APIView):
    """Incident counts per area, theme, category and month (from the monthly aggregate).

    A month the source holds but in which one of an area's categories has no records
    where it normally has them is a gap (docs/decisions/0210): it is listed with
    ``count`` null and ``gap`` true, never as a zero."""

    required_permission = "incidents.view_incident_counts"

    class OutputSerializer(serializers.Serializer):
        area_code = serializers.CharField()
        theme = serializers.CharField()
        category = serializers.CharField()
        month = serializers.DateField()
        count = serializers.IntegerField(allow_null=True)
        gap = serializers.BooleanField()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "level",
                str,
                description="force, csp, lad, ward, lsoa or neighbourhood (sums of its members)",
            ),
            OpenApiParameter("area", str, many=True, description="area code(s)"),
            OpenApiParameter("theme", str, many=True, description="theme key(s)"),
            OpenApiParameter("start", str, description="first month, YYYY-MM"),
            OpenApiParameter("end", str, description="last month, YYYY-MM"),
        ],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params: Any = request.query_params
        level = params.get("level", "csp")
        if level not in selectors.COUNT_LEVELS:
            raise ValidationError({"level": f"Must be one of {', '.join(selectors.COUNT_LEVELS)}."})
        start = _month(params.get("start"), "start", dt.date(1990, 1, 1))
        end = _month(params.get("end"), "end", dt.date(2100, 1, 1))
        frame = selectors.monthly_counts(
            area_codes=params.getlist("area") or None,
            level=level,
            themes=params.getlist("theme") or None,
            start=start,
            end=end,
        )
        months = [m for m in selectors.months_with_counts() if start <= m <= end]
        records = selectors.with_gap_rows(frame, months).to_dict("records")
        return Response(self.OutputSerializer(records, many=True).data)
