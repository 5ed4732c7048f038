"""``saferhub fetch police-uk|geography|verify``: download the public files (thin caller)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saferhub.incidents.fetch import (
    Fetcher,
    FetchError,
    FetchReport,
    Manifest,
    fetch_geography,
    fetch_police_uk,
)


class Command(BaseCommand):
    help = (
        "Download public data: 'police-uk --force NAME --from YYYY-MM --to YYYY-MM', "
        "'geography --area CODE', or 'verify' to check every file against the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, parser_class=CommandParser)
        police = sub.add_parser("police-uk", help="police.uk street-level crime for one force")
        police.add_argument(
            "--force",
            required=True,
            help="police.uk force name as its slug (lower case, hyphens), e.g. west-midlands",
        )
        police.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
        police.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
        police.add_argument("--dest", type=Path, default=None)
        police.add_argument(
            "--no-keep-archive",
            action="store_true",
            help="delete the downloaded archive once the force's files are taken out",
        )
        geography = sub.add_parser("geography", help="ONS lookup and boundaries of an area")
        geography.add_argument("--area", required=True, help="local authority code, e.g. E06000015")
        geography.add_argument("--dest", type=Path, default=None)
        verify = sub.add_parser("verify", help="check downloaded files against MANIFEST.json")
        verify.add_argument("--dest", type=Path, default=None)

    def handle(self, *args: Any, what: str, dest: Path | None = None, **options: Any) -> None:
        root = Path(dest or settings.FETCH_DIR)
        if what == "verify":
            self._verify(root)
            return
        bars: dict[str, tqdm] = {}

        def progress(label: str, done: int, total: int | None) -> None:
            bar = bars.get(label)
            if bar is None:
                bar = bars[label] = tqdm(
                    total=total,
                    desc=label,
                    unit="B" if label.startswith("police.uk") else " steps",
                    file=self.stderr,
                )
            bar.n = done
            bar.refresh()

        fetcher = Fetcher(root, progress=progress if options.get("verbosity", 1) else None)
        try:
            if what == "police-uk":
                report = fetch_police_uk(
                    force=options["force"],
                    first=options["first"],
                    last=options["last"],
                    dest=root,
                    fetcher=fetcher,
                    keep_archive=not options["no_keep_archive"],
                )
            else:
                report = fetch_geography(area=options["area"], dest=root, fetcher=fetcher)
        except FetchError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        self._summary(root, report)

    def _summary(self, root: Path, report: FetchReport) -> None:
        for message in report.messages:
            self.stdout.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Into {root}: {len(report.downloaded)} downloaded, "
                f"{len(report.verified)} already there and verified, "
                f"{len(report.written)} files written; {report.requests} requests, "
                f"{report.retries} retries. Checksums are in {root / 'MANIFEST.json'}."
            )
        )

    def _verify(self, root: Path) -> None:
        try:
            states = Manifest.load(root).verify_all()
        except FetchError as exc:
            raise CommandError(str(exc)) from exc
        bad = {name: state for name, state in states.items() if state != "ok"}
        for name, state in bad.items():
            self.stdout.write(f"{name}: {state}")
        if bad:
            raise CommandError(f"{len(bad)} of {len(states)} files do not match the manifest.")
        self.stdout.write(self.style.SUCCESS(f"All {len(states)} files match the manifest."))
