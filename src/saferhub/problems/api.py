"""The problems API: the same selectors, services and permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.models import Agency
from saferhub.geography import selectors as geo
from saferhub.geography.models import Area
from saferhub.incidents.models import Category
from saferhub.problems import selectors as sel
from saferhub.problems import services
from saferhub.problems.measure import change_since_response, problem_series
from saferhub.problems.models import Problem
from saferhub.problems.ranking import MEASURES, rank_register
from saferhub.problems.registers import agenda_rows
from saferhub.problems.tasking import agenda_for


class ProblemSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    lead_partner = serializers.CharField(source="lead_partner.code")
    lead_officer = serializers.CharField(
        source="lead_officer.username", allow_null=True, default=None
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            "title",
            "kind",
            "area",
            "place_type",
            "lsoa_codes",
            "location",
            "longitude",
            "latitude",
            "radius_m",
            "lead_partner",
            "lead_officer",
            "status",
            "review_on",
            "origin",
            "objective",
            "response_started_on",
        ]


class RegisterApi(APIView):
    """The ranked register: every input, scaled value, weight and score."""

    required_permission = sel.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("top", int)]
        + [OpenApiParameter(f"w_{m}", float) for m in MEASURES],
        responses={
            200: inline_serializer(
                "ProblemRegister",
                {
                    "weights": serializers.DictField(child=serializers.FloatField()),
                    "measures_used": serializers.ListField(child=serializers.CharField()),
                    "not_held": serializers.ListField(child=serializers.CharField()),
                    "months": serializers.ListField(
                        child=serializers.CharField(),
                        allow_null=True,
                        help_text="The months scored; null when no incident data is held.",
                    ),
                    "method": serializers.CharField(),
                    "harm_weights": serializers.ListField(child=serializers.DictField()),
                    "rows": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        weights = {}
        for m in MEASURES:
            try:
                weights[m] = max(0.0, float(request.query_params.get(f"w_{m}", 1)))
            except ValueError as exc:
                raise ValidationError({f"w_{m}": "A weight is a number."}) from exc
        try:
            top = max(1, min(500, int(request.query_params.get("top", 50))))
        except ValueError as exc:
            raise ValidationError({"top": "Top is a whole number."}) from exc
        problems = sel.problem_list(user=request.user).exclude(status="closed")
        ranking = rank_register(problems=problems, weights=weights, top_n=top)
        rows = [
            {
                "rank": r.rank,
                "problem": ProblemSerializer(r.problem).data,
                "inputs": r.inputs,
                "scaled": r.normalised,
                "harm_missing": r.harm_missing,
                "score": r.score,
            }
            for r in ranking.rows
        ]
        return Response(
            {
                "weights": ranking.weights,
                "measures_used": ranking.used,
                "not_held": ranking.not_held,
                "months": ranking.window,
                "method": ranking.method,
                "harm_weights": [
                    {"category": h.category, "weight": h.weight, "source": h.source}
                    for h in ranking.harm_weights
                ],
                "rows": rows,
            }
        )


class ProblemCreateApi(APIView):
    """Register a problem (lead officers, analysts, managers)."""

    required_permission = sel.EDIT_OWN

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        kind = serializers.ChoiceField(choices=Problem.Kind.choices, default="place")
        area = serializers.CharField(help_text="The partnership area's code.")
        place_type = serializers.ChoiceField(choices=Problem.PlaceType.choices)
        lsoa_codes = serializers.ListField(child=serializers.CharField(), required=False)
        place_area = serializers.CharField(required=False, help_text="A ward's code.")
        longitude = serializers.FloatField(required=False)
        latitude = serializers.FloatField(required=False)
        radius_m = serializers.IntegerField(required=False)
        polygon = serializers.JSONField(required=False)
        location = serializers.CharField(required=False, default="")
        categories = serializers.SlugRelatedField(
            many=True, slug_field="name", queryset=Category.objects.all(), required=False
        )
        lead_partner = serializers.SlugRelatedField(
            slug_field="code", queryset=Agency.objects.all()
        )
        review_on = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses={201: ProblemSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        try:
            values["area"] = geo.area_get(values["area"])
        except Area.DoesNotExist as exc:
            raise ValidationError({"area": "No such area."}) from exc
        if "place_area" in values:
            values["place_area"] = Area.objects.filter(code=values["place_area"]).first()
        if "polygon" in values:
            polygon = values["polygon"]
            values["polygon"] = polygon if isinstance(polygon, str) else _json(polygon)
        try:
            problem = services.problem_create(actor=request.user, **values)  # type: ignore[arg-type]
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


class ProblemDetailApi(APIView):
    """One problem, its monthly counts (null for a gap), the change since the response."""

    required_permission = sel.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "ProblemDetail",
                {
                    "problem": ProblemSerializer(),
                    "months": serializers.ListField(child=serializers.DictField()),
                    "gaps": serializers.ListField(child=serializers.CharField()),
                    "change_since_response": serializers.DictField(allow_null=True),
                    "assessment": serializers.DictField(allow_null=True),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        problem = sel.problem_get_for_user(user=request.user, id=pk)
        series = problem_series(problem)
        change = change_since_response(series)
        assessment = (
            getattr(problem, "assessment", None) if hasattr(problem, "assessment") else None
        )
        return Response(
            {
                "problem": ProblemSerializer(problem).data,
                "months": [{"month": m, "count": c} for m, c in zip(series.months, series.counts)],
                "gaps": series.missing + series.gaps,
                "change_since_response": None if change is None else change.__dict__,
                "assessment": None
                if assessment is None
                else {
                    "treated": [assessment.treated_before, assessment.treated_after],
                    "buffer": [assessment.buffer_before, assessment.buffer_after],
                    "comparison": [assessment.control_before, assessment.control_after],
                    "wdd": assessment.wdd,
                    "wdq": assessment.wdq,
                    "impact": assessment.impact,
                },
            }
        )


class AgendaApi(APIView):
    """A tasking meeting's agenda: section, item, detail."""

    required_permission = sel.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "TaskingAgenda",
                {
                    "meeting": serializers.CharField(),
                    "items": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        rows = agenda_rows(agenda_for(meeting))
        return Response(
            {
                "meeting": str(meeting),
                "items": [{"section": s, "item": i, "detail": d} for s, i, d in rows],
            }
        )
