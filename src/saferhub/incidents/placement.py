"""Placing an incident: LSOA (2021), ward, local authority, CSP area and BNG point, once.

Load once per import with :meth:`Placer.load`, then call :meth:`Placer.place_many` on a
chunk of rows. Partner imports use the same placer.

Rules (docs/decisions/0111-placement-for-any-force.md), each a placement route counted in
the import report:

* a 2021 LSOA code (or a 2011 code unchanged in 2021) is used as it is ("same");
* a 2011 code merged into one 2021 LSOA goes to it ("merged");
* a split 2011 code goes to the child whose 2021 boundary contains the point
  ("split-point", over the children only), to the nearest child when the point falls in
  none (generalised boundaries leave slivers: "split-nearest"), or to the first child by
  code when the row has no coordinates ("split-first");
* an irregular (X) 2011 code likewise by its point among its 2021 LSOAs
  ("irregular-point", "irregular-nearest", "irregular-first");
* a row with no LSOA code, or a code in neither lookup, is placed by its point over the
  national LSOA boundaries (a spatial index, built once per import and only if needed):
  "point" or "point-unknown-code"; with no point it is "none" (no location: kept and
  counted, never placed) or "unknown" (a warning); a point in no LSOA is "outside".
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
# Every placement route, in the order the import report lists them.
ROUTES = (
    "same",
    "merged",
    "split-point",
    "split-nearest",
    "split-first",
    "irregular-point",
    "irregular-nearest",
    "irregular-first",
    "point",
    "point-unknown-code",
    "outside",
    "unknown",
    "none",
)
# Routes that leave a row without an LSOA.
UNPLACED = frozenset({"outside", "unknown", "none"})


@dataclass(frozen=True)
class Place:
    lsoa: str
    ward: str
    lad: str
    csp: str
    placement: str


@dataclass
class NationalIndex:
    """A spatial index (STRtree) over the 2021 LSOA boundaries held, in BNG."""

    codes: list[str]
    shapes: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def load(cls) -> NationalIndex:
        codes: list[str] = []
        geoms: list[BaseGeometry] = []
        for code, text in (
            Area.objects.filter(level=Area.Level.LSOA, vintage=2021)
            .exclude(geometry="")
            .values_list("code", "geometry")
            .iterator(chunk_size=5000)
        ):
            codes.append(code)
            geoms.append(shape(json.loads(text)))
        shapes = to_bng(np.array(geoms, dtype=object)) if geoms else np.array([], dtype=object)
        return cls(codes, shapes, shapely.STRtree(shapes))

    def find(self, x: float, y: float) -> str | None:
        """The LSOA containing the point (the first by code if it is on a shared edge)."""
        hits = self.tree.query(shapely.Point(x, y), predicate="intersects")
        if len(hits) == 0:
            return None
        return min(self.codes[i] for i in hits.tolist())


@dataclass
class Placer:
    lookup: dict[str, tuple[str, str]]
    links: dict[str, list[tuple[str, str]]]
    child_shapes: dict[str, BaseGeometry]
    csp_by_lad: dict[str, str]
    csp_by_ward: dict[str, str]
    csp_by_lsoa: dict[str, str]
    _cache: dict[str, Place] = field(default_factory=dict)
    _index: NationalIndex | None = None
    _shapes_read: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> Placer:
        lookup = geo.lsoa_lookup_dict()
        links = {
            old: kids
            for old, kids in geo.lsoa_2011_map().items()
            if old not in lookup  # a 2011 code still in use in 2021 is used as it is
        }
        # The 2021 children's boundaries of a split or irregular code are read when a row
        # first needs them (see _children_shapes): reading every one nationally at each
        # import cost about half a second, for the few codes one force's rows hold.
        by_lad, by_ward, by_lsoa = geo.csp_for_places()
        return cls(lookup, links, {}, by_lad, by_ward, by_lsoa)

    def _children_shapes(self, kids: list[str]) -> None:
        """Read (once) the boundaries of the 2021 LSOAs ``kids``, in British National Grid."""
        wanted = [k for k in kids if k not in self._shapes_read]
        if not wanted:
            return
        self._shapes_read.update(wanted)
        for code, text in Area.objects.filter(
            level=Area.Level.LSOA, vintage=2021, code__in=wanted
        ).values_list("code", "geometry"):
            if text:
                geom = to_bng(shape(json.loads(text)))
                shapely.prepare(geom)
                self.child_shapes[code] = geom

    @property
    def index(self) -> NationalIndex:
        if self._index is None:
            self._index = NationalIndex.load()
        return self._index

    def _place_code(self, code: str, placement: str) -> Place:
        ward, lad = self.lookup.get(code, ("", ""))
        csp = (
            self.csp_by_lsoa.get(code) or self.csp_by_ward.get(ward) or self.csp_by_lad.get(lad, "")
        )
        return Place(code, ward, lad, csp, placement)

    def place_code(self, code: str) -> Place | None:
        """Place by LSOA code alone (None when the point must decide)."""
        cached = self._cache.get(code)
        if cached is not None:
            return cached
        if code in self.lookup:
            place = self._place_code(code, "same")
        else:
            kids = self.links.get(code)
            if not kids or any(change in "SX" for _, change in kids) or len(kids) != 1:
                return None
            place = self._place_code(kids[0][0], "merged")
        self._cache[code] = place
        return place

    def place_split(self, code: str, x: float | None, y: float | None) -> Place:
        """Place a row whose code cannot decide (split, irregular, unknown or no code)."""
        kids = [new for new, _ in self.links.get(code, [])]
        if not kids:
            return self.place_point(code, x, y)
        kind = "irregular" if any(c == "X" for _, c in self.links[code]) else "split"
        if x is None or y is None:
            return self._place_code(kids[0], f"{kind}-first")
        self._children_shapes(kids)
        for kid in kids:
            geom = self.child_shapes.get(kid)
            if geom is not None and shapely.contains_xy(geom, x, y):
                return self._place_code(kid, f"{kind}-point")
        known = [k for k in kids if k in self.child_shapes]
        if not known:
            return self._place_code(kids[0], f"{kind}-first")
        point = shapely.Point(x, y)
        nearest = min(known, key=lambda k: self.child_shapes[k].distance(point))
        return self._place_code(nearest, f"{kind}-nearest")

    def place_point(self, code: str, x: float | None, y: float | None) -> Place:
        """Place by the point alone, over the national boundaries."""
        if x is None or y is None:
            return Place("", "", "", "", "unknown" if code else "none")
        found = self.index.find(x, y)
        if found is None:
            return Place("", "", "", "", "unknown" if code else "outside")
        return self._place_code(found, "point-unknown-code" if code else "point")

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
