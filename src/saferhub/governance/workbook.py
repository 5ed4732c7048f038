"""The budget as an Excel workbook: export it, fill it in, import it back.

Two sheets, *Income* and *Expenditure*, with the columns of
:data:`~saferhub.governance.selectors.INCOME_COLUMNS` and
:data:`~saferhub.governance.selectors.EXPENDITURE_COLUMNS` (headings matched without
regard to case, spacing or punctuation, as the action-plan import does; the file reader
is that import's).

* Every problem is reported with its sheet, row and column; if there is any, nothing
  is saved (the whole import is one transaction, rolled back).
* Importing the same workbook twice changes nothing: an income line is matched by its
  source, funder and description, an expenditure line by its title.
* A closed year refuses the import; so does a file over the size limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.actions.imports import (
    ImportRefused,
    _header_and_rows,
    _map_headings,
    _norm,
    _parse_number,
    _read_tables,
    _text,
)
from saferhub.core.exports import workbook_bytes
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import QUARTERS, ExpenditureLine, FinancialYear, IncomeLine
from saferhub.performance.models import Priority

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000

__all__ = ["BudgetImportReport", "ImportRefused", "budget_import", "budget_workbook"]


def budget_workbook(year: FinancialYear) -> bytes:
    """The year's income and expenditure lines in the layout the import reads."""
    summary = sel.budget_summary(year)
    notes = [
        f"Budget {year.label} ({year.get_status_display()}), "
        f"{year.starts_on:%d %B %Y} to {year.ends_on:%d %B %Y}.",
        f"Income total £{summary.income_total:,.2f}; expenditure total "
        f"£{summary.expenditure_total:,.2f}; forecast outturn £{summary.forecast_total:,.2f}.",
        "An empty actual is a quarter not yet entered, not a zero.",
    ]
    return workbook_bytes(
        [
            ("Income", sel.INCOME_COLUMNS, sel.income_rows(year)),
            ("Expenditure", sel.EXPENDITURE_COLUMNS, sel.expenditure_rows(year)),
        ],
        notes=notes,
    )


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Sheet “{self.sheet}”, row {self.row}"
        return where + (f", column “{self.column}”" if self.column else "") + f": {self.message}"


@dataclass
class BudgetImportReport:
    filename: str
    income_created: int = 0
    expenditure_created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors


class _Abort(Exception):
    """Raised inside the transaction to roll back an import that found errors."""


def _aliases(columns: list[str]) -> dict[str, tuple[str, ...]]:
    return {c: (_norm(c), _norm(c.replace(" (£)", ""))) for c in columns}


INCOME_HEADINGS = _aliases(sel.INCOME_COLUMNS)
EXPENDITURE_HEADINGS = _aliases(sel.EXPENDITURE_COLUMNS)
SOURCES = {_norm(label): value for value, label in IncomeLine.Source.choices} | {
    _norm(value): value for value in IncomeLine.Source.values
}
KINDS = {_norm(label): value for value, label in ExpenditureLine.Kind.choices} | {
    _norm(value): value for value in ExpenditureLine.Kind.values
}


def _sheet(sheets: dict[str, list[list[Any]]], name: str) -> list[list[Any]] | None:
    return next((rows for title, rows in sheets.items() if _norm(title) == _norm(name)), None)


def budget_import(
    *, actor: Actor, year: FinancialYear, filename: str, content: bytes
) -> BudgetImportReport:
    """Import the workbook's lines into ``year``: all of them, or none if any row is wrong."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if year.is_closed:
        raise ImportRefused(f"The financial year {year.label} is closed: it takes no more lines.")
    sheets = _read_tables(filename, content)
    income, spend = _sheet(sheets, "Income"), _sheet(sheets, "Expenditure")
    if income is None and spend is None:
        raise ImportRefused(
            f"{filename} has no sheet called Income or Expenditure "
            f"(sheets found: {', '.join(sheets) or 'none'})."
        )
    report = BudgetImportReport(filename=filename)
    try:
        with transaction.atomic():
            if income is not None:
                _import_income(actor, year, income, report)
            if spend is not None:
                _import_expenditure(actor, year, spend, report)
            if report.errors:
                raise _Abort
            audit_record(
                actor=actor,
                action=GovernanceAudit.IMPORT,
                obj=year,
                detail=(
                    f"{filename}: {report.income_created} income and "
                    f"{report.expenditure_created} expenditure lines added, "
                    f"{report.updated} updated, {report.unchanged} unchanged"
                ),
            )
    except _Abort:
        report.income_created = report.expenditure_created = report.updated = 0
        report.unchanged = 0
    return report


def _table(
    rows: list[list[Any]],
    sheet: str,
    headings: dict[str, tuple[str, ...]],
    needed: list[str],
    filename: str = "the workbook",
) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    _, header, data = _header_and_rows(rows, filename=filename, sheet=sheet)
    found, labels = _map_headings(header, headings)
    missing = [n for n in needed if n not in found]
    if missing:
        raise ImportRefused(
            f"Sheet “{sheet}” needs the columns {', '.join(missing)} "
            f"(columns found: {', '.join(x for x in labels if x) or 'none'})."
        )
    if len(data) > MAX_ROWS:
        raise ImportRefused(f"Sheet “{sheet}” has more than {MAX_ROWS:,} rows.")
    return found, data


def _money(cell: Any, what: str, *, required: bool = True) -> Decimal | None:
    if cell is None or _text(cell) == "":
        if required:
            raise ValueError(f"enter the {what}")
        return None
    value, rest = _parse_number(cell, what)
    if rest:
        raise ValueError(f"“{_text(cell)}” is not an amount of money ({what})")
    return value


def _validation_messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(k, " ".join(v)) for k, v in exc.message_dict.items()]
    return [("", " ".join(exc.messages))]


def _import_income(
    actor: Actor, year: FinancialYear, rows: list[list[Any]], report: BudgetImportReport
) -> None:
    cols, data = _table(
        rows, "Income", INCOME_HEADINGS, ["Source", "Funder", "Amount (£)"], report.filename
    )

    def cell(row: list[Any], name: str) -> Any:
        return row[cols[name]] if name in cols and cols[name] < len(row) else None

    for number, row in data:
        source_text = _text(cell(row, "Source"))
        source = SOURCES.get(_norm(source_text))
        if source is None:
            report.errors.append(
                CellError(
                    "Income",
                    number,
                    "Source",
                    f"“{source_text}” is not a source: use one of "
                    + ", ".join(IncomeLine.Source.labels),
                )
            )
            continue
        try:
            amount = _money(cell(row, "Amount (£)"), "amount")
        except ValueError as exc:
            report.errors.append(CellError("Income", number, "Amount (£)", str(exc)))
            continue
        fields = {
            "source": source,
            "funder": _text(cell(row, "Funder")),
            "description": _text(cell(row, "Description")),
            "amount": amount,
            "grant_conditions": _text(cell(row, "Grant conditions")),
        }
        existing = IncomeLine.objects.filter(
            year=year,
            source=source,
            funder=fields["funder"],
            description=fields["description"],
        ).first()
        try:
            if existing is None:
                services.income_line_create(actor=actor, year=year, **fields)  # type: ignore[arg-type]
                report.income_created += 1
            elif (
                existing.amount == amount
                and existing.grant_conditions == fields["grant_conditions"]
            ):
                report.unchanged += 1
            else:
                services.income_line_edit(actor=actor, line=existing, **fields)
                report.updated += 1
        except ValidationError as exc:
            for name, message in _validation_messages(exc):
                report.errors.append(CellError("Income", number, name, message))


def _expenditure_fields(
    row: list[Any], cols: dict[str, int], priorities: dict[str, Priority]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    def cell(name: str) -> Any:
        return row[cols[name]] if name in cols and cols[name] < len(row) else None

    problems: list[tuple[str, str]] = []
    fields: dict[str, Any] = {"title": _text(cell("Title")), "provider": _text(cell("Provider"))}
    kind_text = _text(cell("Kind"))
    fields["kind"] = KINDS.get(_norm(kind_text), "" if kind_text else ExpenditureLine.Kind.PROJECT)
    if not fields["kind"]:
        problems.append(("Kind", f"“{kind_text}” is not a kind of line"))
    priority_text = _text(cell("Priority"))
    fields["priority"] = priorities.get(_norm(priority_text)) if priority_text else None
    if priority_text and fields["priority"] is None:
        problems.append(("Priority", f"“{priority_text}” is not one of the priorities"))
    money = [("Budget (£)", "budget", True)]
    money += [(f"Profile Q{q} (£)", f"profile_q{q}", False) for q in QUARTERS]
    money += [(f"Actual Q{q} (£)", f"actual_q{q}", False) for q in QUARTERS]
    money += [("Forecast outturn (£)", "forecast_outturn", False)]
    for heading, name, required in money:
        try:
            fields[name] = _money(
                cell(heading), heading.replace(" (£)", "").lower(), required=required
            )
        except ValueError as exc:
            problems.append((heading, str(exc)))
    fields["variance_reason"] = _text(cell("Variance reason"))
    return fields, problems


COLUMN_OF = {"budget": "Budget (£)", "variance_reason": "Variance reason", "title": "Title"}


def _import_expenditure(
    actor: Actor, year: FinancialYear, rows: list[list[Any]], report: BudgetImportReport
) -> None:
    cols, data = _table(
        rows, "Expenditure", EXPENDITURE_HEADINGS, ["Title", "Budget (£)"], report.filename
    )
    priorities = {_norm(p.title): p for p in Priority.objects.filter(archived_at__isnull=True)}
    for number, row in data:
        fields, problems = _expenditure_fields(row, cols, priorities)
        if problems:
            report.errors += [CellError("Expenditure", number, c, m) for c, m in problems]
            continue
        if all(fields[f"profile_q{q}"] is None for q in QUARTERS):
            profile = None
        else:
            profile = tuple(fields[f"profile_q{q}"] or Decimal(0) for q in QUARTERS)
        existing = ExpenditureLine.objects.filter(year=year, title=fields["title"]).first()
        try:
            line = existing or services.expenditure_line_create(
                actor=actor,
                year=year,
                title=fields["title"],
                budget=fields["budget"],
                kind=fields["kind"],
                priority=fields["priority"],
                provider=fields["provider"],
                profile=profile,
            )
            changes = {
                k: v
                for k, v in fields.items()
                if k != "title"
                and (v is not None or k.startswith("actual"))
                and not (profile is None and k.startswith("profile"))
                and getattr(line, k) != v
            }
            if changes:
                services.expenditure_line_edit(actor=actor, line=line, **changes)
            if existing is None:
                report.expenditure_created += 1
            elif changes:
                report.updated += 1
            else:
                report.unchanged += 1
        except ValidationError as exc:
            for name, message in _validation_messages(exc):
                report.errors.append(
                    CellError("Expenditure", number, COLUMN_OF.get(name, name), message)
                )
