from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.audit import audit_verify_chain


class Command(BaseCommand):
    help = "The audit log: 'saferhub audit verify' recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        report = audit_verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.message))
            return
        raise CommandError(report.message)
