"""REST API for performance: the same services and selectors as the pages."""

from __future__ import annotations

import math
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.performance import selectors, services

VIEW = "performance.view_priority"
MANAGE = "performance.manage_performance"
ENTER = "performance.enter_measurement"


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


class IndicatorJudgementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The schema of ``judgement_data``: the fields every judgement has (more follow)."""

    id = serializers.IntegerField()
    priority = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    milestones = serializers.ListField(child=serializers.DictField())


def judgement_data(j: selectors.Judgement) -> dict[str, Any]:
    ind = j.indicator
    return {
        "id": ind.pk,
        "priority": ind.priority.title,
        "code": ind.code,
        "title": ind.title,
        "kind": ind.kind,
        "unit": ind.unit,
        "direction": ind.direction,
        "lead_partner": ind.lead_agency.code if ind.lead_agency else None,
        "baseline_period": ind.baseline_period,
        "baseline": _clean(j.baseline),
        "target_period": ind.target_period,
        "target": _clean(j.target),
        "period": j.period,
        "value": _clean(j.value),
        "change_percent": _clean(j.change_percent),
        "significance": j.significance,
        "significance_method": j.significance_method,
        "p_value": _clean(j.p_value),
        "spc": j.spc_text,
        "forecast": _clean(j.forecast.value),
        "forecast_method": j.forecast.method,
        "status": j.status.key,
        "status_label": j.status.label,
        "status_rule": j.status.rule,
        "milestones": [
            {"period": m.period, "value": float(m.value), "source": m.source}
            for m in selectors.live_milestones(ind)
        ],
    }


class PriorityListApi(APIView):
    """Priorities (GET, everyone); create one (POST, managers)."""

    required_permission = {"GET": VIEW, "POST": MANAGE}

    class PriorityInputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        aim = serializers.CharField(required=False, allow_blank=True)
        matters_because = serializers.CharField(required=False, allow_blank=True)
        hope_together = serializers.CharField(required=False, allow_blank=True)
        together_we_will = serializers.CharField(required=False, allow_blank=True)
        plan_period = serializers.CharField(required=False, allow_blank=True, max_length=20)
        order = serializers.IntegerField(required=False, min_value=0)

    class PriorityOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        theme = serializers.CharField()
        aim = serializers.CharField()
        matters_because = serializers.CharField()
        hope_together = serializers.CharField()
        together_we_will = serializers.CharField()
        plan_period = serializers.CharField()
        order = serializers.IntegerField()

    @extend_schema(responses=PriorityOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.priorities_for_user(user=request.user)
        return Response(self.PriorityOutputSerializer(qs, many=True).data)

    @extend_schema(request=PriorityInputSerializer, responses={201: PriorityOutputSerializer})
    def post(self, request: Request) -> Response:
        ser = self.PriorityInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        priority = services.priority_create(actor=request.user, title=data.pop("title"), **data)
        return Response(
            self.PriorityOutputSerializer(priority).data, status=status.HTTP_201_CREATED
        )


class PrioritiesFromRecommendationsApi(APIView):
    """Create priorities from the assessment's recommendations in one step (managers)."""

    required_permission = MANAGE

    class RecommendationSerializer(serializers.Serializer):
        theme = serializers.CharField(required=False, allow_blank=True)
        title = serializers.CharField()
        reason = serializers.CharField(required=False, allow_blank=True)

    class InputSerializer(serializers.Serializer):
        recommendations = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        recs = self.RecommendationSerializer(data=ser.validated_data["recommendations"], many=True)
        recs.is_valid(raise_exception=True)
        created = services.priorities_create_from_recommendations(
            actor=request.user, recommendations=list(recs.validated_data)
        )
        return Response(
            {"created": [{"id": p.pk, "title": p.title} for p in created]},
            status=status.HTTP_201_CREATED,
        )


class IndicatorListApi(APIView):
    """Every indicator with its judgement: value, significance, SPC, forecast, status and rule."""

    required_permission = VIEW

    @extend_schema(responses={200: IndicatorJudgementSerializer(many=True)})
    def get(self, request: Request) -> Response:
        as_of = request.query_params.get("as_of") or None
        try:
            judgements = selectors.judgements_for_user(user=request.user, as_of=as_of)
        except ValueError as exc:
            raise ApiValidationError({"as_of": str(exc)}) from exc
        return Response([judgement_data(j) for j in judgements])


class IndicatorDetailApi(APIView):
    """One indicator with its judgement."""

    required_permission = VIEW

    @extend_schema(responses={200: IndicatorJudgementSerializer})
    def get(self, request: Request, pk: int) -> Response:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        return Response(judgement_data(selectors.indicator_judgement(indicator)))


class MeasurementEnterApi(APIView):
    """Enter a value for an indicator your agency leads (lead officers and managers)."""

    required_permission = ENTER

    class InputSerializer(serializers.Serializer):
        period = serializers.CharField(max_length=10)
        value = serializers.DecimalField(max_digits=14, decimal_places=4)
        evidence = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        indicator = selectors.indicator_get_for_user(user=request.user, id=pk)
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        m = services.measurement_enter(
            actor=request.user, indicator=indicator, **ser.validated_data
        )
        return Response(
            {"id": m.pk, "period": m.period, "value": float(m.value)},
            status=status.HTTP_201_CREATED,
        )


class RefreshApi(APIView):
    """Refresh every data-driven indicator from the incident data (managers)."""

    required_permission = MANAGE

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request) -> Response:
        return Response(services.measurements_refresh(actor=request.user))
