"""Harm and cost of crime: Crime Severity Score and Home Office unit costs.

Reference tables ship with the package (``reference/*.csv``); each row names
its source and price year, and a figure that could not be found in a
published source is left empty with a ``note`` saying so. Nothing here
invents or interpolates a figure: rows without one come out with an empty
cost and the note, so a total is never silently incomplete.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "REFERENCE_TABLES",
    "cost_group_of",
    "cost_of_crime",
    "crime_severity_score",
    "load_reference",
    "uprate",
]

#: Shipped reference tables: name -> (file, description).
REFERENCE_TABLES: dict[str, tuple[str, str]] = {
    "unit_costs_heeks_2018": (
        "unit_costs_heeks_2018.csv",
        "Home Office unit costs of crime, 2015/16 prices (Heeks et al. 2018, RR99)",
    ),
    "unit_costs_south_derbyshire_2002_03": (
        "unit_costs_south_derbyshire_2002_03.csv",
        "Home Office unit costs as applied in the South Derbyshire 2002/03 report, Table 3",  # place-name: cited
    ),
    "crime_severity_weights": (
        "crime_severity_weights.csv",
        "ONS Crime Severity Score weights by Home Office offence code (violence codes only found)",
    ),
    "police_uk_offence_groups": (
        "police_uk_offence_groups.csv",
        "police.uk crime types -> Home Office offence subgroups -> unit-cost groups",
    ),
}


def load_reference(name: str) -> pd.DataFrame:
    """Load a shipped reference table.

    Parameters
    ----------
    name : str
        One of :data:`REFERENCE_TABLES`.

    Returns
    -------
    DataFrame
        The table; ``attrs["description"]`` says what it is. Empty figures
        are NaN and the ``note`` column says why.
    """
    if name not in REFERENCE_TABLES:
        raise KeyError(f"unknown reference table {name!r}; one of {sorted(REFERENCE_TABLES)}")
    filename, description = REFERENCE_TABLES[name]
    path = resources.files("saferhub.analysis").joinpath("reference", filename)
    with path.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(
            handle, dtype={"price_year": str, "weight_year": str, "offence_code": str}
        )
    if "note" in table.columns:
        table["note"] = table["note"].fillna("")
    table.attrs["description"] = description
    table.attrs["reference_table"] = name
    return table


def uprate(
    unit_costs: pd.DataFrame,
    *,
    index_ratio: float,
    to_price_year: str,
    cost_col: str = "unit_cost_gbp",
) -> pd.DataFrame:
    r"""Uprate unit costs to another price year by a caller-supplied index.

    .. math:: c' = c \cdot I_{\text{target}} / I_{\text{base}}

    The ratio :math:`I_{\text{target}}/I_{\text{base}}` (e.g. of the HM
    Treasury GDP deflator, as the Home Office report recommends) is supplied
    by the caller: this library holds no index series, so the choice of
    index and its vintage stays visible.

    Parameters
    ----------
    unit_costs : DataFrame
        A unit-cost table with ``cost_col`` and ``price_year``.
    index_ratio : float
        Target-year index divided by base-year index (positive).
    to_price_year : str
        Label of the target price year, e.g. ``"2023/24"``.
    cost_col : str, default "unit_cost_gbp"
        Column to uprate.

    Returns
    -------
    DataFrame
        Copy with ``uprated_cost_gbp``, ``uprating_factor`` and
        ``uprated_price_year``; empty costs stay empty.

    References
    ----------
    HM Treasury, *GDP deflators at market prices, and money GDP*; Heeks et
    al. (2018), section 1.2 (how to use the costs of crime estimates).
    """
    if not (np.isfinite(index_ratio) and index_ratio > 0):
        raise ValueError("index_ratio must be positive and finite")
    out = unit_costs.copy()
    out["uprating_factor"] = float(index_ratio)
    out["uprated_cost_gbp"] = out[cost_col].astype("float64") * index_ratio
    out["uprated_price_year"] = to_price_year
    return out


def cost_group_of(
    crime_types: list[str], mapping: pd.DataFrame, *, group_col: str = "cost_group_heeks_2018"
) -> tuple[str | None, str]:
    """The one unit-cost group that police.uk ``crime_types`` all map to, or why there is none.

    A name may also be a Home Office offence subgroup of the mapping (``Theft from a
    vehicle``), as partners' recorded-crime data name them.

    ``mapping`` is ``load_reference("police_uk_offence_groups")``. A police.uk type that
    mixes offence groups with different unit costs (burglary: domestic and non-domestic)
    maps to none; so do types with no cost group, and types mapping to different groups.
    Returns ``(group, "")`` or ``(None, reason)``.
    """
    if not crime_types:
        return None, "no police.uk crime types"
    groups: set[str] = set()
    for crime_type in crime_types:
        rows = mapping.loc[mapping["police_uk_crime_type"] == crime_type, group_col]
        if rows.empty:  # a Home Office offence subgroup (partner recorded-crime data)
            rows = mapping.loc[mapping["offence_subgroup"] == crime_type, group_col]
        found = rows.dropna().unique().tolist()
        if rows.empty:
            return None, f"{crime_type}: not a police.uk crime type or offence subgroup held"
        if len(found) != 1 or rows.isna().any():
            return None, (
                f"{crime_type}: the police.uk category mixes offence groups with different "
                "unit costs, or has none"
            )
        groups.add(str(found[0]))
    if len(groups) != 1:
        return None, "the crime types map to different unit-cost groups: " + ", ".join(
            sorted(groups)
        )
    return groups.pop(), ""


def cost_of_crime(
    counts: pd.DataFrame,
    *,
    group_col: str,
    count_col: str,
    unit_costs: pd.DataFrame,
    cost_col: str = "unit_cost_gbp",
    cost_group_col: str = "offence_group",
) -> pd.DataFrame:
    r"""Total economic and social cost: count times unit cost per group.

    .. math:: C = \sum_g n_g\, u_g

    Parameters
    ----------
    counts : DataFrame
        One row per offence group (several rows per group are summed), with
        the group name in ``group_col`` and the count in ``count_col``.
    group_col, count_col : str
        Column names in ``counts``.
    unit_costs : DataFrame
        Unit-cost table (e.g. ``load_reference("unit_costs_heeks_2018")``,
        possibly :func:`uprate`-d); must name each group exactly once.
    cost_col : str, default "unit_cost_gbp"
        Unit-cost column (``"uprated_cost_gbp"`` after :func:`uprate`).
    cost_group_col : str, default "offence_group"
        Group column in ``unit_costs``.

    Returns
    -------
    DataFrame
        One row per group: ``offence_group, count, unit_cost_gbp,
        total_cost_gbp, price_year, source, note``. A group with no unit cost
        (unknown to the table, or left empty there) gets NaN cost and a note;
        ``attrs`` hold ``total_cost_gbp`` (over costed groups only),
        ``uncosted_count`` and ``uncosted_groups``.

    References
    ----------
    Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018). *The economic
    and social costs of crime*, 2nd ed. Home Office Research Report 99.
    Brand, S. and Price, R. (2000). *The economic and social costs of
    crime*. Home Office Research Study 217.
    """
    if unit_costs[cost_group_col].duplicated().any():
        raise ValueError("unit_costs lists a group more than once")
    summed = counts.groupby(group_col, sort=False)[count_col].sum()
    if (summed < 0).any():
        raise ValueError("counts must be non-negative")
    table = unit_costs.set_index(cost_group_col)
    unit_by_group = dict(
        zip(unit_costs[cost_group_col], unit_costs[cost_col].astype("float64"), strict=True)
    )
    rows = []
    for group, n in summed.items():
        known = group in table.index
        unit = float(unit_by_group[group]) if known else np.nan
        note = str(table.at[group, "note"]) if known and "note" in table.columns else ""
        if not known:
            note = "group not in the unit-cost table: not costed"
        elif np.isnan(unit):
            note = ("no unit cost in the table: not costed. " + note).strip()
        rows.append(
            {
                "offence_group": group,
                "count": n,
                "unit_cost_gbp": unit,
                "total_cost_gbp": n * unit,
                "price_year": table.at[group, _price_year_col(table, cost_col)] if known else "",
                "source": table.at[group, "source"] if known and "source" in table.columns else "",
                "note": note,
            }
        )
    out = pd.DataFrame(rows)
    costed = out["unit_cost_gbp"].notna()
    out.attrs.update(
        {
            "total_cost_gbp": float(out.loc[costed, "total_cost_gbp"].sum()),
            "uncosted_count": float(out.loc[~costed, "count"].sum()),
            "uncosted_groups": out.loc[~costed, "offence_group"].tolist(),
            "method": "count x unit cost per offence group (Home Office costs of crime)",
        }
    )
    return out


def crime_severity_score(
    counts: pd.DataFrame,
    *,
    group_col: str,
    count_col: str,
    weights: pd.DataFrame,
    weight_group_col: str,
    weight_col: str = "weight",
    population: float | None = None,
) -> pd.DataFrame:
    r"""Crime Severity Score contribution per offence: count times weight.

    .. math:: \mathrm{CSS} = \frac{\sum_o n_o w_o}{N} \times 1000 \text{ (ONS: per 1,000 population)}

    where :math:`w_o` is the ONS weight of offence :math:`o` (the average
    sentence, in days of custody equivalent, of those convicted of it).

    Parameters
    ----------
    counts : DataFrame
        Counts per offence (code or subgroup matching ``weights``).
    group_col, count_col : str
        Columns of ``counts``.
    weights : DataFrame
        Weights table, e.g. ONS's *List of weights* by Home Office offence
        code. The shipped ``crime_severity_weights`` table (key
        ``offence_code``) holds only the violence-against-the-person weights
        that could be found; the others are empty, so offences without a
        weight are reported, never scored as 0.
    weight_group_col, weight_col : str
        Columns of ``weights``.
    population : float, optional
        Population for the score per 1,000; without it only the harm sum is
        returned.

    Returns
    -------
    DataFrame
        Per offence: ``offence, count, weight, harm`` (count x weight) and,
        with a population, ``css_contribution`` per 1,000. Offences without
        a weight get NaN and are listed in ``attrs["unweighted_offences"]``;
        ``attrs["css"]`` holds the total score (over weighted offences).

    References
    ----------
    Office for National Statistics (2016). *Research outputs: developing a
    Crime Severity Score for England and Wales using data on crimes recorded
    by the police*.
    """
    if weights[weight_group_col].duplicated().any():
        raise ValueError("weights lists an offence more than once")
    if population is not None and not population > 0:
        raise ValueError("population must be positive")
    summed = counts.groupby(group_col, sort=False)[count_col].sum()
    lookup = weights.set_index(weight_group_col)[weight_col].astype("float64")
    out = pd.DataFrame({"offence": summed.index, "count": summed.to_numpy()})
    out["weight"] = out["offence"].map(lookup).astype("float64")
    out["harm"] = out["count"] * out["weight"]
    weighted = out["weight"].notna()
    total_harm = float(out.loc[weighted, "harm"].sum())
    if population is not None:
        out["css_contribution"] = 1000.0 * out["harm"] / population
    out.attrs.update(
        {
            "total_harm": total_harm,
            "css": 1000.0 * total_harm / population if population is not None else np.nan,
            "unweighted_offences": out.loc[~weighted, "offence"].tolist(),
            "method": "Crime Severity Score: sum of count x ONS weight per 1,000 population",
        }
    )
    return out


def _price_year_col(table: pd.DataFrame, cost_col: str) -> str:
    if cost_col == "uprated_cost_gbp" and "uprated_price_year" in table.columns:
        return "uprated_price_year"
    return "price_year"
