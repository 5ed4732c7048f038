"""Placing a partner row once, at import: LSOA, ward, local authority, CSP area, BNG point.

Partner files give a place in one of four ways: longitude/latitude (WGS84), easting and
northing (British National Grid), an LSOA code or a ward code. :class:`Placer` turns
each into the same :class:`Place` the police.uk import records on an incident:

* an LSOA code: placed by the police.uk import's own placer
  (:class:`saferhub.incidents.placement.Placer`): a 2021 code as it is, a 2011 code that
  was split in 2021 to its first 2021 child (``split-first``), as police.uk rows with no
  point are;
* a ward code: the ward and its local authority; no LSOA (``ward``);
* a point: the LSOA 2021 polygon that contains it (``point``), then ward and authority
  from the lookup; a point in the UK but outside the LSOA boundaries held is kept with
  its coordinates and no LSOA (``unknown``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import Point, shape

from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.placement import Placer as LsoaPlacer

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Place:
    lsoa_original: str = ""
    lsoa: str = ""
    ward: str = ""
    lad: str = ""
    csp: str = ""
    placement: str = "none"
    longitude: float | None = None
    latitude: float | None = None
    bng_x: int | None = None
    bng_y: int | None = None

    @classmethod
    def nowhere(cls) -> Place:
        return cls()


class Placer:
    """The police.uk import's placer (LSOA codes, CSP areas), plus wards and points.

    Loaded once per import; then every row is placed in memory.
    """

    def __init__(self, lsoa_placer: LsoaPlacer, ward_lad: dict[str, str]) -> None:
        self.lsoas = lsoa_placer
        self.ward_lad = ward_lad
        self._tree: STRtree | None = None
        self._tree_codes: list[str] = []

    @classmethod
    def load(cls) -> Placer:
        ward_lad = dict(Lsoa.objects.values_list("ward_code", "lad_code").distinct())
        return cls(LsoaPlacer.load(), ward_lad)

    def _from_code(
        self, original: str, code: str, placement: str = "", **point: Any
    ) -> Place | None:
        found = self.lsoas.place_code(code)
        if found is None:  # a 2011 LSOA split in 2021: the first child, with no point
            found = self.lsoas.place_split(code, None, None)
        if found.placement in {"unknown", "none"}:
            return None
        return Place(
            original,
            found.lsoa,
            found.ward,
            found.lad,
            found.csp,
            placement or found.placement,
            **point,
        )

    def from_lsoa(self, code: str) -> Place | None:
        return self._from_code(code, code)

    def from_ward(self, code: str) -> Place | None:
        lad = self.ward_lad.get(code)
        if lad is None:
            return None
        csp = self.lsoas.csp_by_ward.get(code) or self.lsoas.csp_by_lad.get(lad, "")
        return Place("", "", code, lad, csp, "ward")

    def from_point(self, *, lon: float, lat: float) -> Place:
        x, y = _TO_BNG.transform(lon, lat)
        return self._point(lon, lat, x, y)

    def from_bng(self, *, x: float, y: float) -> Place:
        lon, lat = _TO_WGS84.transform(x, y)
        return self._point(lon, lat, x, y)

    def _point(self, lon: float, lat: float, x: float, y: float) -> Place:
        point: dict[str, Any] = {
            "longitude": round(lon, 6),
            "latitude": round(lat, 6),
            "bng_x": round(x),
            "bng_y": round(y),
        }
        code = self._lsoa_at(lon, lat)
        place = self._from_code("", code, "point", **point) if code else None
        return place or Place(placement="unknown", **point)

    def _lsoa_at(self, lon: float, lat: float) -> str:
        if self._tree is None:
            geometries = []
            for code, text in (
                Area.objects.live()
                .filter(level=Area.Level.LSOA, vintage=2021)
                .exclude(geometry="")
                .values_list("code", "geometry")
            ):
                try:
                    geometries.append(shape(json.loads(text)))
                except (ValueError, TypeError, KeyError):
                    continue
                self._tree_codes.append(code)
            self._tree = STRtree(geometries)
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return ""
        return self._tree_codes[int(min(hits))]
