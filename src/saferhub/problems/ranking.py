"""The register ranked by a transparent score: every input and weight is shown.

Each measure is taken over the last 12 months held (gaps left out), min-max normalised
across the problems ranked (0 = lowest, 1 = highest), multiplied by its weight, summed
and scaled to 0-100 by the sum of the weights used. A measure with no value for any
problem (harm, where no weights are held) is left out and shown as not held
(docs/decisions/0503-problem-score.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count

from saferhub.analysis.change import percent_change
from saferhub.incidents.models import Category, Incident
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
    if not concerns:
        return {}
    _, themes_of = links_of(problems)
    for problem in problems:
        place = places.resolve(problem, shape=False)
        if place.lsoas is None:
            place = places.resolve(problem)
        themes = themes_of.get(problem.pk, set())
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


def lsoa_pool_frame(codes: set[str], months: list[dt.date]) -> pd.DataFrame:
    """Incidents counted by LSOA, location, category and month (one grouped query)."""
    rows = (
        Incident.objects.filter(lsoa_code__in=sorted(codes), month__in=months)
        .values_list("lsoa_code", "location", "category_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["lsoa", "location", "category_id", "month", "n"]
    )


def lsoa_pool(problems: list[Problem], months: list[dt.date]) -> dict[str, pd.DataFrame]:
    """:func:`lsoa_pool_frame` for the problems' LSOAs, keyed by LSOA."""
    codes: set[str] = set()
    for problem in problems:
        codes |= set(places.resolve(problem, shape=False).lsoas or ())
    if not codes:
        return {}
    frame = lsoa_pool_frame(codes, months)
    return {str(k): v for k, v in frame.groupby("lsoa")} if not frame.empty else {}


def _counted(
    problem: Problem, months: list[dt.date], pool: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """The problem's incidents as (lsoa, location, category_id, month, n) rows."""
    place = places.resolve(problem, shape=False)
    categories = places.category_ids(problem)
    if place.lsoas is None:
        frame = places.place_incidents(places.resolve(problem), categories, months[0], months[-1])
        frame = frame[frame["month"].isin(months)].assign(n=1)
        return frame[["lsoa", "location", "category_id", "month", "n"]]
    parts = [pool[c] for c in sorted(place.lsoas) if c in pool]
    if not parts:
        return pd.DataFrame(columns=["lsoa", "location", "category_id", "month", "n"])
    frame = pd.concat(parts) if len(parts) > 1 else parts[0]
    if categories is not None:
        frame = frame[frame["category_id"].isin(categories)]
    if place.place_type == Problem.PlaceType.LOCATION:
        frame = frame[frame["location"] == place.location]
    return frame


def problem_inputs(
    problem: Problem,
    months: list[dt.date],
    harm: dict[int, float],
    pool: dict[str, pd.DataFrame] | None = None,
) -> dict[str, float | None]:
    frame = _counted(problem, months, pool if pool is not None else lsoa_pool([problem], months))
    recent, earlier = set(months[-6:]), set(months[-12:-6])
    after = int(frame.loc[frame["month"].isin(recent), "n"].sum())
    before = int(frame.loc[frame["month"].isin(earlier), "n"].sum())
    trend = percent_change(before, after) if before else None
    located = frame[frame["location"] != ""]
    repeats: Any = located.groupby(["lsoa", "location"])["n"].sum() if len(located) else []
    harm_value: float | None = None
    if harm:
        weights = frame["category_id"].map(harm)
        if weights.notna().any():
            harm_value = float((weights.fillna(0) * frame["n"]).sum())
    return {
        "volume": float(frame["n"].sum()),
        "harm": harm_value,
        "trend": None if trend is None else float(trend),
        "repeat_locations": float(sum(1 for n in repeats if n >= 2)),
    }


def _inputs_of(
    frame: pd.DataFrame, months: list[dt.date], harm: dict[int, float]
) -> dict[int, dict[str, float | None]]:
    """Every problem's inputs from one frame of (problem, lsoa, location, category_id,
    month, n) rows: grouped sums, no loop over problems."""
    if frame.empty:
        return {}
    recent, earlier = set(months[-6:]), set(months[-12:-6])
    frame = frame.assign(
        recent=frame["n"].where(frame["month"].isin(recent), 0),
        earlier=frame["n"].where(frame["month"].isin(earlier), 0),
        harm=frame["category_id"].map(harm) * frame["n"] if harm else float("nan"),
        harmed=frame["category_id"].isin(list(harm)) if harm else False,
    )
    sums = frame.groupby("problem")[["n", "recent", "earlier", "harm", "harmed"]].sum(min_count=0)
    located = frame[frame["location"] != ""]
    repeat = (
        located.groupby(["problem", "lsoa", "location"])["n"].sum().ge(2).groupby("problem").sum()
    )
    repeats = repeat.reindex(sums.index, fill_value=0)
    out: dict[int, dict[str, float | None]] = {}
    for pk, n, after, before, harm_sum, harmed, rep in zip(
        sums.index.tolist(),
        sums["n"].tolist(),
        sums["recent"].tolist(),
        sums["earlier"].tolist(),
        sums["harm"].tolist(),
        sums["harmed"].tolist(),
        repeats.tolist(),
        strict=True,
    ):
        out[int(pk)] = {
            "volume": float(n),
            "harm": float(harm_sum) if harm and harmed else None,
            "trend": float(percent_change(int(before), int(after))) if before else None,
            "repeat_locations": float(rep),
        }
    return out


def links_of(items: list[Problem]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Each problem's category ids and theme ids, read from the link tables (two queries,
    without a queryset per problem)."""
    ids = [p.pk for p in items]
    cats: dict[int, set[int]] = {}
    themes: dict[int, set[int]] = {}
    for pk, cat in Problem.categories.through.objects.filter(problem_id__in=ids).values_list(
        "problem_id", "category_id"
    ):
        cats.setdefault(pk, set()).add(cat)
    for pk, theme in Problem.themes.through.objects.filter(problem_id__in=ids).values_list(
        "problem_id", "theme_id"
    ):
        themes.setdefault(pk, set()).add(theme)
    return cats, themes


def batch_inputs(
    items: list[Problem], months: list[dt.date], harm: dict[int, float]
) -> dict[int, dict[str, float | None]]:
    """The inputs of many problems: places made of LSOAs from one grouped query and a
    merge; points and polygons one by one (they need their shapes)."""
    theme_cats: dict[int, set[int]] = {}
    for cat_id, theme_id in Category.themes.through.objects.values_list("category_id", "theme_id"):
        theme_cats.setdefault(theme_id, set()).add(cat_id)
    cats_of, themes_of = links_of(items)
    members: list[tuple[int, str, str, int | None]] = []
    out: dict[int, dict[str, float | None]] = {}
    for problem in items:
        place = places.resolve(problem, shape=False)
        cats = set(cats_of.get(problem.pk, set()))
        for theme_id in themes_of.get(problem.pk, set()):
            cats |= theme_cats.get(theme_id, set())
        if place.lsoas is None:
            out[problem.pk] = problem_inputs(problem, months, harm)
            continue
        location = place.location if place.place_type == Problem.PlaceType.LOCATION else ""
        wanted: list[int | None] = [*sorted(cats)] or [None]
        for lsoa in place.lsoas:
            for cat in wanted:
                members.append((problem.pk, lsoa, location, cat))
    if members:
        pool = lsoa_pool_frame({m[1] for m in members}, months)
        member = pd.DataFrame(members, columns=["problem", "lsoa", "wanted_location", "cat"])
        some = member[member["cat"].notna()].astype({"cat": "int64"})
        every = member[member["cat"].isna()].drop(columns="cat")
        joined = pd.concat(
            [
                some.merge(pool, left_on=["lsoa", "cat"], right_on=["lsoa", "category_id"]),
                every.merge(pool, on="lsoa"),
            ]
        )
        keep = (joined["wanted_location"] == "") | (joined["wanted_location"] == joined["location"])
        out |= _inputs_of(joined[keep], months, harm)
    empty: dict[str, float | None] = {
        "volume": 0.0,
        "harm": None,
        "trend": None,
        "repeat_locations": 0.0,
    }
    return {p.pk: out.get(p.pk, dict(empty)) for p in items}


def rank_register(
    *,
    problems: list[Problem] | None = None,
    weights: dict[str, float] | None = None,
    top_n: int = 50,
) -> Ranking:
    """The active problems ranked by score, the top ``top_n``."""
    wanted = DEFAULT_WEIGHTS | (weights or {})
    qs = Problem.objects.filter(status__in=ACTIVE)
    if problems is not None:
        qs = Problem.objects.filter(pk__in=[p.pk for p in problems])
    items = list(qs.select_related("area", "place_area", "lead_partner", "lead_officer"))
    held = held_months()[-12:]
    if not held or not items:
        return Ranking([], wanted, [], [], None)
    harm = dict(HarmWeight.objects.values_list("category_id", "weight"))
    concerns = _concern_counts(items, held[0])
    batch = batch_inputs(items, held, harm)
    rows = []
    for problem in items:
        inputs = batch[problem.pk]
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
