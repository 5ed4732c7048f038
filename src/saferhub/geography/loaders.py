"""Readers of the ONS and MHCLG geography files (pure: paths in, plain data out).

Every reader names the file, line and column when a file is not what it should be.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapefile
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

LSOA_LOOKUP = "lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
LAD_SHAPES = (
    "lad_boundaries/Local_Authority_Districts_(May_2025)_Boundaries_UK_BSC_(V2)/"
    "Local_Authority_Districts_(May_2025)_Boundaries_UK_BSC_(V2).shp"
)
LSOA2011_DIR = "lsoa2011_boundaries"
SPLIT_LSOA_DIR = "lsoa2021_bgc_split_lsoas"
DERBY_WARD_DIR = "wards2023_bgc_derby"
CENSUS_2011 = "reference/population/census_2011_population_hh.csv"
IMD_FILE_1 = "reference/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
IMD_FILE_2 = "reference/imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
IOD_FILE_6 = "reference/imd2019/File_6_-_IoD2019_Population_Denominators.csv.gz"


class GeographyFileError(ValueError):
    """A geography file is missing or not of the expected shape."""


@dataclass
class Boundary:
    code: str
    name: str
    geometry_wgs84: BaseGeometry
    geometry_bng: BaseGeometry


def _number(text: str, where: str) -> int:
    try:
        return int(text.replace(",", "").strip())
    except ValueError as exc:
        raise GeographyFileError(f"{where}: {text!r} is not a whole number.") from exc


def _require(path: Path) -> Path:
    if not path.exists():
        raise GeographyFileError(f"{path.name}: file not found in {path.parent}.")
    return path


def read_csv_rows(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV (optionally gzip), checked for the required columns."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(_require(path), "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise GeographyFileError(
                f"{path.name}: missing column(s) {', '.join(missing)} in the header line."
            )
        yield from enumerate(reader, start=2)


def to_bng(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, TO_BNG.transform, interleaved=False)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, TO_WGS84.transform, interleaved=False)


def geojson_text(geom: BaseGeometry, precision: int = 5) -> str:
    """Compact GeoJSON of a WGS84 geometry (5 decimals of a degree is about 1 m)."""

    def rounded(obj: Any) -> Any:
        if isinstance(obj, float):
            return round(obj, precision)
        if isinstance(obj, list | tuple):
            return [rounded(v) for v in obj]
        if isinstance(obj, dict):
            return {k: rounded(v) for k, v in obj.items()}
        return obj

    return json.dumps(rounded(mapping(geom)), separators=(",", ":"))


def read_lsoa_lookup(data_dir: Path) -> list[dict[str, str]]:
    cols = ["LSOA21CD", "LSOA21NM", "WD23CD", "WD23NM", "LAD23CD", "LAD23NM"]
    return [
        {k: row[k].strip() for k in cols}
        for _, row in read_csv_rows(data_dir / "geography" / LSOA_LOOKUP, cols)
    ]


def read_lad_shapes(data_dir: Path) -> list[Boundary]:
    """LAD boundaries from the ONS shapefile in British National Grid."""
    path = _require(data_dir / "geography" / LAD_SHAPES)
    reader = shapefile.Reader(str(path))
    names = [f[0] for f in reader.fields[1:]]
    for needed in ("LAD25CD", "LAD25NM"):
        if needed not in names:
            raise GeographyFileError(f"{path.name}: no {needed} field in the attribute table.")
    result = []
    for rec in reader.iterShapeRecords():
        attrs = dict(zip(names, rec.record))
        bng = shape(rec.shape.__geo_interface__)
        if not bng.is_valid:
            bng = bng.buffer(0)
        result.append(Boundary(attrs["LAD25CD"], attrs["LAD25NM"], to_wgs84(bng), bng))
    return result


def _features(path: Path) -> Iterator[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".geojsonl":
            for line in text.splitlines():
                if line.strip():
                    yield json.loads(line)
            return
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeographyFileError(f"{path.name}: not valid JSON (line {exc.lineno}).") from exc
    yield from data.get("features", [])


def read_boundaries(folder: Path, code_field: str, name_field: str) -> list[Boundary]:
    """Features of every .json/.geojson/.geojsonl file in a folder (WGS84)."""
    if not folder.is_dir():
        raise GeographyFileError(f"{folder.name}: folder not found.")
    result = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".json", ".geojson", ".geojsonl"}:
            continue
        for feature in _features(path):
            props = feature.get("properties") or {}
            if code_field not in props:
                raise GeographyFileError(f"{path.name}: a feature has no {code_field} property.")
            geom = shape(feature["geometry"])
            if not geom.is_valid:
                geom = geom.buffer(0)
            result.append(
                Boundary(props[code_field], props.get(name_field, ""), geom, to_bng(geom))
            )
    return result


def read_census_2011(data_dir: Path) -> dict[str, tuple[int, int]]:
    """LSOA 2011 code -> (usual residents, households), Census 2011.

    The file has three columns headed "Persons"; the first is all usual residents.
    """
    path = _require(data_dir / CENSUS_2011)
    result: dict[str, tuple[int, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        try:
            code_i = header.index("LSOA Code")
            persons_i = header.index("Persons")
            households_i = header.index("Households")
        except ValueError as exc:
            raise GeographyFileError(f"{path.name}: header line lacks {exc}.") from exc
        for line, row in enumerate(reader, start=2):
            if len(row) <= households_i or not row[code_i].strip():
                continue
            where = f"{path.name} line {line}"
            result[row[code_i].strip()] = (
                _number(row[persons_i], where + " column Persons"),
                _number(row[households_i], where + " column Households"),
            )
    return result


def read_iod_population(data_dir: Path) -> dict[str, int]:
    """LSOA 2011 code -> total population mid-2015 (excluding prisoners), IoD 2019 File 6."""
    col = "Total population: mid 2015 (excluding prisoners)"
    path = data_dir / IOD_FILE_6
    return {
        row["LSOA code (2011)"]: _number(row[col], f"{path.name} line {line}")
        for line, row in read_csv_rows(path, ["LSOA code (2011)", col])
    }


def read_imd(data_dir: Path) -> dict[str, dict[str, int]]:
    """LSOA 2011 code -> IMD rank/decile and crime domain rank/decile (IoD 2019)."""
    rank = "Index of Multiple Deprivation (IMD) Rank"
    decile = "Index of Multiple Deprivation (IMD) Decile"
    path1 = data_dir / IMD_FILE_1
    result: dict[str, dict[str, int]] = {}
    for line, row in read_csv_rows(path1, ["LSOA code (2011)", rank, decile]):
        where = f"{path1.name} line {line}"
        result[row["LSOA code (2011)"]] = {
            "rank": _number(row[rank], where),
            "decile": _number(row[decile], where),
        }
    crime_rank = "Crime Rank (where 1 is most deprived)"
    crime_decile = "Crime Decile (where 1 is most deprived 10% of LSOAs)"
    path2 = data_dir / IMD_FILE_2
    if path2.exists():
        for line, row in read_csv_rows(path2, ["LSOA code (2011)", crime_rank, crime_decile]):
            entry = result.get(row["LSOA code (2011)"])
            if entry is not None:
                where = f"{path2.name} line {line}"
                entry["crime_rank"] = _number(row[crime_rank], where)
                entry["crime_decile"] = _number(row[crime_decile], where)
    return result
