"""The quarterly Board pack: the scorecard, action progress, risk ratings and budget
variance, as one PDF and one workbook (the same content as the page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from saferhub.actions import selectors as actions_sel
from saferhub.actions.models import ActionPlan
from saferhub.core.exports import workbook_bytes
from saferhub.governance import risk_selectors as rsel
from saferhub.governance import selectors as sel
from saferhub.governance.board_sections import FilledSection, filled_sections
from saferhub.governance.models import FinancialYear
from saferhub.performance import reports as perf_reports
from saferhub.performance import selectors as perf_sel

ACTION_COLUMNS = [
    "Action team",
    "Actions",
    "Completed",
    "Carried forward",
    "Dropped",
    "% completed",
]
BUDGET_COLUMNS = [
    "Line",
    "Budget (£)",
    "Actual to date (£)",
    "Forecast outturn (£)",
    "Variance (£)",
    "Reason",
]


@dataclass
class BoardPack:
    quarter: str
    generated_at: dt.datetime
    scorecard: list[list[Any]]
    plan: ActionPlan | None
    actions: list[list[Any]]
    risks: list[list[Any]]
    heat_map: rsel.HeatMap
    year: FinancialYear | None
    budget: sel.BudgetSummary | None
    variance: list[list[Any]]
    # Sections registered by other apps (``board_sections``), e.g. the ASB Case Review.
    extra: list[FilledSection] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"board-pack-{self.quarter}"


def board_pack(*, user: Any, quarter: str | None = None) -> BoardPack:
    report = perf_reports.board_report(user=user, quarter=quarter)
    plan = ActionPlan.objects.filter(archived_at__isnull=True).order_by("-starts_on").first()
    actions: list[list[Any]] = []
    if plan is not None:
        rows, total = actions_sel.year_end_summary(plan)
        actions = [
            [r.team, r.actions, r.completed, r.carried_forward, r.dropped, r.percent_completed]
            for r in [*rows, total]
        ]
    year = sel.years().filter(status=FinancialYear.Status.OPEN).order_by("-starts_on").first()
    year = year or sel.years().first()
    variance = (
        [
            [
                line.title,
                line.budget,
                line.actual_to_date,
                line.forecast_outturn,
                line.variance,
                line.variance_reason,
            ]
            for line in sel.variance_lines(year)
        ]
        if year
        else []
    )
    return BoardPack(
        quarter=report.quarter,
        generated_at=timezone.now(),
        scorecard=report.scorecard_rows,
        plan=plan,
        actions=actions,
        risks=rsel.risk_rows(),
        heat_map=rsel.heat_map(),
        year=year,
        budget=sel.budget_summary(year) if year else None,
        variance=variance,
        extra=filled_sections(user=user, quarter=report.quarter),
    )


def board_pack_pdf(pack: BoardPack) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "governance/board_pack_pdf.html",
        {
            "pack": pack,
            "scorecard_columns": perf_sel.SCORECARD_COLUMNS,
            "action_columns": ACTION_COLUMNS,
            "budget_columns": BUDGET_COLUMNS,
            "impacts": range(1, 6),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def board_pack_xlsx(pack: BoardPack) -> bytes:
    budget_rows: list[list[Any]] = []
    if pack.budget is not None:
        budget_rows = [
            ["Income", pack.budget.income_total],
            ["Expenditure", pack.budget.expenditure_total],
            ["Actual spend to date", pack.budget.actual_total],
            ["Forecast outturn", pack.budget.forecast_total],
            ["Forecast variance", pack.budget.forecast_variance],
        ]
    return workbook_bytes(
        [
            ("Scorecard", perf_sel.SCORECARD_COLUMNS, pack.scorecard),
            ("Action progress", ACTION_COLUMNS, pack.actions),
            ("Risks", rsel.RISK_COLUMNS, pack.risks),
            (
                "Heat map",
                ["Likelihood", "Impact", "Score", "Band", "Open risks"],
                [
                    [c.likelihood, c.impact, c.score, c.band, c.count]
                    for row in pack.heat_map.rows
                    for c in row
                ],
            ),
            ("Budget", ["Figure", "£"], budget_rows),
            ("Budget variance", BUDGET_COLUMNS, pack.variance),
            *[(x.section.title[:31], x.section.columns, x.rows) for x in pack.extra],
        ],
        notes=[
            f"Board pack, {pack.quarter}; produced {pack.generated_at:%d %B %Y %H:%M}",
            f"Action plan: {pack.plan.title if pack.plan else 'none'}",
            f"Budget year: {pack.year.label if pack.year else 'none'}",
            *perf_reports.METHOD_NOTES,
            *[x.section.note for x in pack.extra if x.section.note],
        ],
    )
