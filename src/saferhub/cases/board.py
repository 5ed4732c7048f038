"""The ASB Case Review's four figures in the quarterly Board pack (a registered section)."""

from __future__ import annotations

from typing import Any

from saferhub.core.periods import parse_quarter

COLUMNS = [
    "Year (April to March)",
    "Applications received",
    "Threshold not met",
    "Reviews carried out",
    "Reviews with recommendations",
]


def _year_of(month: str) -> int:
    year, number = (int(x) for x in month.split("-"))
    return year if number >= 4 else year - 1


def board_rows(quarter: str) -> list[list[Any]]:
    """The year the quarter ends in (to date) and the year before it."""
    from saferhub.cases.services.case_review import case_review_figures

    _, last = parse_quarter(quarter)
    start = _year_of(last)
    rows = []
    for y in (start, start - 1):
        label = f"{y}/{(y + 1) % 100:02d}"
        f = case_review_figures(year=label)
        rows.append(
            [
                label + (" (to date)" if y == start else ""),
                f["applications_received"],
                f["threshold_not_met"],
                f["reviews_carried_out"],
                f["reviews_with_recommendations"],
            ]
        )
    return rows


def register() -> None:
    from saferhub.governance.board_sections import BoardSection, board_section

    board_section(
        BoardSection(
            key="asb-case-review",
            title="ASB Case Review",
            caption="The four figures the partnership publishes each year",
            columns=COLUMNS,
            rows=board_rows,
            note="ASB Case Review (ASB, Crime and Policing Act 2014 s.104): applications by "
            "date received, reviews by date held; the threshold is the local threshold set "
            "now, applied to the complaints recorded.",
            permission="cases.view_case_review_figures",
            order=50,
        )
    )
