"""Rows of the register and agenda tables, for pages, CSV, Excel and the command line."""

from __future__ import annotations

from typing import Any

from saferhub.problems.ranking import MEASURES, Ranking
from saferhub.problems.tasking import Agenda

MEASURE_COLUMNS = {
    "volume": "Volume",
    "harm": "Harm",
    "trend": "Trend (%)",
    "repeat_locations": "Repeat locations",
    "concern": "Community concerns",
}


def register_columns() -> list[str]:
    cols = ["Rank", "Problem", "Status", "Lead partner", "Review date"]
    for m in MEASURES:
        cols += [MEASURE_COLUMNS[m], f"{MEASURE_COLUMNS[m]}, scaled 0-1"]
    return [*cols, "Harm not counted: categories without a weight", "Score (0-100)"]


def _round(value: float | None, places: int = 2) -> Any:
    return None if value is None else round(value, places)


def ranking_rows(ranking: Ranking) -> list[list[Any]]:
    rows = []
    for r in ranking.rows:
        p = r.problem
        row: list[Any] = [r.rank, p.title, p.get_status_display(), str(p.lead_partner), p.review_on]
        for m in MEASURES:
            row += [_round(r.inputs.get(m), 1), _round(r.normalised.get(m), 3)]
        rows.append([*row, ", ".join(r.harm_missing), r.score])
    return rows


def agenda_rows(agenda: Agenda) -> list[list[Any]]:
    """One table of the whole agenda: section, item, detail."""
    rows: list[list[Any]] = []
    for c in agenda.candidates:
        rows.append(["New candidate problem", f"{c.lsoa} {c.name}", c.reason])
    for p in agenda.due_review:
        rows.append(["Due for review", p.title, f"review date {p.review_on:%d %B %Y}"])
    for p, a in agenda.overdue_actions:
        due = f"{a.due_date:%d %B %Y}" if a.due_date else ""
        rows.append(
            ["Overdue action", f"{a.reference}: {a.description[:80]}", f"{p.title}; due {due}"]
        )
    for p in agenda.for_closure:
        done = p.assessment
        rows.append(
            [
                "Proposed for closure",
                p.title,
                f"{done.get_impact_display()}; before {done.treated_before}, "
                f"after {done.treated_after}; WDD {done.wdd:g}",
            ]
        )
    return rows
