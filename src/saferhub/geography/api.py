"""REST API of areas: list with populations, boundaries as GeoJSON, and the CSP areas and
neighbourhoods defined by their members (list, define or change, remove)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.geography import selectors, services
from saferhub.geography.models import Area


class AreaListApi(APIView):
    """Areas of a level, with population, its year and source."""

    required_permission = "geography.view_area"

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        level = serializers.CharField()
        vintage = serializers.IntegerField()
        parent_code = serializers.CharField(allow_null=True)
        population = serializers.IntegerField(allow_null=True)
        population_year = serializers.IntegerField(allow_null=True)
        population_source = serializers.CharField(allow_null=True)

    @extend_schema(
        parameters=[OpenApiParameter("level", str, description="force, csp, lad, ward, lsoa")],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        level = request.query_params.get("level", "csp")
        areas = list(selectors.area_list(level=level).select_related("parent"))
        pop = {
            r["area_code"]: r
            for r in selectors.population([a.code for a in areas], level).to_dict("records")
        }
        data: list[dict[str, Any]] = []
        for a in areas:
            p = pop.get(a.code, {})
            data.append(
                {
                    "code": a.code,
                    "name": a.name,
                    "level": a.level,
                    "vintage": a.vintage,
                    "parent_code": a.parent.code if a.parent else None,
                    "population": p.get("persons"),
                    "population_year": p.get("year"),
                    "population_source": p.get("source"),
                }
            )
        return Response(self.OutputSerializer(data, many=True).data)


class BoundariesApi(APIView):
    """GeoJSON (WGS84) of the areas of a level inside an area."""

    required_permission = "geography.view_area"

    @extend_schema(
        parameters=[OpenApiParameter("level", str, description="csp, lad, ward or lsoa")],
        responses={200: dict},
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            area = selectors.area_get(code)
        except Area.DoesNotExist as exc:
            raise NotFound(str(exc)) from exc
        level = request.query_params.get("level", area.level)
        try:
            return Response(selectors.boundaries_geojson(area, level))
        except ValueError as exc:
            raise NotFound(str(exc)) from exc


class DefinedAreaSerializer(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    member_level = serializers.CharField(allow_blank=True)
    members = serializers.ListField(child=serializers.CharField())
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    archived = serializers.BooleanField()


class DefinedAreaResultSerializer(DefinedAreaSerializer):
    created = serializers.BooleanField()
    changed = serializers.BooleanField()
    job_id = serializers.UUIDField(allow_null=True)
    job_url = serializers.CharField(allow_null=True)


def _defined(areas: list[Area]) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = []
    for level in sorted({a.level for a in areas}):
        pops = {
            r["area_code"]: r
            for r in selectors.population(
                [a.code for a in areas if a.level == level], level
            ).to_dict("records")
        }
        for a in (a for a in areas if a.level == level):
            members = sorted(a.members.all(), key=lambda m: m.code)
            p = pops.get(a.code, {})
            data.append(
                {
                    "level": a.level,
                    "code": a.code,
                    "name": a.name,
                    "member_level": members[0].level if members else "",
                    "members": [m.code for m in members],
                    "population": p.get("persons"),
                    "population_year": p.get("year"),
                    "archived": a.archived_at is not None,
                }
            )
    return data


def _result(result: services.AreaDefined) -> dict[str, Any]:
    job = result.job
    return {
        **_defined([result.area])[0],
        "created": result.created,
        "changed": result.changed,
        "job_id": job.pk if job else None,
        "job_url": reverse("api:job", args=[job.pk]) if job else None,
    }


class DefinedAreasApi(APIView):
    """CSP areas and neighbourhoods with their members (GET); define one or change it
    (POST: the same code and level changes the name and members).

    A CSP area defined or changed starts a background job that places the incidents
    held in CSP areas again; ``job_url`` gives its progress.
    """

    required_permission = {"GET": "geography.view_area", "POST": "geography.manage_areas"}

    class InputSerializer(serializers.Serializer):
        level = serializers.CharField(allow_blank=True, help_text="csp or neighbourhood")
        code = serializers.CharField(allow_blank=True, max_length=100)
        name = serializers.CharField(allow_blank=True, max_length=300)
        member_level = serializers.CharField(
            allow_blank=True, help_text="lad, ward or lsoa (a neighbourhood: ward or lsoa)"
        )
        members = serializers.ListField(
            child=serializers.CharField(max_length=100), allow_empty=True, max_length=5000
        )

    @extend_schema(
        parameters=[OpenApiParameter("level", str, description="csp or neighbourhood")],
        responses=DefinedAreaSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        level = request.query_params.get("level") or None
        if level is not None and level not in services.DEFINED_LEVELS:
            return Response(
                {"level": ["Must be csp or neighbourhood."]}, status=status.HTTP_400_BAD_REQUEST
            )
        areas = list(selectors.defined_areas(level=level))
        return Response(DefinedAreaSerializer(_defined(areas), many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={200: DefinedAreaResultSerializer, 201: DefinedAreaResultSerializer},
    )
    def post(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data: dict[str, Any] = given.validated_data
        result = services.area_define(
            actor=request.user,
            level=data["level"],
            code=data["code"],
            name=data["name"],
            member_level=data["member_level"],
            member_codes=data["members"],
        )
        return Response(
            DefinedAreaResultSerializer(_result(result)).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class DefinedAreaRemoveApi(APIView):
    """Remove a CSP area or neighbourhood (archived, audited). Removing a CSP area starts
    the background job that places its incidents again."""

    required_permission = "geography.manage_areas"

    @extend_schema(request=None, responses=DefinedAreaResultSerializer)
    def post(self, request: Request, level: str, code: str) -> Response:
        try:
            result = services.area_archive(actor=request.user, level=level, code=code)
        except ValidationError as exc:
            raise NotFound(" ".join(exc.messages)) from exc
        return Response(DefinedAreaResultSerializer(_result(result)).data)
