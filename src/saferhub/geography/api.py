"""REST API of areas: list with populations, and boundaries as GeoJSON."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.geography import selectors
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
