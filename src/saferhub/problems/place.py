"""A problem's place: which incidents are its own, its shape, its buffer; validation.

Every place resolves to a filter on the imported incidents. Places made of LSOAs (a list,
a ward, a neighbourhood, a street location in its LSOA) match incidents by LSOA code, as
every count in SaferHub does; a point with a radius and a drawn polygon match incidents
by their British National Grid coordinates (police.uk's anonymised map points). The
buffer of the displacement test is the ring of ``buffer_m`` metres around the place's
shape, less the place's own incidents (docs/decisions/0502-problem-place-and-buffer.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.core.exceptions import ValidationError
from django.db.models import Q
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from saferhub.geography import selectors as geo
from saferhub.geography.loaders import to_bng
from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.models import Category, Incident
from saferhub.problems.models import Problem

LSOA_PLACES = {
    Problem.PlaceType.LSOAS,
    Problem.PlaceType.WARD,
    Problem.PlaceType.NEIGHBOURHOOD,
    Problem.PlaceType.LOCATION,
}
FRAME_COLUMNS = ["month", "category_id", "x", "y", "location", "lsoa"]


@dataclass(frozen=True)
class Place:
    """A resolved place: LSOA codes (for LSOA places), a location, a BNG shape."""

    place_type: str
    lsoas: frozenset[str] | None
    location: str
    shape_bng: BaseGeometry | None

    def where(self) -> Q:
        """The incident filter for places made of LSOAs (geometric ones filter in Python)."""
        if self.lsoas is None:
            assert self.shape_bng is not None
            x0, y0, x1, y1 = self.shape_bng.bounds
            return Q(bng_x__gte=x0, bng_x__lte=x1, bng_y__gte=y0, bng_y__lte=y1)
        where = Q(lsoa_code__in=sorted(self.lsoas))
        # Incidents carry their LSOA's local authority: the incidents' (month, local
        # authority) index then narrows every count of the place.
        lads = _lads_of(self.lsoas)
        if lads:
            where &= Q(lad_code__in=sorted(lads))
        if self.place_type == Problem.PlaceType.LOCATION:
            where &= Q(location=self.location)
        return where


def area_shape_bng(area: Area) -> BaseGeometry | None:
    if not area.geometry:
        return None
    return to_bng(shape(json.loads(area.geometry)))


def lsoas_shape_bng(codes: set[str] | frozenset[str]) -> BaseGeometry | None:
    shapes = [
        to_bng(shape(json.loads(g)))
        for g in Area.objects.filter(level="lsoa", vintage=2021, code__in=codes)
        .exclude(geometry="")
        .values_list("geometry", flat=True)
    ]
    return shapely.union_all(shapes) if shapes else None


def polygon_from_geojson(text: str) -> BaseGeometry:
    """A drawn polygon (GeoJSON geometry or Feature, WGS84), checked: closed and valid."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"polygon": "The drawn area is not valid GeoJSON."}) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError({"polygon": "Draw a polygon: the drawn shape is not one."})
    rings = data.get("coordinates") or []
    if data["type"] == "Polygon":
        rings = [rings]
    for polygon in rings:
        for ring in polygon or [[]]:
            if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
                raise ValidationError(
                    {"polygon": "The drawn area does not close: its last point must be its first."}
                )
    try:
        geom = shape(data)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"polygon": "The drawn area's coordinates are not valid."}) from exc
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ValidationError({"polygon": f"The drawn area is not a valid polygon ({reason})."})
    return geom


def _lads_of(lsoas: frozenset[str] | None) -> frozenset[str] | None:
    if not lsoas:
        return None
    lads = frozenset(
        Lsoa.objects.filter(code__in=sorted(lsoas)).values_list("lad_code", flat=True).distinct()
    )
    return lads or None


def _location_points(
    lsoas: frozenset[str], location: str, lads: frozenset[str] | None
) -> BaseGeometry | None:
    where = Q(lsoa_code__in=lsoas, location=location, bng_x__isnull=False)
    if lads:
        # Any month, through the (month, local authority) index.
        where &= Q(month__gte=dt.date(1900, 1, 1), lad_code__in=sorted(lads))
    points = Incident.objects.filter(where).values_list("bng_x", "bng_y").distinct()
    coords = [(float(x), float(y)) for x, y in points if x is not None and y is not None]
    return shapely.MultiPoint(coords) if coords else None


def resolve(problem: Problem, *, shape: bool = True) -> Place:
    """The problem's place, resolved to LSOA codes and a BNG shape.

    ``shape=False`` leaves out the shape of places made of LSOAs (counting them needs only
    their codes; the register ranks thousands)."""
    kind = problem.place_type
    lsoas: frozenset[str] | None
    if kind == Problem.PlaceType.LSOAS or kind == Problem.PlaceType.LOCATION:
        lsoas = frozenset(problem.lsoa_codes or [])
    elif kind in (Problem.PlaceType.WARD, Problem.PlaceType.NEIGHBOURHOOD):
        lsoas = frozenset(geo.area_lsoa_codes(problem.place_area)) if problem.place_area else None
        lsoas = lsoas or frozenset()
    else:
        lsoas = None
    if kind == Problem.PlaceType.POINT:
        x, y = to_bng(Point(problem.longitude, problem.latitude)).coords[0]
        geom: BaseGeometry | None = Point(x, y).buffer(float(problem.radius_m or 0), quad_segs=32)
    elif kind == Problem.PlaceType.POLYGON:
        geom = to_bng(polygon_from_geojson(problem.polygon))
    elif not shape:
        geom = None
    elif kind == Problem.PlaceType.LOCATION:
        geom = _location_points(lsoas or frozenset(), problem.location, _lads_of(lsoas))
    else:
        geom = lsoas_shape_bng(lsoas or frozenset())
    return Place(kind, lsoas, problem.location, geom)


def category_ids(problem: Problem) -> list[int] | None:
    """The categories the problem counts: its own and its themes'; None for every category."""
    ids = {c.pk for c in problem.categories.all()}
    themes = list(problem.themes.all())
    if themes:
        ids |= set(
            Category.objects.filter(themes__in=themes).values_list("pk", flat=True).distinct()
        )
    return sorted(ids) or None


def _frame(where: Q, categories: list[int] | None, start: dt.date, end: dt.date) -> pd.DataFrame:
    qs = Incident.objects.filter(where, month__gte=start, month__lte=end)
    if categories is not None:
        qs = qs.filter(category_id__in=categories)
    rows = qs.values_list("month", "category_id", "bng_x", "bng_y", "location", "lsoa_code")
    frame = pd.DataFrame.from_records(list(rows), columns=FRAME_COLUMNS)
    return frame


def _inside(frame: pd.DataFrame, geom: BaseGeometry) -> np.ndarray:
    if frame.empty:
        return np.zeros(0, dtype=bool)
    xs = pd.to_numeric(frame["x"], errors="coerce").to_numpy(dtype="float64")
    ys = pd.to_numeric(frame["y"], errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(xs) & np.isfinite(ys)
    out = np.zeros(len(frame), dtype=bool)
    out[ok] = shapely.contains_xy(geom, xs[ok], ys[ok])
    return out


def place_incidents(
    place: Place, categories: list[int] | None, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The place's incidents of the categories, months ``start`` to ``end`` (first days)."""
    if place.lsoas is None and place.shape_bng is None:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    frame = _frame(place.where(), categories, start, end)
    if place.lsoas is None:
        assert place.shape_bng is not None
        frame = frame[_inside(frame, place.shape_bng)]
    return frame.reset_index(drop=True)


def buffer_incidents(
    place: Place, buffer_m: int, categories: list[int] | None, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Incidents within ``buffer_m`` metres of the place's shape that are not its own."""
    if place.shape_bng is None:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    outer = place.shape_bng.buffer(float(buffer_m))
    x0, y0, x1, y1 = outer.bounds
    box = Q(bng_x__gte=x0, bng_x__lte=x1, bng_y__gte=y0, bng_y__lte=y1)
    frame = _frame(box & ~place.where() if place.lsoas is not None else box, categories, start, end)
    inside = _inside(frame, outer)
    if place.lsoas is None:
        inside &= ~_inside(frame, place.shape_bng)
    return frame[inside].reset_index(drop=True)


def area_incidents(
    area: Area, categories: list[int] | None, start: dt.date, end: dt.date
) -> pd.DataFrame:
    codes = frozenset(geo.area_lsoa_codes(area))
    where = Q(lsoa_code__in=sorted(codes))
    lads = _lads_of(codes)
    if lads:
        where &= Q(lad_code__in=sorted(lads))
    return _frame(where, categories, start, end)


def check_inside(problem: Problem, place: Place) -> dict[str, Any]:
    """Errors by field when the place is empty or lies outside the partnership's area."""
    errors: dict[str, Any] = {}
    fields: dict[str, str] = {
        Problem.PlaceType.POLYGON: "polygon",
        Problem.PlaceType.POINT: "longitude",
        Problem.PlaceType.WARD: "place_area",
        Problem.PlaceType.NEIGHBOURHOOD: "place_area",
        Problem.PlaceType.LOCATION: "location",
    }
    field = fields.get(str(problem.place_type), "lsoa_codes")
    if place.lsoas is not None:
        if not place.lsoas:
            return {field: "Choose the place: it has no LSOAs."}
        outside = sorted(place.lsoas - geo.area_lsoa_codes(problem.area))
        if outside:
            errors[field] = (
                f"The place lies outside {problem.area.name}: LSOA {', '.join(outside[:5])} "
                "is not in the partnership's area."
            )
        return errors
    area_shape = area_shape_bng(problem.area)
    if place.shape_bng is None or area_shape is None:
        return errors
    # 1 m of tolerance: boundaries are generalised to about a metre.
    if not area_shape.buffer(1.0).contains(place.shape_bng):
        what = "drawn area" if field == "polygon" else "circle"
        errors[field] = (
            f"The {what} lies outside {problem.area.name}, the partnership's area: "
            "draw it inside the boundary."
        )
    return errors


def check_comparison(place: Place, comparison: Area) -> str | None:
    """Why ``comparison`` may not be the comparison area (it overlaps the place), or None."""
    codes = geo.area_lsoa_codes(comparison)
    if place.lsoas is not None and codes & place.lsoas:
        shared = ", ".join(sorted(codes & place.lsoas)[:5])
        return (
            f"The comparison area {comparison.name} overlaps the problem's place "
            f"(LSOA {shared}): choose an area that does not."
        )
    if place.lsoas is None and place.shape_bng is not None:
        other = lsoas_shape_bng(codes)
        if other is not None and other.intersection(place.shape_bng).area > 1.0:
            return (
                f"The comparison area {comparison.name} overlaps the problem's place: "
                "choose an area that does not."
            )
    return None
