"""Pages of areas: the list with populations, and one area with its parts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.core.exports import table_response
from saferhub.core.views import PermissionRequiredView
from saferhub.geography import selectors
from saferhub.geography.models import Area

AREA_COLUMNS = ["level", "code", "name", "population", "year", "source", "households"]
LIST_LEVELS = ["force", "csp", "lad", "ward", "neighbourhood"]


def _rows(areas: list[Area]) -> list[list[object]]:
    rows: list[list[object]] = []
    by_level: dict[str, list[Area]] = {}
    for a in areas:
        by_level.setdefault(a.level, []).append(a)
    for level, items in by_level.items():
        pop = selectors.population([a.code for a in items], level)
        figures = {r["area_code"]: r for r in pop.to_dict("records")}
        for a in items:
            f = figures.get(a.code, {})
            rows.append(
                [
                    a.get_level_display(),
                    a.code,
                    a.name,
                    f.get("persons", ""),
                    f.get("year", ""),
                    f.get("source", ""),
                    f.get("households") if f.get("households") is not None else "",
                ]
            )
    return rows


class AreaListView(PermissionRequiredView):
    """Areas by level with population, its year and source."""

    permission_required = "geography.view_area"

    def get(self, request: HttpRequest) -> HttpResponse:
        level = request.GET.get("level", "")
        levels = [level] if level in LIST_LEVELS + ["lsoa"] else ["force", "csp"]
        areas = [
            a
            for lv in levels
            for a in selectors.area_list(level=lv).exclude(level="lad", parent__isnull=True)
        ]
        rows = _rows(areas)
        fmt = request.GET.get("format")
        if fmt in {"csv", "xlsx"}:
            return table_response(
                columns=AREA_COLUMNS, rows=rows, filename="areas", fmt=fmt, title="Areas"
            )
        links = [(lv, Area.Level(lv).label) for lv in LIST_LEVELS + ["lsoa"]]
        return render(
            request,
            "geography/areas.html",
            {"rows": rows, "level": level, "links": links, "query": f"level={level}"},
        )


class AreaDetailView(PermissionRequiredView):
    permission_required = "geography.view_area"

    def get(self, request: HttpRequest, level: str, code: str) -> HttpResponse:
        area = selectors.area_list(level=level).filter(code=code).first()
        if area is None:
            raise Http404("No such area.")
        child_level = {"force": "csp", "csp": "ward", "lad": "ward", "ward": "lsoa"}.get(area.level)
        children = list(selectors.areas_in(area, child_level)) if child_level else []
        pop = selectors.population([area.code], area.level)
        return render(
            request,
            "geography/area.html",
            {
                "area": area,
                "population": pop.to_dict("records"),
                "children": _rows(children),
                "child_level": Area.Level(child_level).label if child_level else "",
            },
        )
