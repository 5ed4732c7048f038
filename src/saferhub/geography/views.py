"""Pages of areas: the list with populations, one area with its parts and its incidents
per month, and (for those who manage areas) the CSP areas and neighbourhoods defined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.periods import format_month
from saferhub.core.views import PermissionRequiredView
from saferhub.geography import selectors, services
from saferhub.geography.forms import AreaDefineForm
from saferhub.geography.models import Area

AREA_COLUMNS = ["level", "code", "name", "population", "year", "source", "households"]
LIST_LEVELS = ["force", "csp", "lad", "ward", "neighbourhood"]
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 1, 1)


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
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=AREA_COLUMNS, rows=rows, filename="areas", fmt=fmt, title="Areas"
            )
        links = [(lv, Area.Level(lv).label) for lv in LIST_LEVELS + ["lsoa"]]
        return render(
            request,
            "geography/areas.html",
            {
                "rows": rows,
                "level": level,
                "links": links,
                "query": f"level={level}",
                "can_define": request.user.has_perm("geography.manage_areas"),
            },
        )


MEMBER_COLUMNS = ["level", "code", "name"]


def _month_rows(area: Area) -> tuple[list[str], list[list[Any]]]:
    """Incidents per month of an area, one column per theme that has any (with no rows
    when the area has no counts); months are those held for the force."""
    from saferhub.incidents import selectors as incidents

    if area.level not in incidents.COUNT_LEVELS or (
        area.level == Area.Level.LSOA and area.vintage != 2021
    ):
        return [], []
    frame = incidents.monthly_counts(
        area_codes=[area.code], level=area.level, themes=None, start=EARLIEST, end=LATEST
    )
    frame = frame[frame["theme"] != ""]
    if frame.empty:
        return [], []
    themes = [(t.key, t.name) for t in incidents.theme_list() if t.key in set(frame["theme"])]
    table = frame.pivot_table(
        index="month", columns="theme", values="count", aggfunc="sum", fill_value=0
    )
    counts = {month: table.loc[month] for month in table.index}
    months = incidents.months_with_counts() or sorted(counts)
    # A theme's month is a gap (not a zero) where one of its categories has a gap.
    gaps = incidents.gap_months_by_category(frame, months)
    theme_gaps: dict[str, set[str]] = {}
    for key, category in set(zip(frame["theme"], frame["category"], strict=True)):
        theme_gaps.setdefault(key, set()).update(gaps.get(category, []))
    rows: list[list[Any]] = []
    for month in months:
        values = counts.get(month)
        label = format_month(month)
        rows.append(
            [label]
            + [
                "gap"
                if label in theme_gaps.get(key, set())
                else (int(values[key]) if values is not None else 0)
                for key, _ in themes
            ]
        )
    return ["month"] + [name for _, name in themes], rows


def _police_source(area: Area) -> str:
    """Which forces reported the police.uk records placed in the area, with their counts
    ("31,021 records: <force> 30,994, <other force> 27"): an area's figures count every
    record placed in it, whatever force reported it."""
    from saferhub.incidents import selectors as incidents

    return incidents.source_line(incidents.reporting_forces(area))


def _made_of(members: list[Area]) -> str:
    """ "18 wards", "1 local authority" (one level per area)."""
    if not members:
        return ""
    level = members[0].level
    noun = (
        selectors.MEMBER_NAMES.get(level, level)
        if len(members) == 1
        else selectors.MEMBER_NAMES_PLURAL.get(level, level)
    )
    return f"{len(members)} {noun}"


class AreaDetailView(PermissionRequiredView):
    """One area: code, population, what it is made of, the areas inside it, and its
    incidents per month and theme (a neighbourhood's are the sums of its members')."""

    permission_required = "geography.view_area"

    def get(self, request: HttpRequest, level: str, code: str) -> HttpResponse:
        area = selectors.area_list(level=level).filter(code=code).first()
        if area is None:
            raise Http404("No such area.")
        members = list(selectors.area_members(area))
        month_columns, month_rows = _month_rows(area)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            if request.GET.get("table") == "members":
                rows = [[m.get_level_display(), m.code, m.name] for m in members]
                return table_response(
                    columns=MEMBER_COLUMNS,
                    rows=rows,
                    filename=f"{area.code}-members",
                    fmt=fmt,
                    title="Members",
                )
            return table_response(
                columns=month_columns or ["month"],
                rows=month_rows,
                filename=f"{area.code}-incidents-per-month",
                fmt=fmt,
                title="Incidents per month",
            )
        child_level = {"force": "csp", "csp": "ward", "lad": "ward", "ward": "lsoa"}.get(area.level)
        if area.level == Area.Level.CSP and members and members[0].level != Area.Level.LAD:
            child_level = None  # a CSP area of wards or LSOAs lists them as its members
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
                "members": members,
                "made_of": _made_of(members),
                "month_columns": month_columns,
                "month_rows": month_rows,
                "police_source": _police_source(area) if month_rows else "",
                "can_change": area.level in services.DEFINED_LEVELS
                and request.user.has_perm("geography.manage_areas"),
            },
        )


DEFINED_COLUMNS = ["level", "code", "name", "made of", "members", "population", "member codes"]


def _defined_rows(areas: list[Area]) -> list[list[Any]]:
    pops: dict[tuple[str, str], Any] = {}
    for level in {a.level for a in areas}:
        frame = selectors.population([a.code for a in areas if a.level == level], level)
        for r in frame.to_dict("records"):
            pops[(level, r["area_code"])] = r["persons"]
    rows = []
    for a in areas:
        members = sorted(a.members.all(), key=lambda m: m.code)
        made_of = {selectors.MEMBER_NAMES_PLURAL.get(m.level, m.level) for m in members}
        rows.append(
            [
                selectors.LEVEL_NAMES[a.level],
                a.code,
                a.name,
                ", ".join(sorted(made_of)) or "its local authority",
                len(members),
                pops.get((a.level, a.code), ""),
                " ".join(m.code for m in members),
            ]
        )
    return rows


class DefinedAreasView(PermissionRequiredView):
    """CSP areas and neighbourhoods, what each is made of, with links to change them."""

    permission_required = "geography.manage_areas"

    def get(self, request: HttpRequest) -> HttpResponse:
        areas = list(selectors.defined_areas())
        rows = _defined_rows(areas)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=DEFINED_COLUMNS,
                rows=rows,
                filename="csp-areas-and-neighbourhoods",
                fmt=fmt,
                title="CSP areas and neighbourhoods",
            )
        return render(
            request,
            "geography/defined_areas.html",
            {"items": list(zip(areas, rows)), "columns": DEFINED_COLUMNS[:6]},
        )


def _saved_message(request: HttpRequest, result: services.AreaDefined, verb: str) -> None:
    area = result.area
    what = selectors.LEVEL_NAMES[area.level]
    text = f"{what[:1].upper()}{what[1:]} {area.name} ({area.code}) {verb}."
    job = result.job
    if job is None:
        messages.success(request, text)
        return
    messages.success(
        request,
        format_html(
            "{} Its incidents are being placed in CSP areas again, and the CSP counts "
            'rebuilt, in the background: <a class="govuk-notification-banner__link" '
            'href="{}">follow the progress</a>.',
            text,
            reverse("core:job", args=[job.pk]),
        ),
    )


class AreaDefineView(PermissionRequiredView):
    """Define a new CSP area or neighbourhood, or change one (name and members)."""

    permission_required = "geography.manage_areas"

    def _area(self, level: str | None, code: str | None) -> Area | None:
        if level is None:
            return None
        area = selectors.defined_areas(level=level).filter(code=code).first()
        if area is None:
            raise Http404("No such CSP area or neighbourhood.")
        return area

    def _forces(self, request: HttpRequest) -> list[str]:
        """The force areas whose wards and LSOAs are listed: those asked for, else those
        whose police.uk records are held."""
        from saferhub.incidents import selectors as incident_selectors

        held = {code for code, _ in selectors.force_areas()}
        asked = [code for code in request.GET.getlist("force") if code in held]
        if asked:
            return asked
        return [code for code in incident_selectors.forces_held() if code in held]

    def _page(self, request: HttpRequest, form: AreaDefineForm, status: int = 200) -> HttpResponse:
        names = dict(selectors.force_areas())
        context = {
            "form": form,
            "area": form.area,
            "force_areas": list(names.items()),
            "listed_forces": [names[code] for code in form.forces if code in names],
        }
        return render(request, "geography/area_define.html", context, status=status)

    def get(
        self, request: HttpRequest, level: str | None = None, code: str | None = None
    ) -> HttpResponse:
        area = self._area(level, code)
        initial = {} if area else {"level": request.GET.get("level", "")}
        form = AreaDefineForm(area=area, initial=initial, forces=self._forces(request))
        return self._page(request, form)

    def post(
        self, request: HttpRequest, level: str | None = None, code: str | None = None
    ) -> HttpResponse:
        area = self._area(level, code)
        form = AreaDefineForm(request.POST, area=area, forces=self._forces(request))
        if form.is_valid():
            try:
                result = services.area_define(actor=request.user, **form.definition())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                _saved_message(request, result, "saved")
                return redirect("geography:defined_areas")
        return self._page(request, form, status=400)


class AreaRemoveView(PermissionRequiredView):
    """Remove a CSP area or neighbourhood (kept, archived; its incidents go elsewhere)."""

    permission_required = "geography.manage_areas"

    def _area(self, level: str, code: str) -> Area:
        area = selectors.defined_areas(level=level).filter(code=code).first()
        if area is None:
            raise Http404("No such CSP area or neighbourhood.")
        return area

    def get(self, request: HttpRequest, level: str, code: str) -> HttpResponse:
        area = self._area(level, code)
        return render(
            request,
            "geography/area_remove.html",
            {"area": area, "what": selectors.LEVEL_NAMES[area.level]},
        )

    def post(self, request: HttpRequest, level: str, code: str) -> HttpResponse:
        area = self._area(level, code)
        result = services.area_archive(actor=request.user, level=area.level, code=area.code)
        _saved_message(request, result, "removed")
        return redirect("geography:defined_areas")
