"""``saferhub actions remind | import | carry-forward | year-end``: thin callers of services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.actions.imports import ImportRefused, action_plan_import
from saferhub.actions.models import ActionPlan
from saferhub.actions.selectors import YEAR_END_COLUMNS, year_end_rows
from saferhub.actions.services import DUE_SOON_DAYS, actions_send_reminders, plan_carry_forward

ACTOR = "saferhub actions (command line)"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"“{text}” is not a date: write it as 2010-04-01.") from exc


def _plan(plan_id: int) -> ActionPlan:
    plan = ActionPlan.objects.live().filter(pk=plan_id).first()
    if plan is None:
        raise CommandError(f"There is no action plan {plan_id}.")
    return plan


class Command(BaseCommand):
    help = "Action plans: send reminders, import a plan, carry unfinished actions forward."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        remind = sub.add_parser("remind", help="Email leads their overdue and due-soon actions.")
        remind.add_argument("--date", help="Today's date (default: today), as 2010-04-01.")
        remind.add_argument("--days", type=int, default=DUE_SOON_DAYS, help="Due-soon window.")
        imp = sub.add_parser("import", help="Import an action plan spreadsheet (CSV or XLSX).")
        imp.add_argument("plan", type=int, help="The action plan's number.")
        imp.add_argument("path", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Check the file, change nothing.")
        carry = sub.add_parser("carry-forward", help="Carry unfinished actions into next year.")
        carry.add_argument("plan", type=int)
        carry.add_argument("--title", required=True)
        carry.add_argument("--starts", required=True)
        carry.add_argument("--ends", required=True)
        year_end = sub.add_parser("year-end", help="Print the year-end table per action team.")
        year_end.add_argument("plan", type=int)

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        getattr(self, "handle_" + what.replace("-", "_"))(**options)

    def handle_remind(self, *, date: str | None, days: int, **_: Any) -> None:
        report = actions_send_reminders(actor=ACTOR, today=_date(date) if date else None, days=days)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.sent} reminder emails sent; "
                f"{len(report.marked_overdue)} actions became overdue."
            )
        )

    def handle_import(self, *, plan: int, path: Path, dry_run: bool, **_: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            report = action_plan_import(
                actor=ACTOR,
                plan=_plan(plan),
                filename=path.name,
                content=path.read_bytes(),
                dry_run=dry_run,
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows_read} rows read: {len(report.created)} actions created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                f"{report.rows_with_errors} rows not imported"
                + (" (dry run: nothing was saved)." if dry_run else ".")
            )
        )

    def handle_carry_forward(
        self, *, plan: int, title: str, starts: str, ends: str, **_: Any
    ) -> None:
        try:
            next_plan, carried = plan_carry_forward(
                actor=ACTOR,
                plan=_plan(plan),
                title=title,
                starts_on=_date(starts),
                ends_on=_date(ends),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{len(carried)} actions carried into “{next_plan.title}”.")
        )

    def handle_year_end(self, *, plan: int, **_: Any) -> None:
        rows = year_end_rows(_plan(plan))
        self.stdout.write("\t".join(YEAR_END_COLUMNS))
        for row in rows:
            self.stdout.write("\t".join("" if v is None else str(v) for v in row))
