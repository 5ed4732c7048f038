"""Reads for problems: the register, one problem's page, a new problem's pre-filled values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.access import get_for_user, has_permission, scope_to_user
from saferhub.geography import selectors as geo
from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.models import Category
from saferhub.problems.models import CommunityConcern, Problem, TaskingMeeting

VIEW = "problems.view_problem"
EDIT_OWN = "problems.edit_own_problem"
MANAGE = "problems.manage_problems"
CONCERN = "problems.record_concern"


def problem_list(*, user: Any, status: str | None = None) -> QuerySet[Problem]:
    qs = Problem.objects.select_related("area", "lead_partner", "lead_officer").order_by(
        "status", "title"
    )
    if status:
        qs = qs.filter(status=status)
    return scope_to_user(user, qs, perm=VIEW)


DUE_SOON_DAYS = 14


def problems_led_by_due(*, user: Any, today: dt.date) -> QuerySet[Problem]:
    """Problems ``user`` leads, not closed, whose review date has come or comes within 14
    days (the lead officer's home tile), in the user's scope."""
    return problem_list(user=user).filter(
        lead_officer_id=user.pk,
        review_on__isnull=False,
        review_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        status__in=[Problem.Status.PROPOSED, Problem.Status.OPEN, Problem.Status.MONITORING],
    )


def problem_get_for_user(*, user: Any, id: Any) -> Problem:
    qs = Problem.objects.select_related(
        "area", "place_area", "lead_partner", "lead_officer"
    ).prefetch_related("categories", "themes", "partner_agencies", "actions")
    return get_for_user(user, qs, id=id, perm=VIEW)


def can_edit(user: Any, problem: Problem) -> bool:
    """Managers edit every problem; a partner lead officer edits the problems they lead."""
    if has_permission(user, MANAGE):
        return True
    return has_permission(user, EDIT_OWN) and problem.lead_officer_id == user.pk


def can_create(user: Any) -> bool:
    return has_permission(user, MANAGE) or has_permission(user, EDIT_OWN)


def meeting_list(*, user: Any) -> QuerySet[TaskingMeeting]:
    return scope_to_user(user, TaskingMeeting.objects.select_related("chair", "area"), perm=VIEW)


def meeting_get_for_user(*, user: Any, id: Any) -> TaskingMeeting:
    return get_for_user(
        user, TaskingMeeting.objects.select_related("chair", "area"), id=id, perm=VIEW
    )


def concern_list(*, user: Any) -> QuerySet[CommunityConcern]:
    return scope_to_user(user, CommunityConcern.objects.select_related("place", "theme"), perm=VIEW)


# ----------------------------------------------------------------------------- pre-fill


def _assessment_categories(theme_key: str) -> list[Category]:
    from saferhub.assessment.build import THEMES

    theme = next((t for t in THEMES if t.key == theme_key), None)
    if theme is None:
        return []
    return list(Category.objects.filter(name__in=theme.crime_types))


def _theme_title(theme_key: str) -> str:
    from saferhub.assessment.build import THEMES

    return next((t.title for t in THEMES if t.key == theme_key), theme_key.replace("_", " "))


def _partnership_area(code: str) -> Area | None:
    try:
        return geo.area_get(code) if code else None
    except Area.DoesNotExist:
        return None


def problem_initial(params: Mapping[str, str]) -> dict[str, Any]:
    """A new problem's values from where it was started: an assessment table's row
    (hotspot, repeat location, emerging increase) or an area page. Unknown input gives
    what could be understood; the form shows the rest empty."""
    origin = params.get("origin", Problem.Origin.MANUAL)
    theme = params.get("theme", "")
    initial: dict[str, Any] = {
        "origin": origin if origin in Problem.Origin.values else Problem.Origin.MANUAL,
        "kind": Problem.Kind.PLACE,
        "categories": _assessment_categories(theme) if theme else [],
        "area": _partnership_area(params.get("area", "")),
    }
    what = _theme_title(theme) if theme else "Incidents"
    lsoa = Lsoa.objects.filter(code=params.get("lsoa", "")).first()
    if origin == Problem.Origin.HOTSPOT and lsoa:
        initial |= {
            "place_type": Problem.PlaceType.LSOAS,
            "lsoa_codes": [lsoa.code],
            "title": f"{what} hotspot: {lsoa.name} ({lsoa.ward_name})",
            "origin_detail": f"Hotspot table: {lsoa.code} {lsoa.name}, {what}",
        }
    elif origin == Problem.Origin.REPEAT_LOCATION and lsoa and params.get("location"):
        location = params["location"][:200]
        initial |= {
            "place_type": Problem.PlaceType.LOCATION,
            "lsoa_codes": [lsoa.code],
            "location": location,
            "title": f"{what}: repeat location {location}, {lsoa.name}",
            "origin_detail": f"Repeat-location table: {location} in {lsoa.code}, {what}",
        }
    elif origin == Problem.Origin.EMERGING_INCREASE and params.get("ward"):
        ward = _ward_in(initial["area"], params["ward"])
        if ward is not None:
            initial |= {
                "place_type": Problem.PlaceType.WARD,
                "place_area": ward,
                "title": f"{what}: increase in {ward.name}",
                "origin_detail": f"Emerging-increase table: {ward.name}, {what}",
            }
    elif origin == Problem.Origin.AREA and params.get("place"):
        initial |= _from_area(params["place"], initial)
    return initial


def _ward_in(area: Area | None, name: str) -> Area | None:
    wards = Area.objects.live().filter(level="ward", name__iexact=name)
    if area is not None:
        codes = set(
            Lsoa.objects.filter(code__in=geo.area_lsoa_codes(area)).values_list(
                "ward_code", flat=True
            )
        )
        wards = wards.filter(code__in=codes)
    return wards.first()


def _from_area(code: str, initial: dict[str, Any]) -> dict[str, Any]:
    place = Area.objects.live().filter(code=code).exclude(level="csp").first()
    if place is None:
        return {}
    values: dict[str, Any] = {"title": f"Problem in {place.name}", "origin_detail": place.name}
    if place.level == Area.Level.LSOA:
        values |= {"place_type": Problem.PlaceType.LSOAS, "lsoa_codes": [place.code]}
    elif place.level in (Area.Level.WARD, Area.Level.NEIGHBOURHOOD):
        values |= {"place_type": place.level, "place_area": place}
    else:
        return {}
    if initial.get("area") is None:
        lsoas = geo.area_lsoa_codes(place)
        lad = Lsoa.objects.filter(code__in=lsoas).values_list("lad_code", flat=True).first()
        values["area"] = _partnership_area(lad or "")
    return values
