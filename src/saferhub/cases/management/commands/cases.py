"""``saferhub cases import | case-review-figures | case-review-check | dash-results |
marac-return | rotate-keys | retention | subject-access``: thin callers of the services."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.actors import SystemActor
from saferhub.cases.imports import ExchangeRefused, exchange_import, read_exchange_path
from saferhub.cases.models import CaseReviewApplication, Person
from saferhub.cases.services.case_review import case_review_check, case_review_figures
from saferhub.cases.services.keys import keys_rotate
from saferhub.cases.services.marac import dash_results, marac_return
from saferhub.cases.services.retention import (
    application_erase,
    applications_due,
    case_erase,
    retention_due,
)
from saferhub.cases.services.subject_access import (
    application_subject_access,
    subject_access_export,
    subject_access_pdf,
)
from saferhub.cases.threshold import ThresholdError

ACTOR = SystemActor.COMMAND_LINE


class Command(BaseCommand):
    help = "Case work: import the exchange set, Case Review figures, key rotation, retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="Import complaints, applications and reviews.")
        imp.add_argument("path", type=Path, help="A folder or a zip of the exchange CSV files.")
        imp.add_argument("--dry-run", action="store_true", help="Check the files, save nothing.")
        figures = sub.add_parser("case-review-figures", help="The four statutory figures.")
        figures.add_argument("--year", required=True, help="April to March, as 2024/25.")
        figures.add_argument("--threshold", type=int)
        figures.add_argument("--format", choices=["csv"], default="csv")
        check = sub.add_parser("case-review-check", help="Each application against the threshold.")
        check.add_argument("--threshold", type=int)
        check.add_argument("--format", choices=["csv"], default="csv")
        results = sub.add_parser("dash-results", help="Every DASH checklist scored and banded.")
        results.add_argument("--format", choices=["csv"], default="csv")
        marac = sub.add_parser("marac-return", help="The quarterly MARAC data return.")
        marac.add_argument("--quarter", required=True, help="A calendar quarter, as 2024-Q3.")
        marac.add_argument("--format", choices=["csv"], default="csv")
        sub.add_parser("rotate-keys", help="Re-encrypt every personal field with the newest key.")
        sar = sub.add_parser("subject-access", help="Everything held about one person.")
        sar.add_argument("person", type=int, help="The person's number.")
        sar.add_argument("--format", choices=["json", "pdf"], default="json")
        sar.add_argument("--out", type=Path, required=True, help="The file to write.")
        sar_app = sub.add_parser(
            "subject-access-application",
            help="Everything held about the applicant of a Case Review application.",
        )
        sar_app.add_argument("reference", help="The application's reference, as CR-2025-0001.")
        sar_app.add_argument("--format", choices=["json", "pdf"], default="json")
        sar_app.add_argument("--out", type=Path, required=True, help="The file to write.")
        retention = sub.add_parser("retention", help="List (or erase) cases due for review.")
        retention.add_argument("--date", help="Today's date (default: today), as 2031-04-01.")
        retention.add_argument(
            "--erase", action="store_true", help="Erase the personal fields of the cases listed."
        )
        retention.add_argument("--confirm", action="store_true", help="Needed with --erase.")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        try:
            getattr(self, "handle_" + what.replace("-", "_"))(**options)
        except (ThresholdError, ExchangeRefused) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    def handle_import(self, *, path: Path, dry_run: bool, **_: Any) -> None:
        if not path.exists():
            raise CommandError(f"{path.name} does not exist.")
        report = exchange_import(actor=ACTOR, files=read_exchange_path(path), dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} row problems: nothing was imported. Correct the rows and "
                "import the set again."
            )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Created {report.created or 'nothing'}; updated {report.updated or 'nothing'}; "
            f"unchanged {report.unchanged or 'nothing'} ({verb} saved)."
        )

    def handle_case_review_figures(self, *, year: str, threshold: int | None, **_: Any) -> None:
        try:
            figures = case_review_figures(year=year, threshold=threshold)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["measure", "value"])
        for measure, value in figures.items():
            writer.writerow([measure, value])

    def handle_case_review_check(self, *, threshold: int | None, **_: Any) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["application_ref", "qualifying_complaints", "threshold_met"])
        for row in case_review_check(threshold=threshold):
            writer.writerow(
                [
                    row.application_ref,
                    row.qualifying_complaints,
                    "yes" if row.threshold_met else "no",
                ]
            )

    def handle_dash_results(self, **_: Any) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(
            ["checklist_ref", "score", "risk_level", "marac_referral", "referral_reason"]
        )
        for row in dash_results():
            result = row.result
            writer.writerow(
                [
                    row.checklist_ref,
                    result.score,
                    result.risk_level,
                    "yes" if result.marac_referral else "no",
                    result.referral_reason,
                ]
            )

    def handle_marac_return(self, *, quarter: str, **_: Any) -> None:
        figures = marac_return(quarter=quarter)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["measure", "value"])
        for measure, value in figures.items():
            writer.writerow([measure, value])

    def handle_subject_access(self, *, person: int, format: str, out: Path, **_: Any) -> None:
        found = Person.objects.filter(pk=person).first()
        if found is None:
            raise CommandError(f"There is no person {person}.")
        data = subject_access_export(actor=ACTOR, person=found)
        _write_export(data, format, out)
        self.stdout.write(f"Wrote {out.name}: {len(data['cases'])} cases. {data['note']}")

    def handle_subject_access_application(
        self, *, reference: str, format: str, out: Path, **_: Any
    ) -> None:
        found = CaseReviewApplication.objects.filter(application_ref=reference.strip()).first()
        if found is None:
            raise CommandError(f"There is no Case Review application {reference}.")
        data = application_subject_access(actor=ACTOR, application=found)
        _write_export(data, format, out)
        self.stdout.write(f"Wrote {out.name}: application {found.application_ref}. {data['note']}")

    def handle_rotate_keys(self, **_: Any) -> None:
        counts = keys_rotate(actor=ACTOR)
        self.stdout.write(f"Re-encrypted {sum(counts.values())} rows with the newest key.")

    def handle_retention(self, *, date: str | None, erase: bool, confirm: bool, **_: Any) -> None:
        today = dt.date.fromisoformat(date) if date else dt.date.today()
        due = retention_due(today=today)
        if erase and not confirm:
            raise CommandError("Erasure cannot be undone: add --confirm to erase.")
        for item in due:
            line = f"{item.case.reference}\tclosed {item.case.closed_on}\tdue {item.due_on}"
            if erase:
                case_erase(actor=ACTOR, case=item.case, today=today)
                line += "\terased"
            self.stdout.write(line)
        self.stdout.write(f"{len(due)} cases due for retention review.")
        applications = applications_due(today=today)
        for app in applications:
            line = (
                f"{app.application.application_ref}\tlast step {app.last_step_on}\tdue {app.due_on}"
            )
            if erase:
                application_erase(actor=ACTOR, application=app.application, today=today)
                line += "\terased"
            self.stdout.write(line)
        self.stdout.write(
            f"{len(applications)} Case Review applications on no case due for retention review."
        )


def _write_export(data: dict[str, Any], fmt: str, out: Path) -> None:
    """A subject access export as PDF or JSON."""
    if fmt == "pdf":
        out.write_bytes(subject_access_pdf(data))
    else:
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
