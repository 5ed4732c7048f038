from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.demo import DEMO_PASSWORD, demo_partnership_create


class Command(BaseCommand):
    help = (
        "Create a demo partnership: agencies and one demo user of each role (embedded mode only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo partnership is for the embedded mode only, never production."
            )
        users = demo_partnership_create()
        if quiet:
            return
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for user, role in users:
            extra = " (sets up two-factor at first sign-in)" if role.requires_2fa else ""
            self.stdout.write(f"  {user.username:<16} {role.name} – {user.agency}{extra}")
