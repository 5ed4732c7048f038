"""``saferhub analyse METHOD INPUT OUTPUT [--option key=value ...]``.

For analysts who work outside the web pages: reads a CSV of incidents or counts and writes
CSV or JSON, through the same pure functions the assessment uses.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.analysis.cli import METHODS, run


def _parse_option(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise CommandError(f"Option {text!r} must be written key=value.")
    key, raw = text.split("=", 1)
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


class Command(BaseCommand):
    help = "Run an analysis method on a CSV file and write CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("method", help="one of: " + ", ".join(sorted(METHODS)))
        parser.add_argument("input", help="CSV of incidents or counts")
        parser.add_argument("output", help="result file: .csv or .json")
        parser.add_argument(
            "-o",
            "--option",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a method option (value read as JSON where it parses, else text); repeatable",
        )

    def handle(
        self, *args: Any, method: str, input: str, output: str, option: list[str], **kw: Any
    ) -> None:
        options = dict(_parse_option(o) for o in option)
        try:
            run(method, input, output, options)
        except FileNotFoundError as exc:
            raise CommandError(f"{input}: file not found.") from exc
        except (KeyError, ValueError) as exc:
            raise CommandError(f"{method}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({method})."))
