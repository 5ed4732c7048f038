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
    "problems": "problems",
    "cases": "cases",
    "areas": "areas",
    "governance": "governance",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "saferhub"
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(args)
    except (OperationalError, InterfaceError) as exc:
        # A database that went away mid-command (a restart, a failover): every write is
        # one transaction, so the unfinished step left nothing. Say so, without a traceback.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(
            f"saferhub: the database could not be reached ({first}). Nothing of the "
            "unfinished step was saved; run the command again when the database is back.\n"
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
