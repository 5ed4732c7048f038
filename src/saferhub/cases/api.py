"""The case-work API: the same selectors, services and access helper as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.cases import selectors as sel
from saferhub.cases.models import Case
from saferhub.cases.services.case_review import case_review_figures

PERSONAL = "accounts.view_personal_data"


class CaseOutputSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    lead_agency = serializers.CharField(source="lead_agency.code")
    officer = serializers.CharField(source="officer.username", allow_null=True, default=None)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "case_type",
            "lead_agency",
            "officer",
            "status",
            "opened_on",
            "closed_on",
        ]


class CaseListApi(APIView):
    """The cases the user may see (need-to-know: role x case type x agency on the case)."""

    required_permission = PERSONAL

    @extend_schema(responses=CaseOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        cases = sel.cases_for_user(user=request.user)[:1000]
        return Response(CaseOutputSerializer(cases, many=True).data)


class CaseDetailApi(APIView):
    """One case; 404 (audited) when outside the user's scope, exactly as when missing."""

    required_permission = PERSONAL

    @extend_schema(responses=CaseOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseOutputSerializer(sel.case_get_for_user(user=request.user, id=pk)).data)


class CaseReviewFiguresApi(APIView):
    """The four statutory ASB Case Review figures for an April-March year."""

    required_permission = "cases.view_case_review_figures"

    @extend_schema(
        parameters=[
            OpenApiParameter("year", str, required=True),
            OpenApiParameter("threshold", int),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year", "")
        threshold = request.query_params.get("threshold")
        try:
            figures = case_review_figures(
                year=year, threshold=int(threshold) if threshold else None
            )
        except ValueError as exc:
            raise ValidationError(
                {"year" if "year" in str(exc) or not threshold else "threshold": str(exc)}
            ) from exc
        return Response({"year": year, **figures})
