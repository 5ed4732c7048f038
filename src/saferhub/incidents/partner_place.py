"""Placing a partner row once, at import: LSOA, ward, local authority, CSP area, BNG point.

Partner files give a place in one of four ways: longitude/latitude (WGS84), easting and
northing (British National Grid), an LSOA code or a ward code. :class:`Placer` turns
each into the same :class:`Place` the police.uk import records on an incident:

* an LSOA 2021 code: its best-fit ward and local authority (ONS lookup); an LSOA 2011
  code that was split in 2021 goes to its first 2021 child (``split-first``), as police.uk
  rows do when they have no point to decide by;
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
from saferhub.geography.selectors import csp_for_places, lsoa_2011_map, lsoa_lookup_dict

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
    """Lookups loaded once per import; then every row is placed in memory."""

    def __init__(
        self,
        lookup: dict[str, tuple[str, str]],
        old_to_new: dict[str, list[tuple[str, str]]],
        csp: tuple[dict[str, str], dict[str, str], dict[str, str]],
        ward_lad: dict[str, str],
    ) -> None:
        self.lookup = lookup
        self.old_to_new = old_to_new
        self.csp_by_lad, self.csp_by_ward, self.csp_by_lsoa = csp
        self.ward_lad = ward_lad
        self._tree: STRtree | None = None
        self._tree_codes: list[str] = []

    @classmethod
    def load(cls) -> Placer:
        ward_lad = dict(Lsoa.objects.values_list("ward_code", "lad_code").distinct())
        return cls(lsoa_lookup_dict(), lsoa_2011_map(), csp_for_places(), ward_lad)

    def _csp(self, lsoa: str, ward: str, lad: str) -> str:
        return (
            self.csp_by_lsoa.get(lsoa)
            or self.csp_by_ward.get(ward)
            or self.csp_by_lad.get(lad)
            or ""
        )

    def _lsoa_place(self, original: str, lsoa: str, placement: str, **point: Any) -> Place:
        ward, lad = self.lookup[lsoa]
        return Place(original, lsoa, ward, lad, self._csp(lsoa, ward, lad), placement, **point)

    def from_lsoa(self, code: str) -> Place | None:
        if code in self.lookup:
            return self._lsoa_place(code, code, "same")
        children = self.old_to_new.get(code)
        if children and children[0][0] in self.lookup:
            placement = "split-first" if len(children) > 1 else "same"
            return self._lsoa_place(code, children[0][0], placement)
        return None

    def from_ward(self, code: str) -> Place | None:
        lad = self.ward_lad.get(code)
        if lad is None:
            return None
        return Place("", "", code, lad, self._csp("", code, lad), "ward")

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
        if code and code in self.lookup:
            return self._lsoa_place("", code, "point", **point)
        return Place(placement="unknown", **point)

    def _lsoa_at(self, lon: float, lat: float) -> str:
        if self._tree is None:
            geometries = []
            for code, text in (
                Area.objects.filter(level=Area.Level.LSOA, vintage=2021, archived_at__isnull=True)
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
