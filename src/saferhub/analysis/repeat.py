"""Repeat victimisation: prevalence, incidence, concentration and tables.

Definitions follow the British Crime Survey convention (Trickett et al.
1992; Hope 1995):

* **incidence**: crimes per 1,000 population (or households);
* **prevalence**: victims (people, households or locations with at least
  one crime) per 1,000;
* **concentration**: crimes per victim, incidence / prevalence.

police.uk data has no victim identifiers, so for it the "victim" is a
location: the anonymised snap point (its ``Location`` text within an LSOA,
or its coordinates). A snap point stands for several nearby addresses, so a
repeat location is not a repeat victim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "RepeatSummary",
    "incidents_per_entity",
    "repeat_locations",
    "repeat_summary",
    "repeat_table",
    "repeat_table_from_counts",
    "within_months",
]

#: police.uk columns forming the default location key.
POLICE_UK_LOCATION_KEY = ("Location", "LSOA code")


@dataclass(frozen=True)
class RepeatSummary:
    """Repeat victimisation measures for one set of incidents.

    Attributes
    ----------
    incidents : int
        Number of crimes.
    victims : int
        Number of distinct victims (or locations) with at least one crime.
    repeat_victims : int
        Victims with two or more crimes.
    repeat_incidents : int
        Crimes suffered by repeat victims.
    pct_repeat_victims : float
        ``100 * repeat_victims / victims``.
    pct_incidents_to_repeat_victims : float
        ``100 * repeat_incidents / incidents``.
    concentration : float
        Crimes per victim, ``incidents / victims``.
    population : float or None
        Population (or households) at risk, when given.
    incidence_per_1000, prevalence_per_1000 : float
        Crimes and victims per 1,000 of ``population``; NaN without one.
    method : str
        Definitions used.
    """

    incidents: int
    victims: int
    repeat_victims: int
    repeat_incidents: int
    pct_repeat_victims: float
    pct_incidents_to_repeat_victims: float
    concentration: float
    population: float | None
    incidence_per_1000: float
    prevalence_per_1000: float
    method: str


def incidents_per_entity(data: pd.DataFrame, key_cols: str | Sequence[str]) -> pd.Series:
    """Number of incidents per victim (or location) key.

    Parameters
    ----------
    data : DataFrame
        One row per incident.
    key_cols : str or sequence of str
        Column(s) identifying the victim or location. Rows with a missing
        key are dropped (they cannot be linked) and counted in
        ``attrs["dropped_missing_key"]``.

    Returns
    -------
    Series
        Incidents per key, sorted by key.
    """
    cols = [key_cols] if isinstance(key_cols, str) else list(key_cols)
    keyed = data[cols]
    missing = keyed.isna().any(axis=1)
    if len(cols) == 1:
        counts = keyed.loc[~missing, cols[0]].value_counts(sort=False).sort_index()
    else:
        counts = keyed[~missing].value_counts(sort=False).sort_index()
    counts.name = "incidents"
    counts.attrs["dropped_missing_key"] = int(missing.sum())
    return counts


def repeat_table_from_counts(
    counts: pd.Series,
    *,
    groups: pd.Series | None = None,
    top_band: int = 5,
    label: str = "All",
) -> pd.DataFrame:
    """Victims by number of incidents: 1, 2, 3, 4, 5+, total, repeat, % repeat.

    This is the layout of the repeat-victimisation table in the North East
    Derbyshire Community Safety Partnership Plan 2008-2011 (place-name: cited; domestic abuse
    victims by CDRP), with an ``incidents`` column added.

    Parameters
    ----------
    counts : Series
        Incidents per victim (positive integers), e.g. from
        :func:`incidents_per_entity`.
    groups : Series, optional
        Group (e.g. area) of each victim, aligned with ``counts``; one row per
        group in the output. Default: one row labelled ``label``.
    top_band : int, default 5
        Victims with this many incidents or more share the last band
        (``"5+"``).
    label : str, default "All"
        Row label without ``groups``.

    Returns
    -------
    DataFrame
        Index: group. Columns ``"1"`` ... ``"<top_band>+"``, ``total_victims``,
        ``repeat_victims`` (2 or more), ``pct_repeat`` (0-100) and
        ``incidents``.
    """
    if top_band < 2:
        raise ValueError("top_band must be at least 2")
    values = np.asarray(counts, dtype=np.int64)
    if np.any(values < 1):
        raise ValueError("every victim must have at least one incident")
    bands = [str(b) for b in range(1, top_band)] + [f"{top_band}+"]
    band = pd.Series(
        np.where(values >= top_band, f"{top_band}+", values.astype(str)), index=counts.index
    )
    key = pd.Series(label, index=counts.index) if groups is None else groups
    table = pd.crosstab(key.to_numpy(), band.to_numpy())
    table = table.reindex(columns=bands, fill_value=0)
    table.index.name = "group"
    table.columns.name = None
    table["total_victims"] = table[bands].sum(axis=1)
    table["repeat_victims"] = table["total_victims"] - table["1"]
    table["pct_repeat"] = 100.0 * table["repeat_victims"] / table["total_victims"]
    incidents = pd.Series(values, index=counts.index).groupby(key.to_numpy()).sum()
    table["incidents"] = incidents.reindex(table.index).astype("int64")
    table.attrs["method"] = (
        f"victims by number of incidents (1 to {top_band}+); repeat victim = 2 or more incidents"
    )
    return table


def repeat_table(
    data: pd.DataFrame,
    *,
    victim_col: str | Sequence[str],
    group_col: str | None = None,
    top_band: int = 5,
) -> pd.DataFrame:
    """Repeat-victimisation table from incident records.

    Parameters
    ----------
    data : DataFrame
        One row per incident.
    victim_col : str or sequence of str
        Victim identifier column(s).
    group_col : str, optional
        Grouping column (e.g. area). A victim with incidents in two groups is
        counted in each, with that group's incidents.
    top_band : int, default 5
        Last band (``"5+"``).

    Returns
    -------
    DataFrame
        See :func:`repeat_table_from_counts`.
    """
    victims = [victim_col] if isinstance(victim_col, str) else list(victim_col)
    if group_col is None:
        counts = incidents_per_entity(data, victims)
        return repeat_table_from_counts(counts, top_band=top_band)
    counts = incidents_per_entity(data, [group_col, *victims])
    groups = pd.Series(counts.index.get_level_values(group_col), index=counts.index)
    return repeat_table_from_counts(counts, groups=groups, top_band=top_band)


def repeat_summary(counts: pd.Series, *, population: float | None = None) -> RepeatSummary:
    r"""Prevalence, incidence and concentration from incidents per victim.

    .. math::

        \text{incidence} = 1000\,\frac{\sum_i c_i}{N}, \quad
        \text{prevalence} = 1000\,\frac{\#\{i: c_i \ge 1\}}{N}, \quad
        \text{concentration} = \frac{\sum_i c_i}{\#\{i: c_i \ge 1\}}.

    Parameters
    ----------
    counts : Series
        Incidents per victim (positive integers).
    population : float, optional
        People or households at risk.

    Returns
    -------
    RepeatSummary

    References
    ----------
    Trickett, A., Osborn, D. R., Seymour, J. and Pease, K. (1992). What is
    different about high crime areas? *British Journal of Criminology*,
    32(1), 81-89. Hope, T. (1995). The flux of victimisation. *British
    Journal of Criminology*, 35(3), 327-342.
    """
    values = np.asarray(counts, dtype=np.int64)
    if np.any(values < 1):
        raise ValueError("every victim must have at least one incident")
    if population is not None and not population > 0:
        raise ValueError("population must be positive")
    incidents = int(values.sum())
    victims = int(values.size)
    repeat = values >= 2
    repeat_victims = int(repeat.sum())
    repeat_incidents = int(values[repeat].sum())
    nan = float("nan")
    return RepeatSummary(
        incidents=incidents,
        victims=victims,
        repeat_victims=repeat_victims,
        repeat_incidents=repeat_incidents,
        pct_repeat_victims=100.0 * repeat_victims / victims if victims else nan,
        pct_incidents_to_repeat_victims=100.0 * repeat_incidents / incidents if incidents else nan,
        concentration=incidents / victims if victims else nan,
        population=population,
        incidence_per_1000=1000.0 * incidents / population if population else nan,
        prevalence_per_1000=1000.0 * victims / population if population else nan,
        method=(
            "incidence = crimes per 1,000; prevalence = victims per 1,000; "
            "concentration = crimes per victim (Trickett et al. 1992)"
        ),
    )


def within_months(
    data: pd.DataFrame,
    *,
    date_col: str,
    window_months: int = 12,
    end_month: str | None = None,
) -> pd.DataFrame:
    """Rows whose date falls in the ``window_months`` months ending ``end_month``.

    Repeat victimisation is conventionally counted within a fixed window
    (12 months, as in the British Crime Survey's recall period), so a
    victim's first and second incidents must both fall inside it.

    Parameters
    ----------
    data : DataFrame
        One row per incident.
    date_col : str
        Dates or ``"YYYY-MM"`` months.
    window_months : int, default 12
        Window length in calendar months, ``end_month`` included.
    end_month : str, optional
        Last month of the window; default the latest month in ``data``.

    Returns
    -------
    DataFrame
        The rows inside the window, with a ``_month`` column
        (``"YYYY-MM"``); ``attrs`` hold ``window_start`` and ``window_end``.
    """
    if window_months < 1:
        raise ValueError("window_months must be at least 1")
    months = pd.PeriodIndex(pd.to_datetime(data[date_col], format="mixed"), freq="M")
    if end_month is None and len(months) == 0:
        raise ValueError("no incidents: give end_month")
    last = pd.Period(end_month, freq="M") if end_month is not None else months.max()
    first = last - (window_months - 1)
    inside = np.asarray((months >= first) & (months <= last))
    out = data.loc[inside].copy()
    out["_month"] = [str(m) for m in months[inside]]
    out.attrs.update({"window_start": str(first), "window_end": str(last)})
    return out


def repeat_locations(
    data: pd.DataFrame,
    *,
    month_col: str = "Month",
    key_cols: Sequence[str] = POLICE_UK_LOCATION_KEY,
    window_months: int = 12,
    end_month: str | None = None,
    min_incidents: int = 2,
) -> pd.DataFrame:
    """Repeat locations in police.uk data within a window of months.

    police.uk has no victim identifier; a location is keyed by
    ``key_cols`` (default the ``Location`` text and ``LSOA code``, because the
    same street name recurs in different LSOAs; the snapped coordinates
    ``("Longitude", "Latitude")`` are the alternative).

    Parameters
    ----------
    data : DataFrame
        police.uk street-level records (one row per crime or ASB incident).
    month_col : str, default "Month"
        ``"YYYY-MM"`` month of each record.
    key_cols : sequence of str
        Columns forming the location key.
    window_months : int, default 12
        Length of the window, ending at ``end_month`` inclusive.
    end_month : str, optional
        Last month of the window; default the latest month in ``data``.
    min_incidents : int, default 2
        Locations with at least this many incidents are flagged as repeat.

    Returns
    -------
    DataFrame
        One row per location in the window: key columns, ``incidents``,
        ``first_month``, ``last_month``, ``months_with_incidents``,
        ``is_repeat``; sorted by incidents (descending) then key. ``attrs``
        hold the window and key.
    """
    window = within_months(
        data[[month_col, *key_cols]],
        date_col=month_col,
        window_months=window_months,
        end_month=end_month,
    )
    first, last = window.attrs["window_start"], window.attrs["window_end"]
    missing = window[list(key_cols)].isna().any(axis=1)
    window = window[~missing]
    grouped = window.groupby(list(key_cols), sort=True)["_month"]
    out = pd.DataFrame(
        {
            "incidents": grouped.size(),
            "first_month": grouped.min(),
            "last_month": grouped.max(),
            "months_with_incidents": grouped.nunique(),
        }
    ).reset_index()
    out["is_repeat"] = out["incidents"] >= min_incidents
    out = out.sort_values(
        ["incidents", *key_cols], ascending=[False, *([True] * len(key_cols))], kind="mergesort"
    ).reset_index(drop=True)
    out.attrs.update(
        {
            "window_start": str(first),
            "window_end": str(last),
            "key": list(key_cols),
            "dropped_missing_key": int(missing.sum()),
            "method": (
                f"repeat location = {min_incidents}+ incidents at the same "
                f"{' + '.join(key_cols)} within {window_months} months "
                f"({first} to {last}); police.uk snap points stand for several addresses"
            ),
        }
    )
    return out
