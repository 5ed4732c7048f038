"""Crime Severity Score weights for police.uk categories, estimated through an offence mix.

ONS publishes Crime Severity Score (CSS) weights by Home Office offence code; police.uk
publishes counts by broad category (one category holds many offence codes: "Violence and
sexual offences" runs from common assault to murder). A category's weight is therefore an
*estimate*: the mean of its codes' weights, each code weighted by how often the force
recorded it (the force's offence mix, e.g. the Home Office's police recorded crime by
force and offence code).

Pure: DataFrames in, a DataFrame out; no Django.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["category_weights", "force_key", "severity_rate"]

_FORCE_WORDS = {"police", "constabulary", "service", "force", "of", "the"}


def force_key(name: str) -> str:
    """A force's name reduced for matching across sources.

    police.uk names a force "<Name> Constabulary", "<Name> Police" or "<Name> Police
    Service"; the Home Office tables often give the name alone, or with its words in
    another order ("<Place>, City of"). The key is the sorted words left after dropping
    "police", "constabulary",
    "service", "force", "of" and "the" (case and punctuation ignored).
    """
    words = "".join(ch if ch.isalnum() else " " for ch in name.lower()).split()
    return " ".join(sorted(w for w in words if w not in _FORCE_WORDS))


def category_weights(
    *,
    weights: pd.DataFrame,
    code_categories: pd.DataFrame,
    mix: pd.DataFrame,
    categories: Iterable[str],
    code_col: str = "code",
    weight_col: str = "weight",
    category_col: str = "category",
    count_col: str = "count",
) -> pd.DataFrame:
    r"""Estimated CSS weight of each police.uk category from an offence mix.

    For category :math:`c` with offence codes :math:`K_c` that have a weight,

    .. math:: \hat w_c = \frac{\sum_{k \in K_c} n_k w_k}{\sum_{k \in K_c} n_k}

    where :math:`w_k` is the ONS weight of code :math:`k` and :math:`n_k` the force's
    count of it in the mix. Codes with no weight are left out of both sums (never
    counted as weight 0); ``coverage`` is the share of the category's offences in the
    mix whose code has a weight. A category with no weighted code (or none recorded in
    the mix) gets no weight (NaN) and a note naming why.

    Parameters
    ----------
    weights : DataFrame
        ``code_col`` and ``weight_col``: ONS CSS weights by Home Office offence code. A
        code listed twice must carry the same weight.
    code_categories : DataFrame
        ``code_col`` and ``category_col``: the police.uk category of each offence code
        (names matched without regard to case).
    mix : DataFrame
        ``code_col`` and ``count_col``: the force's offence counts by code (summed when
        a code appears more than once, e.g. per quarter).
    categories : iterable of str
        The police.uk categories wanted, named as in the output.

    Returns
    -------
    DataFrame
        One row per category: ``category, weight, codes_weighted, codes_without_weight,
        offences_weighted, offences_in_mix, coverage, note``; ``attrs["method"]``.

    References
    ----------
    Office for National Statistics (2016). *Research outputs: developing a Crime
    Severity Score for England and Wales using data on crimes recorded by the police*.
    """
    w = weights[[code_col, weight_col]].dropna()
    w = w.assign(**{code_col: w[code_col].astype(str).str.strip()})
    spread = w.groupby(code_col)[weight_col].agg(["min", "max"])
    if (~np.isclose(spread["min"], spread["max"])).any():
        raise ValueError("a code is listed with two different weights")
    weight_of = w.groupby(code_col)[weight_col].first().astype("float64")
    cats = code_categories[[code_col, category_col]].dropna()
    cats = cats.assign(
        **{
            code_col: cats[code_col].astype(str).str.strip(),
            "_key": cats[category_col].astype(str).str.strip().str.lower(),
        }
    ).drop_duplicates([code_col, "_key"])
    counts = (
        mix.assign(**{code_col: mix[code_col].astype(str).str.strip()})
        .groupby(code_col)[count_col]
        .sum()
        .astype("float64")
    )
    rows = []
    for category in categories:
        codes = sorted(set(cats.loc[cats["_key"] == category.strip().lower(), code_col]))
        weighted = [c for c in codes if c in weight_of.index]
        unweighted = [c for c in codes if c not in weight_of.index]
        n_weighted = float(sum(counts.get(c, 0.0) for c in weighted))
        n_all = float(sum(counts.get(c, 0.0) for c in codes))
        if not codes:
            value, note = np.nan, "no Home Office offence code maps to this category"
        elif not weighted:
            value, note = np.nan, "none of its offence codes has a weight"
        elif n_weighted <= 0:
            value, note = np.nan, "the force recorded none of its weighted codes in the mix"
        else:
            value = sum(counts.get(c, 0.0) * float(weight_of[c]) for c in weighted) / n_weighted
            note = ""
        rows.append(
            {
                "category": category,
                "weight": value,
                "codes_weighted": len(weighted),
                "codes_without_weight": len(unweighted),
                "offences_weighted": n_weighted,
                "offences_in_mix": n_all,
                "coverage": n_weighted / n_all if n_all else np.nan,
                "note": note,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "category",
            "weight",
            "codes_weighted",
            "codes_without_weight",
            "offences_weighted",
            "offences_in_mix",
            "coverage",
            "note",
        ],
    )
    out.attrs["method"] = (
        "estimated weight of a police.uk category: the mean of the ONS Crime Severity Score "
        "weights of its Home Office offence codes, each weighted by the force's count of "
        "that code; codes without a weight left out (not counted as 0)"
    )
    return out


def severity_rate(
    counts: dict[str, float], weights: dict[str, float], population: float
) -> tuple[float | None, list[str]]:
    r"""Estimated severity-weighted rate per 1,000: :math:`1000 \sum_c n_c \hat w_c / N`.

    Only categories with a weight count; the others are returned by name (never scored
    as 0). ``None`` when no category of ``counts`` has a weight or there is no population.
    """
    without = sorted(c for c in counts if not np.isfinite(weights.get(c, np.nan)))
    weighted = [c for c in counts if c not in without]
    if not weighted or not population > 0:
        return None, without
    harm = sum(float(counts[c]) * float(weights[c]) for c in weighted)
    return 1000.0 * harm / population, without
