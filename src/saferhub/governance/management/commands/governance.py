"""``saferhub governance end-of-year --year 2024/25 --format html|pdf|xlsx --user NAME``:
the end-of-year report, read with the named user's access, written to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import User
from saferhub.core.files import write_atomically
from saferhub.governance import end_of_year as eoy


class Command(BaseCommand):
    help = "Governance: 'end-of-year' writes the end-of-year report (HTML, PDF or Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        report = sub.add_parser("end-of-year", help="Write the end-of-year report.")
        report.add_argument("--year", required=True, help="The financial year, as 2024/25.")
        report.add_argument("--format", choices=["html", "pdf", "xlsx"], default="html")
        report.add_argument(
            "--user",
            required=True,
            help="The user whose access the report is read with (the indicators they may see).",
        )
        report.add_argument(
            "--output", type=Path, help="The file to write (default: standard output)."
        )

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        getattr(self, "handle_" + what.replace("-", "_"))(**options)

    def handle_end_of_year(
        self, *, year: str, format: str, user: str, output: Path | None, **_: Any
    ) -> None:
        reader = User.objects.filter(username=user, is_active=True).first()
        if reader is None:
            raise CommandError(f"There is no active user “{user}”.")
        try:
            budget_year = eoy.year_for_period(year)
            report = eoy.end_of_year_report(user=reader, year=budget_year)
        except eoy.ReportYearError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user} may not read the budget.") from exc
        content: bytes
        if format == "pdf":
            content = eoy.end_of_year_pdf(report)
        elif format == "xlsx":
            content = eoy.end_of_year_xlsx(report)
        else:
            content = eoy.end_of_year_html(report).encode("utf-8")
        if output is None:
            if format != "html" and sys.stdout.isatty():
                raise CommandError(f"Give --output FILE for the {format.upper()} report.")
            if format == "html":
                self.stdout.write(content.decode("utf-8"))
            else:
                sys.stdout.buffer.write(content)
            return
        try:
            write_atomically(output, content)
        except OSError as exc:
            raise CommandError(f"Could not write {output.name}: {exc.strerror}.") from exc
        self.stderr.write(f"End-of-year report {report.period} written to {output.name}.")
