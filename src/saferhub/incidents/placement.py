"""Placing an incident: LSOA (2021), ward, local authority, CSP area and BNG point, once.

Load once per import with :meth:`Placer.load`, then call :meth:`Placer.place_many` on a
chunk of rows (vectorised coordinate transform; point-in-polygon only for rows whose
LSOA was split in 2021). Partner imports use the same placer.

Rules (docs/decisions/0101-lsoa-2011-to-2021.md):

* an LSOA code in the 2021 lookup is used as it is ("same");
* a split 2011 code goes to the child whose 2021 boundary contains the point
  ("split-point"), to the nearest child when the point falls in none (generalised
  boundaries leave slivers: "split-nearest"), or to the first child by code when the row
  has no coordinates ("split-first");
* any other code is kept as given but not placed ("unknown", a warning);
* rows with neither LSOA nor coordinates are "none" (no location: kept and counted).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from saferhub.geography import selectors as geo
from saferhub.geography.loaders import TO_BNG, to_bng
from saferhub.geography.models import Area

# A generous box around the United Kingdom (WGS84 degrees), incl. Northern Ireland.
UK_BOUNDS = (-8.8, 49.8, 2.0, 60.95)


@dataclass(frozen=True)
class Place:
    lsoa: str
    ward: str
    lad: str
    csp: str
    placement: str


@dataclass
class Placer:
    lookup: dict[str, tuple[str, str]]
    split: dict[str, list[str]]
    child_shapes: dict[str, BaseGeometry]
    csp_by_lad: dict[str, str]
    csp_by_ward: dict[str, str]
    csp_by_lsoa: dict[str, str]
    _cache: dict[str, Place] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Placer:
        lookup = geo.lsoa_lookup_dict()
        split = {
            old: [new for new, change in links]
            for old, links in geo.lsoa_2011_map().items()
            if any(change == "S" for _, change in links)
        }
        children = {c for kids in split.values() for c in kids}
        shapes: dict[str, BaseGeometry] = {}
        for code, text in Area.objects.filter(
            level=Area.Level.LSOA, vintage=2021, code__in=children
        ).values_list("code", "geometry"):
            if text:
                geom = to_bng(shape(json.loads(text)))
                shapely.prepare(geom)
                shapes[code] = geom
        by_lad, by_ward, by_lsoa = geo.csp_for_places()
        return cls(lookup, split, shapes, by_lad, by_ward, by_lsoa)

    def _place_code(self, code: str, placement: str) -> Place:
        ward, lad = self.lookup[code]
        csp = (
            self.csp_by_lsoa.get(code) or self.csp_by_ward.get(ward) or self.csp_by_lad.get(lad, "")
        )
        return Place(code, ward, lad, csp, placement)

    def place_code(self, code: str) -> Place | None:
        """Place by LSOA code alone (None when the code is a split 2011 code)."""
        cached = self._cache.get(code)
        if cached is not None:
            return cached
        if code in self.split:
            return None
        if code in self.lookup:
            place = self._place_code(code, "same")
        elif code:
            place = Place("", "", "", "", "unknown")
        else:
            place = Place("", "", "", "", "none")
        self._cache[code] = place
        return place

    def place_split(self, code: str, x: float | None, y: float | None) -> Place:
        kids = self.split[code]
        if x is None or y is None:
            return self._place_code(kids[0], "split-first")
        for kid in kids:
            geom = self.child_shapes.get(kid)
            if geom is not None and shapely.contains_xy(geom, x, y):
                return self._place_code(kid, "split-point")
        known = [k for k in kids if k in self.child_shapes]
        if not known:
            return self._place_code(kids[0], "split-first")
        point = shapely.Point(x, y)
        nearest = min(known, key=lambda k: self.child_shapes[k].distance(point))
        return self._place_code(nearest, "split-nearest")

    def place_many(
        self,
        codes: Sequence[str],
        xs: Sequence[float | None],
        ys: Sequence[float | None],
    ) -> list[Place]:
        out = []
        for code, x, y in zip(codes, xs, ys):
            place = self.place_code(code)
            if place is None:
                place = self.place_split(code, x, y)
            out.append(place)
        return out


def to_bng_points(
    lons: Sequence[float | None], lats: Sequence[float | None]
) -> tuple[list[int | None], list[int | None]]:
    """British National Grid easting/northing (whole metres) for WGS84 points; None kept."""
    nan = float("nan")
    lon = np.array([nan if v is None else v for v in lons], dtype="float64")
    lat = np.array([nan if v is None else v for v in lats], dtype="float64")
    x, y = to_bng_arrays(lon, lat)
    return nullable_list(x, whole=True), nullable_list(y, whole=True)


def to_bng_arrays(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """British National Grid easting/northing rounded to whole metres; NaN where no point."""
    if len(lon) == 0:
        return np.array([]), np.array([])
    x, y = TO_BNG.transform(lon, lat)
    ok = np.isfinite(x) & np.isfinite(y)
    return np.where(ok, np.rint(x), np.nan), np.where(ok, np.rint(y), np.nan)


def nullable_list(values: np.ndarray, *, whole: bool = False) -> list[Any]:
    """Floats (or whole numbers) as a list, with NaN as None."""
    missing = np.isnan(values)
    out: list[Any] = (np.where(missing, 0, values).astype("int64") if whole else values).tolist()
    for i in np.flatnonzero(missing).tolist():
        out[i] = None
    return out


def inside_uk(lon: float, lat: float) -> bool:
    return UK_BOUNDS[0] <= lon <= UK_BOUNDS[2] and UK_BOUNDS[1] <= lat <= UK_BOUNDS[3]
