"""The register ranked by a transparent score: every input and weight is shown.

Each measure is taken over the last 12 months held (gaps left out), min-max normalised
across the problems ranked (0 = lowest, 1 = highest), multiplied by its weight, summed
and scaled to 0-100 by the sum of the weights used. A measure with no value for any
problem (harm, where no weights are held) is left out and shown as not held; a measure
with no value for one problem (harm where one of its categories has no weight, trend with
no incidents in the earlier 6 months) is left out of that problem's score, which is then
scaled by the weights of the measures it has (docs/decisions/0503-problem-score.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet

from saferhub.analysis.change import percent_change
from saferhub.geography import selectors as geo
from saferhub.incidents.models import Category, Incident
from saferhub.problems import place as places
from saferhub.problems.measure import held_months, month_label
from saferhub.problems.models import (
    CommunityConcern,
    HarmWeight,
    Problem,
    RankingCount,
    RankingWindow,
)

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
POOL_COLUMNS = ["lsoa", "location", "category_id", "n", "recent", "earlier"]
#: The fields ranking needs of a problem: its place, not its OSARA text.
PLACE_ONLY = (
    "id",
    "title",
    "status",
    "area",
    "place_type",
    "lsoa_codes",
    "place_area",
    "longitude",
    "latitude",
    "radius_m",
    "polygon",
    "location",
)


@dataclass
class RankedProblem:
    problem: Problem
    inputs: dict[str, float | None]
    normalised: dict[str, float | None] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0
    #: Categories of the problem's incidents that have no harm weight (harm not counted).
    harm_missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HeldWeight:
    category: str
    weight: float
    source: str


@dataclass
class Ranking:
    rows: list[RankedProblem]
    weights: dict[str, float]
    used: list[str]
    not_held: list[str]
    window: tuple[str, str] | None
    method: str = __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else ""
    harm_weights: list[HeldWeight] = field(default_factory=list)
    ranked: int = 0


def harm_weights() -> tuple[dict[int, float], list[HeldWeight]]:
    """The harm weights held (category id to weight) and, for the page, each with its
    category's name and source. Categories without one are not given any."""
    held = list(HarmWeight.objects.select_related("category").order_by("category__name"))
    return (
        {h.category_id: float(h.weight) for h in held},
        [HeldWeight(h.category.name, float(h.weight), h.source) for h in held],
    )


def _concern_counts(
    problems: list[Problem],
    since: dt.date,
    themes_of: dict[int, set[int]],
    lsoas_of_problem: dict[int, frozenset[str] | None],
) -> dict[int, int]:
    """Concerns since ``since`` whose place shares an LSOA with the problem's place (and
    whose theme is one of the problem's, when it has themes)."""
    concerns = list(CommunityConcern.objects.filter(received_on__gte=since).select_related("place"))
    if not concerns:
        return {}
    lsoas_of = {c.pk: geo.area_lsoa_codes(c.place) for c in concerns}
    out: dict[int, int] = {}
    for problem in problems:
        lsoas = lsoas_of_problem.get(problem.pk)
        shape_bng = None
        if lsoas is None:
            place = places.resolve(problem)
            lsoas, shape_bng = place.lsoas, place.shape_bng
        themes = themes_of.get(problem.pk, set())
        n = 0
        for c in concerns:
            if themes and c.theme_id not in themes:
                continue
            if lsoas is not None:
                hit = bool(lsoas_of[c.pk] & lsoas)
            else:
                shape = places.lsoas_shape_bng(lsoas_of[c.pk])
                hit = shape is not None and shape_bng is not None
                hit = hit and bool(shape.intersects(shape_bng))  # type: ignore[union-attr]
            n += hit
        out[problem.pk] = n
    return out


def counted_window(codes: set[str] | None, months: list[dt.date]) -> pd.DataFrame:
    """Incidents counted by LSOA, location and category over ``months``, with the counts
    of the last 6 and the 6 before: one query, summed in the database (every LSOA when
    ``codes`` is None)."""
    recent, earlier = months[-6:], months[-12:-6]
    qs = Incident.objects.filter(month__in=months).exclude(lsoa_code="")
    if codes is not None:
        qs = qs.filter(lsoa_code__in=sorted(codes))
    rows = (
        qs.values_list("lsoa_code", "location", "category_id")
        .annotate(
            n=Count("id"),
            recent=Count("id", filter=Q(month__in=recent)),
            earlier=Count("id", filter=Q(month__in=earlier)),
        )
        .order_by()
    )
    return pd.DataFrame.from_records(list(rows), columns=POOL_COLUMNS)


def window_labels(months: list[dt.date]) -> list[str]:
    return [month_label(m) for m in months]


def lsoa_pool_frame(codes: set[str], months: list[dt.date]) -> pd.DataFrame:
    """:func:`counted_window` for the LSOAs: read from the counts kept after each import
    (:class:`RankingCount`) when they were built for these months, else from the incidents."""
    window = RankingWindow.objects.first()
    if window is None or window.months != window_labels(months):
        return counted_window(codes, months)
    rows = RankingCount.objects.filter(lsoa_code__in=sorted(codes)).values_list(
        "lsoa_code", "location", "category_id", "n", "recent", "earlier"
    )
    return pd.DataFrame.from_records(list(rows), columns=POOL_COLUMNS)


def _frame_counts(frame: pd.DataFrame, months: list[dt.date]) -> pd.DataFrame:
    """Incident rows (with a month each) counted as :data:`POOL_COLUMNS`."""
    if frame.empty:
        return pd.DataFrame(columns=POOL_COLUMNS)
    recent, earlier = set(months[-6:]), set(months[-12:-6])
    frame = frame[frame["month"].isin(months)].assign(
        n=1,
        recent=frame["month"].isin(recent).astype("int64"),
        earlier=frame["month"].isin(earlier).astype("int64"),
    )
    grouped = frame.groupby(["lsoa", "location", "category_id"], dropna=False)
    return grouped[["n", "recent", "earlier"]].sum().reset_index()[POOL_COLUMNS]


def _empty_inputs(harm: dict[int, float]) -> dict[str, float | None]:
    """The inputs of a problem with no incidents (its harm is 0 where weights are held)."""
    return {"volume": 0.0, "harm": 0.0 if harm else None, "trend": None, "repeat_locations": 0.0}


def _inputs_of(
    frame: pd.DataFrame, harm: dict[int, float], names: dict[int, str]
) -> tuple[dict[int, dict[str, float | None]], dict[int, list[str]]]:
    """Every problem's inputs, and the categories it has incidents of that lack a harm
    weight, from one frame of (problem, lsoa, location, category_id, n, recent, earlier)
    rows: grouped sums, no loop over the rows."""
    if frame.empty:
        return {}, {}
    weights = frame["category_id"].map(harm) if harm else pd.Series(float("nan"), frame.index)
    frame = frame.assign(
        harm=weights * frame["n"],
        unweighted=weights.isna() & (frame["n"] > 0),
    )
    sums = frame.groupby("problem")[["n", "recent", "earlier", "harm", "unweighted"]].sum()
    located = frame[frame["location"] != ""]
    repeat = (
        located.groupby(["problem", "lsoa", "location"])["n"].sum().ge(2).groupby("problem").sum()
    )
    repeats = repeat.reindex(sums.index, fill_value=0)
    missing: dict[int, list[str]] = {}
    if harm:
        lacking = frame[frame["unweighted"]].groupby("problem")["category_id"].unique()
        for pk, cats in zip(lacking.index.tolist(), lacking.tolist(), strict=True):
            missing[int(pk)] = sorted(names.get(int(c), str(c)) for c in cats)
    out: dict[int, dict[str, float | None]] = {}
    for pk, n, after, before, harm_sum, unweighted, rep in zip(
        sums.index.tolist(),
        sums["n"].tolist(),
        sums["recent"].tolist(),
        sums["earlier"].tolist(),
        sums["harm"].tolist(),
        sums["unweighted"].tolist(),
        repeats.tolist(),
        strict=True,
    ):
        out[int(pk)] = {
            "volume": float(n),
            # Harm only where every category counted has a weight: a missing weight is
            # named on the row, never taken as zero.
            "harm": float(harm_sum) if harm and not unweighted and n else None,
            "trend": float(percent_change(int(before), int(after))) if before else None,
            "repeat_locations": float(rep),
        }
    return out, missing


def links_of(
    items: list[Problem] | QuerySet[Problem],
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Each problem's category ids and theme ids, read from the link tables (two queries,
    without a queryset per problem)."""
    ids: Any = items.values("pk") if isinstance(items, QuerySet) else [p.pk for p in items]
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


def lsoas_of(
    items: Iterable[Problem],
) -> dict[int, frozenset[str] | None]:
    """Each problem's LSOA codes (None for a point or a drawn polygon), the wards' and
    neighbourhoods' looked up once each."""
    by_area: dict[int, frozenset[str]] = {}
    out: dict[int, frozenset[str] | None] = {}
    for problem in items:
        kind = problem.place_type
        if kind in (Problem.PlaceType.LSOAS, Problem.PlaceType.LOCATION):
            out[problem.pk] = frozenset(problem.lsoa_codes or [])
        elif kind in (Problem.PlaceType.WARD, Problem.PlaceType.NEIGHBOURHOOD):
            area_id = problem.place_area_id
            if area_id is None:
                out[problem.pk] = frozenset()
                continue
            if area_id not in by_area:
                by_area[area_id] = frozenset(places.resolve(problem, shape=False).lsoas or ())
            out[problem.pk] = by_area[area_id]
        else:
            out[problem.pk] = None
    return out


def _batch(
    items: list[Problem],
    months: list[dt.date],
    harm: dict[int, float],
    links: tuple[dict[int, set[int]], dict[int, set[int]]],
    lsoas_of: dict[int, frozenset[str] | None],
) -> tuple[dict[int, dict[str, float | None]], dict[int, list[str]]]:
    theme_cats: dict[int, set[int]] = {}
    for cat_id, theme_id in Category.themes.through.objects.values_list("category_id", "theme_id"):
        theme_cats.setdefault(theme_id, set()).add(cat_id)
    names = dict(Category.objects.values_list("pk", "name"))
    cats_of, themes_of = links
    members: list[tuple[int, str, str, int | None]] = []
    parts: list[pd.DataFrame] = []
    for problem in items:
        cats = set(cats_of.get(problem.pk, set()))
        for theme_id in themes_of.get(problem.pk, set()):
            cats |= theme_cats.get(theme_id, set())
        lsoas = lsoas_of[problem.pk]
        if lsoas is None:
            frame = places.place_incidents(
                places.resolve(problem), sorted(cats) or None, months[0], months[-1]
            )
            parts.append(_frame_counts(frame, months).assign(problem=problem.pk))
            continue
        location = problem.location if problem.place_type == Problem.PlaceType.LOCATION else ""
        wanted: list[int | None] = [*sorted(cats)] or [None]
        for lsoa in lsoas:
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
        parts.append(joined[keep][["problem", *POOL_COLUMNS]])
    parts = [p for p in parts if not p.empty]
    if not parts:
        return {}, {}
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame = frame.astype({"n": "int64", "recent": "int64", "earlier": "int64"})
    return _inputs_of(frame, harm, names)


def batch_inputs(
    items: list[Problem], months: list[dt.date], harm: dict[int, float]
) -> dict[int, dict[str, float | None]]:
    """The inputs of many problems: places made of LSOAs from one grouped query and a
    merge; points and polygons one by one (they need their shapes)."""
    out, _ = _batch(items, months, harm, links_of(items), lsoas_of(items))
    return {p.pk: out.get(p.pk, _empty_inputs(harm)) for p in items}


def problem_inputs(
    problem: Problem, months: list[dt.date], harm: dict[int, float]
) -> dict[str, float | None]:
    """One problem's inputs, counted from its own incidents (the check on the batch)."""
    place = places.resolve(problem, shape=problem.place_type in ("point", "polygon"))
    frame = places.place_incidents(place, places.category_ids(problem), months[0], months[-1])
    counted = _frame_counts(frame, months).assign(problem=problem.pk)
    names = dict(Category.objects.values_list("pk", "name"))
    out, _ = _inputs_of(counted, harm, names)
    return out.get(problem.pk, _empty_inputs(harm))


def rank_register(
    *,
    problems: list[Problem] | QuerySet[Problem] | None = None,
    weights: dict[str, float] | None = None,
    top_n: int = 50,
) -> Ranking:
    """The active problems ranked by score, the top ``top_n``.

    ``problems`` (a queryset is read once, with only the fields a place needs) limits the
    problems ranked; the top ``top_n`` are then read in full for the page."""
    wanted = DEFAULT_WEIGHTS | (weights or {})
    qs: QuerySet[Problem]
    if problems is None:
        qs = Problem.objects.filter(status__in=ACTIVE)
    elif isinstance(problems, QuerySet):
        qs = problems
    else:
        qs = Problem.objects.filter(pk__in=[p.pk for p in problems])
    items = list(qs.select_related(None).prefetch_related(None).only(*PLACE_ONLY).order_by())
    held = held_months()[-12:]
    harm, held_weights = harm_weights()
    if not held or not items:
        return Ranking([], wanted, [], [], None, harm_weights=held_weights)
    links = links_of(qs if isinstance(qs, QuerySet) and len(items) > 500 else items)
    lsoas = lsoas_of(items)
    concerns = _concern_counts(items, held[0], links[1], lsoas)
    batch, missing = _batch(items, held, harm, links, lsoas)
    rows = []
    for problem in items:
        inputs = batch.get(problem.pk, _empty_inputs(harm))
        inputs["concern"] = float(concerns.get(problem.pk, 0))
        rows.append(RankedProblem(problem, inputs, harm_missing=missing.get(problem.pk, [])))
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
    for r in rows:
        had = [m for m in used if r.normalised[m] is not None]
        total_weight = sum(wanted[m] for m in had) or 1.0
        r.score = round(
            100 * sum(wanted[m] * (r.normalised[m] or 0.0) for m in had) / total_weight, 1
        )
    rows.sort(key=lambda r: (-r.score, r.problem.title, r.problem.pk))
    top = rows[:top_n]
    full = (
        Problem.objects.select_related("area", "place_area", "lead_partner", "lead_officer")
        .defer("area__geometry", "place_area__geometry")
        .in_bulk([r.problem.pk for r in top])
    )
    for i, r in enumerate(top, start=1):
        r.rank = i
        r.problem = full[r.problem.pk]
    return Ranking(
        top,
        wanted,
        used,
        not_held,
        (month_label(held[0]), month_label(held[-1])),
        harm_weights=held_weights,
        ranked=len(rows),
    )
