"""The tidy figures export: one CSV row per figure of an assessment, for analysts.

Columns (exactly): ``area_code, area_name, theme, measure, period, value, lower, upper,
unit, method, source``. ``theme`` is the theme's key written with hyphens
(``all-crime``, ``asb``, ``partner-...``; blank for figures of the whole area such as
the population); ``period`` is ``this`` or ``before`` (blank where it does not apply,
e.g. a change). Drawn from the saved assessment data, so it cannot differ from the page,
the PDF or the workbook. Written through :func:`saferhub.core.exports.table_csv`, which
neutralises spreadsheet formulas.
"""

from __future__ import annotations

from typing import Any

from saferhub.core.exports import table_csv

FIGURE_COLUMNS = [
    "area_code",
    "area_name",
    "theme",
    "measure",
    "period",
    "value",
    "lower",
    "upper",
    "unit",
    "method",
    "source",
]


def theme_key(key: str) -> str:
    """A theme's key as the export writes it (``all_crime`` -> ``all-crime``)."""
    return key.replace("_", "-")


def _pct_from_ratio(ratio: float | None) -> float | None:
    return None if ratio is None else round(100.0 * (ratio - 1.0), 1)


def figure_rows(data: dict[str, Any]) -> list[list[Any]]:
    """Every figure of the assessment as rows of :data:`FIGURE_COLUMNS`."""
    area = data["area"]
    context = data["context"]
    rows: list[list[Any]] = []

    def add(
        theme: str,
        measure: str,
        period: str,
        value: Any,
        unit: str,
        method: str,
        source: str,
        lower: Any = None,
        upper: Any = None,
    ) -> None:
        rows.append(
            [area["code"], area["name"], theme, measure, period, value, lower, upper, unit]
            + [method, source]
        )

    population = context["population"]
    add(
        "",
        "population",
        "",
        int(population["value"]) if population["value"] is not None else None,
        "residents",
        f"usual residents summed over the area's LSOAs ({population['year']})",
        population["source"],
    )
    for theme in data["themes"]:
        key = theme_key(theme["key"])
        source = next((t["source"] for t in theme["tables"]), "")
        gaps = theme.get("gaps") or []
        gap_note = f"; gap months left out: {', '.join(gaps)}" if gaps else ""
        months = theme.get("months_of_data") or {}
        for period, name in (("this", "after"), ("before", "before")):
            add(
                key,
                "count",
                period,
                theme["volume"][name],
                "records",
                "records in the area's LSOAs in the months of data" + gap_note,
                source,
            )
            if name in months:
                add(
                    key,
                    "months_of_data",
                    period,
                    months[name],
                    "months",
                    "months the source covers, less gap months (no records where the source "
                    "normally has them)" + gap_note,
                    source,
                )
        for period, rate in (("this", theme.get("rate")), ("before", theme.get("rate_before"))):
            if rate:
                add(
                    key,
                    "rate_per_1000",
                    period,
                    rate["value"],
                    "per 1,000 residents",
                    f"{rate['method']}; population {rate['population_year']}; over "
                    f"{rate.get('months_of_data', '')} months of data{gap_note}",
                    f"{source}; population: {population['source']}",
                    rate["lower"],
                    rate["upper"],
                )
        change = theme.get("change")
        if change:
            exposure = (
                f"; exposure {change['months_before']} and {change['months_after']} months of data"
            )
            add(
                key,
                "change_pct",
                "",
                change["percent_change"],
                "% change per month of data",
                f"{change['method']}{exposure}; interval from the rate ratio's exact 95% "
                f"interval{gap_note}",
                source,
                _pct_from_ratio(change["ratio_lower"]),
                _pct_from_ratio(change["ratio_upper"]),
            )
            add(
                key,
                "change_p",
                "",
                change["p_value"],
                "p-value (two-sided)",
                f"{change['method']}{exposure}; significant at 5%: "
                f"{'yes' if change['significant'] else 'no'}",
                source,
            )
        harm = theme.get("harm") or {}
        for period, value_key in (("this", "css_per_1000"), ("before", "css_per_1000_before")):
            if harm.get(value_key) is not None:
                without = harm.get("unweighted_categories") or []
                add(
                    key,
                    "css_per_1000",
                    period,
                    harm[value_key],
                    "estimated sentence days per 1,000 residents (Crime Severity Score weights)",
                    harm.get("css_method", "")
                    + (f"; without a weight, left out: {', '.join(without)}" if without else ""),
                    (context.get("severity") or {}).get("source", ""),
                )
        repeat = theme.get("repeat_locations")
        if repeat and repeat.get("share_of_incidents") is not None:
            add(
                key,
                "repeat_location_share",
                "this",
                repeat["share_of_incidents"],
                "% of records",
                f"share of the period's records at repeat locations: {repeat['method']}",
                source,
            )
        concentration = theme.get("concentration") or {}
        if concentration.get("share") is not None:
            add(
                key,
                "concentration_top10pct_share",
                "this",
                concentration["share"],
                "% of records",
                concentration["method"],
                source,
            )
    return rows


def figures_csv(data: dict[str, Any]) -> str:
    """The tidy figures as CSV text (formula-injection-safe)."""
    return table_csv(FIGURE_COLUMNS, figure_rows(data))
