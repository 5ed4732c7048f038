"""The MARAC API: the same selectors, services and access rule as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.audit import audit_record
from saferhub.cases import marac_selectors as ms
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import MaracAction
from saferhub.cases.services.marac import dash_results, marac_return

WORK = "cases.work_marac"


class MaracActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    meeting = serializers.DateField(source="meeting.held_on")
    case = serializers.CharField(source="case.reference")
    agency = serializers.CharField(source="agency.code")

    class Meta:
        model = MaracAction
        fields = ["id", "meeting", "case", "text", "agency", "due_on", "status", "done_on"]


class DashResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    checklist_ref = serializers.CharField()
    score = serializers.IntegerField()
    risk_level = serializers.CharField()
    marac_referral = serializers.BooleanField()
    referral_reason = serializers.CharField(allow_blank=True)


class MaracActionListApi(APIView):
    """The action tracker: actions on the MARAC cases the user may see."""

    required_permission = WORK

    @extend_schema(responses=MaracActionSerializer(many=True))
    def get(self, request: Request) -> Response:
        actions = ms.actions_for_user(user=request.user).order_by("due_on", "id")[:1000]
        data = MaracActionSerializer(actions, many=True).data
        audit_record(
            actor=request.user,
            action=CaseAction.CASE_EXPORT,
            object_type="cases.MaracAction",
            new={"format": "api", "rows": len(data), "fields": ["text"]},
        )
        return Response(data)


class DashResultListApi(APIView):
    """Score, risk level and referral reason of the checklists the user may see."""

    required_permission = WORK

    @extend_schema(responses=DashResultSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "checklist_ref": r.checklist_ref,
                "score": r.result.score,
                "risk_level": r.result.risk_level,
                "marac_referral": r.result.marac_referral,
                "referral_reason": r.result.referral_reason,
            }
            for r in dash_results(ms.checklists_for_user(user=request.user))
        ]
        return Response(DashResultSerializer(rows, many=True).data)


class MaracReturnApi(APIView):
    """The quarterly MARAC data return (counts only)."""

    required_permission = WORK

    @extend_schema(
        parameters=[OpenApiParameter("quarter", str, required=True)], responses={200: dict}
    )
    def get(self, request: Request) -> Response:
        quarter = request.query_params.get("quarter", "")
        try:
            figures = marac_return(quarter=quarter)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response({"quarter": quarter, **figures})
