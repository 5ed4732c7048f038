"""The ``saferhub`` command: a thin wrapper over Django's management commands.

``saferhub migrate``, ``saferhub import police-uk PATH``, ``saferhub assess ...``,
``saferhub areas define ...``, ``saferhub serve``. Sub-commands whose names are Python keywords or hyphenated map to
their management command here.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "import": "import_data",
    "fetch": "fetch_data",
    "serve": "serve",
    "analyse": "analyse",
    "analyze": "analyse",
    "assess": "assess",
    "audit": "audit",
    "demo": "demo",
    "performance": "performance",
    "actions": "actions",
    "cases": "cases",
    "areas": "areas",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "saferhub"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
