"""The register ranked by a transparent score: every input and weight is shown.

Each measure is taken over the last 12 months held (gaps left out), min-max normalised
across the problems ranked (0 = lowest, 1 = highest), multiplied by its weight, summed
and scaled to 0-100 by the sum of the weights used. A measure with no value for any
problem (harm, where no weights are held) is left out and shown as not held
(docs/decisions/0503-problem-score.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from saferhub.analysis.change import percent_change
from saferhub.problems import place as places
from saferhub.problems.measure import held_months, month_label
from saferhub.problems.models import CommunityConcern, HarmWeight, Problem

MEASURES = ("volume", "harm", "trend", "repeat_locations", "concern")
MEASURE_TITLES = {
    "volume": "Volume: incidents in the last 12 months held",
    "harm": "Harm: sum of the held harm weights of those incidents",
    "trend": "Trend: % change, last 6 months against the 6 before",
    "repeat_locations": "Repeat locations: street locations with 2 or more incidents",
    "concern": "Community concern: concerns about the place in the last 12 months",
}
DEFAULT_WEIGHTS = dict.fromkeys(MEASURES, 1.0)
ACTIVE = (Problem.Status.PROPOSED, Problem.Status.OPEN, Problem.Status.MONITORING)


@dataclass
class RankedProblem:
    problem: Problem
    inputs: dict[str, float | None]
    normalised: dict[str, float | None] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0


@dataclass
class Ranking:
    rows: list[RankedProblem]
    weights: dict[str, float]
    used: list[str]
    not_held: list[str]
    window: tuple[str, str] | None
    method: str = __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else ""


def _concern_counts(problems: list[Problem], since: dt.date) -> dict[int, int]:
    """Concerns since ``since`` whose place shares an LSOA with the problem's place (and
    whose theme is one of the problem's, when it has themes)."""
    from saferhub.geography import selectors as geo

    concerns = list(CommunityConcern.objects.filter(received_on__gte=since).select_related("place"))
    lsoas_of = {c.pk: geo.area_lsoa_codes(c.place) for c in concerns}
    out: dict[int, int] = {}
    for problem in problems:
        place = places.resolve(problem)
        themes = {t.pk for t in problem.themes.all()}
        n = 0
        for c in concerns:
            if themes and c.theme_id not in themes:
                continue
            if place.lsoas is not None:
                hit = bool(lsoas_of[c.pk] & place.lsoas)
            else:
                shape = places.lsoas_shape_bng(lsoas_of[c.pk])
                hit = bool(shape is not None and place.shape_bng is not None)
                hit = hit and bool(shape.intersects(place.shape_bng))  # type: ignore[union-attr]
            n += hit
        out[problem.pk] = n
    return out


def problem_inputs(
    problem: Problem, months: list[dt.date], harm: dict[int, float]
) -> dict[str, float | None]:
    place = places.resolve(problem)
    frame = places.place_incidents(place, places.category_ids(problem), months[0], months[-1])
    frame = frame[frame["month"].isin(months)]
    recent, earlier = set(months[-6:]), set(months[-12:-6])
    after = int(frame["month"].isin(recent).sum())
    before = int(frame["month"].isin(earlier).sum())
    trend = percent_change(before, after) if before else None
    located = frame[frame["location"] != ""]
    repeats = Counter(zip(located["lsoa"], located["location"]))
    harm_value: float | None = None
    if harm:
        weights = frame["category_id"].map(harm)
        harm_value = float(weights.sum()) if weights.notna().any() else None
    return {
        "volume": float(len(frame)),
        "harm": harm_value,
        "trend": None if trend is None else float(trend),
        "repeat_locations": float(sum(1 for n in repeats.values() if n >= 2)),
    }


def rank_register(
    *,
    problems: list[Problem] | None = None,
    weights: dict[str, float] | None = None,
    top_n: int = 50,
) -> Ranking:
    """The active problems ranked by score, the top ``top_n``."""
    wanted = DEFAULT_WEIGHTS | (weights or {})
    items = (
        problems
        if problems is not None
        else list(
            Problem.objects.filter(status__in=ACTIVE)
            .select_related("area", "place_area", "lead_partner", "lead_officer")
            .prefetch_related("categories", "themes")
        )
    )
    held = held_months()[-12:]
    if not held or not items:
        return Ranking([], wanted, [], [], None)
    harm = dict(HarmWeight.objects.values_list("category_id", "weight"))
    concerns = _concern_counts(items, held[0])
    rows = []
    for problem in items:
        inputs = problem_inputs(problem, held, harm)
        inputs["concern"] = float(concerns.get(problem.pk, 0))
        rows.append(RankedProblem(problem, inputs))
    used, not_held = [], []
    for m in MEASURES:
        values = [v for r in rows if (v := r.inputs[m]) is not None]
        if not values or not wanted.get(m):
            if not values:
                not_held.append(m)
            for r in rows:
                r.normalised[m] = None
            continue
        used.append(m)
        lo, hi = min(values), max(values)
        for r in rows:
            value = r.inputs[m]
            r.normalised[m] = (
                None if value is None else (0.0 if hi == lo else (value - lo) / (hi - lo))
            )
    total_weight = sum(wanted[m] for m in used) or 1.0
    for r in rows:
        r.score = round(
            100 * sum(wanted[m] * (r.normalised[m] or 0.0) for m in used) / total_weight, 1
        )
    rows.sort(key=lambda r: (-r.score, r.problem.title, r.problem.pk))
    for i, r in enumerate(rows, start=1):
        r.rank = i
    return Ranking(
        rows[:top_n], wanted, used, not_held, (month_label(held[0]), month_label(held[-1]))
    )
