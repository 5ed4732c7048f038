"""``saferhub assess``: build the Strategic Assessment and write it as HTML, PDF, XLSX or
the tidy figures CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.assessment.build import build_assessment, content_hash
from saferhub.assessment.render import render
from saferhub.assessment.services import assessment_run
from saferhub.assessment.sources import AreaNotFound
from saferhub.core.files import FileWriteError, write_atomically

EXTENSIONS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "figures": "csv"}


class Command(BaseCommand):
    help = (
        "Build the Strategic Assessment for an area and write it to a file. "
        "Default period: the latest 12 months in the data against the 12 before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area", required=True, help="Area name or GSS code (a local authority, CSP or ward)"
        )
        parser.add_argument("--from", dest="first_month", help="First month, YYYY-MM")
        parser.add_argument("--to", dest="last_month", help="Last month, YYYY-MM")
        parser.add_argument(
            "--format",
            dest="fmt",
            action="append",
            choices=["html", "pdf", "xlsx", "figures"],
            help="Output format; repeat for several (the extension of --output is replaced). "
            "figures: one CSV row per figure (area_code, area_name, theme, measure, period, "
            "value, lower, upper, unit, method, source)",
        )
        parser.add_argument("--output", required=True, help="File to write")
        parser.add_argument(
            "--source",
            choices=["auto", "imports", "files"],
            default="auto",
            help="auto (default): imported records if any, else the bundled data files",
        )
        parser.add_argument(
            "--family",
            help="Comma-separated codes of the areas to compare with (default: all nine)",
        )
        parser.add_argument(
            "--no-save", action="store_true", help="Do not save the run as an assessment version"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        formats = options["fmt"] or ["html"]
        family = [c for c in (options["family"] or "").split(",") if c.strip()] or None
        output = Path(options["output"])
        bar = tqdm(total=1, desc="Assessment", unit="step", disable=options["verbosity"] < 1)

        def progress(done: int, total: int, message: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(message)
            bar.refresh()

        try:
            if options["no_save"]:
                data = build_assessment(
                    options["area"],
                    first_month=options["first_month"],
                    last_month=options["last_month"],
                    progress=progress,
                    source=options["source"],
                    family=family,
                )
                digest, label = content_hash(data), "not saved"
            else:
                version = assessment_run(
                    actor="command line",
                    area=options["area"],
                    first_month=options["first_month"],
                    last_month=options["last_month"],
                    progress=progress,
                    source=options["source"],
                    family=family,
                )
                data, digest, label = version.data, version.content_hash, f"version {version.pk}"
        except (AreaNotFound, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        output.parent.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            path = output if len(formats) == 1 else output.with_suffix(f".{EXTENSIONS[fmt]}")
            try:
                write_atomically(path, render(data, fmt))
            except FileWriteError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Wrote {path.resolve()} ({fmt.upper()})")
        self.stdout.write(
            f"Strategic Assessment of {data['area']['name']} ({data['area']['code']}), "
            f"{data['period']['label']}: {label}, content hash {digest[:16]}."
        )
