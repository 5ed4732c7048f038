"""Import an existing action plan from a CSV or XLSX spreadsheet.

The columns are a partnership plan's own (*Target / Outcome/Goal / Lead
partner(s) / Success indicator*, plus optional Reference, Priority, Term, Action, Lead
officer, Action team, Due date, Quantity target, Unit, Progress, Status, Budget line,
Budget). Headings are matched without regard to case, spacing or punctuation.

* A file with the wrong shape (no lead partner column, no action text) is refused with
  a message naming the columns found and the ones needed.
* A row that cannot be read is skipped and reported with its row number, column and
  why; the good rows are imported. The whole import is one transaction.
* Importing the same file twice changes nothing: a row is matched to the plan's action
  by its reference or, where there is none, by its action text.
* An XLSX with a sheet called *Contributions* (Partner, Priority, Contribution) also
  fills the partner contribution matrix; so does a CSV with those columns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.actions.models import Action, ActionPlan, ActionTeam
from saferhub.actions.services import action_create, action_edit, contribution_set, team_create
from saferhub.core.jobs import job_progress
from saferhub.core.models import Job
from saferhub.performance.models import Indicator, Objective, Priority

MAX_ROWS = 20_000
CENTS = Decimal("0.01")


class ImportRefused(ValueError):
    """The file cannot be imported at all (wrong type or shape); nothing was changed."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    filename: str
    rows_read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    contributions: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "teams_created": self.teams_created,
            "contributions": self.contributions,
            "rows_with_errors": self.rows_with_errors,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
            "dry_run": self.dry_run,
        }


# Field -> accepted headings (normalised: lower case, letters and digits only).
HEADINGS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "ref", "actionreference", "no", "number"),
    "priority": ("priority", "theme", "prioritytheme"),
    "objective": ("target", "objective", "targetobjective"),
    "term": ("term",),
    "outcome": ("outcomegoal", "outcome", "goal"),
    "description": ("action", "description", "actiondescription"),
    "lead_partners": ("leadpartners", "leadpartner", "lead", "leadagency", "leadagencies"),
    "supporting_partners": ("supportingpartners", "supportingpartner", "support", "partners"),
    "lead_officer": ("leadofficer", "officer"),
    "team": ("actionteam", "thematicgroup", "team", "group"),
    "due_date": ("duedate", "due", "bywhen", "deadline"),
    "target_quantity": ("quantitytarget", "quantitativetarget", "quantity"),
    "target_unit": ("unit", "units"),
    "progress_quantity": ("progress", "progresstowardstarget"),
    "success_indicator": ("successindicator", "successindicators"),
    "indicator": ("indicator", "indicatorcode", "performanceindicator", "nationalindicator"),
    "status": ("status",),
    "budget_line": ("budgetline",),
    "budget_amount": ("budget", "budgetamount", "budget£"),
}
CONTRIBUTION_HEADINGS = {
    "partner": ("partner", "who", "agency", "keyplayer"),
    "priority": ("priority", "theme"),
    "contribution": ("contribution", "what"),
}


def _norm(text: Any) -> str:
    return re.sub(r"[^a-z0-9£]", "", str(text or "").lower())


def _map_headings(
    header: list[Any], headings: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], list[str]]:
    lookup = {alias: name for name, aliases in headings.items() for alias in aliases}
    found: dict[str, int] = {}
    labels: list[str] = []
    for idx, cell in enumerate(header):
        label = str(cell or "").strip()
        labels.append(label)
        name = lookup.get(_norm(label))
        if name and name not in found:
            found[name] = idx
    return found, labels


# ----------------------------------------------------------------------------- reading


def _read_tables(filename: str, content: bytes) -> dict[str, list[list[Any]]]:
    """Sheets of the file as lists of rows (a CSV is one sheet called 'Actions'), read by
    the shared reader: UTF-8 only, no NUL bytes, balanced quotes (``core/tables.py``)."""
    from saferhub.core.tables import TableRefused, read_sheets

    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ImportRefused(
            f"{filename}: choose a CSV or XLSX file (the file name must end .csv or .xlsx)."
        )
    try:
        return read_sheets(content, filename=filename, csv_sheet=CSV_SHEET)
    except TableRefused as exc:
        raise ImportRefused(str(exc)) from exc


CSV_SHEET = "Actions"


def _header_and_rows(
    rows: list[list[Any]],
    *,
    filename: str = "the file",
    sheet: str | None = None,
    check: bool = True,
) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """The first non-empty row is the header; returns (header row number, header, data).
    Refuses a header with a duplicated heading (unless ``check`` is off)."""
    from saferhub.core.tables import TableRefused, header_and_rows

    if filename.lower().endswith(".csv"):
        sheet = None  # a CSV file has one table: no sheet to name
    try:
        return header_and_rows(rows, filename=filename, sheet=sheet, check=check)
    except TableRefused as exc:
        raise ImportRefused(str(exc)) from exc


# ----------------------------------------------------------------------------- cells

TERM_PREFIX = re.compile(r"^\s*(short|medium|long)[\s-]*term\b[^:]*:\s*", re.IGNORECASE)
BY_MONTH = re.compile(
    r"\bby\s+(?:the\s+end\s+of\s+)?(" + "|".join(calendar.month_name[1:]) + r")\s+(\d{4})\b",
    re.IGNORECASE,
)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
STATUS_BY_TEXT = {_norm(v): v for v in Action.Status.values} | {
    _norm(label): value for value, label in Action.Status.choices
}
STATUS_BY_TEXT.update({"ongoing": "on_track", "complete": "completed", "done": "completed"})


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    return re.sub(r"[ \t]+", " ", str(cell)).strip()


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _parse_date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(?:by\s+)?([A-Za-z]+)\s+(\d{4})", text, re.IGNORECASE)
    if match and match.group(1).lower() in MONTHS:
        return _end_of_month(int(match.group(2)), MONTHS[match.group(1).lower()])
    raise ValueError(f"“{text}” is not a date: write it as 2010-06-30, 30/06/2010 or June 2010")


def _parse_number(cell: Any, what: str) -> tuple[Decimal, str]:
    """A number and any words after it: '2,500 homes' -> (2500, 'homes')."""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return Decimal(str(cell)).quantize(CENTS), ""
    text = _text(cell)
    match = re.fullmatch(r"(?:at least\s+)?£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*)", text, re.I)
    if not match:
        raise ValueError(f"“{text}” is not a number ({what})")
    try:
        return Decimal(match.group(1).replace(",", "")).quantize(CENTS), match.group(2).strip()
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"“{text}” is not a number ({what})") from exc


class _Partners:
    """Finds partner agencies by code or name, without regard to case or punctuation."""

    def __init__(self) -> None:
        self.agencies = list(Agency.objects.filter(active=True))
        self.by_key: dict[str, Agency] = {}
        for a in self.agencies:
            self.by_key[_norm(a.code)] = a
            self.by_key[_norm(a.name)] = a

    def resolve(self, text: str) -> tuple[list[Agency], list[str]]:
        found: list[Agency] = []
        unknown: list[str] = []
        for part in re.split(r"[/;\n]+", text):
            name = part.strip().strip(".")
            if not name:
                continue
            if _norm(name) in {"allpartners", "all"}:
                found.extend(a for a in self.agencies if a not in found)
                continue
            agency = self.by_key.get(_norm(name))
            if agency is None:
                unknown.append(name)
            elif agency not in found:
                found.append(agency)
        return found, unknown


class _PerformanceLinks:
    """Finds the performance app's priority, objective and indicator the plan's words name."""

    def __init__(self) -> None:
        self.priorities = {_norm(p.title): p for p in Priority.objects.live()}
        self.objectives = {(o.priority_id, _norm(o.title)): o for o in Objective.objects.live()}
        self.indicators = {_norm(i.code): i for i in Indicator.objects.live().exclude(code="")}

    def resolve(self, priority: str, objective: str) -> dict[str, Any]:
        linked = self.priorities.get(_norm(priority)) if priority else None
        goal = self.objectives.get((linked.pk, _norm(objective))) if linked and objective else None
        return {"performance_priority": linked, "performance_objective": goal}

    def indicator(self, code: str) -> Indicator | None:
        return self.indicators.get(_norm(code))


# ----------------------------------------------------------------------------- import


def action_plan_import(
    *,
    actor: Any,
    plan: ActionPlan,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    job: Job | None = None,
) -> ImportReport:
    """Import actions (and any partner contributions) into ``plan``; see the module notes."""
    sheets = _read_tables(filename, content)
    report = ImportReport(filename=filename, dry_run=dry_run)
    action_sheet = _pick_action_sheet(sheets, filename)
    contribution_sheet = _pick_contribution_sheet(sheets)
    if action_sheet is None and contribution_sheet is None:
        raise ImportRefused(f"{filename} has no rows to import.")
    with transaction.atomic():
        if action_sheet is not None:
            _import_actions(actor, plan, sheets[action_sheet], report, job, action_sheet)
        if contribution_sheet is not None:
            _import_contributions(
                actor, plan, sheets[contribution_sheet], report, contribution_sheet
            )
        audit_record(
            actor=actor,
            action="actions.plan_import",
            obj=plan,
            detail=f"{filename}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {report.rows_with_errors} rows not read"
            + (" (dry run)" if dry_run else ""),
            new={"created": report.created, "updated": report.updated},
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _pick_action_sheet(sheets: dict[str, list[list[Any]]], filename: str) -> str | None:
    candidates = []
    for title, rows in sheets.items():
        _, header, _ = _header_and_rows(rows, check=False)
        found, labels = _map_headings(header, HEADINGS)
        contribution, _ = _map_headings(header, CONTRIBUTION_HEADINGS)
        if len(contribution) == 3 and "lead_partners" not in found:
            continue
        if header:
            candidates.append((title, found, labels))
    if not candidates:
        return None
    title, found, labels = candidates[0]
    missing = []
    if "lead_partners" not in found:
        missing.append("Lead partner(s)")
    if "description" not in found and "outcome" not in found:
        missing.append("Action or Outcome/Goal")
    if missing:
        raise ImportRefused(
            f"{filename} (sheet “{title}”) cannot be read as an action plan: it has no "
            f"{' and no '.join(missing)} column. Columns found: "
            f"{', '.join(label for label in labels if label) or 'none'}."
        )
    return title


def _pick_contribution_sheet(sheets: dict[str, list[list[Any]]]) -> str | None:
    for title, rows in sheets.items():
        _, header, _ = _header_and_rows(rows, check=False)
        found, _ = _map_headings(header, CONTRIBUTION_HEADINGS)
        actions_found, _ = _map_headings(header, HEADINGS)
        if len(found) == 3 and "lead_partners" not in actions_found:
            return title
    return None


@dataclass
class _SheetRow:
    """One row of the sheet: its cells by field name, and the problems found in it."""

    number: int
    cells: list[Any]
    cols: dict[str, int]
    labels: list[str]
    errors: list[RowError] = field(default_factory=list)

    def cell(self, name: str) -> Any:
        idx = self.cols.get(name)
        return self.cells[idx] if idx is not None and idx < len(self.cells) else None

    def fail(self, name: str, message: str) -> None:
        column = self.labels[self.cols[name]] if name in self.cols else name
        self.errors.append(RowError(self.number, column, message))


def _import_actions(
    actor: Any,
    plan: ActionPlan,
    rows: list[list[Any]],
    report: ImportReport,
    job: Job | None,
    sheet: str | None = None,
) -> None:
    header_row, header, data = _header_and_rows(rows, filename=report.filename, sheet=sheet)
    cols, labels = _map_headings(header, HEADINGS)
    if len(data) > MAX_ROWS:
        raise ImportRefused(
            f"{report.filename} has {len(data)} rows; the most one import takes is {MAX_ROWS}."
        )
    partners = _Partners()
    links = _PerformanceLinks()
    existing = {
        a.reference: a
        for a in plan.actions.prefetch_related("lead_partners", "supporting_partners")
    }
    by_text = {_text_key(a.priority, a.objective, a.description): a for a in existing.values()}
    next_number = len(existing) + 1
    teams = {t.name.lower(): t for t in ActionTeam.objects.all()}

    for row_number, row in data:
        report.rows_read += 1
        if job is not None and report.rows_read % 25 == 1:
            job_progress(job, done=report.rows_read - 1, total=len(data), message="Reading rows")
        sheet_row = _SheetRow(row_number, row, cols, labels)
        errors = sheet_row.errors
        cell, fail = sheet_row.cell, sheet_row.fail

        values: dict[str, Any] = {}
        description = _text(cell("description")) or _text(cell("outcome"))
        outcome = _text(cell("outcome")) if "description" in cols else ""
        term = ""
        match = TERM_PREFIX.match(description)
        if match:
            term = match.group(1).lower()
            description = description[match.end() :].strip()
        term_text = _norm(cell("term"))
        if term_text:
            for value in Action.Term.values:
                if term_text.startswith(value):
                    term = value
                    break
            else:
                fail("term", f"“{_text(cell('term'))}” is not a term: write Short, Medium or Long")
        if not description:
            fail("description" if "description" in cols else "outcome", "the action is blank")
        values["term"] = term
        values["outcome"] = outcome
        values["priority"] = _text(cell("priority"))
        values["objective"] = _text(cell("objective"))
        values["success_indicator"] = _text(cell("success_indicator"))
        values["target_unit"] = _text(cell("target_unit"))
        values["budget_line"] = _text(cell("budget_line"))

        leads, unknown = partners.resolve(_text(cell("lead_partners")))
        for name in unknown:
            fail("lead_partners", f"“{name}” is not a partner agency of the partnership")
        if not leads and not unknown:
            fail("lead_partners", "no lead partner is given")
        supporting, unknown = partners.resolve(_text(cell("supporting_partners")))
        for name in unknown:
            fail("supporting_partners", f"“{name}” is not a partner agency of the partnership")

        officer_text = _text(cell("lead_officer"))
        values["lead_officer"] = None
        if officer_text:
            officer = User.objects.filter(
                Q(username__iexact=officer_text) | Q(email__iexact=officer_text), is_active=True
            ).first()
            if officer is None:
                fail("lead_officer", f"“{officer_text}” is not the user name or email of a user")
            values["lead_officer"] = officer

        due_cell = cell("due_date")
        values["due_date"] = None
        if _text(due_cell):
            try:
                values["due_date"] = _parse_date(due_cell)
            except ValueError as exc:
                fail("due_date", str(exc))
        else:
            by = BY_MONTH.search(description)
            if by:
                values["due_date"] = _end_of_month(int(by.group(2)), MONTHS[by.group(1).lower()])

        for name, what in (
            ("target_quantity", "the quantity target"),
            ("progress_quantity", "progress towards the target"),
            ("budget_amount", "the budget"),
        ):
            values[name] = None
            if _text(cell(name)):
                try:
                    number, unit = _parse_number(cell(name), what)
                except ValueError as exc:
                    fail(name, str(exc))
                else:
                    values[name] = number
                    if name == "target_quantity" and unit and not values["target_unit"]:
                        values["target_unit"] = unit

        status_text = _norm(cell("status"))
        values["status"] = Action.Status.NOT_STARTED
        if status_text:
            status = STATUS_BY_TEXT.get(status_text)
            if status is None:
                fail(
                    "status",
                    f"“{_text(cell('status'))}” is not a status: use one of "
                    + ", ".join(label for _, label in Action.Status.choices),
                )
            else:
                values["status"] = status

        values.update(links.resolve(values["priority"], values["objective"]))
        code = _text(cell("indicator"))
        values["indicator"] = None
        if code:
            values["indicator"] = links.indicator(code)
            if values["indicator"] is None:
                fail("indicator", f"“{code}” is not the code of an indicator in Performance")

        team_name = _text(cell("team"))
        values["team"] = None
        if team_name:
            values["team"] = teams.get(team_name.lower())

        reference = _text(cell("reference"))
        text_key = _text_key(values["priority"], values["objective"], description)
        target = existing.get(reference) if reference else by_text.get(text_key)
        if errors:
            report.errors.extend(errors)
            continue
        if team_name and values["team"] is None:
            team = team_create(actor=actor, name=team_name, priority=values["priority"])
            teams[team_name.lower()] = team
            values["team"] = team
            report.teams_created.append(team.name)
        try:
            with transaction.atomic():
                if target is None:
                    if not reference:
                        while f"A{next_number:03d}" in existing:
                            next_number += 1
                        reference = f"A{next_number:03d}"
                    action = action_create(
                        actor=actor,
                        plan=plan,
                        reference=reference,
                        description=description,
                        lead_partners=leads,
                        supporting_partners=supporting,
                        **values,
                    )
                    existing[action.reference] = action
                    by_text[text_key] = action
                    report.created.append(action.reference)
                else:
                    if _same(target, description, leads, supporting, values):
                        report.unchanged.append(target.reference)
                        continue
                    if values["status"] == Action.Status.NOT_STARTED and not _text(cell("status")):
                        values["status"] = target.status  # a file without status keeps progress
                    action_edit(
                        actor=actor,
                        action=target,
                        description=description,
                        lead_partners=leads,
                        supporting_partners=supporting,
                        **values,
                    )
                    report.updated.append(target.reference)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    fail(name if name in cols else "", message)
            report.errors.extend(errors)


def _text_key(priority: str, objective: str, description: str) -> str:
    """Matches a row without a reference to its action: the same text under the same
    priority and target (the same words can recur under several priorities)."""
    return "|".join(_norm(t) for t in (priority, objective, description))


def _same(
    action: Action,
    description: str,
    leads: list[Agency],
    supporting: list[Agency],
    values: dict[str, Any],
) -> bool:
    if action.description != description:
        return False
    if {a.pk for a in action.lead_partners.all()} != {a.pk for a in leads}:
        return False
    if {a.pk for a in action.supporting_partners.all()} != {a.pk for a in supporting}:
        return False
    for name, value in values.items():
        current = getattr(action, name)
        if name == "status" and value == Action.Status.NOT_STARTED:
            continue  # no status in the file: keep the action's progress
        if isinstance(current, Decimal) and value is not None:
            if current != Decimal(value):
                return False
        elif current != value:
            return False
    return True


def _import_contributions(
    actor: Any,
    plan: ActionPlan,
    rows: list[list[Any]],
    report: ImportReport,
    sheet: str | None = None,
) -> None:
    _, header, data = _header_and_rows(rows, filename=report.filename, sheet=sheet)
    cols, labels = _map_headings(header, CONTRIBUTION_HEADINGS)
    partners = _Partners()
    for row_number, row in data:
        values = {name: _text(row[idx]) if idx < len(row) else "" for name, idx in cols.items()}
        problems = []
        found, unknown = partners.resolve(values["partner"])
        if unknown or len(found) != 1:
            problems.append(
                RowError(
                    row_number,
                    labels[cols["partner"]],
                    f"“{values['partner']}” is not one partner agency of the partnership",
                )
            )
        for name in ("priority", "contribution"):
            if not values[name]:
                problems.append(RowError(row_number, labels[cols[name]], "this cell is blank"))
        if problems:
            report.errors.extend(problems)
            continue
        contribution_set(
            actor=actor,
            plan=plan,
            agency=found[0],
            priority=values["priority"],
            contribution=values["contribution"],
        )
        report.contributions += 1
