"""The end-of-year report, in the shape of a partnership's end-of-year report (decision
0605): achievements per action team, recorded crime against target, the cost of crime,
budget outturn, funded projects and their outputs; as a page, a PDF and a workbook (the same content).

Everything is read through the apps' selectors: the action plan's year end (decision
0301), the performance app's year-end rows, the budget summary and the value-for-money
figures. The cost of crime is counts times the unit costs held, and names each count
that could not be costed and why (decision 0605).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from saferhub.actions import selectors as actions_sel
from saferhub.actions.models import Action, ActionPlan
from saferhub.analysis.harm import cost_group_of, cost_of_crime, load_reference
from saferhub.core.exports import workbook_bytes
from saferhub.core.periods import PeriodError
from saferhub.governance import project_selectors as psel
from saferhub.governance import selectors as sel
from saferhub.governance.models import QUARTERS, FinancialYear
from saferhub.performance import selectors as perf_sel
from saferhub.performance.models import Indicator
from saferhub.performance.periods import parse_period

#: The unit costs the cost of crime uses: the police.uk mapping names Heeks et al.'s groups.
COST_TABLE = "unit_costs_heeks_2018"
CRIME_KINDS = frozenset({Indicator.Kind.INCIDENT_COUNT, Indicator.Kind.INCIDENT_RATE})

TEAM_COLUMNS = ["Action team", "No of actions", "Completed", "Ongoing next year", "Dropped", "%"]
CRIME_COLUMNS = [
    "Priority",
    "Indicator",
    "Previous level",
    "Level this year",
    "Target",
    "Against target",
]
COST_COLUMNS = [
    "Indicator",
    "Unit-cost group",
    "Recorded",
    "Unit cost (£)",
    "Price year",
    "Total cost (£)",
    "Note",
]
OUTTURN_COLUMNS = [
    "Line",
    "Priority",
    "Budget (£)",
    "Actual spend (£)",
    "Quarters entered",
    "Outturn (£)",
    "Variance (£)",
    "Reason",
]
INCOME_COLUMNS = ["Source", "Funder", "Amount (£)"]
PROJECT_COLUMNS = [
    "Project",
    "Provider",
    "Funding (£)",
    "Output",
    "Target",
    "Delivered",
    "% delivered",
    "Cost per output delivered (£)",
]


class ReportYearError(ValueError):
    """The year asked for cannot be reported (not a financial year, no budget year)."""


@dataclass(frozen=True)
class Achievement:
    reference: str
    description: str
    completed_on: dt.date | None
    evidence: str


@dataclass(frozen=True)
class TeamAchievements:
    team: str
    achievements: list[Achievement]


@dataclass(frozen=True)
class CostRow:
    indicator: str
    group: str
    count: int | None
    unit_cost: float | None
    price_year: str
    total: float | None
    note: str


@dataclass
class CostOfCrime:
    rows: list[CostRow]
    total: float
    missing: list[str]
    table: str

    @property
    def description(self) -> str:
        return str(load_reference(self.table).attrs["description"])


@dataclass
class OutturnLine:
    title: str
    priority: str
    budget: Decimal
    actual: Decimal
    quarters_entered: int
    outturn: Decimal
    variance: Decimal
    reason: str

    @property
    def final(self) -> bool:
        return self.quarters_entered == len(QUARTERS)


@dataclass
class EndOfYearReport:
    year: FinancialYear
    period: str
    generated_at: dt.datetime
    plan: ActionPlan | None
    teams: list[list[Any]]
    achievements: list[TeamAchievements]
    crime: list[list[Any]]
    other_indicators: list[list[Any]]
    cost: CostOfCrime
    budget: sel.BudgetSummary
    outturn: list[OutturnLine]
    income: list[list[Any]]
    projects: list[list[Any]]
    notes: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"end-of-year-{self.period.replace('/', '-')}"

    @property
    def outturn_total(self) -> Decimal:
        return sum((line.outturn for line in self.outturn), Decimal(0))

    @property
    def final(self) -> bool:
        """Whether the outturn is final (the year closed), not an estimate."""
        return self.year.is_closed


def period_of(year: FinancialYear) -> str:
    """The reporting period of a financial year (``2024/25``), from its start date."""
    return f"{year.starts_on.year}/{(year.starts_on.year + 1) % 100:02d}"


def year_for_period(text: str) -> FinancialYear:
    """The budget year a financial year such as ``2024/25`` names (or its label)."""
    match = sel.years().filter(label=text.strip()).first()
    if match is not None:
        return match
    try:
        period = parse_period(text.strip())
    except PeriodError as exc:
        raise ReportYearError(str(exc)) from exc
    if period.kind != "financial_year":
        raise ReportYearError(
            f"“{text}” is not a financial year: write it as 2024/25 (April to March)."
        )
    start = period.start.start_time.date()
    year = sel.years().filter(starts_on__lte=start, ends_on__gte=start).first()
    if year is None:
        raise ReportYearError(
            f"There is no budget year for {period.label}: add the financial year first."
        )
    return year


def plan_for_year(year: FinancialYear) -> ActionPlan | None:
    """The action plan of the year: the latest one that overlaps it."""
    return (
        ActionPlan.objects.live()
        .filter(starts_on__lte=year.ends_on, ends_on__gte=year.starts_on)
        .order_by("-starts_on")
        .first()
    )


def team_rows(plan: ActionPlan | None) -> list[list[Any]]:
    return actions_sel.year_end_rows(plan) if plan is not None else []


def team_achievements(plan: ActionPlan | None) -> list[TeamAchievements]:
    """The plan's completed actions per action team, with their evidence."""
    if plan is None:
        return []
    grouped: dict[str, list[Achievement]] = {}
    actions = (
        plan.actions.live()
        .filter(status=Action.Status.COMPLETED)
        .select_related("team", "evaluation")
        .order_by("team__created_at", "team__pk", "reference", "pk")
    )
    for action in actions:
        evaluation = getattr(action, "evaluation", None)
        evidence = evaluation.evidence if evaluation is not None else action.outcome
        grouped.setdefault(action.team.name if action.team else actions_sel.NO_TEAM, []).append(
            Achievement(action.reference, action.description, action.completed_on, evidence)
        )
    return [TeamAchievements(team, items) for team, items in grouped.items()]


def _indicator_row(row: Any) -> list[Any]:
    d = int(row.indicator.decimals)

    def num(v: float | None, label: str) -> str:
        return f"{v:,.{d}f} ({label})" if v is not None else "Not measured"

    return [
        row.priority,
        str(row.indicator),
        num(row.previous, row.previous_period) if row.previous is not None else "",
        num(row.current, row.current_period),
        f"{row.target:,.{d}f}" if row.target is not None else "No target",
        row.margin_text,
    ]


def crime_types_of(categories: list[str]) -> list[str]:
    """The police.uk crime types an indicator counts: its categories, its themes' categories."""
    from saferhub.incidents.selectors import theme_list

    themes: dict[str, list[str]] = {}
    for theme in theme_list():
        members = [c.name for c in theme.categories.all()]
        themes[theme.key.lower()] = themes[theme.name.lower()] = members
    out: list[str] = []
    for entry in categories:
        for name in themes.get(entry.strip().lower()) or [entry.strip()]:
            if name not in out:
                out.append(name)
    return out


def cost_of_recorded_crime(rows: list[Any], table: str = COST_TABLE) -> CostOfCrime:
    """Each recorded-crime count of the year times the unit cost of its offence group.

    A count is costed only when all its police.uk categories map to one unit-cost group
    of ``table`` that has a figure; every other count is listed with the reason.
    """
    mapping = load_reference("police_uk_offence_groups")
    unit_costs = load_reference(table)
    out: list[CostRow] = []
    missing: list[str] = []
    for row in rows:
        ind = row.indicator
        if ind.kind != Indicator.Kind.INCIDENT_COUNT:
            continue
        name = str(ind)
        count = None if row.current is None else int(row.current)
        group, reason = cost_group_of(crime_types_of(list(ind.categories or [])), mapping)
        if count is None:
            out.append(CostRow(name, group or "", None, None, "", None, "No count for the year"))
            missing.append(f"{name} (no count for the year)")
            continue
        if group is None:
            out.append(CostRow(name, "", count, None, "", None, f"Not costed: {reason}"))
            missing.append(f"{name} ({reason})")
            continue
        costed = cost_of_crime(
            pd.DataFrame([{"offence_group": group, "count": count}]),
            group_col="offence_group",
            count_col="count",
            unit_costs=unit_costs,
        ).iloc[0]
        unit = None if pd.isna(costed["unit_cost_gbp"]) else float(costed["unit_cost_gbp"])
        if unit is None:
            missing.append(f"{name} ({group}: no unit cost held)")
        out.append(
            CostRow(
                name,
                group,
                count,
                unit,
                str(costed["price_year"]),
                None if unit is None else unit * count,
                str(costed["note"]),
            )
        )
    total = sum(r.total for r in out if r.total is not None)
    return CostOfCrime(out, float(total), missing, table)


def outturn_lines(year: FinancialYear) -> list[OutturnLine]:
    """Each expenditure line's outturn: the actual spend once all four quarters are entered,
    the forecast outturn (or the budget, with no forecast) until then."""
    out = []
    for line in sel.expenditure_lines(year):
        entered = sum(1 for q in QUARTERS if line.actual(q) is not None)
        if entered == len(QUARTERS):
            outturn = line.actual_to_date
        elif line.forecast_outturn is not None:
            outturn = Decimal(line.forecast_outturn)
        else:
            outturn = Decimal(line.budget)
        out.append(
            OutturnLine(
                title=line.title,
                priority=line.priority.title if line.priority else "",
                budget=Decimal(line.budget),
                actual=line.actual_to_date,
                quarters_entered=entered,
                outturn=outturn,
                variance=outturn - Decimal(line.budget),
                reason=line.variance_reason,
            )
        )
    return out


def projects_of_year(year: FinancialYear) -> list[list[Any]]:
    rows: list[list[Any]] = []
    projects = (
        psel.projects()
        .filter(Q(starts_on__lte=year.ends_on) & Q(ends_on__gte=year.starts_on))
        .prefetch_related("outputs")
    )
    for project in projects:
        vfm = psel.value_for_money(project)
        head = [project.title, project.provider, project.funding]
        if not vfm.outputs:
            rows.append([*head, "No outputs recorded", None, None, None, None])
        for o in vfm.outputs:
            rows.append(
                [
                    *head,
                    f"{o.output.description} ({o.output.unit})",
                    o.output.target,
                    o.output.actual,
                    o.percent_delivered,
                    None
                    if o.cost_per_actual_output is None
                    else round(o.cost_per_actual_output, 2),
                ]
            )
    return rows


def indicator_rows_for_year(*, user: Any, year: FinancialYear) -> list[Any]:
    """Each indicator's value for the financial year; for an indicator measured by calendar
    year instead, the calendar year that ends within the financial year (its label says
    which period the value is for)."""
    fy = perf_sel.year_end_rows(user=user, period=period_of(year))
    calendar = {
        r.indicator.pk: r
        for r in perf_sel.year_end_rows(user=user, period=str(year.starts_on.year))
    }
    return [r if r.current is not None else calendar.get(r.indicator.pk, r) for r in fy]


def end_of_year_report(*, user: Any, year: FinancialYear) -> EndOfYearReport:
    """The report for ``year``, read with ``user``'s access (indicators they may see)."""
    sel.year_get_for_user(user=user, id=year.pk)
    period = period_of(year)
    plan = plan_for_year(year)
    indicator_rows = indicator_rows_for_year(user=user, year=year)
    crime = [r for r in indicator_rows if r.indicator.kind in CRIME_KINDS]
    others = [r for r in indicator_rows if r.indicator.kind not in CRIME_KINDS]
    cost = cost_of_recorded_crime(crime)
    notes = [
        f"End-of-year report {period}, budget year {year.label}; produced "
        f"{timezone.now():%d %B %Y %H:%M}.",
        f"Action plan: {plan.title}." if plan else "No action plan overlaps the year.",
        "Actions: completed, ongoing (carried into next year's plan or still open) and "
        "dropped; % completed rounded half up.",
        "Indicators: the value for the financial year against its target or milestone (for "
        "an indicator measured by calendar year, the calendar year ending in it, as labelled); "
        "recorded crime from police.uk (data.police.uk) where the indicator is measured from it.",
        f"Cost of crime: recorded count × unit cost ({cost.description}); price year shown "
        "beside each cost, not uprated. Counts whose offence group has no unit cost held "
        "are named, not costed.",
        "Outturn: actual spend once all four quarters are entered; until then the forecast "
        "outturn (the budget where there is no forecast)"
        + (". The year is closed: the outturn is final." if year.is_closed else ": estimated."),
    ]
    return EndOfYearReport(
        year=year,
        period=period,
        generated_at=timezone.now(),
        plan=plan,
        teams=team_rows(plan),
        achievements=team_achievements(plan),
        crime=[_indicator_row(r) for r in crime],
        other_indicators=[_indicator_row(r) for r in others],
        cost=cost,
        budget=sel.budget_summary(year),
        outturn=outturn_lines(year),
        income=[[r[0], r[1], r[3]] for r in sel.income_rows(year)],
        projects=projects_of_year(year),
        notes=notes,
    )


def _cost_rows(report: EndOfYearReport) -> list[list[Any]]:
    return [
        [
            r.indicator,
            r.group,
            r.count,
            None if r.unit_cost is None else round(r.unit_cost, 2),
            r.price_year,
            None if r.total is None else round(r.total, 2),
            r.note,
        ]
        for r in report.cost.rows
    ]


def _outturn_rows(report: EndOfYearReport) -> list[list[Any]]:
    return [
        [
            line.title,
            line.priority,
            line.budget,
            line.actual,
            line.quarters_entered,
            line.outturn,
            line.variance,
            line.reason,
        ]
        for line in report.outturn
    ]


def tables(report: EndOfYearReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's tables (sheet name, columns, rows), in the report's order."""
    achievements = [
        [t.team, a.reference, a.description, a.completed_on, a.evidence]
        for t in report.achievements
        for a in t.achievements
    ]
    return [
        ("Actions per team", TEAM_COLUMNS, report.teams),
        (
            "Achievements",
            ["Action team", "Reference", "Action", "Completed on", "Evidence"],
            achievements,
        ),
        ("Recorded crime", CRIME_COLUMNS, report.crime),
        ("Other indicators", CRIME_COLUMNS, report.other_indicators),
        ("Cost of crime", COST_COLUMNS, _cost_rows(report)),
        ("Income", INCOME_COLUMNS, report.income),
        ("Budget outturn", OUTTURN_COLUMNS, _outturn_rows(report)),
        ("Funded projects", PROJECT_COLUMNS, report.projects),
    ]


def _context(report: EndOfYearReport) -> dict[str, Any]:
    return {
        "report": report,
        "team_columns": TEAM_COLUMNS,
        "crime_columns": CRIME_COLUMNS,
        "cost_columns": COST_COLUMNS,
        "cost_rows": _cost_rows(report),
        "outturn_columns": OUTTURN_COLUMNS,
        "outturn_rows": _outturn_rows(report),
        "income_columns": INCOME_COLUMNS,
        "project_columns": PROJECT_COLUMNS,
    }


def report_context(report: EndOfYearReport) -> dict[str, Any]:
    return _context(report)


def end_of_year_html(report: EndOfYearReport) -> str:
    """The report as a standalone HTML document (what the PDF is printed from)."""
    return render_to_string("governance/end_of_year_pdf.html", _context(report))


def end_of_year_pdf(report: EndOfYearReport) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=end_of_year_html(report)).write_pdf())


def end_of_year_xlsx(report: EndOfYearReport) -> bytes:
    summary: list[list[Any]] = [
        ["Income", report.budget.income_total],
        ["Expenditure budget", report.budget.expenditure_total],
        ["Actual spend", report.budget.actual_total],
        ["Outturn" if report.final else "Estimated outturn", report.outturn_total],
        ["Cost of recorded crime (costed counts)", round(report.cost.total, 2)],
    ]
    return workbook_bytes(
        [("Summary", ["Figure", "£"], summary), *tables(report)],
        notes=[
            *report.notes,
            *(["Not costed: " + "; ".join(report.cost.missing)] if report.cost.missing else []),
        ],
    )


# --- The public site: published aggregates only ------------------------------------------


@dataclass(frozen=True)
class PublicEndOfYear:
    """What the public site shows of the latest published end-of-year summary."""

    period: str
    year_label: str
    published_on: dt.date
    actions: int
    completed: int
    percent_completed: int | None
    teams: list[tuple[str, int, int]]
    income_total: Decimal
    expenditure_total: Decimal
    outturn_total: Decimal
    outturn_final: bool
    projects: int


def latest_published_summary() -> PublicEndOfYear | None:
    """The latest end-of-year summary the Board has published, as aggregates only
    (counts of actions, budget totals, the number of funded projects); None if none."""
    year = (
        sel.years()
        .filter(summary_published_at__isnull=False)
        .order_by("-starts_on", "-summary_published_at")
        .first()
    )
    if year is None or year.summary_published_at is None:
        return None
    plan = plan_for_year(year)
    teams: list[tuple[str, int, int]] = []
    actions = completed = 0
    percent: int | None = None
    if plan is not None:
        rows, total = actions_sel.year_end_summary(plan)
        teams = [(r.team, r.actions, r.completed) for r in rows]
        actions, completed, percent = total.actions, total.completed, total.percent_completed
    summary = sel.budget_summary(year)
    outturn = sum((line.outturn for line in outturn_lines(year)), Decimal(0))
    projects = (
        psel.projects().filter(starts_on__lte=year.ends_on, ends_on__gte=year.starts_on).count()
    )
    return PublicEndOfYear(
        period=period_of(year),
        year_label=year.label,
        published_on=timezone.localdate(year.summary_published_at),
        actions=actions,
        completed=completed,
        percent_completed=percent,
        teams=teams,
        income_total=summary.income_total,
        expenditure_total=summary.expenditure_total,
        outturn_total=outturn,
        outturn_final=year.is_closed,
        projects=projects,
    )
