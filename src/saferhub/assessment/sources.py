"""What an assessment reads: the area's geography, population and incident records.

One function, :func:`area_inputs`, gathers everything the build needs into plain
DataFrames, so the build never reaches into another app's tables directly. It reads
the partnership's bundled public data (police.uk street-level files, the ONS
LSOA -> ward -> local authority lookup, Census 2011 population and households, the
Indices of Deprivation 2019, LSOA boundaries) from ``settings.DATA_DIR``.

When the imported incident tables are available (``saferhub.incidents.selectors``),
this is the one place to switch to them (see docs/decisions/0200).
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings

# The kind of a whole police force area (as the geography names the level).
FORCE_AREA_KIND = "police force area"
# Which force the bundled files are: the police force area of the local authorities whose
# LSOA boundaries are bundled, by the ONS LAD -> CSP -> police force area lookup; its
# police.uk month files are in the folder named after it (or SAFERHUB_FILES_FORCE_FOLDER).
NATIONAL_LOOKUP = "geography/lookups/national/lookup_ltla24_csp24_pfa24.csv"
LOOKUP = (
    "geography/lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
)
CENSUS = "reference/population/census_2011_population_hh.csv"
IMD = "reference/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
LSOA2011_BOUNDARIES = "geography/lsoa2011_boundaries"
LSOA2021_SPLIT = "geography/lsoa2021_bgc_split_lsoas"

INCIDENT_COLUMNS = [
    "crime_id",
    "month",
    "longitude",
    "latitude",
    "location",
    "lsoa",
    "lsoa_as_reported",
    "crime_type",
    "outcome",
]

# Partner records (imported only): theme key and title, month, LSOA (None where the
# source gives no place), pseudonymous victim and location references (None where the
# source has none), source name and the source's own category.
PARTNER_COLUMNS = [
    "theme",
    "theme_title",
    "month",
    "lsoa",
    "victim_id",
    "location_ref",
    "source",
    "crime_type",
]


class AreaNotFound(ValueError):
    """The area name or code is not a Community Safety Partnership area in the data."""


@dataclass
class SourceFile:
    path: str
    sha256: str
    rows: int
    description: str


@dataclass
class AreaInputs:
    """Everything an assessment of one area reads (plain pandas, no ORM)."""

    code: str
    name: str
    kind: str
    lsoas: (
        pd.DataFrame
    )  # lsoa, lsoa_name, ward, ward_name, lad, lad_name, population, households, imd_decile
    incidents: pd.DataFrame  # INCIDENT_COLUMNS, only rows in the area's LSOAs
    family: pd.DataFrame  # lad, lad_name, population (the comparison family)
    family_incidents: pd.DataFrame  # lad, month, crime_type, count
    boundaries: dict[str, Any]  # GeoJSON FeatureCollection of the area's LSOAs (WGS84)
    months_in_data: list[str]
    force_rows_by_month: dict[str, int]
    no_location_rows: int
    recoded_2011_rows: int
    rows_outside_area_lads: int
    population_source: str = "Census 2011 usual residents (ONS), by LSOA; 2011 LSOAs split in 2021 share their parent's figure equally"
    population_year: str = "2011"
    sources: list[SourceFile] = field(default_factory=list)
    # The forces whose records are counted, for the source lines ("31,021 records: ...");
    # blank when the inputs are one force's files.
    police_source: str = ""
    reporting_forces: list[dict[str, Any]] = field(default_factory=list)
    partner_incidents: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=PARTNER_COLUMNS)
    )
    # The forces that reported the area's police.uk records (police.uk's "Falls within"),
    # with their counts over the months read (the harm estimate's offence mix is theirs).
    falls_within: dict[str, int] = field(default_factory=dict)
    # How the family was chosen (blank: the files' own family, the force area's CSPs), and
    # the members whose records are not held (listed as "no data held", never as zero).
    family_description: str = ""
    family_without_data: list[str] = field(default_factory=list)


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return float(text.replace(",", "")) if text and text.strip() else 0.0


@functools.cache
def _manifest(root: str) -> dict[str, str]:
    path = Path(root) / "MANIFEST.sha256"
    out: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            out[name.removeprefix("./")] = digest
    return out


def file_digest(root: Path, relative: str) -> str:
    known = _manifest(str(root)).get(relative)
    if known:
        return known
    return hashlib.sha256((root / relative).read_bytes()).hexdigest()


@functools.cache
def _geography(root: str) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict[str, Any]]]:
    """LSOA 2021 table for the force area, the 2011->2021 split map, and LSOA polygons."""
    from shapely.geometry import shape

    base = Path(root)
    lookup = pd.DataFrame(_read_csv_rows(base / LOOKUP))
    police_lads = _force_lads(base)
    lookup = lookup[lookup["LAD23CD"].isin(police_lads)]
    lsoas = pd.DataFrame(
        {
            "lsoa": lookup["LSOA21CD"],
            "lsoa_name": lookup["LSOA21NM"],
            "ward": lookup["WD23CD"],
            "ward_name": lookup["WD23NM"],
            "lad": lookup["LAD23CD"],
            "lad_name": lookup["LAD23NM"],
        }
    ).reset_index(drop=True)
    features: dict[str, dict[str, Any]] = {}
    parents: dict[str, Any] = {}
    for lad in police_lads:
        path = base / LSOA2011_BOUNDARIES / f"{lad}.json"
        if not path.exists():
            continue
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = feature["properties"]["LSOA11CD"]
            features[code] = feature
            parents[code] = shape(feature["geometry"])
    split: dict[str, str] = {}  # 2021 child -> 2011 parent
    split_dir = base / LSOA2021_SPLIT
    for path in sorted(split_dir.glob("*.geojsonl")) if split_dir.exists() else []:
        feature = json.loads(path.read_text(encoding="utf-8").strip().splitlines()[0])
        code = feature["properties"]["LSOA21CD"]
        child = shape(feature["geometry"])
        point = child.representative_point()
        parent = next((p for p, geom in parents.items() if geom.contains(point)), None)
        if parent:
            split[code] = parent
        features[code] = feature
    # Population and households (Census 2011, LSOA 2011), IMD 2019 deciles (LSOA 2011).
    census: dict[str, tuple[float, float]] = {}
    with (base / CENSUS).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if len(row) > 14 and row[2] in police_lads:
                census[row[6]] = (_number(row[9]), _number(row[14]))
    imd: dict[str, int] = {}
    with gzip.open(base / IMD, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if row[2] in police_lads:
                imd[row[0]] = int(_number(row[5]))
    siblings: dict[str, int] = {}
    for parent in split.values():
        siblings[parent] = siblings.get(parent, 0) + 1
    pops, hhs, deciles = [], [], []
    for code in lsoas["lsoa"]:
        source = split.get(code, code)
        share = siblings.get(source, 1) if code in split else 1
        pop, hh = census.get(source, (0.0, 0.0))
        pops.append(pop / share)
        hhs.append(hh / share)
        deciles.append(imd.get(source))
    lsoas["population"] = pops
    lsoas["households"] = hhs
    lsoas["imd_decile"] = deciles
    return lsoas, split, features


def _force_lads(base: Path) -> list[str]:
    return sorted(p.stem for p in (base / LSOA2011_BOUNDARIES).glob("E0*.json"))


@dataclass(frozen=True)
class FilesForce:
    code: str  # the police force area's GSS code
    name: str  # the police force area's name
    folder: str  # the folder of its police.uk month files, under police_uk/


@functools.cache
def _files_force(root: str, folder_setting: str) -> FilesForce:
    base = Path(root)
    lads = set(_force_lads(base))
    lookup = pd.read_csv(base / NATIONAL_LOOKUP, dtype=str)
    mine = lookup[lookup["ltla24_code"].isin(lads)]
    if mine.empty:
        raise AreaNotFound(
            f"The bundled boundaries ({LSOA2011_BOUNDARIES}) name no local authority of the "
            f"police force area lookup ({NATIONAL_LOOKUP})."
        )
    biggest: Any = mine.groupby(["pfa24_code", "pfa24_name"]).size().idxmax()
    from django.utils.text import slugify

    code, name = str(biggest[0]), str(biggest[1])
    return FilesForce(code, name, folder_setting or slugify(name))


def files_force() -> FilesForce:
    """The police force area the bundled files cover, and its police.uk folder."""
    return _files_force(str(data_dir()), settings.FILES_FORCE_FOLDER)


def _month_files(base: Path) -> list[Path]:
    folder = base / "police_uk" / _files_force(str(base), settings.FILES_FORCE_FOLDER).folder
    return sorted(folder.glob("*/*-street.csv")) if folder.exists() else []


@functools.cache
def _force_incidents(root: str, stamp: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    """Every police.uk row of the force, LSOA codes recoded to 2021."""
    base = Path(root)
    lsoas, split, features = _geography(root)
    frames = []
    for path in _month_files(base):
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            usecols=[
                "Crime ID",
                "Month",
                "Longitude",
                "Latitude",
                "Location",
                "LSOA code",
                "Crime type",
                "Last outcome category",
                "Falls within",
            ],
        )
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=INCIDENT_COLUMNS)
    raw = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame(
        {
            "crime_id": raw["Crime ID"],
            "month": raw["Month"],
            "longitude": pd.to_numeric(raw["Longitude"], errors="coerce"),
            "latitude": pd.to_numeric(raw["Latitude"], errors="coerce"),
            "location": raw["Location"].replace("", None),
            "lsoa": raw["LSOA code"],
            "lsoa_as_reported": raw["LSOA code"],
            "crime_type": raw["Crime type"],
            "outcome": raw["Last outcome category"],
            "falls_within": raw["Falls within"],
        }
    )
    out["lsoa"] = _recode_2011(out, split, features)
    return out


def _recode_2011(
    frame: pd.DataFrame, split: dict[str, str], features: dict[str, dict[str, Any]]
) -> pd.Series:
    """Map retired 2011 LSOA codes to the 2021 child that contains the snapped point."""
    from shapely.geometry import Point, shape

    children: dict[str, list[tuple[str, Any]]] = {}
    for child, parent in split.items():
        children.setdefault(parent, []).append((child, shape(features[child]["geometry"])))
    codes = frame["lsoa"].copy()
    retired = codes.isin(list(children))
    for idx in frame.index[retired]:
        options = children[str(codes.at[idx])]
        lon: Any = frame.at[idx, "longitude"]
        lat: Any = frame.at[idx, "latitude"]
        chosen = options[0][0]
        if pd.notna(lon) and pd.notna(lat):
            point = Point(float(lon), float(lat))
            best = min(options, key=lambda item: item[1].distance(point))
            chosen = best[0]
        codes.at[idx] = chosen
    return codes


def _files_signature(base: Path) -> tuple[tuple[str, float], ...]:
    return tuple((str(p), p.stat().st_mtime) for p in _month_files(base))


def force_areas() -> list[tuple[str, str]]:
    """The CSP areas in the data (code, name), and the whole force area."""
    lsoas, _, _ = _geography(str(data_dir()))
    pairs = sorted(set(zip(lsoas["lad"], lsoas["lad_name"], strict=True)), key=lambda p: p[1])
    force = files_force()
    return [*pairs, (force.code, f"{force.name} ({FORCE_AREA_KIND})")]


def resolve_area(name_or_code: str) -> tuple[str, str]:
    """The (code, name) of an area given its GSS code or name (case-insensitive)."""
    wanted = name_or_code.strip().lower()
    force = files_force()
    force_names = {"force", force.name.lower(), f"{force.name.lower()} force area"}
    for code, name in force_areas():
        if wanted in {code.lower(), name.lower()} or (code == force.code and wanted in force_names):
            return code, name
    known = ", ".join(f"{name} ({code})" for code, name in force_areas())
    raise AreaNotFound(f"No area called {name_or_code!r}. Areas in the data: {known}.")


def area_inputs(name_or_code: str) -> AreaInputs:
    """Gather the inputs for one area (a CSP's local authority area, or the force area)."""
    base = data_dir()
    code, name = resolve_area(name_or_code)
    lsoas, split, features = _geography(str(base))
    force = _force_incidents(str(base), _files_signature(base))
    if code == files_force().code:
        area_lsoas = lsoas.copy()
        kind = FORCE_AREA_KIND
    else:
        area_lsoas = lsoas[lsoas["lad"] == code].reset_index(drop=True)
        kind = "community safety partnership area (local authority)"
    wanted = set(area_lsoas["lsoa"])
    incidents = force[force["lsoa"].isin(wanted)].reset_index(drop=True)
    boundary_features = []
    rows: Any = area_lsoas.itertuples()
    for row in rows:
        feature = features.get(row.lsoa)
        if feature is None:
            continue
        boundary_features.append(
            {
                "type": "Feature",
                "properties": {"lsoa": row.lsoa, "name": row.lsoa_name, "ward": row.ward_name},
                "geometry": feature["geometry"],
            }
        )
    lad_of = dict(zip(lsoas["lsoa"], lsoas["lad"], strict=True))
    in_force = force[force["lsoa"].isin(lad_of)]
    family_incidents = (
        in_force.assign(lad=in_force["lsoa"].map(lad_of))
        .groupby(["lad", "month", "crime_type"], sort=True)
        .size()
        .rename("count")
        .reset_index()
    )
    family = lsoas.groupby(["lad", "lad_name"], sort=True)["population"].sum().reset_index()
    months = sorted(force["month"].unique().tolist())
    rows_by_month = force.groupby("month").size().astype(int).to_dict()
    no_location = int(((force["lsoa"] == "") | force["longitude"].isna()).sum())
    reporters = ", ".join(sorted(n for n in force["falls_within"].unique() if n))
    sources = [
        SourceFile(
            str(p.relative_to(base)),
            file_digest(base, str(p.relative_to(base))),
            int(rows_by_month.get(p.parent.name, 0)),
            f"police.uk street-level crime and ASB, {reporters}",
        )
        for p in _month_files(base)
    ]
    for relative, description in [
        (LOOKUP, "ONS LSOA (2021) to ward (2023) to local authority (2023) best-fit lookup"),
        (CENSUS, "Census 2011 population and households by LSOA (ONS)"),
        (IMD, "English Indices of Deprivation 2019, IMD decile by LSOA 2011 (MHCLG)"),
    ]:
        if (base / relative).exists():
            sources.append(SourceFile(relative, file_digest(base, relative), 0, description))
    return AreaInputs(
        code=code,
        name=name,
        kind=kind,
        lsoas=area_lsoas,
        incidents=incidents,
        family=family,
        family_incidents=family_incidents,
        boundaries={"type": "FeatureCollection", "features": boundary_features},
        months_in_data=months,
        force_rows_by_month={str(k): int(v) for k, v in rows_by_month.items()},
        no_location_rows=no_location,
        recoded_2011_rows=int((incidents["lsoa"] != incidents["lsoa_as_reported"]).sum()),
        rows_outside_area_lads=int((~force["lsoa"].isin(lad_of)).sum()),
        sources=sources,
        falls_within={
            str(k): int(v) for k, v in incidents["falls_within"].value_counts().items() if k
        },
    )
