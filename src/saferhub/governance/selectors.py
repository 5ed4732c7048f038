"""Reads for the budget: summaries by source and priority, variance, home-page counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from saferhub.accounts.access import require_permission
from saferhub.governance.models import QUARTERS, ExpenditureLine, FinancialYear, IncomeLine

VIEW = "governance.view_budget"
MANAGE = "governance.manage_budget"
ZERO = Decimal(0)


def year_get_for_user(*, user: object, id: int) -> FinancialYear:
    """The financial year, if the user may read the budget (raises otherwise)."""
    require_permission(user, VIEW)
    year = FinancialYear.objects.filter(pk=id, archived_at__isnull=True).first()
    if year is None:
        raise Http404("No such financial year.")
    return year


def expenditure_line_get_for_user(*, user: object, id: int) -> ExpenditureLine:
    require_permission(user, VIEW)
    line = ExpenditureLine.objects.select_related("year", "priority").filter(pk=id).first()
    if line is None:
        raise Http404("No such expenditure line.")
    return line


def years() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(archived_at__isnull=True)


def income_lines(year: FinancialYear) -> QuerySet[IncomeLine]:
    return year.income_lines.filter(archived_at__isnull=True)


def expenditure_lines(year: FinancialYear) -> QuerySet[ExpenditureLine]:
    return year.expenditure_lines.filter(archived_at__isnull=True).select_related("priority")


@dataclass(frozen=True)
class SummaryRow:
    label: str
    amount: Decimal
    percent: Decimal | None


@dataclass
class BudgetSummary:
    """Income and expenditure as the partnership's strategy shows them, with totals."""

    year: FinancialYear
    income_by_source: list[SummaryRow] = field(default_factory=list)
    income_by_funder: list[SummaryRow] = field(default_factory=list)
    expenditure_by_priority: list[SummaryRow] = field(default_factory=list)
    expenditure_by_kind: list[SummaryRow] = field(default_factory=list)
    income_total: Decimal = ZERO
    expenditure_total: Decimal = ZERO
    actual_total: Decimal = ZERO
    forecast_total: Decimal = ZERO
    quarters_entered: tuple[int, ...] = ()

    @property
    def balance(self) -> Decimal:
        return self.income_total - self.expenditure_total

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_total - self.expenditure_total


def _rows(amounts: dict[str, Decimal], total: Decimal) -> list[SummaryRow]:
    return [
        SummaryRow(
            label, amount, (100 * amount / total).quantize(Decimal("0.1")) if total else None
        )
        for label, amount in sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def budget_summary(year: FinancialYear) -> BudgetSummary:
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_funder: dict[str, Decimal] = defaultdict(Decimal)
    income_total = ZERO
    for line in income_lines(year):
        by_source[line.get_source_display()] += line.amount
        by_funder[line.funder] += line.amount
        income_total += line.amount
    by_priority: dict[str, Decimal] = defaultdict(Decimal)
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    spend_total = actual_total = forecast_total = ZERO
    entered: set[int] = set()
    for spend in expenditure_lines(year):
        by_priority[spend.priority.title if spend.priority else "Not tied to a priority"] += (
            spend.budget
        )
        by_kind[spend.get_kind_display()] += spend.budget
        spend_total += spend.budget
        actual_total += spend.actual_to_date
        # A line with no forecast yet is forecast to spend its budget.
        forecast_total += spend.budget if spend.forecast_outturn is None else spend.forecast_outturn
        entered |= {q for q in QUARTERS if spend.actual(q) is not None}
    return BudgetSummary(
        year=year,
        income_by_source=_rows(by_source, income_total),
        income_by_funder=_rows(by_funder, income_total),
        expenditure_by_priority=_rows(by_priority, spend_total),
        expenditure_by_kind=_rows(by_kind, spend_total),
        income_total=income_total,
        expenditure_total=spend_total,
        actual_total=actual_total,
        forecast_total=forecast_total,
        quarters_entered=tuple(sorted(entered)),
    )


INCOME_COLUMNS = ["Source", "Funder", "Description", "Amount (£)", "Grant conditions"]
EXPENDITURE_COLUMNS = [
    "Title",
    "Kind",
    "Priority",
    "Provider",
    "Budget (£)",
    "Profile Q1 (£)",
    "Profile Q2 (£)",
    "Profile Q3 (£)",
    "Profile Q4 (£)",
    "Actual Q1 (£)",
    "Actual Q2 (£)",
    "Actual Q3 (£)",
    "Actual Q4 (£)",
    "Forecast outturn (£)",
    "Variance (£)",
    "Variance reason",
]


def income_rows(year: FinancialYear) -> list[list[object]]:
    return [
        [
            line.get_source_display(),
            line.funder,
            line.description,
            line.amount,
            line.grant_conditions,
        ]
        for line in income_lines(year)
    ]


def expenditure_rows(year: FinancialYear) -> list[list[object]]:
    return [
        [
            line.title,
            line.get_kind_display(),
            line.priority.title if line.priority else "",
            line.provider,
            line.budget,
            *(line.profile(q) for q in QUARTERS),
            *(line.actual(q) for q in QUARTERS),
            line.forecast_outturn,
            line.variance,
            line.variance_reason,
        ]
        for line in expenditure_lines(year)
    ]


def variance_lines(year: FinancialYear) -> list[ExpenditureLine]:
    """Lines whose forecast outturn differs from the budget, largest difference first."""
    lines = [line for line in expenditure_lines(year) if line.variance]
    return sorted(lines, key=lambda line: -abs(line.variance or ZERO))


@dataclass(frozen=True)
class ManagerCounts:
    """For a manager's home page: high risks, and budget lines with a variance."""

    high_risks: int
    budget_variance_lines: int
    open_years: int


def manager_home_counts() -> ManagerCounts:
    from saferhub.governance.risk_selectors import high_risks

    open_years = list(years().filter(status=FinancialYear.Status.OPEN))
    return ManagerCounts(
        high_risks=len(high_risks()),
        budget_variance_lines=sum(len(variance_lines(y)) for y in open_years),
        open_years=len(open_years),
    )
