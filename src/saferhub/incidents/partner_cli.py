"""``saferhub import partner --source NAME PATH...``: a sub-command of ``import_data``.

Registered into the command's ``SUBCOMMANDS`` from the app's ``ready()``; a thin caller of
:func:`saferhub.incidents.partner.partner_import`, one transaction per file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saferhub.core.exports import table_csv


def partner_arguments(parser: CommandParser) -> None:
    parser.add_argument("--source", required=True, help="The partner source's name.")
    parser.add_argument("paths", nargs="+", type=Path, help="CSV or XLSX files from the partner.")
    parser.add_argument("--dry-run", action="store_true", help="Report without writing.")
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="Load nothing from a file if any of its rows is refused.",
    )
    parser.add_argument("--problems-csv", type=Path, help="Write the row problems to this CSV.")


def partner_run(command: BaseCommand, options: dict[str, Any]) -> None:
    from saferhub.incidents.partner import partner_import, partner_source_get
    from saferhub.incidents.partner_read import FileRefused

    try:
        source = partner_source_get(options["source"])
    except FileRefused as exc:
        raise CommandError(str(exc)) from exc
    problems: list[list[Any]] = []
    refused = 0
    for path in options["paths"]:
        if not Path(path).is_file():
            raise CommandError(f"{path} is not a file.")
        bar = tqdm(
            total=None,
            unit="rows",
            desc=Path(path).name[:40],
            disable=options.get("verbosity", 1) < 1,
        )

        def progress(done: int, total: int | None, bar: Any = bar) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        report = partner_import(
            actor="command line",
            source=source,
            path=Path(path),
            dry_run=options["dry_run"],
            all_or_nothing=options["all_or_nothing"],
            progress=progress,
        )
        bar.close()
        problems += [
            [report.file_name, p.row_number, p.column, p.value, p.problem, p.severity]
            for p in report.problems
        ]
        style = command.style.SUCCESS
        if report.status == "refused":
            refused += 1
            style = command.style.ERROR
        elif report.rows_refused:
            style = command.style.WARNING
        command.stdout.write(style(f"{report.file_name}: {report.message}"))
        for p in report.problems[:20]:
            command.stdout.write(
                f"  row {p.row_number}, column {p.column or '-'} ({p.value:.40}): "
                f"{p.problem} [{p.severity}]"
            )
        if len(report.problems) > 20:
            command.stdout.write(f"  ... and {len(report.problems) - 20:,} more row problems.")
    if options.get("problems_csv"):
        options["problems_csv"].write_text(
            table_csv(["file", "row", "column", "value", "problem", "severity"], problems),
            encoding="utf-8",
        )
        command.stdout.write(f"Row problems written to {options['problems_csv']}")
    if refused:
        raise CommandError(f"{refused} file(s) refused: nothing was loaded from them.")


def register() -> None:
    from saferhub.incidents.management.commands.import_data import SUBCOMMANDS, Command

    SUBCOMMANDS["partner"] = (
        "Import a partner's incident file (CSV or XLSX) through its source's column mapping.",
        partner_arguments,
        partner_run,
    )
    Command.help = "Import data: " + ", ".join(SUBCOMMANDS)
