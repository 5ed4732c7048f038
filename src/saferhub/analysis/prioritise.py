"""Transparent prioritisation matrix for the Strategic Assessment.

Every issue's score shows each input value, its normalised score, the weight
applied and the resulting contribution, so a Board can see why an issue
ranks where it does and challenge the weights rather than a black box.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_WEIGHTS", "MEASURES", "prioritisation_matrix"]

#: Measures the matrix understands, in display order, with their meaning.
MEASURES: dict[str, str] = {
    "volume": "number of crimes or incidents in the period",
    "trend": "significant rise: 1 significant increase, 0 otherwise (or a graded value)",
    "harm": "harm, e.g. Crime Severity Score contribution",
    "cost": "economic and social cost (e.g. Home Office unit costs x volume)",
    "concentration": "concentration, e.g. share in top hotspots or crimes per victim",
    "repeat_share": "share of repeat victims or repeat locations (0-100)",
    "public_concern": "public concern, e.g. % naming the issue in a consultation",
}

#: Default weights: equal. Equal weights make no hidden judgement of what
#: matters more; a partnership that values harm over volume says so by
#: changing the weights, and the output records the weights used.
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(MEASURES, 1.0)


def prioritisation_matrix(
    data: pd.DataFrame,
    *,
    issue_col: str = "issue",
    weights: Mapping[str, float] | None = None,
    allow_missing: Iterable[str] = (),
) -> pd.DataFrame:
    r"""Weighted score of issues over the measures present in ``data``.

    Each measure :math:`m` present as a column is min-max normalised across
    issues,

    .. math:: s_{im} = \frac{x_{im} - \min_i x_{im}}{\max_i x_{im} - \min_i x_{im}}

    (all 0 when every issue has the same value, since the measure then does
    not discriminate), and the score is the weighted mean

    .. math:: S_i = 100\cdot\frac{\sum_m w_m s_{im}}{\sum_m w_m}.

    Issues are ranked by :math:`S_i` (rank 1 highest); ties keep the order
    of the input rows (stable sort), so a rank never depends on chance.

    Parameters
    ----------
    data : DataFrame
        One row per issue, a column ``issue_col`` and one numeric (or boolean)
        column per measure, named as in :data:`MEASURES`. Measures not
        present are left out (weight 0). Missing values are not allowed: a
        measure unknown for one issue must be recorded as a decision, not
        silently scored.
    issue_col : str, default "issue"
        Issue name column.
    weights : mapping, optional
        Weight per measure (non-negative); missing measures take the
        :data:`DEFAULT_WEIGHTS` value (1).
    allow_missing : iterable of str, optional
        Measures that may be unknown (NaN) for some issues, e.g. harm for
        ASB, which has no Crime Severity Score weight. Such a measure is
        normalised over the issues that have it, and an issue without it is
        scored over the measures it has (its weight leaves the denominator:
        :math:`S_i = 100 \sum_{m \in M_i} w_m s_{im} / \sum_{m \in M_i} w_m`),
        never as if it scored 0; the explanation says so.

    Returns
    -------
    DataFrame
        Sorted by rank: ``rank, issue, score`` and, per measure ``m``,
        ``m_value, m_score, m_weight, m_contribution`` (contribution =
        ``100 * w * s / sum(w)``; contributions sum to the score), and an
        ``explanation`` sentence.

    References
    ----------
    Department for Communities and Local Government (2009).
    *Multi-criteria analysis: a manual*, chapter 6 (the linear additive
    model: scores on a common scale, weighted and summed).
    """
    merged = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        unknown = set(weights) - set(MEASURES)
        if unknown:
            raise ValueError(f"unknown measures in weights: {sorted(unknown)}")
        merged.update(weights)
    if any(w < 0 or not np.isfinite(w) for w in merged.values()):
        raise ValueError("weights must be finite and non-negative")
    if issue_col not in data.columns:
        raise ValueError(f"no column {issue_col!r}")
    if data[issue_col].duplicated().any():
        raise ValueError("issue names must be unique")
    present = [m for m in MEASURES if m in data.columns]
    if not present:
        raise ValueError(f"no measure columns; expected some of {list(MEASURES)}")
    total_weight = sum(merged[m] for m in present)
    if total_weight <= 0:
        raise ValueError("the measures present all have weight 0")
    optional = set(allow_missing)
    columns = {}
    known_weight = np.zeros(len(data))
    for m in present:
        values = pd.to_numeric(data[m].astype("float64"), errors="raise").to_numpy()
        known = np.isfinite(values)
        if np.isinf(values).any() or (not known.all() and m not in optional):
            raise ValueError(f"measure {m!r} has missing or infinite values")
        columns[m] = (values, known)
        known_weight += np.where(known, merged[m], 0.0)
    if (known_weight <= 0).any():
        raise ValueError("an issue has no measure with a positive weight")
    out = pd.DataFrame({"issue": data[issue_col].to_numpy()})
    score = np.zeros(len(data))
    for m in present:
        values, known = columns[m]
        norm = np.full(len(values), np.nan)
        if known.any():
            low, high = values[known].min(), values[known].max()
            span = high - low
            norm[known] = (values[known] - low) / span if span > 0 else 0.0
        contribution = np.where(known, 100.0 * merged[m] * np.nan_to_num(norm) / known_weight, 0.0)
        out[f"{m}_value"] = values
        out[f"{m}_score"] = norm
        out[f"{m}_weight"] = merged[m]
        out[f"{m}_contribution"] = contribution
        score += contribution
    out.insert(1, "score", score)
    order = np.argsort(-np.round(score, 12), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["explanation"] = [_explain(row, present) for row in out.to_dict(orient="records")]
    out.attrs.update(
        {
            "method": (
                "min-max normalised measures, weighted mean x 100; ties ranked in input order"
            ),
            "weights": {m: merged[m] for m in present},
            "measures_left_out": [m for m in MEASURES if m not in present],
        }
    )
    return out


def _explain(row: Mapping[Hashable, Any], present: list[str]) -> str:
    parts = []
    for m in present:
        if not np.isfinite(row[f"{m}_value"]):
            parts.append(f"{m} not known (left out of this issue's score, not 0)")
            continue
        parts.append(
            f"{m} {row[f'{m}_value']:g} -> {row[f'{m}_score']:.2f} x w{row[f'{m}_weight']:g}"
            f" = {row[f'{m}_contribution']:.1f}"
        )
    return f"score {row['score']:.1f} = " + " + ".join(parts)
