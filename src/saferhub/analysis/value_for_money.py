"""Value for money of a funded project: cost per output and cost-of-crime break-even.

Pure arithmetic on numbers and a unit-cost table (no database).

* **Cost per output** = funding ÷ outputs, for the target and, once reported, the
  actual (e.g. £23,000 for 2,500 homes issued with burglary kits is £9.20 a home).
* **Break-even** (the seeds' "cost against the cost of the crime"): for each offence
  group the project targets, the number of those crimes it would need to prevent to pay
  for itself, :math:`n_g = \\lceil F / u_g \\rceil`, where :math:`F` is the funding and
  :math:`u_g` the unit cost (economic and social cost of one crime) from the table held.
  Each group is taken alone (the crimes of one group needed if it prevented no other).
  A group with no unit cost in the table is named as missing, never costed at zero.

References
----------
Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018). *The economic and social costs of
crime*, 2nd ed. Home Office Research Report 99 (section 1.2: using the estimates).
Brand, S. and Price, R. (2000). *The economic and social costs of crime*. Home Office
Research Study 217.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["BreakEven", "BreakEvenGroup", "break_even", "cost_per_output"]


def cost_per_output(funding: float, outputs: float | None) -> float | None:
    """Funding divided by the number of outputs; None when there are no outputs yet."""
    if funding < 0:
        raise ValueError("funding must not be negative")
    if outputs is None or outputs <= 0:
        return None
    return funding / outputs


@dataclass(frozen=True)
class BreakEvenGroup:
    offence_group: str
    unit_cost_gbp: float
    crimes_to_prevent: int
    price_year: str
    source: str


@dataclass(frozen=True)
class BreakEven:
    funding_gbp: float
    groups: tuple[BreakEvenGroup, ...]
    missing: tuple[str, ...]  # targeted groups with no unit cost in the table
    table: str
    method: str = (
        "crimes to prevent = funding / unit cost, rounded up, for each targeted offence "
        "group alone (Home Office economic and social costs of crime)"
    )


def break_even(
    funding: float,
    offence_groups: list[str],
    unit_costs: pd.DataFrame,
    *,
    cost_col: str = "unit_cost_gbp",
    group_col: str = "offence_group",
) -> BreakEven:
    """How many crimes of each targeted group the project must prevent to pay for itself.

    Parameters
    ----------
    funding : float
        The project's funding in pounds (non-negative).
    offence_groups : list of str
        The offence groups it targets, named as in ``unit_costs``.
    unit_costs : DataFrame
        A unit-cost table (e.g. ``harm.load_reference("unit_costs_heeks_2018")``) with
        ``group_col``, ``cost_col``, ``price_year`` and ``source``.

    Returns
    -------
    BreakEven
        The groups with a unit cost, and the names of those without one (missing from
        the table or left empty in it): never counted as zero.
    """
    if funding < 0:
        raise ValueError("funding must not be negative")
    by_group = {str(row[group_col]): row for _, row in unit_costs.iterrows()}
    groups: list[BreakEvenGroup] = []
    missing: list[str] = []
    for name in offence_groups:
        row = by_group.get(name)
        unit = float(row[cost_col]) if row is not None else math.nan
        if row is None or not math.isfinite(unit) or unit <= 0:
            missing.append(name)
            continue
        groups.append(
            BreakEvenGroup(
                offence_group=name,
                unit_cost_gbp=unit,
                crimes_to_prevent=math.ceil(round(funding / unit, 9)),
                price_year=str(row.get("price_year", "")),
                source=str(row.get("source", "")),
            )
        )
    return BreakEven(
        funding_gbp=float(funding),
        groups=tuple(groups),
        missing=tuple(missing),
        table=str(unit_costs.attrs.get("description", "")),
    )
