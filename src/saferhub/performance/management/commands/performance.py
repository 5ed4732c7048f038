from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.performance import services
from saferhub.performance.demo import performance_demo_create


class Command(BaseCommand):
    help = (
        "Performance: 'refresh' re-measures every data-driven indicator from the incident data; "
        "'demo --area E06000015' sets up that area's four data-driven indicators."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh", "demo"])
        parser.add_argument("--area", default="E06000015", help="GSS code of the area (demo).")
        parser.add_argument("--baseline", default="2023", help="Baseline period (demo).")
        parser.add_argument("--target", default="2024", help="Target period (demo).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "refresh":
            result = services.measurements_refresh(actor="command line")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Refreshed {result['indicators']} data-driven indicators: "
                    f"{result['changed']} values changed, "
                    f"{result['not_measurable']} not measurable from the data held."
                )
            )
            return
        try:
            indicators = performance_demo_create(
                actor="command line",
                area_code=options["area"],
                baseline=options["baseline"],
                target=options["target"],
            )
        except ValidationError as exc:
            problems = (
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages)
            )
            raise CommandError(f"The demo indicators could not be set up: {problems}") from exc
        for indicator in indicators:
            self.stdout.write(f"{indicator.pk:>5}  {indicator}  ({indicator.area_code})")
        self.stdout.write(self.style.SUCCESS(f"{len(indicators)} indicators ready."))
