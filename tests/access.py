"""The authorisation matrix: every URL, every role, allow or deny.

Each app's test package has an ``access_cases.py`` with ``CASES``, a list of
:class:`AccessCase`. ``tests/test_authorization.py`` collects them all, fails if any
named URL has no case, and requests each case as every role (and signed out).

Adding a page is one line::

    AccessCase("performance:indicator", roles=EVERYONE, kwargs=lambda: {"pk": make_indicator().pk})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from saferhub.accounts.roles import ROLES

EVERYONE = frozenset(ROLES)
CASE_WORKERS = frozenset({"asb_officer", "idva", "iom_officer", "prevent_lead"})
ANALYSTS = frozenset({"analyst", "administrator"})
MANAGERS = frozenset({"manager", "administrator"})
LEADS = frozenset({"lead_officer", "manager", "administrator"})
ADMINS = frozenset({"administrator"})


@dataclass(frozen=True)
class AccessCase:
    url_name: str
    roles: frozenset[str]
    kwargs: Callable[[], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[], dict[str, Any]] | None = None
    query: str = ""
    # What an allowed request may answer (a POST that redirects, a download...).
    ok_statuses: frozenset[int] = field(default_factory=lambda: frozenset({200, 302}))

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{('?' + self.query) if self.query else ''}"
