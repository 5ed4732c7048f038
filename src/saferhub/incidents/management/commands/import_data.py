"""``saferhub import <kind> ...``: geography, police.uk (and partner files, added by their app).

Each sub-command is a thin caller of a service. Add a sub-command by adding an entry to
``SUBCOMMANDS``: a function that adds its arguments to a sub-parser, and a function that
runs it (``run(command, options)``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


def _geography_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="Folder holding geography/ and reference/ (default: the shared data folder).",
    )


def _geography_run(command: BaseCommand, options: dict[str, Any]) -> None:
    from saferhub.geography.loaders import GeographyFileError
    from saferhub.geography.services import geography_import

    data_dir = options["data_dir"] or Path(settings.DATA_DIR)
    try:
        summary = geography_import(
            actor="command line", data_dir=data_dir, progress=lambda m: command.stdout.write(m)
        )
    except GeographyFileError as exc:
        raise CommandError(f"Geography not imported (nothing changed): {exc}") from exc
    command.stdout.write(
        command.style.SUCCESS(
            "Geography imported: "
            + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in summary.items())
        )
    )


def _police_uk_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=Path, help="CSV files, folders of them, or police.uk zips."
    )
    parser.add_argument("--dry-run", action="store_true", help="Report without writing.")
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="Refuse the whole import if any row is refused.",
    )
    parser.add_argument("--problems-csv", type=Path, help="Write the row problems to this CSV.")


def _police_uk_run(command: BaseCommand, options: dict[str, Any]) -> None:
    from saferhub.incidents.police_uk import ImportRefused
    from saferhub.incidents.services import police_uk_import

    bar = tqdm(total=0, unit="B", unit_scale=True, disable=options.get("verbosity", 1) < 1)

    def progress(done: int, total: int, message: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_description(message[:40])
        bar.refresh()

    try:
        report = police_uk_import(
            actor="command line",
            paths=options["paths"],
            dry_run=options["dry_run"],
            all_or_nothing=options["all_or_nothing"],
            progress=progress,
        )
    except ImportRefused as exc:
        bar.close()
        raise CommandError(f"Import refused (nothing changed): {exc}") from exc
    bar.close()
    for line in report.lines():
        command.stdout.write(line)
    if options.get("problems_csv"):
        options["problems_csv"].write_text(report.problems_csv(), encoding="utf-8")
        command.stdout.write(f"Row problems written to {options['problems_csv']}")
    style = command.style.WARNING if report.rows_refused else command.style.SUCCESS
    command.stdout.write(style(report.summary()))


Arguments = Callable[[CommandParser], None]
Runner = Callable[[BaseCommand, dict[str, Any]], None]

# name -> (help, add arguments, run). Other apps add their own entries here.
SUBCOMMANDS: dict[str, tuple[str, Arguments, Runner]] = {
    "geography": (
        "Import ONS boundaries, lookups, population and IMD.",
        _geography_arguments,
        _geography_run,
    ),
    "police-uk": (
        "Import police.uk street-level crime (CSV, folder or zip).",
        _police_uk_arguments,
        _police_uk_run,
    ),
}


class Command(BaseCommand):
    help = "Import data: " + ", ".join(SUBCOMMANDS)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, (text, arguments, _) in SUBCOMMANDS.items():
            arguments(sub.add_parser(name, help=text, description=text))

    def handle(self, *args: Any, **options: Any) -> None:
        _, _, run = SUBCOMMANDS[options["kind"]]
        run(self, options)
