"""``saferhub problems list | create | rank | harm-weights | refresh-counts | agenda``: thin callers of the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import Agency
from saferhub.geography import selectors as geo
from saferhub.geography.models import Area
from saferhub.incidents.models import Category
from saferhub.problems.models import Problem, TaskingMeeting
from saferhub.problems.ranking import MEASURES, rank_register
from saferhub.problems.registers import agenda_rows, ranking_rows, register_columns
from saferhub.problems.services import (
    HARM_WEIGHTS_MAX_BYTES,
    harm_weights_set,
    problem_create,
    ranking_counts_refresh,
)
from saferhub.problems.tasking import agenda_for

ACTOR = SystemActor.COMMAND_LINE


def _area(code: str) -> Area:
    try:
        return geo.area_get(code)
    except Area.DoesNotExist as exc:
        raise CommandError(f"There is no area {code}.") from exc


class Command(BaseCommand):
    help = "Problems: list the register, register a problem, rank it, print a meeting's agenda."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        lst = sub.add_parser("list", help="The register: number, status, lead partner, title.")
        lst.add_argument("--status", choices=Problem.Status.values)
        create = sub.add_parser("create", help="Register a problem at one or more LSOAs.")
        create.add_argument("--title", required=True)
        create.add_argument("--area", required=True, help="The partnership's area code.")
        create.add_argument("--lsoa", action="append", required=True, help="An LSOA code.")
        create.add_argument("--location", default="", help="A police.uk street location.")
        create.add_argument("--lead-partner", required=True, help="The agency's code.")
        create.add_argument("--category", action="append", default=[], help="A category name.")
        rank = sub.add_parser("rank", help="The ranked register with every input (tab-separated).")
        rank.add_argument("--top", type=int, default=50)
        for m in MEASURES:
            rank.add_argument(f"--weight-{m.replace('_', '-')}", type=float, default=1.0)
        weights = sub.add_parser(
            "harm-weights",
            help="Hold the categories' harm weights from a CSV (category, weight, source).",
        )
        weights.add_argument("file", help="The CSV file; it replaces the weights held.")
        sub.add_parser(
            "refresh-counts",
            help="Rebuild the counts the register ranks from (done after every import).",
        )
        agenda = sub.add_parser("agenda", help="A tasking meeting's agenda (tab-separated).")
        agenda.add_argument("meeting", type=int, help="The meeting's number.")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        getattr(self, "handle_" + what.replace("-", "_"))(**options)

    def _rows(self, columns: list[str], rows: list[list[Any]]) -> None:
        self.stdout.write("\t".join(columns))
        for row in rows:
            self.stdout.write("\t".join("" if v is None else str(v) for v in row))

    def handle_list(self, *, status: str | None, **_: Any) -> None:
        qs = Problem.objects.select_related("lead_partner").order_by("pk")
        if status:
            qs = qs.filter(status=status)
        self._rows(
            ["Number", "Status", "Lead partner", "Title"],
            [[p.pk, p.status, p.lead_partner.code, p.title] for p in qs],
        )

    def handle_create(
        self,
        *,
        title: str,
        area: str,
        lsoa: list[str],
        location: str,
        lead_partner: str,
        category: list[str],
        **_: Any,
    ) -> None:
        agency = Agency.objects.filter(code=lead_partner).first()
        if agency is None:
            raise CommandError(f"There is no agency with code {lead_partner}.")
        categories = list(Category.objects.filter(name__in=category))
        unknown = sorted(set(category) - {c.name for c in categories})
        if unknown:
            raise CommandError(f"Unknown category: {', '.join(unknown)}.")
        try:
            problem = problem_create(
                actor=ACTOR,
                title=title,
                area=_area(area),
                place_type="location" if location else "lsoas",
                lsoa_codes=lsoa,
                location=location,
                lead_partner=agency,
                categories=categories,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.stderr.write(f"{name}: {message}")
            raise CommandError("Nothing was saved.") from exc
        self.stdout.write(self.style.SUCCESS(f"Problem {problem.pk} registered: {problem.title}"))

    def handle_rank(self, *, top: int, **options: Any) -> None:
        weights = {m: options[f"weight_{m}"] for m in MEASURES}
        ranking = rank_register(weights=weights, top_n=top)
        self._rows(register_columns(), ranking_rows(ranking))
        if ranking.window:
            self.stderr.write(
                f"Months {ranking.window[0]} to {ranking.window[1]}. {ranking.method}"
            )

    def handle_harm_weights(self, *, file: str, **_: Any) -> None:
        from pathlib import Path

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {path.name}.")
        if path.stat().st_size > HARM_WEIGHTS_MAX_BYTES:
            raise CommandError(f"{path.name} is larger than 1 MB: not a weights table.")
        try:
            held = harm_weights_set(
                actor=ACTOR, text=path.read_text(encoding="utf-8-sig"), name=path.name
            )
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path.name} is not UTF-8 text.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Harm weights held for {held} categories."))

    def handle_refresh_counts(self, **_: Any) -> None:
        rows = ranking_counts_refresh(actor=ACTOR)
        self.stdout.write(self.style.SUCCESS(f"Register counts rebuilt: {rows:,} rows."))

    def handle_agenda(self, *, meeting: int, **_: Any) -> None:
        found = TaskingMeeting.objects.filter(pk=meeting).first()
        if found is None:
            raise CommandError(f"There is no tasking meeting {meeting}.")
        self._rows(["Section", "Item", "Detail"], agenda_rows(agenda_for(found)))
