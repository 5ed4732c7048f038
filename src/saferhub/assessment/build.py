"""Build the Strategic Assessment's data: one JSON-serialisable structure.

Every figure is computed by ``saferhub.analysis``; this module only chooses the
inputs (area, period, themes), calls the statistics and lays the results out as
sections of tables, each table naming its method and source. The HTML page, the
PDF and the workbook are all drawn from this one structure, so they cannot differ.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from saferhub import analysis
from saferhub.analysis import gaps
from saferhub.analysis.harm_categories import severity_rate
from saferhub.analysis.hotspots import getis_ord_gi_star
from saferhub.analysis.spatial_weights import contiguity_weights
from saferhub.assessment.harm_inputs import SeverityWeights, severity_weights
from saferhub.assessment.sources import (
    FORCE_AREA_KIND,
    INCIDENT_COLUMNS,
    AreaInputs,
    area_inputs,
)
from saferhub.core.periods import is_month, month_label, month_range

SCHEMA_VERSION = 1
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
BOUNDARY_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021."
)
POLICE_SOURCE = "police.uk street-level crime and ASB"
DEFAULT_FAMILY = "the local authorities of the police force area in the data"
ALPHA = 0.05
PARTNER_PREFIX = "partner_"
TOP_N = 10

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    crime_types: tuple[str, ...]
    note: str = ""


CRIME_TYPES_NOT_ASB = (
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)

THEMES: list[Theme] = [
    Theme(
        "all_crime", "All crime", CRIME_TYPES_NOT_ASB, "All police recorded crime; ASB excluded."
    ),
    Theme(
        "serious_acquisitive",
        "Serious acquisitive crime",
        ("Burglary", "Robbery", "Vehicle crime"),
        "police.uk categories Burglary, Robbery and Vehicle crime: an approximation of the "
        "Home Office definition (domestic burglary, robbery of personal property, theft of or "
        "from a vehicle), because police.uk does not separate the sub-types.",
    ),
    Theme("violence", "Violence and sexual offences", ("Violence and sexual offences",)),
    Theme("criminal_damage", "Criminal damage and arson", ("Criminal damage and arson",)),
    Theme(
        "asb",
        "Anti-social behaviour",
        ("Anti-social behaviour",),
        "ASB incidents are counted apart from crime: they are not notifiable offences.",
    ),
    Theme("drugs", "Drugs", ("Drugs",)),
    Theme("public_order", "Public order", ("Public order",)),
    Theme("shoplifting", "Shoplifting", ("Shoplifting",)),
]


#: Every police.uk street-level category (for the Crime Severity Score weights table).
POLICE_UK_CATEGORIES = (*CRIME_TYPES_NOT_ASB, "Anti-social behaviour")


def _main_force(inputs: AreaInputs) -> str:
    """The force that reported most of the area's records ("" when none is named)."""
    forces = inputs.falls_within
    return max(sorted(forces), key=lambda f: forces[f]) if forces else ""


# --------------------------------------------------------------------------- helpers


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """A frame's rows as named tuples (typed loosely: columns are known only at run time)."""
    return iter(frame.itertuples())


def clean(value: Any) -> Any:
    """Plain JSON types: numpy scalars to Python, NaN/inf to None, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, pd.Period | dt.date):
        return str(value)
    return value


def rnd(value: Any, places: int = 1) -> float | None:
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, places)


def table(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list[Any]],
    *,
    method: str = "",
    source: str = POLICE_SOURCE,
    empty: str = "No records in this period.",
) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "columns": columns,
        "rows": clean(rows),
        "method": method,
        "source": source,
        "empty": empty,
    }


def p_text(p: float | None) -> str:
    if p is None:
        return ""
    return "< 0.0001" if p < 0.0001 else f"{p:.4f}"


def default_period(months_in_data: list[str]) -> tuple[str, str]:
    """The latest 12 months in the data (all police.uk months are complete)."""
    if not months_in_data:
        today = pd.Period(dt.date.today(), freq="M") - 1
        return str(today - 11), str(today)
    last = pd.Period(max(months_in_data), freq="M")
    return str(last - 11), str(last)


def _pct(part: float, whole: float) -> float | None:
    return rnd(100.0 * part / whole) if whole else None


# --------------------------------------------------------------------------- geometry


@functools.cache
def _weights_for(area_code: str, lsoas: tuple[str, ...], geometry_json: str) -> Any:
    """Queen contiguity between the area's LSOAs (British National Grid, 5 m tolerance)."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_bng.transform(xy[:, 0], xy[:, 1]))

    geometries = json.loads(geometry_json)
    polygons = [shapely.transform(shape(geometries[code]), project) for code in lsoas]
    return contiguity_weights(polygons, rule="queen", tolerance=5.0)


def _lsoa_weights(inputs: AreaInputs) -> tuple[list[str], Any]:
    features = {f["properties"]["lsoa"]: f["geometry"] for f in inputs.boundaries["features"]}
    codes = tuple(code for code in inputs.lsoas["lsoa"] if code in features)
    if len(codes) < 3:
        return list(codes), None
    geometry_json = json.dumps({c: features[c] for c in codes}, sort_keys=True)
    return list(codes), _weights_for(inputs.code, codes, geometry_json)


# --------------------------------------------------------------------------- sections


@dataclass
class Period:
    first: str
    last: str
    before_first: str
    before_last: str

    @property
    def months(self) -> list[str]:
        return month_range(self.first, self.last)

    @property
    def before_months(self) -> list[str]:
        return month_range(self.before_first, self.before_last)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first,
            "to": self.last,
            "before_from": self.before_first,
            "before_to": self.before_last,
            "months": len(self.months),
            "label": f"{month_label(self.first)} to {month_label(self.last)}",
            "before_label": f"{month_label(self.before_first)} to {month_label(self.before_last)}",
        }


def make_period(months_in_data: list[str], first: str | None, last: str | None) -> Period:
    if first is None and last is None:
        first, last = default_period(months_in_data)
    elif first is None or last is None:
        raise ValueError("Give both the first and the last month of the period, or neither.")
    try:
        if not (is_month(str(first)) and is_month(str(last))):
            raise ValueError(first, last)
        start, end = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Months must be written YYYY-MM (got {first!r}, {last!r}).") from exc
    if end < start:
        raise ValueError(f"The period ends ({last}) before it starts ({first}).")
    length = (end - start).n + 1
    return Period(str(start), str(end), str(start - length), str(start - 1))


def _context(inputs: AreaInputs, period: Period) -> dict[str, Any]:
    lsoas = inputs.lsoas
    population = float(lsoas["population"].sum())
    households = float(lsoas["households"].sum())
    deciles = lsoas["imd_decile"].dropna().astype(int)
    decile_rows = [
        [d, int((deciles == d).sum()), _pct(int((deciles == d).sum()), len(deciles))]
        for d in range(1, 11)
    ]
    wards = (
        lsoas.groupby(["ward", "ward_name"], sort=False)
        .agg(lsoas=("lsoa", "size"), population=("population", "sum"))
        .reset_index()
        .sort_values("ward_name")
    )
    in_data = set(inputs.months_in_data)
    wanted = period.before_months + period.months
    missing = [m for m in wanted if m not in in_data]
    gaps_by_category = window_gaps(inputs, period)
    gaps_in_month: dict[str, list[str]] = {}
    for category, months in gaps_by_category.items():
        for m in months:
            gaps_in_month.setdefault(m, []).append(category)
    coverage_rows = [
        [
            m,
            "yes" if m in in_data else "no (missing)",
            inputs.force_rows_by_month.get(m, 0),
            ", ".join(gaps_in_month.get(m, [])) or "none",
        ]
        for m in wanted
    ]
    return {
        "population": {
            "value": rnd(population, 0),
            "year": inputs.population_year,
            "source": inputs.population_source,
        },
        "households": {
            "value": rnd(households, 0),
            "year": inputs.population_year,
            "source": f"households: {inputs.population_source}",
        },
        "lsoas": len(lsoas),
        "wards": len(wards),
        "deprivation": {
            "most_deprived_decile_lsoas": int((deciles == 1).sum()),
            "most_deprived_decile_share": _pct(int((deciles == 1).sum()), len(deciles)),
            "source": "English Indices of Deprivation 2019 (MHCLG), IMD decile by LSOA 2011; "
            "decile 1 is the most deprived 10% of LSOAs in England",
        },
        "coverage": {
            "months_in_data": len(in_data),
            "first_month_in_data": min(in_data) if in_data else None,
            "last_month_in_data": max(in_data) if in_data else None,
            "missing_months": missing,
            "gaps": gaps_by_category,
            "gaps_text": gaps.gap_text(gaps_by_category),
            "no_location_rows": inputs.no_location_rows,
            "recoded_2011_rows": inputs.recoded_2011_rows,
            "rows_outside_area_lads": inputs.rows_outside_area_lads,
        },
        "tables": [
            table(
                "context_wards",
                "Wards: LSOAs and population",
                ["Ward code", "Ward", "LSOAs", "Population"],
                [[r.ward, r.ward_name, r.lsoas, rnd(r.population, 0)] for r in _rows(wards)],
                method="ONS best-fit LSOA (2021) to ward (2023) lookup; population summed over LSOAs",
                source=f"ONS lookup; {inputs.population_source}",
            ),
            table(
                "context_deprivation",
                "LSOAs by deprivation decile",
                ["IMD decile (1 = most deprived)", "LSOAs", "Share of LSOAs (%)"],
                decile_rows,
                method="Count of the area's LSOAs in each national IMD 2019 decile",
                source="English Indices of Deprivation 2019 (MHCLG)",
            ),
            table(
                "context_coverage",
                "Data coverage by month",
                ["Month", "In the data", "Force rows that month", "Gap (no records of)"],
                coverage_rows,
                method="Months of the period and the period before, whether police.uk "
                "published a file for them, and the categories with a gap that month: no "
                "records in the area although the other months average "
                f"{gaps.GAP_MEAN:g} or more (a gap, not a zero)",
            ),
        ],
    }


def _theme_section(
    theme: Theme,
    inputs: AreaInputs,
    period: Period,
    *,
    weights: tuple[list[str], Any],
    mapping: pd.DataFrame,
    unit_costs: pd.DataFrame,
    severity: SeverityWeights | None = None,
) -> dict[str, Any]:
    frame = inputs.incidents[inputs.incidents["crime_type"].isin(theme.crime_types)]
    # The one gap rule (saferhub.analysis.gaps, docs/decisions/0210): a month with no
    # records of one of the theme's categories where the source normally has them is a
    # gap; it is not data, so it is left out of the counts, the exposure and the charts.
    theme_gaps = window_gaps(inputs, period, theme.crime_types)
    gap_list = sorted({m for months in theme_gaps.values() for m in months})
    in_data = set(inputs.months_in_data) - set(gap_list)
    months_after = [m for m in period.months if m in in_data]
    months_before = [m for m in period.before_months if m in in_data]
    after_frame = frame[frame["month"].isin(months_after)]
    before_frame = frame[frame["month"].isin(months_before)]
    after, before = len(after_frame), len(before_frame)
    population = float(inputs.lsoas["population"].sum())
    gap_note = gaps.gap_text(theme_gaps)
    section: dict[str, Any] = {
        "key": theme.key,
        "title": theme.title,
        "crime_types": list(theme.crime_types),
        "note": theme.note,
        "has_data": bool(months_after),
        "volume": {"after": after, "before": before},
        "months_of_data": {"after": len(months_after), "before": len(months_before)},
        "gaps": gap_list,
        "gaps_by_category": theme_gaps,
        "tables": [],
        "charts": [],
        "notes": [],
    }
    if not months_after:
        section["notes"].append(
            "There are no data for any month of this period, so no figures are given."
        )
    if gap_list:
        section["notes"].append(
            f"{gap_note} {'It is' if len(gap_list) == 1 else 'They are'} left out: the counts "
            f"are of the {len(months_after)} months of data this period and "
            f"{len(months_before)} the period before, change is measured per month of data "
            "and the control chart skips the gap."
        )
    # Rate per 1,000 population.
    if population > 0:
        rates = analysis.rate_table(
            pd.DataFrame({"count": [after], "population": [population]}),
            count_col="count",
            denominator_col="population",
            denominator_type="population",
            denominator_year=inputs.population_year,
        )
        section["rate"] = {
            "value": rnd(rates["rate"].iloc[0], 2),
            "lower": rnd(rates["rate_lower"].iloc[0], 2),
            "upper": rnd(rates["rate_upper"].iloc[0], 2),
            "method": rates.attrs["method"],
            "population_year": inputs.population_year,
            "months_of_data": len(months_after),
        }
        before_rates = analysis.rate_table(
            pd.DataFrame({"count": [before], "population": [population]}),
            count_col="count",
            denominator_col="population",
            denominator_type="population",
            denominator_year=inputs.population_year,
        )
        section["rate_before"] = {
            "value": rnd(before_rates["rate"].iloc[0], 2),
            "lower": rnd(before_rates["rate_lower"].iloc[0], 2),
            "upper": rnd(before_rates["rate_upper"].iloc[0], 2),
            "method": before_rates.attrs["method"],
            "population_year": inputs.population_year,
            "months_of_data": len(months_before),
        }
    else:
        section["rate"] = None
        section["rate_before"] = None
    # Change with significance (exposure = months with data in each period).
    if months_after and months_before:
        change = analysis.compare_counts(
            before, after, len(months_before), len(months_after), alpha=ALPHA
        )
        section["change"] = {
            "before": before,
            "after": after,
            "months_before": len(months_before),
            "months_after": len(months_after),
            "percent_change": rnd(change.percent_change),
            "rate_ratio": rnd(change.rate_ratio, 3),
            "ratio_lower": rnd(change.ratio_lower, 3),
            "ratio_upper": rnd(change.ratio_upper, 3),
            "p_value": clean(change.p_value),
            "significant": change.significant,
            "direction": "increase" if change.percent_change > 0 else "decrease",
            "method": change.method,
            "interpretation": change.interpretation,
        }
    else:
        section["change"] = None
        section["notes"].append(
            "Change cannot be tested: one of the two periods has no months of data."
        )
    # Monthly trend with SPC signals, over both periods (gap months left out).
    trend_months = [m for m in period.before_months + period.months if m in in_data]
    monthly = frame.groupby("month").size()
    values = [int(monthly.get(m, 0)) for m in trend_months]
    if len(values) >= 3:
        spc = analysis.spc_chart(values, trend_months, chart="xmr")
        trend_rows = [
            [
                r.period,
                int(r.value),
                rnd(r.centre),
                rnd(r.lower),
                rnd(r.upper),
                r.signal_description or ("signal" if r.signal else ""),
            ]
            for r in _rows(spc)
        ]
        signals = [row[0] for row, flag in zip(trend_rows, spc["signal"], strict=True) if flag]
        section["trend"] = {
            "method": spc.attrs["method"],
            "rules": spc.attrs["rules"],
            "signals": signals,
        }
        section["tables"].append(
            table(
                f"{theme.key}_trend",
                f"{theme.title}: monthly count with control limits",
                ["Month", "Count", "Centre", "Lower limit", "Upper limit", "Signal"],
                trend_rows,
                method=f"{spc.attrs['method']}; rules: {spc.attrs['rules']}"
                + (
                    f"; gap months left out of the chart: {', '.join(gap_list)}" if gap_list else ""
                ),
            )
        )
        section["charts"].append({"kind": "spc", "table": f"{theme.key}_trend"})
    else:
        section["trend"] = None
        section["notes"].append("Too few months of data for a control chart (3 needed).")
    # Hotspots: counts by LSOA in the period, Gi* classes.
    codes, w = weights
    by_lsoa = after_frame.groupby("lsoa").size()
    lsoa_info = inputs.lsoas.set_index("lsoa")
    counts = np.array([int(by_lsoa.get(c, 0)) for c in codes], dtype=float)
    map_values: dict[str, list[Any]] = {}
    if w is not None and counts.sum() > 0 and counts.std() > 0:
        gi = getis_ord_gi_star(counts, w, ids=codes, fdr=True)
        classes = dict(zip(gi["id"], gi["hotspot_class"], strict=True))
        zs = dict(zip(gi["id"], gi["z"], strict=True))
        hot = [c for c in codes if str(classes[c]).startswith("hot")]
        section["hotspots"] = {
            "method": "Getis-Ord Gi* on counts per LSOA, queen contiguity (5 m tolerance), "
            "analytical z, Benjamini-Hochberg false discovery rate; classes at 90/95/99%",
            "hot_spot_lsoas": len(hot),
            "share_in_hot_spots": _pct(sum(by_lsoa.get(c, 0) for c in hot), after),
        }
    else:
        classes, zs = {}, {}
        section["hotspots"] = None
        section["notes"].append("Hot spots not computed: too few records or LSOAs in the period.")
    order = sorted(codes, key=lambda c: (-int(by_lsoa.get(c, 0)), c))
    for c in codes:
        map_values[c] = [int(by_lsoa.get(c, 0)), classes.get(c, "not computed")]
    top_rows = []
    for c in order[:TOP_N]:
        if not by_lsoa.get(c, 0):
            break
        pop = float(cast(Any, lsoa_info.at[c, "population"]))
        top_rows.append(
            [
                c,
                lsoa_info.at[c, "lsoa_name"],
                lsoa_info.at[c, "ward_name"],
                int(by_lsoa.get(c, 0)),
                rnd(1000 * by_lsoa.get(c, 0) / pop, 1) if pop else None,
                rnd(zs.get(c), 2),
                classes.get(c, "not computed"),
            ]
        )
    section["map"] = map_values
    section["tables"].append(
        table(
            f"{theme.key}_hotspots",
            f"{theme.title}: the {TOP_N} LSOAs with most records",
            ["LSOA", "LSOA name", "Ward", "Count", "Per 1,000 residents", "Gi* z", "Gi* class"],
            top_rows,
            method=(section["hotspots"] or {}).get("method", "count per LSOA")
            + f"; residents: {inputs.population_source}",
        )
    )
    section["charts"].append({"kind": "map", "theme": theme.key})
    # Concentration: share of records in the top 10% of LSOAs.
    top_decile = max(1, len(codes) // 10)
    top_count = sum(sorted(counts.tolist(), reverse=True)[:top_decile])
    section["concentration"] = {
        "top_lsoas": top_decile,
        "share": _pct(top_count, after),
        "method": f"share of the period's records in the {top_decile} LSOAs (10%) with most records",
    }
    # Repeat locations.
    if after:
        located = after_frame.rename(
            columns={"month": "Month", "location": "Location", "lsoa": "LSOA code"}
        )
        rep = analysis.repeat_locations(
            located, window_months=len(period.months), end_month=period.last
        )
        repeats = rep[rep["is_repeat"]]
        section["repeat_locations"] = {
            "locations": len(rep),
            "repeat_locations": len(repeats),
            "incidents_at_repeat_locations": int(repeats["incidents"].sum()),
            "share_of_incidents": _pct(int(repeats["incidents"].sum()), after),
            "method": rep.attrs["method"],
        }
        section["tables"].append(
            table(
                f"{theme.key}_repeat_locations",
                f"{theme.title}: most frequent locations",
                ["Location", "LSOA", "Records", "Months with records", "First month", "Last month"],
                [
                    [
                        r.Location,
                        r._2,
                        r.incidents,
                        r.months_with_incidents,
                        r.first_month,
                        r.last_month,
                    ]
                    for r in _rows(repeats.head(TOP_N))
                ],
                method=rep.attrs["method"],
            )
        )
    else:
        section["repeat_locations"] = None
    # Harm and cost.
    section["harm"] = _harm(theme, after_frame, mapping, unit_costs)
    section["harm"].update(_severity(theme, after_frame, before_frame, population, severity))
    if section["harm"]["table"]:
        section["tables"].append(section["harm"].pop("table"))
    else:
        section["harm"].pop("table")
    # Outcomes.
    if theme.key != "asb" and not theme.key.startswith(PARTNER_PREFIX) and after:
        outcomes = (
            after_frame["outcome"].replace("", "No outcome recorded").value_counts().head(TOP_N)
        )
        section["tables"].append(
            table(
                f"{theme.key}_outcomes",
                f"{theme.title}: latest outcome of the period's crimes",
                ["Last outcome category", "Crimes", "Share (%)"],
                [[k, int(v), _pct(int(v), after)] for k, v in outcomes.items()],
                method="police.uk 'Last outcome category' at the time of publication",
            )
        )
    elif theme.key == "asb":
        section["notes"].append("police.uk publishes no outcomes for ASB incidents.")
    # By ward: before, after, change.
    wards = inputs.lsoas.set_index("lsoa")["ward_name"]
    ward_after = after_frame["lsoa"].map(wards).value_counts()
    ward_before = before_frame["lsoa"].map(wards).value_counts()
    ward_rows = []
    for ward in sorted(set(inputs.lsoas["ward_name"])):
        a, b = int(ward_after.get(ward, 0)), int(ward_before.get(ward, 0))
        ward_rows.append([ward, b, a, rnd(analysis.percent_change(b, a)) if b else None])
    ward_rows.sort(key=lambda r: (-r[2], r[0]))
    section["tables"].append(
        table(
            f"{theme.key}_wards",
            f"{theme.title}: count by ward, period before and this period",
            ["Ward", "Period before", "This period", "Change (%)"],
            ward_rows,
            method="Records counted by the ward of their LSOA (ONS best-fit lookup)",
        )
    )
    if gap_note:
        for t in section["tables"]:
            if "gap months left out" not in t["method"]:
                t["method"] += f". {gap_note} Counted over the months of data only"
    return section


def window_gaps(
    inputs: AreaInputs, period: Period, categories: tuple[str, ...] | None = None
) -> dict[str, list[str]]:
    """Gap months (category -> months) of the area's records over both periods.

    The months judged are those of the two periods that the source covers; the rule is
    :func:`saferhub.analysis.gaps.category_gaps` (the same as the performance scorecard's).
    """
    in_data = set(inputs.months_in_data)
    window = [m for m in period.before_months + period.months if m in in_data]
    frame = inputs.incidents
    if categories is not None:
        frame = frame[frame["crime_type"].isin(categories)]
    found = gaps.category_gaps(frame, window, category_col="crime_type")
    if categories is not None:
        # A category of the theme with no record at all in the window has no gap to find.
        return {c: found[c] for c in categories if c in found}
    return found


def _partner_sources(partner: pd.DataFrame) -> list[dict[str, Any]]:
    """Each partner source held for the area: its themes, records and months."""
    out = []
    for name, rows in partner.groupby("source", sort=True):
        months = sorted(rows["month"].unique().tolist())
        out.append(
            {
                "source": str(name),
                "themes": sorted(rows["theme_title"].unique().tolist()),
                "records": len(rows),
                "first_month": months[0],
                "last_month": months[-1],
                "months_with_records": len(months),
                "placed_in_lsoa": int(rows["lsoa"].notna().sum()),
                "with_victim_reference": int(rows["victim_id"].notna().sum()),
            }
        )
    return out


def _partner_section(
    key: str,
    inputs: AreaInputs,
    period: Period,
    *,
    weights: tuple[list[str], Any],
    mapping: pd.DataFrame,
    unit_costs: pd.DataFrame,
) -> dict[str, Any]:
    """A partner-data theme, built by the same section builder as the police themes.

    The partner rows of the theme become the section's records (the source's own
    category as the crime type, the pseudonymous location reference as the location);
    the months in the data are the months the theme's sources cover (first to last month
    with records, so a month with none inside that span is a true zero). Repeat victims
    are added where the source has victim references.
    """
    partner = inputs.partner_incidents
    rows = partner[partner["theme"] == key]
    sources = _partner_sources(rows)
    title = str(rows["theme_title"].iloc[0])
    covered = sorted({m for s in sources for m in month_range(s["first_month"], s["last_month"])})
    coverage = "; ".join(
        f"{s['source']}: {s['records']:,} records, {s['first_month']} to {s['last_month']}"
        for s in sources
    )
    source_text = "Partner data: " + ", ".join(s["source"] for s in sources)
    theme = Theme(
        f"{PARTNER_PREFIX}{key}",
        f"{title} (partner data)",
        tuple(sorted(rows["crime_type"].unique().tolist())),
        f"From partner data ({coverage}), not police.uk.",
    )
    frame = pd.DataFrame(
        {
            "crime_id": "",
            "month": rows["month"],
            "longitude": np.nan,
            "latitude": np.nan,
            "location": rows["location_ref"],
            "lsoa": rows["lsoa"],
            "lsoa_as_reported": rows["lsoa"],
            "crime_type": rows["crime_type"],
            "outcome": "",
        },
        columns=INCIDENT_COLUMNS,
    )
    section = _theme_section(
        theme,
        replace(inputs, incidents=frame, months_in_data=covered),
        period,
        weights=weights,
        mapping=mapping,
        unit_costs=unit_costs,
    )
    section["partner"] = {"theme": key, "sources": sources, "months_covered": covered}
    after_rows = rows[rows["month"].isin(period.months)]
    unplaced = int(after_rows["lsoa"].isna().sum())
    if unplaced:
        section["notes"].append(
            f"{unplaced:,} of the period's {len(after_rows):,} records are placed in a ward or "
            "the area but not in an LSOA: they count in the volume, rate, change and trend, "
            "but not in the LSOA hot spot table."
        )
    section["notes"].append(
        f"Source and coverage: {coverage}. Months outside that span are not in the data."
    )
    section["harm"].pop("note", None)
    section["harm"]["uncosted_types"] = []
    section["harm"]["css_note"] = "Not available for partner data."
    victims = after_rows.dropna(subset=["victim_id"])
    if len(victims):
        rep = analysis.repeat_table(victims, victim_col="victim_id")
        first = rep.iloc[0]
        to_repeat = int(victims.groupby("victim_id").size().loc[lambda n: n >= 2].sum())
        section["repeat_victims"] = {
            "victims": int(first["total_victims"]),
            "repeat_victims": int(first["repeat_victims"]),
            "share_of_victims": rnd(first["pct_repeat"]),
            "incidents": int(first["incidents"]),
            "incidents_to_repeat_victims": to_repeat,
            "share_of_incidents": _pct(to_repeat, len(victims)),
            "method": rep.attrs.get("method", "victims by number of incidents in the period"),
        }
        band_columns = [c for c in rep.columns if c[0].isdigit()]
        section["tables"].append(
            table(
                f"{theme.key}_repeat_victims",
                f"{theme.title}: victims by number of incidents this period",
                [
                    *[f"{c} incident{'s' if c != '1' else ''}" for c in band_columns],
                    "Victims",
                    "Repeat victims (2+)",
                    "Repeat victims (%)",
                    "Incidents",
                ],
                [
                    [
                        *[int(first[c]) for c in band_columns],
                        int(first["total_victims"]),
                        int(first["repeat_victims"]),
                        rnd(first["pct_repeat"]),
                        int(first["incidents"]),
                    ]
                ],
                method="Victims counted by their pseudonymous reference and grouped by their "
                # place-name: cited (the layout of a published partnership plan's table)
                "number of incidents in the period (the North East Derbyshire table); "
                + section["repeat_victims"]["method"],
                source=source_text,
            )
        )
    else:
        section["repeat_victims"] = None
        section["notes"].append("No repeat victims table: the source has no victim references.")
    for t in section["tables"]:
        t["source"] = source_text
    return section


def _severity(
    theme: Theme,
    after_frame: pd.DataFrame,
    before_frame: pd.DataFrame,
    population: float,
    severity: SeverityWeights | None,
) -> dict[str, Any]:
    """Estimated severity-weighted rate per 1,000 (Crime Severity Score weights by category).

    Categories with no weight are named in ``unweighted_categories`` and left out of the
    sum, never counted as 0; a theme none of whose categories has a weight has no figure.
    """
    out: dict[str, Any] = {
        "css": None,
        "css_per_1000": None,
        "css_per_1000_before": None,
        "unweighted_categories": [],
        "css_method": "",
    }
    if severity is None or not severity.available:
        out["css_note"] = (
            severity.note
            if severity is not None
            else "Not available: Crime Severity Score weights are not held."
        )
        return out
    this = {str(c): float(n) for c, n in after_frame["crime_type"].value_counts().items()}
    before = {str(c): float(n) for c, n in before_frame["crime_type"].value_counts().items()}
    for c in theme.crime_types:
        this.setdefault(c, 0.0)
        before.setdefault(c, 0.0)
    rate, without = severity_rate(this, severity.weights, population)
    rate_before, _ = severity_rate(before, severity.weights, population)
    out.update(
        css=rnd(rate, 1),
        css_per_1000=rnd(rate, 1),
        css_per_1000_before=rnd(rate_before, 1),
        unweighted_categories=without,
        css_method=(
            "Estimated severity-weighted rate per 1,000 residents over the period's months of "
            "data: sum of count x estimated weight of its police.uk category, divided by the "
            f"population, x 1,000. Weights: {severity.method}"
        ),
    )
    if rate is None:
        out["css_note"] = (
            "No Crime Severity Score estimate: "
            + ", ".join(without)
            + " has no weight (named, not counted as 0)."
        )
    else:
        out["css_note"] = (
            f"Estimated severity-weighted rate {rnd(rate, 1)} per 1,000 residents "
            f"(period before {rnd(rate_before, 1)}): an estimate from Crime Severity Score "
            f"weights mapped to police.uk categories through {severity.mix_force}'s "
            "2017/18 offence mix."
            + (
                " Without a weight, so left out (not counted as 0): " + ", ".join(without) + "."
                if without
                else ""
            )
        )
    return out


def _severity_table(severity: SeverityWeights) -> dict[str, Any]:
    rows = []
    if severity.available:
        for r in severity.table.to_dict(orient="records"):
            rows.append(
                [
                    r["category"],
                    rnd(r["weight"], 2),
                    int(r["codes_weighted"]),
                    int(r["codes_without_weight"]),
                    rnd(100 * r["coverage"], 1) if r["coverage"] == r["coverage"] else None,
                    r["note"] or "estimate",
                ]
            )
    return table(
        "context_severity_weights",
        "Estimated Crime Severity Score weight by police.uk category",
        [
            "police.uk category",
            "Estimated weight",
            "Offence codes with a weight",
            "Offence codes without a weight",
            "Share of the category's offences weighted (%)",
            "Note",
        ],
        rows,
        method=severity.method or severity.note,
        source=severity.source,
        empty=severity.note or "No weights held.",
    )


def _harm(
    theme: Theme, frame: pd.DataFrame, mapping: pd.DataFrame, unit_costs: pd.DataFrame
) -> dict[str, Any]:
    """Cost where a police.uk type maps to one costed Home Office group; the rest said."""
    counts = frame["crime_type"].value_counts()
    rows, uncosted = [], []
    for crime_type in theme.crime_types:
        n = int(counts.get(crime_type, 0))
        group, _ = analysis.cost_group_of([crime_type], mapping)
        if group is not None:
            rows.append({"offence_group": group, "count": n})
        else:
            uncosted.append(crime_type)
    result: dict[str, Any] = {
        "css": None,
        "css_note": "Not available: ONS Crime Severity Score weights are not in the reference tables.",
        "total_cost_gbp": None,
        "uncosted_types": uncosted,
        "table": None,
    }
    if rows:
        cost = analysis.cost_of_crime(
            pd.DataFrame(rows),
            group_col="offence_group",
            count_col="count",
            unit_costs=unit_costs,
        )
        costed = cost["unit_cost_gbp"].notna().any()
        result["total_cost_gbp"] = rnd(cost.attrs["total_cost_gbp"], 0) if costed else None
        result["uncosted_types"] += cost.attrs["uncosted_groups"]
        result["table"] = table(
            f"{theme.key}_cost",
            f"{theme.title}: cost of crime",
            ["Offence group", "Count", "Unit cost (£)", "Total cost (£)", "Price year", "Note"],
            [
                [
                    r.offence_group,
                    int(r.count),
                    rnd(r.unit_cost_gbp, 0),
                    rnd(r.total_cost_gbp, 0),
                    r.price_year,
                    r.note,
                ]
                for r in _rows(cost)
            ],
            method=cost.attrs["method"],
            source="Heeks et al. (2018), Home Office Research Report 99",
        )
    if uncosted:
        result["note"] = (
            "Not costed: "
            + ", ".join(uncosted)
            + " (the police.uk category mixes offence groups with different unit costs, "
            "or the unit cost was not found)."
        )
    return result


def _peers(
    inputs: AreaInputs, period: Period, family_codes: list[str] | None = None
) -> dict[str, Any]:
    family = inputs.family
    description = inputs.family_description or DEFAULT_FAMILY
    if inputs.family_without_data:
        # Members whose records are not held are not ranked (never counted as zero).
        family = family[~family["lad_name"].isin(inputs.family_without_data)]
        family = family.reset_index(drop=True)
        description += ". No data held for: " + ", ".join(inputs.family_without_data)
    if family_codes and not inputs.family_description:
        wanted = {c.strip() for c in family_codes if c.strip()}
        unknown = sorted(wanted - set(family["lad"]))
        if unknown:
            raise ValueError(
                "Family areas not in the data: "
                + ", ".join(unknown)
                + ". Areas in the data: "
                + ", ".join(
                    f"{n} ({c})" for c, n in zip(family["lad"], family["lad_name"], strict=True)
                )
                + "."
            )
        family = family[family["lad"].isin(wanted)].reset_index(drop=True)
        description = "chosen for this assessment: " + ", ".join(family["lad_name"])
    fi = inputs.family_incidents
    in_data = set(inputs.months_in_data)
    window = [m for m in period.before_months + period.months if m in in_data]
    rows, tables = [], []
    # A family of one (the others' forces' records not held) compares the area with
    # itself: no comparison is made, and the summary says why.
    alone = len(family) < 2
    empty = (
        "No other member of the family has data held: their records are their own "
        "forces', whose police.uk files are not imported. Import them to compare."
        if alone
        else "This area is the whole family (the force area); see the family tables below."
    )
    for theme in [] if alone else THEMES:
        of_theme = fi[fi["crime_type"].isin(theme.crime_types)]
        # The same gap rule as the area's own sections, on the family's monthly counts.
        family_gaps = gaps.category_gaps(
            of_theme, window, category_col="crime_type", count_col="count"
        )
        gap_set = {m for months in family_gaps.values() for m in months}
        theme_after = of_theme[
            of_theme["month"].isin(period.months) & ~of_theme["month"].isin(gap_set)
        ]
        counts = theme_after.groupby("lad")["count"].sum()
        data = family.assign(count=[int(counts.get(lad, 0)) for lad in family["lad"]])
        if data["count"].sum() == 0 or (data["population"] <= 0).any():
            continue
        comparison = analysis.peer_comparison(
            data, area_col="lad_name", count_col="count", population_col="population"
        )
        table_rows = [
            [
                r.area,
                int(r.count),
                rnd(r.rate, 2),
                rnd(r.rate_lower, 2),
                rnd(r.rate_upper, 2),
                int(r.rank),
                r.compared_with_family,
            ]
            for r in _rows(comparison.sort_values("rank"))
        ]
        family_rate = rnd(comparison["family_rate"].iloc[0], 2)
        tables.append(
            table(
                f"peers_{theme.key}",
                f"{theme.title}: rate per 1,000 residents in the family (family rate {family_rate})",
                [
                    "Area",
                    "Count",
                    "Rate",
                    "Lower 95%",
                    "Upper 95%",
                    "Rank (1 = highest)",
                    "Against family rate",
                ],
                table_rows,
                method=comparison.attrs["method"]
                + (
                    f". {gaps.gap_text(family_gaps)} Counted over the months of data only"
                    if family_gaps
                    else ""
                ),
                source=f"{POLICE_SOURCE}; population: {inputs.population_source}",
            )
        )
        mine = comparison[comparison["area"] == inputs.name]
        if len(mine):
            r = mine.iloc[0]
            rows.append(
                [
                    theme.title,
                    rnd(r["rate"], 2),
                    family_rate,
                    int(r["rank"]),
                    len(comparison),
                    r["compared_with_family"],
                ]
            )
    summary = table(
        "peers_summary",
        f"{inputs.name} against its family",
        ["Theme", "Rate per 1,000", "Family rate", "Rank", "Areas", "Against family rate"],
        rows,
        method="Each area's rate with its exact Poisson 95% interval against the pooled family "
        "rate; 'higher' or 'lower' when the interval excludes the family rate",
        source=f"{POLICE_SOURCE}; population: {inputs.population_source}",
        empty=empty,
    )
    return {"family": description, "tables": [summary, *tables]}


def _partnership_tables(inputs: AreaInputs, period: Period) -> list[dict[str, Any]]:
    after = inputs.incidents[inputs.incidents["month"].isin(period.months)]
    wards = inputs.lsoas.set_index("lsoa")["ward_name"]
    pivot = after.assign(ward=after["lsoa"].map(wards)).pivot_table(
        index="ward", columns="crime_type", values="month", aggfunc="size", fill_value=0
    )
    types = sorted(pivot.columns.tolist())
    rows = [
        [ward, *[int(cast(Any, pivot.at[ward, t])) for t in types], int(pivot.loc[ward].sum())]
        for ward in sorted(pivot.index)
    ]
    if rows:
        rows.append(["Total", *[int(pivot[t].sum()) for t in types], int(pivot.values.sum())])
    out = [
        table(
            "ward_by_type",
            "Records by ward and crime type, this period",
            ["Ward", *types, "Total"],
            rows,
            method="Count of records by the ward of their LSOA (ONS best-fit lookup) and "
            "police.uk crime type",
        )
    ]
    partner = inputs.partner_incidents
    partner = partner[partner["month"].isin(period.months)]
    if len(partner) and partner["victim_id"].notna().any():
        rep = analysis.repeat_table(
            partner.dropna(subset=["victim_id"]), victim_col="victim_id", group_col="theme_title"
        ).reset_index()
        out.append(
            table(
                "repeat_victims",
                "Repeat victims by number of incidents",
                ["Theme", *[str(c) for c in rep.columns[1:]]],
                [[r[0], *r[1:-2], rnd(r[-2]), r[-1]] for r in rep.values.tolist()],
                method=rep.attrs.get("method", "victims by number of incidents"),
                source="Partner data",
            )
        )
    else:
        out.append(
            table(
                "repeat_victims",
                "Repeat victims by number of incidents",
                ["Incidents", "Victims"],
                [],
                method="Victims grouped by number of incidents in the period",
                source="Partner data",
                empty="Not available: police.uk has no victim identifiers and no partner data "
                "with victim identifiers has been imported for this area.",
            )
        )
    return out


def _repeat_share(theme: dict[str, Any]) -> float:
    """The matrix's repeat measure: share of records to repeat victims where the source
    has victim references (partner data), else share at repeat locations."""
    victims = theme.get("repeat_victims")
    if victims and victims.get("share_of_incidents") is not None:
        return float(victims["share_of_incidents"])
    return float((theme["repeat_locations"] or {}).get("share_of_incidents") or 0.0)


def _prioritisation(themes: list[dict[str, Any]]) -> dict[str, Any]:
    candidates = [t for t in themes if t["key"] != "all_crime" and t["volume"]["after"] > 0]
    if len(candidates) < 2:
        return {
            "method": "",
            "weights": {},
            "table": table(
                "prioritisation",
                "Prioritisation matrix",
                ["Rank", "Issue", "Score"],
                [],
                empty="Not enough themes with records in this period to rank.",
            ),
            "recommended": [],
        }
    data = pd.DataFrame(
        {
            "issue": [t["title"] for t in candidates],
            "volume": [t["volume"]["after"] for t in candidates],
            "trend": [
                1.0
                if t["change"]
                and t["change"]["significant"]
                and t["change"]["direction"] == "increase"
                else 0.0
                for t in candidates
            ],
            "concentration": [t["concentration"]["share"] or 0.0 for t in candidates],
            "repeat_share": [_repeat_share(t) for t in candidates],
        }
    )
    harm = [(t["harm"] or {}).get("css_per_1000") for t in candidates]
    measures = ["volume", "trend", "concentration", "repeat_share"]
    with_harm = any(h is not None for h in harm)
    if with_harm:
        # Harm: the estimated severity-weighted rate; a theme with no weight (ASB) is scored
        # over the other measures, never as harm 0 (docs/decisions/0211).
        data["harm"] = [float(h) if h is not None else np.nan for h in harm]
        measures = ["volume", "trend", "harm", "concentration", "repeat_share"]
    matrix = analysis.prioritisation_matrix(data, allow_missing=["harm"])
    rows = [
        [
            int(r["rank"]),
            r["issue"],
            rnd(r["score"]),
            *[rnd(r[f"{m}_value"], 1) for m in measures],
            *[rnd(r[f"{m}_contribution"], 1) for m in measures],
        ]
        for r in matrix.to_dict(orient="records")
    ]
    by_title = {t["title"]: t for t in candidates}
    recommended = [
        {
            "issue": r["issue"],
            "score": rnd(r["score"]),
            "reason": _reason(by_title[r["issue"]]),
            "calculation": r["explanation"],
        }
        for r in matrix.head(3).to_dict(orient="records")
    ]
    return {
        "method": matrix.attrs["method"],
        "weights": matrix.attrs["weights"],
        "left_out": matrix.attrs["measures_left_out"],
        "table": table(
            "prioritisation",
            "Prioritisation matrix",
            [
                "Rank",
                "Issue",
                "Score",
                *[_MEASURE_COLUMNS[m][0] for m in measures],
                *[_MEASURE_COLUMNS[m][1] for m in measures],
            ],
            rows,
            method=matrix.attrs["method"]
            + (
                ". Harm: estimated severity-weighted rate per 1,000 (Crime Severity Score "
                "weights by police.uk category, an estimate); a theme with no weight is "
                "scored over the other measures, not as 0"
                if with_harm
                else ". Left out: harm (no Crime Severity Score weights for the force)"
            )
            + ". Left out: cost (most police.uk categories cannot be costed), public "
            "concern (no survey imported).",
        ),
        "recommended": recommended,
    }


_MEASURE_COLUMNS = {
    "volume": ("Volume", "Volume points"),
    "trend": ("Significant rise (1 = yes)", "Trend points"),
    "harm": ("Estimated severity-weighted rate per 1,000", "Harm points"),
    "concentration": ("Concentration (%)", "Concentration points"),
    "repeat_share": (
        "Repeat (%): at repeat locations, or to repeat victims",
        "Repeat points",
    ),
}


def _reason(theme: dict[str, Any]) -> str:
    """Why a theme ranks where it does, in words, from the figures the matrix used."""
    parts = [f"{theme['volume']['after']:,} records this period"]
    change = theme["change"]
    if change and change["significant"]:
        parts.append(
            f"a significant {change['direction']} of {abs(change['percent_change'] or 0)}%"
        )
    elif change:
        parts.append(f"no significant change ({change['percent_change']}%)")
    if theme["concentration"]["share"] is not None:
        parts.append(
            f"{theme['concentration']['share']}% in the {theme['concentration']['top_lsoas']} "
            "LSOAs with most records"
        )
    harm = theme.get("harm") or {}
    if harm.get("css_per_1000") is not None:
        parts.append(f"estimated severity-weighted rate {harm['css_per_1000']} per 1,000")
    elif harm.get("unweighted_categories"):
        parts.append("harm not known (no Crime Severity Score weight)")
    victims = theme.get("repeat_victims")
    if victims:
        parts.append(
            f"{victims['share_of_incidents']}% of records to repeat victims "
            f"({victims['repeat_victims']:,} of {victims['victims']:,} victims)"
        )
    repeat = theme["repeat_locations"]
    if repeat and repeat["share_of_incidents"] is not None:
        parts.append(f"{repeat['share_of_incidents']}% at repeat locations")
    return "; ".join(parts)


def _caveats(inputs: AreaInputs, context: dict[str, Any]) -> list[str]:
    coverage = context["coverage"]
    caveats = [
        "Locations are police.uk anonymised snap points ('On or near ...'): a point stands for "
        "several addresses, so repeat locations are places, not households.",
        f"Rows with no location in the files of the forces reporting in this area: "
        f"{coverage['no_location_rows']:,}. "
        "They cannot be placed in an area and are left out of every area count.",
        f"Rows of those forces left out of the areas held (placed outside them, or in no "
        f"LSOA): {coverage['rows_outside_area_lads']:,} (police.uk reports by force, not by "
        "area).",
        "Anti-social behaviour incidents are counted apart from crime: 'All crime' excludes ASB.",
        f"LSOA boundaries changed from 2011 to 2021: {coverage['recoded_2011_rows']:,} of this "
        "area's records carried a retired 2011 LSOA code and were placed in the 2021 LSOA "
        "nearest their snap point.",
        f"Populations are {inputs.population_year} figures ({inputs.population_source}); "
        "rates will change when newer estimates are loaded.",
    ]
    if coverage["missing_months"]:
        caveats.append(
            "Months with no data: " + ", ".join(coverage["missing_months"]) + ". Change is "
            "measured per month of data, and the trend skips them."
        )
    if coverage["gaps"]:
        caveats.append(
            coverage["gaps_text"] + " Each gap month is left out of that category's themes: "
            "their counts are of the months of data, change is measured per month of data "
            "(exposure-adjusted exact test) and the control charts skip it."
        )
    if not coverage["missing_months"] and not coverage["gaps"]:
        caveats.append(
            "No months are missing in the period or the period before, and no category has a gap."
        )
    for source in context.get("partner_sources", []):
        caveats.append(
            f"Partner data from {source['source']} ({', '.join(source['themes'])}): "
            f"{source['records']:,} records, {source['first_month']} to {source['last_month']} "
            f"({source['months_with_records']} months with records); "
            f"{source['placed_in_lsoa']:,} placed in an LSOA. Partner records are counted "
            "in their own sections, never in the police.uk themes."
        )
    if not len(inputs.partner_incidents):
        caveats.append(
            "No partner data (council ASB, fire, domestic abuse, drug treatment) has been "
            "imported for this area: only police.uk data is assessed."
        )
    return caveats


def _methods(inputs: AreaInputs) -> list[dict[str, str]]:
    return [
        {
            "topic": "Rates",
            "text": "Rate per 1,000 residents with an exact Poisson (Garwood) 95% interval; "
            f"residents: {inputs.population_source}, {inputs.population_year}.",
        },
        {
            "topic": "Change",
            "text": "This period against the period before: percentage change per month of data, exact conditional binomial test for two Poisson counts (5% level) and the rate ratio's exact interval.",
        },
        {
            "topic": "Trend",
            "text": "Monthly counts over both periods on an XmR control chart (centre = mean, limits = mean ± 2.66 × mean moving range, lower limit at least 0); signals: a point outside the limits, 8 or more on one side of the centre, 6 or more rising or falling.",
        },
        {
            "topic": "Hot spots",
            "text": "Getis-Ord Gi* on counts per LSOA with queen contiguity; classes at 90, 95 and 99% after a Benjamini-Hochberg false discovery rate correction.",
        },
        {
            "topic": "Repeat locations",
            "text": "A location (snap point text and LSOA) with 2 or more records in the period.",
        },
        {
            "topic": "Harm and cost",
            "text": "Home Office unit costs of crime (Heeks et al. 2018) where a police.uk category maps to one costed offence group. Harm: an estimated severity-weighted rate per 1,000 residents, from ONS Crime Severity Score weights (partial: 128 Home Office offence codes) mapped to police.uk categories through the reporting force's 2017/18 offence mix (weight of a category = the mix-weighted mean of the weights of its codes that have one); categories with no weight (ASB) are named and left out, never counted as 0.",
        },
        {
            "topic": "Family comparison",
            "text": "Each area's rate against the pooled rate of "
            + DEFAULT_FAMILY
            + "; 'higher' or 'lower' when the area's 95% interval excludes it.",
        },
        {
            "topic": "Prioritisation",
            "text": "Themes scored on volume, significant rise, harm (estimated severity-weighted rate), concentration and share at repeat locations: each measure min-max normalised, equal weights, summed to 0–100; a theme with no harm estimate is scored over the other measures.",
        },
    ]


# --------------------------------------------------------------------------- build


def load_inputs(
    area: str,
    source: str = "auto",
    first_month: str | None = None,
    last_month: str | None = None,
    family: list[str] | None = None,
) -> tuple[AreaInputs, str]:
    """The area's inputs and where they came from: "imports" or "files".

    ``source="auto"`` uses the imported records when any police.uk data has been
    imported, and the bundled files otherwise (docs/decisions/0200). From the imports,
    only the months of the period and the period before are read (docs/decisions/0213).
    """
    from saferhub.assessment.sources_imports import (
        area_inputs_from_imports,
        imports_available,
        months_held,
    )

    if source not in {"auto", "imports", "files"}:
        raise ValueError("The source must be auto, imports or files.")
    if source == "imports" or (source == "auto" and imports_available()):
        period = make_period(months_held(), first_month, last_month)
        return area_inputs_from_imports(
            area, months=period.before_months + period.months, family=family
        ), "imports"
    return area_inputs(area), "files"


def build_assessment(
    area: str,
    *,
    first_month: str | None = None,
    last_month: str | None = None,
    progress: Progress | None = None,
    inputs: AreaInputs | None = None,
    source: str = "auto",
    family: list[str] | None = None,
) -> dict[str, Any]:
    """The assessment of ``area`` (name or GSS code) for a period, as plain data.

    Default period: the latest 12 months in the data against the 12 before. ``source``:
    "auto" (imported records if there are any, else the bundled files), "imports" or
    "files". ``family``: the codes of the areas to compare with (default: every CSP area
    in the data, i.e. the local authorities of the force area).
    """
    report = progress or (lambda done, total, message: None)
    total = len(THEMES) + 4
    report(0, total, "Reading the data")
    if inputs is None:
        inputs, source = load_inputs(area, source, first_month, last_month, family)
    else:
        source = "given"
    period = make_period(inputs.months_in_data, first_month, last_month)
    context = _context(inputs, period)
    report(1, total, "Context")
    severity = severity_weights(_main_force(inputs), POLICE_UK_CATEGORIES)
    context["tables"].append(_severity_table(severity))
    context["severity"] = {
        "force": severity.mix_force,
        "method": severity.method,
        "source": severity.source,
        "note": severity.note,
        "unweighted_categories": [c for c in POLICE_UK_CATEGORIES if c not in severity.weights],
    }
    weights = _lsoa_weights(inputs)
    mapping = analysis.load_reference("police_uk_offence_groups")
    unit_costs = analysis.load_reference("unit_costs_heeks_2018")
    themes = []
    for index, theme in enumerate(THEMES, start=2):
        report(index, total, f"Theme: {theme.title}")
        themes.append(
            _theme_section(
                theme,
                inputs,
                period,
                weights=weights,
                mapping=mapping,
                unit_costs=unit_costs,
                severity=severity,
            )
        )
    partner_keys = (
        sorted(inputs.partner_incidents["theme"].unique().tolist())
        if len(inputs.partner_incidents)
        else []
    )
    for key in partner_keys:
        report(total - 3, total, f"Partner theme: {key}")
        themes.append(
            _partner_section(
                key, inputs, period, weights=weights, mapping=mapping, unit_costs=unit_costs
            )
        )
    if partner_keys:
        sources = _partner_sources(inputs.partner_incidents)
        context["partner_sources"] = sources
        context["tables"].append(
            table(
                "context_partner_sources",
                "Partner data held for this area",
                [
                    "Source",
                    "Themes",
                    "Records",
                    "First month",
                    "Last month",
                    "Months with records",
                    "Placed in an LSOA",
                    "With a victim reference",
                ],
                [
                    [
                        s["source"],
                        ", ".join(s["themes"]),
                        s["records"],
                        s["first_month"],
                        s["last_month"],
                        s["months_with_records"],
                        s["placed_in_lsoa"],
                        s["with_victim_reference"],
                    ]
                    for s in sources
                ],
                method="Partner records imported into SaferHub for the area, by source",
                source="Partner data (import ledger)",
            )
        )
    else:
        context["partner_sources"] = []
    report(total - 2, total, "Family comparison")
    peers = (
        _peers(inputs, period, family)
        if inputs.kind != FORCE_AREA_KIND
        else _peers_force(inputs, period, family)
    )
    prioritisation = _prioritisation(themes)
    significant = [
        {
            "theme": t["title"],
            **{
                k: t["change"][k]
                for k in ("before", "after", "percent_change", "p_value", "direction")
            },
        }
        for t in themes
        if t["change"] and t["change"]["significant"]
    ]
    not_significant = [
        {
            "theme": t["title"],
            **{
                k: t["change"][k]
                for k in ("before", "after", "percent_change", "p_value", "direction")
            },
        }
        for t in themes
        if t["change"] and not t["change"]["significant"]
    ]
    summary = {
        "significant": significant,
        "not_significant": not_significant,
        "priorities": prioritisation["recommended"],
        "tables": [
            table(
                "summary_changes",
                "Change by theme: this period against the period before",
                [
                    "Theme",
                    "Period before",
                    "This period",
                    "Months of data (before, this)",
                    "Gap months",
                    "Change (%)",
                    "p-value",
                    "Significant at 5%",
                ],
                [
                    [
                        t["title"],
                        t["change"]["before"],
                        t["change"]["after"],
                        f"{t['change']['months_before']}, {t['change']['months_after']}",
                        ", ".join(t["gaps"]) or "none",
                        t["change"]["percent_change"],
                        p_text(t["change"]["p_value"]),
                        "yes" if t["change"]["significant"] else "no",
                    ]
                    for t in themes
                    if t["change"]
                ],
                method="Exact conditional binomial test for two Poisson counts, per month of "
                "data (exposure = months of data; a gap month is not data)"
                + (f". {context['coverage']['gaps_text']}" if context["coverage"]["gaps"] else ""),
                empty="No change can be tested: there are no data for one of the periods.",
            ),
            table(
                "summary_volumes",
                "Volumes and rates by theme, this period",
                [
                    "Theme",
                    "Count",
                    "Months of data",
                    "Gap months",
                    "Rate per 1,000",
                    "Lower 95%",
                    "Upper 95%",
                ],
                [
                    [
                        t["title"],
                        t["volume"]["after"],
                        t["months_of_data"]["after"],
                        ", ".join(m for m in t["gaps"] if m in period.months) or "none",
                        *((t["rate"] or {}).get(k) for k in ("value", "lower", "upper")),
                    ]
                    for t in themes
                ],
                method=f"Rate per 1,000 residents ({inputs.population_year}), exact Poisson 95% "
                "interval, over the months of data (a gap month is not data)",
            ),
        ],
    }
    report(total - 1, total, "Caveats and sources")
    data = {
        "schema": SCHEMA_VERSION,
        "area": {"code": inputs.code, "name": inputs.name, "kind": inputs.kind},
        "period": period.as_dict(),
        "summary": summary,
        "context": context,
        "themes": themes,
        "partner_themes": {
            "present": partner_keys,
            "note": "No partner data has been imported for this area."
            if not len(inputs.partner_incidents)
            else "",
        },
        "peers": peers,
        "partnership_tables": _partnership_tables(inputs, period),
        "prioritisation": prioritisation,
        "caveats": _caveats(inputs, context),
        "methods": _methods(inputs),
        "attribution": [OGL_ATTRIBUTION, BOUNDARY_ATTRIBUTION],
        "provenance": {
            "inputs": {
                "imports": "records imported into SaferHub (import ledger below)",
                "files": "the bundled public data files (listed below with their SHA-256)",
                "given": "inputs supplied by the caller",
            }[source],
            "sources": [vars(s) for s in inputs.sources],
            "reference_tables": reference_versions(),
        },
        "boundaries": inputs.boundaries,
    }
    _name_reporting_forces(inputs, [{k: v for k, v in data.items() if k != "boundaries"}])
    report(total, total, "Done")
    return clean(data)


def _name_reporting_forces(inputs: AreaInputs, parts: list[Any]) -> None:
    """Every police.uk source line names the forces whose records it counts (from the
    imported data: each reporting force with its count)."""
    if not inputs.police_source:
        return

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            source = value.get("source")
            if isinstance(source, str) and source.startswith(POLICE_SOURCE):
                value["source"] = inputs.police_source + source[len(POLICE_SOURCE) :]
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(parts)


def _peers_force(
    inputs: AreaInputs, period: Period, family_codes: list[str] | None = None
) -> dict[str, Any]:
    result = _peers(inputs, period, family_codes)
    result["note"] = "The force area is the whole family; the tables compare its nine CSP areas."
    return result


def reference_versions() -> list[dict[str, str]]:
    from importlib import resources

    out = []
    for name, (filename, description) in sorted(analysis.REFERENCE_TABLES.items()):
        content = resources.files("saferhub.analysis").joinpath("reference", filename).read_bytes()
        out.append(
            {
                "name": name,
                "description": description,
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return out


def all_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table of an assessment, in reading order (for the workbook and tests)."""
    tables = list(data["summary"]["tables"]) + list(data["context"]["tables"])
    for theme in data["themes"]:
        tables += theme["tables"]
    tables += (
        data["peers"]["tables"] + data["partnership_tables"] + [data["prioritisation"]["table"]]
    )
    return tables


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an assessment (sorted keys, no spaces)."""
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode()).hexdigest()
