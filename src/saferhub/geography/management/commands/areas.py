"""``saferhub areas define|list|remove``: CSP areas and neighbourhoods from the command line.

``saferhub areas define --level csp --code city-north --name "City North"
--wards E05015507,E05015509`` calls the same service as the page and the API. A CSP area
defined, changed or removed starts the background job that places the incidents held in
CSP areas again; with no broker it runs here, before the command ends.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.core.models import Job
from saferhub.geography import selectors, services

MEMBER_OPTIONS = {"lads": "lad", "wards": "ward", "lsoas": "lsoa"}


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]


def _problems(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        option = {"members": "members", "member_level": "--lads/--wards/--lsoas"}
        return "; ".join(
            f"{option.get(field, '--' + field.replace('_', '-'))}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "CSP areas and neighbourhoods made of local authorities, wards or LSOAs: "
        "'define' creates or changes one, 'list' shows them, 'remove' archives one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        define = sub.add_parser(
            "define",
            help="Create or change a CSP area or neighbourhood.",
            description="Create a CSP area or neighbourhood, or change the name and members "
            "of one with this level and code.",
        )
        define.add_argument("--level", required=True, choices=list(services.DEFINED_LEVELS))
        define.add_argument("--code", required=True, help="Its code, e.g. derby-north.")
        define.add_argument("--name", required=True, help="Its name, e.g. 'City North'.")
        members = define.add_mutually_exclusive_group(required=True)
        members.add_argument("--lads", metavar="CODE,CODE", help="Local authority codes.")
        members.add_argument("--wards", metavar="CODE,CODE", help="Ward (2023) codes.")
        members.add_argument("--lsoas", metavar="CODE,CODE", help="LSOA (2021) codes.")
        listing = sub.add_parser("list", help="List CSP areas and neighbourhoods.")
        listing.add_argument("--level", choices=list(services.DEFINED_LEVELS))
        remove = sub.add_parser("remove", help="Remove (archive) a CSP area or neighbourhood.")
        remove.add_argument("--level", required=True, choices=list(services.DEFINED_LEVELS))
        remove.add_argument("--code", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list(options.get("level"))
            return
        try:
            if action == "define":
                option = next(o for o in MEMBER_OPTIONS if options.get(o) is not None)
                result = services.area_define(
                    actor="command line",
                    level=options["level"],
                    code=options["code"],
                    name=options["name"],
                    member_level=MEMBER_OPTIONS[option],
                    member_codes=_codes(options[option]),
                )
                verb = "defined" if result.created else "changed"
            else:
                result = services.area_archive(
                    actor="command line", level=options["level"], code=options["code"]
                )
                verb = "removed"
        except ValidationError as exc:
            raise CommandError(f"Nothing changed: {_problems(exc)}") from exc
        area = result.area
        what = selectors.LEVEL_NAMES[area.level]
        members = list(area.members.all())
        made_of = (
            f": {len(members)} {selectors.MEMBER_NAMES_PLURAL[members[0].level]}"
            if members and verb != "removed"
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{what[:1].upper()}{what[1:]} {area.code} ({area.name}) {verb}{made_of}."
            )
        )
        for job in result.jobs:
            self._job(job)

    def _job(self, job: Job) -> None:
        job.refresh_from_db()
        if job.status == Job.Status.SUCCEEDED:
            self.stdout.write(f"{job.title}: {job.result.get('summary', 'finished')}")
        elif job.status == Job.Status.FAILED:
            raise CommandError(f"{job.title} failed: {job.error}")
        else:
            self.stdout.write(f"{job.title}: queued as job {job.pk}; a worker will run it.")

    def _list(self, level: str | None) -> None:
        areas = list(selectors.defined_areas(level=level))
        if not areas:
            self.stdout.write("No CSP areas or neighbourhoods held.")
            return
        for a in areas:
            members = sorted(m.code for m in a.members.all())
            kinds = {m.level for m in a.members.all()}
            made_of = ", ".join(selectors.MEMBER_NAMES_PLURAL[k] for k in sorted(kinds))
            self.stdout.write(
                f"{a.level:<13} {a.code:<14} {a.name} ({len(members)} {made_of or 'members'}): "
                f"{' '.join(members)}"
            )
