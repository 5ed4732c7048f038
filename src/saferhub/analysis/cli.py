"""File-in, file-out entry point for the analysis methods.

``run(method, input_path, output_path, options)`` reads a CSV of incidents
or counts, applies a method from :data:`METHODS` and writes CSV or JSON
(chosen by the output file's extension). A command-line wrapper only has to
parse arguments into ``options``; other modules add their methods with
:func:`register`.

Every method takes the input DataFrame and an options mapping and returns a
DataFrame whose ``attrs`` (method, denominators, windows...) are written to
JSON output alongside the rows.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from saferhub.analysis.accuracy import cli_pai
from saferhub.analysis.change import compare_counts
from saferhub.analysis.density import cli_kde
from saferhub.analysis.displacement import weighted_displacement_difference
from saferhub.analysis.harm import cost_of_crime, crime_severity_score, load_reference, uprate
from saferhub.analysis.hotspots import cli_gistar, cli_hotspots, cli_local_moran
from saferhub.analysis.nearrepeat import cli_knox
from saferhub.analysis.peers import peer_comparison
from saferhub.analysis.prioritise import prioritisation_matrix
from saferhub.analysis.rates import rate_table
from saferhub.analysis.repeat import (
    POLICE_UK_LOCATION_KEY,
    repeat_locations,
    repeat_table,
    within_months,
)
from saferhub.analysis.trends import monthly_series, spc_chart

__all__ = ["METHODS", "MethodFunc", "register", "run"]

#: A method: input rows and options in, result table out.
MethodFunc = Callable[[pd.DataFrame, Mapping[str, Any]], pd.DataFrame]


def run(
    method: str,
    input_path: str | Path,
    output_path: str | Path,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Run ``method`` on a CSV file and write the result.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS` (``rates``, ``change``, ``spc``, ``repeat``,
        ``harm``, ``cost``, ``peers``, ``prioritise``, and any registered).
    input_path : str or Path
        CSV of incidents (one row each) or of counts, as the method expects.
    output_path : str or Path
        ``.csv`` for the result table; ``.json`` for ``{"method", "attrs",
        "rows"}``.
    options : mapping, optional
        Method options (column names, periods, weights...); see each
        ``_method_*`` adapter's docstring.

    Raises
    ------
    KeyError
        Unknown method.
    ValueError
        Unsupported output extension, or invalid options.
    """
    if method not in METHODS:
        raise KeyError(f"unknown method {method!r}; one of {sorted(METHODS)}")
    out_path = Path(output_path)
    suffix = out_path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError("output must end in .csv or .json")
    data = pd.read_csv(input_path)
    result = METHODS[method](data, dict(options or {}))
    if suffix == ".csv":
        result.to_csv(out_path, index=False)
    else:
        payload = {
            "method": method,
            "attrs": _jsonable(dict(result.attrs)),
            "rows": _jsonable(result.to_dict(orient="records")),
        }
        out_path.write_text(
            json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8"
        )


def register(name: str, func: MethodFunc, *, replace: bool = False) -> None:
    """Add a method to :data:`METHODS`.

    Parameters
    ----------
    name : str
        Method name used by :func:`run`.
    func : callable
        ``func(data, options) -> DataFrame``.
    replace : bool, default False
        Allow replacing an existing method.
    """
    if name in METHODS and not replace:
        raise ValueError(f"method {name!r} is already registered")
    METHODS[name] = func


def _method_rates(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Rates per 1,000 with exact intervals.

    Options: ``count_col`` ("count"), ``denominator_col`` ("population"),
    ``denominator_type`` ("population"), ``denominator_year`` (required),
    ``area_col`` ("area" if present), ``per`` (1000), ``alpha`` (0.05).
    """
    if "denominator_year" not in options:
        raise ValueError("rates needs denominator_year: a rate must say its base")
    area_col = options.get("area_col", "area" if "area" in data.columns else None)
    return rate_table(
        data,
        count_col=options.get("count_col", "count"),
        denominator_col=options.get("denominator_col", "population"),
        denominator_type=options.get("denominator_type", "population"),
        denominator_year=options["denominator_year"],
        area_col=area_col,
        per=float(options.get("per", 1000)),
        alpha=float(options.get("alpha", 0.05)),
    )


def _method_change(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Change between two periods, per row or per group.

    Counts mode (default): one row per issue with ``before_col`` ("before")
    and ``after_col`` ("after"), optional ``id_col``, exposures from
    ``exposure_before_col``/``exposure_after_col`` or scalar
    ``exposure_before``/``exposure_after``.

    Incidents mode (when ``date_col`` is given): ``before`` and ``after``
    are ``"YYYY-MM:YYYY-MM"`` month ranges; counts are taken per
    ``group_col`` (optional) and exposures are the ranges' lengths in months.

    Common: ``method`` ("exact" or "e-test"), ``alternative``, ``alpha``.
    """
    method = options.get("method", "exact")
    alternative = options.get("alternative", "two-sided")
    alpha = float(options.get("alpha", 0.05))
    if "date_col" in options:
        counts, id_col = _period_counts(data, options)
    else:
        counts = data
        id_col = options.get("id_col")
    before_col = options.get("before_col", "before")
    after_col = options.get("after_col", "after")
    rows = []
    for _, row in counts.iterrows():
        exposure_before = _exposure(row, options, "exposure_before")
        exposure_after = _exposure(row, options, "exposure_after")
        result = compare_counts(
            int(row[before_col]),
            int(row[after_col]),
            exposure_before,
            exposure_after,
            method=method,
            alternative=alternative,
            alpha=alpha,
        )
        record: dict[str, Any] = {id_col: row[id_col]} if id_col else {}
        record.update(dataclasses.asdict(result))
        rows.append(record)
    out = pd.DataFrame(rows)
    out.attrs["method"] = str(out["method"].iloc[0]) if len(out) else method
    return out


def _method_spc(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """SPC chart of a monthly series.

    Incidents mode (default): ``date_col`` ("Month"), optional ``where``
    mapping of column -> value to filter rows (e.g. ``{"Crime type":
    "Burglary"}``), ``start``/``end`` months. Counts mode: ``value_col`` and
    optional ``label_col``. Common: ``chart`` ("c" or "xmr"),
    ``run_length`` (8), ``trend_length`` (6).
    """
    chart = options.get("chart", "c")
    run_length = int(options.get("run_length", 8))
    trend_length = int(options.get("trend_length", 6))
    if "value_col" in options:
        values = data[options["value_col"]].to_numpy(dtype=np.float64)
        label_col = options.get("label_col")
        labels = data[label_col].astype(str).tolist() if label_col else None
        filled: list[str] = []
    else:
        rows = _filter(data, options.get("where"))
        series = monthly_series(
            rows[options.get("date_col", "Month")],
            start=options.get("start"),
            end=options.get("end"),
        )
        values = series["count"].to_numpy(dtype=np.float64)
        labels = series["month"].tolist()
        filled = list(series.attrs["filled_months"])
    out = spc_chart(values, labels, chart=chart, run_length=run_length, trend_length=trend_length)
    out.attrs["filled_months"] = filled
    if options.get("where"):
        out.attrs["filter"] = dict(options["where"])
    return out


def _method_repeat(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Repeat victims (``victim_col`` given) or police.uk repeat locations.

    Victims: ``victim_col``, optional ``group_col``, ``top_band`` (5),
    optional ``date_col`` with ``window_months`` (12) and ``end_month`` to
    count within a window -> the table 1, 2, 3, 4, 5+, total, repeat,
    % repeat.
    Locations: ``month_col`` ("Month"), ``key_cols`` (["Location",
    "LSOA code"]), ``window_months`` (12), ``end_month``,
    ``min_incidents`` (2), optional ``where`` filter -> one row per location.
    """
    rows = _filter(data, options.get("where"))
    if "victim_col" in options:
        window: dict[str, str] = {}
        if "date_col" in options:
            rows = within_months(
                rows,
                date_col=options["date_col"],
                window_months=int(options.get("window_months", 12)),
                end_month=options.get("end_month"),
            )
            window = {k: str(rows.attrs[k]) for k in ("window_start", "window_end")}
        table = repeat_table(
            rows,
            victim_col=options["victim_col"],
            group_col=options.get("group_col"),
            top_band=int(options.get("top_band", 5)),
        )
        out = table.reset_index()
        out.attrs.update(table.attrs)
        out.attrs.update(window)
        return out
    return repeat_locations(
        rows,
        month_col=options.get("month_col", "Month"),
        key_cols=list(options.get("key_cols", POLICE_UK_LOCATION_KEY)),
        window_months=int(options.get("window_months", 12)),
        end_month=options.get("end_month"),
        min_incidents=int(options.get("min_incidents", 2)),
    )


def _method_harm(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Crime Severity Score from counts per Home Office offence code.

    Options: ``group_col`` (the offence-code column), ``count_col`` (rows are
    counted when absent), ``weights_path`` (CSV of weights; default the
    shipped ``crime_severity_weights`` table, which lacks most non-violence
    weights), ``weight_group_col`` (default ``offence_code`` for the shipped
    table, else ``group_col``), ``weight_col`` ("weight"), ``population``.
    """
    group_col = options["group_col"]
    counts, count_col = _counts(data, group_col, options.get("count_col"))
    if "weights_path" in options:
        weights = pd.read_csv(options["weights_path"], dtype={"offence_code": str})
        default_key = group_col
    else:
        weights = load_reference("crime_severity_weights")
        default_key = "offence_code"
    counts = counts.assign(**{group_col: counts[group_col].astype(str)})
    population = options.get("population")
    return crime_severity_score(
        counts,
        group_col=group_col,
        count_col=count_col,
        weights=weights,
        weight_group_col=options.get("weight_group_col", default_key),
        weight_col=options.get("weight_col", "weight"),
        population=float(population) if population is not None else None,
    )


def _method_cost(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Economic and social cost from counts and a unit-cost table.

    Options: ``group_col``, ``count_col`` (rows are counted when absent),
    ``unit_costs`` (a shipped table name, default
    "unit_costs_heeks_2018") or ``unit_costs_path`` (CSV with
    offence_group, unit_cost_gbp, price_year, source, note); optional
    ``index_ratio`` and ``to_price_year`` to uprate.
    """
    group_col = options["group_col"]
    counts, count_col = _counts(data, group_col, options.get("count_col"))
    if "unit_costs_path" in options:
        unit_costs = pd.read_csv(options["unit_costs_path"], dtype={"price_year": str})
    else:
        unit_costs = load_reference(options.get("unit_costs", "unit_costs_heeks_2018"))
    cost_col = "unit_cost_gbp"
    if "index_ratio" in options:
        if "to_price_year" not in options:
            raise ValueError("uprating needs to_price_year as well as index_ratio")
        unit_costs = uprate(
            unit_costs,
            index_ratio=float(options["index_ratio"]),
            to_price_year=str(options["to_price_year"]),
        )
        cost_col = "uprated_cost_gbp"
    return cost_of_crime(
        counts,
        group_col=group_col,
        count_col=count_col,
        unit_costs=unit_costs,
        cost_col=cost_col,
    )


def _method_peers(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Family comparison. Options: ``area_col`` ("area"), ``count_col``
    ("count"), ``population_col`` ("population"), ``per``, ``alpha``."""
    return peer_comparison(
        data,
        area_col=options.get("area_col", "area"),
        count_col=options.get("count_col", "count"),
        population_col=options.get("population_col", "population"),
        per=float(options.get("per", 1000)),
        alpha=float(options.get("alpha", 0.05)),
    )


def _method_prioritise(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Prioritisation matrix. Options: ``issue_col`` ("issue"), ``weights``
    (mapping of measure -> weight)."""
    weights = options.get("weights")
    return prioritisation_matrix(
        data,
        issue_col=options.get("issue_col", "issue"),
        weights={k: float(v) for k, v in weights.items()} if weights else None,
    )


#: Method name -> callable ``(data, options) -> DataFrame``.
def _method_wdd(data: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Weighted displacement difference from one row of counts.

    Columns ``treated_before``, ``treated_after``, ``control_before``,
    ``control_after`` and, optionally, ``buffer_before``, ``buffer_after``,
    ``buffer_control_before``, ``buffer_control_after``; option ``alpha``.
    One result row per input row.
    """
    optional = ("buffer_before", "buffer_after", "buffer_control_before", "buffer_control_after")
    required = ("treated_before", "treated_after", "control_before", "control_after")
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise ValueError(f"wdd needs the columns {', '.join(missing)}")
    rows = []
    for record in data.to_dict("records"):
        extra = {c: int(record[c]) for c in optional if c in record and pd.notna(record[c])}
        result = weighted_displacement_difference(
            *(int(record[c]) for c in required),
            **extra,
            alpha=float(options.get("alpha", 0.05)),
        )
        rows.append(dataclasses.asdict(result))
    return pd.DataFrame(rows)


METHODS: dict[str, MethodFunc] = {
    "rates": _method_rates,
    "change": _method_change,
    "spc": _method_spc,
    "repeat": _method_repeat,
    "harm": _method_harm,
    "cost": _method_cost,
    "peers": _method_peers,
    "prioritise": _method_prioritise,
    "wdd": _method_wdd,
    "hotspots": cli_hotspots,
    "gistar": cli_gistar,
    "lisa": cli_local_moran,
    "kde": cli_kde,
    "knox": cli_knox,
    "pai": cli_pai,
}


def _filter(data: pd.DataFrame, where: Mapping[str, Any] | None) -> pd.DataFrame:
    if not where:
        return data
    mask = np.ones(len(data), dtype=bool)
    for col, value in where.items():
        if col not in data.columns:
            raise ValueError(f"filter column {col!r} not in the input")
        mask &= (data[col] == value).to_numpy(dtype=bool, na_value=False)
    return data.loc[mask]


def _counts(data: pd.DataFrame, group_col: str, count_col: str | None) -> tuple[pd.DataFrame, str]:
    if count_col is not None:
        return data, count_col
    counted = data.groupby(group_col, sort=True).size().rename("count").reset_index()
    return counted, "count"


def _period_counts(
    data: pd.DataFrame, options: Mapping[str, Any]
) -> tuple[pd.DataFrame, str | None]:
    rows = _filter(data, options.get("where"))
    months = pd.PeriodIndex(pd.to_datetime(rows[options["date_col"]], format="mixed"), freq="M")
    group_col = options.get("group_col")
    frame = pd.DataFrame({"_month": months})
    frame["_group"] = rows[group_col].to_numpy() if group_col else "All"
    counted: dict[str, pd.Series] = {}
    lengths: dict[str, int] = {}
    for name in ("before", "after"):
        first, last = (pd.Period(p, freq="M") for p in str(options[name]).split(":"))
        if last < first:
            raise ValueError(f"{name} period ends before it starts")
        inside = (frame["_month"] >= first) & (frame["_month"] <= last)
        counted[name] = frame.loc[inside].groupby("_group").size()
        lengths[name] = (last - first).n + 1
    groups = sorted(set(counted["before"].index) | set(counted["after"].index))
    out = pd.DataFrame(
        {
            "group": groups,
            "before": [int(counted["before"].get(g, 0)) for g in groups],
            "after": [int(counted["after"].get(g, 0)) for g in groups],
            "exposure_before": float(lengths["before"]),
            "exposure_after": float(lengths["after"]),
        }
    )
    return out, "group"


def _exposure(row: pd.Series, options: Mapping[str, Any], name: str) -> float:
    col = options.get(f"{name}_col", name if name in row.index else None)
    if col is not None:
        return float(row[col])
    return float(options.get(name, 1.0))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
