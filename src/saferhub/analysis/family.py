"""A family of most similar areas, built from variables that are openly published.

The Home Office's iQuanta "most similar groups" of Community Safety Partnerships are not
openly published, so a partnership anywhere in England and Wales is compared with a family
built here from what SaferHub holds for every area: its population, its density, the share
of its LSOAs among the most deprived and the share of its residents in rural LSOAs. The
variables, their transforms and the distance are stated in every result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_FAMILY_SIZE", "DEFAULT_VARIABLES", "Family", "FamilyVariable", "most_similar"]

DEFAULT_FAMILY_SIZE = 15


@dataclass(frozen=True)
class FamilyVariable:
    """One variable of the distance: a column, its label and whether it is logged first."""

    column: str
    label: str
    log: bool = False


DEFAULT_VARIABLES: tuple[FamilyVariable, ...] = (
    FamilyVariable("population", "usual residents (Census 2021), logged", log=True),
    FamilyVariable("density", "residents per square kilometre, logged", log=True),
    FamilyVariable("deprived_share", "share of LSOAs in the most deprived 20% (IMD 2019)"),
    FamilyVariable("rural_share", "share of residents in rural LSOAs (2021 rural-urban class)"),
)


@dataclass(frozen=True)
class Family:
    """The home area and its most similar areas, nearest first (the home area is first).

    ``distances`` has one row per member: ``code``, ``distance`` and the standardised value
    of each variable. ``left_out`` lists areas that could not be placed in the comparison
    because a variable is missing for them (never treated as zero).
    """

    home: str
    members: tuple[str, ...]
    distances: pd.DataFrame
    variables: tuple[FamilyVariable, ...]
    left_out: tuple[str, ...]
    method: str


def most_similar(
    profiles: pd.DataFrame,
    home: str,
    *,
    size: int = DEFAULT_FAMILY_SIZE,
    variables: Sequence[FamilyVariable] = DEFAULT_VARIABLES,
    code_col: str = "code",
) -> Family:
    r"""The ``size`` areas nearest to ``home`` (itself included, first).

    Each variable :math:`v` is transformed (:math:`\log` where stated; values must then be
    positive) and standardised over every area with complete data,
    :math:`z_{iv} = (x_{iv} - \bar x_v)/s_v` with the population standard deviation
    :math:`s_v` (a variable with no spread is left out of the distance). The distance of
    area :math:`i` from the home area :math:`h` is Euclidean with equal weights,

    .. math:: d_{ih} = \sqrt{\sum_v (z_{iv} - z_{hv})^2},

    the method of the nearest-neighbour "most similar" families (as iQuanta's, whose
    variables are not published). Ties are broken by code so the family is reproducible.

    Raises
    ------
    ValueError
        When ``home`` is not among the profiles, a variable is missing for it, a logged
        variable is not positive, or ``size`` is below 1.
    """
    if size < 1:
        raise ValueError("A family has at least one member (the area itself).")
    variables = tuple(variables)
    missing_cols = [v.column for v in variables if v.column not in profiles.columns]
    if missing_cols or code_col not in profiles.columns:
        raise ValueError(f"Profiles lack the columns: {', '.join(missing_cols or [code_col])}.")
    frame = profiles[[code_col, *[v.column for v in variables]]].copy()
    frame[code_col] = frame[code_col].astype(str)
    if home not in set(frame[code_col]):
        raise ValueError(f"{home} is not among the areas profiled.")
    complete = frame.dropna()
    left_out = tuple(sorted(set(frame[code_col]) - set(complete[code_col])))
    if home in left_out:
        missing = [
            v.label
            for v in variables
            if pd.isna(frame.loc[frame[code_col] == home, v.column]).any()
        ]
        raise ValueError(f"{home} has no figure for: {', '.join(missing)}.")
    values = {}
    for v in variables:
        x = complete[v.column].astype(float).to_numpy()
        if v.log:
            if (x <= 0).any():
                bad = complete.loc[x <= 0, code_col].tolist()
                raise ValueError(f"{v.label}: not positive for {', '.join(bad[:5])}.")
            x = np.log(x)
        sd = x.std()
        if sd > 0:
            values[v.column] = (x - x.mean()) / sd
    z = pd.DataFrame(values, index=complete[code_col].to_numpy())
    used = tuple(v for v in variables if v.column in values)
    diff = z.to_numpy() - z.loc[home].to_numpy()
    distance = np.sqrt((diff**2).sum(axis=1))
    table = z.assign(distance=distance).rename_axis("code").reset_index()
    table = table.sort_values(["distance", "code"], kind="mergesort")
    # The home area first, whatever its ties.
    table = pd.concat([table[table["code"] == home], table[table["code"] != home]])
    table = table.head(size).reset_index(drop=True)
    method = (
        f"The {min(size, len(z))} areas nearest to the area itself (included) by Euclidean "
        f"distance over standardised variables with equal weights, among {len(z)} areas with "
        "every variable held: " + "; ".join(v.label for v in used) + "."
    )
    return Family(
        home=home,
        members=tuple(table["code"]),
        distances=table[["code", "distance", *values]],
        variables=used,
        left_out=left_out,
        method=method,
    )
