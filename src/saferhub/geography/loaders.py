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


# National files (England and Wales) -------------------------------------------------

NATIONAL_LSOA_BOUNDARIES = "geography/national/lsoa2021_bsc_v4_EW.geojson"
NATIONAL_PFA_BOUNDARIES = "geography/national/pfa2020_buc_EW.geojson"
LSOA11_LSOA21 = "geography/lookups/national/lookup_lsoa11_lsoa21_ltla22.csv"
LSOA21_WARD24 = "geography/lookups/national/lookup_lsoa21_ward24_ltla24.csv"
LAD24_CSP24_PFA24 = "geography/lookups/national/lookup_ltla24_csp24_pfa24.csv"
CENSUS_2021 = "reference/population/census2021_usual_residents_lsoa21_EW.csv"
RUC_2021 = "reference/classification/ruc21_lsoa21.csv"


def _plain_rows(path: Path, required: list[str]) -> list[dict[str, str]]:
    return [
        {k: (row.get(k) or "").strip() for k in required}
        for _, row in read_csv_rows(path, required)
    ]


def read_feature_collection(
    path: Path, code_field: str, name_field: str
) -> tuple[list[str], list[str], Any]:
    """Codes, names and a numpy array of WGS84 geometries of one GeoJSON file.

    Invalid geometries are repaired with ``make_valid``; a feature without the code
    property names the feature's position in the file.
    """
    import numpy as np

    _require(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GeographyFileError(f"{path.name}: not valid JSON (line {exc.lineno}).") from exc
    codes: list[str] = []
    names: list[str] = []
    geoms = []
    for i, feature in enumerate(data.get("features") or [], start=1):
        props = feature.get("properties") or {}
        code = str(props.get(code_field) or "").strip()
        if not code:
            raise GeographyFileError(f"{path.name}: feature {i} has no {code_field} property.")
        codes.append(code)
        names.append(str(props.get(name_field) or "").strip())
        geoms.append(shape(feature["geometry"]))
    array = np.array(geoms, dtype=object)
    bad = ~shapely.is_valid(array)
    if bad.any():
        array[bad] = shapely.make_valid(array[bad])
    return codes, names, array


def read_lsoa11_lsoa21(data_dir: Path) -> list[dict[str, str]]:
    """The ONS LSOA 2011 -> LSOA 2021 lookup, one row per link, with its change code."""
    path = data_dir / LSOA11_LSOA21
    cols = ["lsoa11_code", "change_code", "lsoa21_code", "ltla22_code"]
    rows = _plain_rows(path, cols)
    for line, row in enumerate(rows, start=2):
        if row["change_code"] not in {"U", "S", "M", "X"}:
            raise GeographyFileError(
                f"{path.name} line {line} column change_code: {row['change_code']!r} is not "
                "U, S, M or X."
            )
    return rows


def read_lsoa21_ward24(data_dir: Path) -> list[dict[str, str]]:
    cols = ["lsoa21_code", "lsoa21_name", "ward24_code", "ward24_name", "ltla24_code", "ltla24_name"]
    return _plain_rows(data_dir / LSOA21_WARD24, cols)


def read_lad_csp_pfa(data_dir: Path) -> list[dict[str, str]]:
    """LAD 2024 -> CSP -> police force area rows (exact duplicates dropped)."""
    cols = ["ltla24_code", "ltla24_name", "csp24_code", "csp24_name", "pfa24_code", "pfa24_name"]
    seen: dict[tuple[str, ...], dict[str, str]] = {}
    for row in _plain_rows(data_dir / LAD24_CSP24_PFA24, cols):
        seen.setdefault(tuple(row[c] for c in cols), row)
    return list(seen.values())


def read_census_2021(data_dir: Path) -> dict[str, int]:
    """LSOA 2021 code -> Census 2021 usual residents."""
    path = data_dir / CENSUS_2021
    col = "census2021_usual_residents"
    return {
        row["lsoa21_code"].strip(): _number(row[col], f"{path.name} line {line} column {col}")
        for line, row in read_csv_rows(path, ["lsoa21_code", col])
    }


def read_ruc_2021(data_dir: Path) -> dict[str, tuple[str, str]]:
    """LSOA 2021 code -> (RUC 2021 code, 'Urban' or 'Rural')."""
    return {
        r["lsoa21_code"]: (r["ruc21_code"], r["ruc"])
        for r in _plain_rows(data_dir / RUC_2021, ["lsoa21_code", "ruc21_code", "ruc"])
    }


def read_ward23_of_lsoa(data_dir: Path) -> dict[str, tuple[str, str, str]]:
    """LSOA 2021 code -> (ward 2023 code, ward 2023 name, LAD 2023 code), if the file is held."""
    path = data_dir / "geography" / LSOA_LOOKUP
    if not path.exists():
        return {}
    return {r["LSOA21CD"]: (r["WD23CD"], r["WD23NM"], r["LAD23CD"]) for r in read_lsoa_lookup(data_dir)}
