from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve SaferHub: Django's server in embedded mode, gunicorn in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, address: str, workers: int, **options: Any) -> None:
        if settings.PRODUCTION:
            import sys

            from gunicorn.app.wsgiapp import run

            sys.argv = [
                "gunicorn",
                "--bind",
                address,
                "--workers",
                str(workers),
                "saferhub.config.wsgi:application",
            ]
            run()
        else:
            call_command("runserver", address, use_reloader=False)
