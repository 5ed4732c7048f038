"""The public site's end-of-year section (registered in ``ready``): the latest summary
the Board has published, as aggregates only (decision 0607)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saferhub.governance.end_of_year import latest_published_summary
from saferhub.public.registry import PublicSection, PublicTable, public_section


def _money(value: Any) -> str:
    return f"£{value:,.0f}"


def _content() -> dict[str, Any] | None:
    summary = latest_published_summary()
    if summary is None:
        return None
    outturn = _("Outturn") if summary.outturn_final else _("Estimated outturn")
    paragraphs = [
        _("The partnership's summary of %(period)s, published %(date)s.")
        % {"period": summary.period, "date": f"{summary.published_on:%d %B %Y}"},
    ]
    if summary.actions:
        paragraphs.append(
            _("Of %(actions)s actions in the year's plan, %(completed)s were completed.")
            % {"actions": summary.actions, "completed": summary.completed}
        )
    figures: list[tuple[Any, str]] = [
        (_("Actions in the plan"), f"{summary.actions:,}"),
        (_("Actions completed"), f"{summary.completed:,}"),
        (
            _("Per cent completed"),
            "–" if summary.percent_completed is None else f"{summary.percent_completed}%",
        ),
        (_("Income"), _money(summary.income_total)),
        (_("Expenditure budget"), _money(summary.expenditure_total)),
        (outturn, _money(summary.outturn_total)),
        (_("Funded projects and services"), f"{summary.projects:,}"),
    ]
    figures += [
        (team, _("%(completed)s of %(actions)s actions completed") % {"completed": c, "actions": a})
        for team, a, c in summary.teams
    ]
    return {"paragraphs": paragraphs, "figures": figures}


def _table() -> PublicTable | None:
    summary = latest_published_summary()
    if summary is None:
        return None
    rows: list[list[Any]] = [
        [summary.period, "actions", "", summary.actions],
        [summary.period, "actions_completed", "", summary.completed],
        [summary.period, "income_gbp", "", summary.income_total],
        [summary.period, "expenditure_budget_gbp", "", summary.expenditure_total],
        [
            summary.period,
            "outturn_gbp" if summary.outturn_final else "estimated_outturn_gbp",
            "",
            summary.outturn_total,
        ],
        [summary.period, "funded_projects", "", summary.projects],
    ]
    for team, actions, completed in summary.teams:
        rows.append([summary.period, "actions", team, actions])
        rows.append([summary.period, "actions_completed", team, completed])
    return PublicTable(
        ["period", "figure", "action_team", "value"],
        rows,
        "The partnership's end-of-year summary as published by its Board: the action plan's "
        "year end and the budget.",
    )


def register() -> None:
    public_section(
        PublicSection(
            "end-of-year",
            _("End-of-year summary"),
            _("What the partnership did in the last year and what changed."),
            order=50,
            content=_content,
            table=_table,
            depends_on=(
                "governance.FinancialYear",
                "governance.ExpenditureLine",
                "governance.IncomeLine",
                "governance.FundedProject",
                "actions.Action",
            ),
        )
    )
