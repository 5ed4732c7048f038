"""The case-type registry: each kind of case (ASB, and later MARAC, IOM, Channel) registers
itself once, and everything generic (access, break-glass, retention, subject access,
"Your cases") works from the registration.

A case type is::

    register(CaseType(key="asb", name="ASB case", reference_prefix="ASB",
                      default_retention_years=6, detail_model="cases.AsbCase"))

and its permission to work such cases is ``cases.work_<key>`` (declared on
:class:`saferhub.cases.models.Case` and granted to roles in ``accounts/roles.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class CaseType:
    key: str
    name: str
    reference_prefix: str
    default_retention_years: int
    # The one-to-one detail model of the type ("cases.AsbCase"), if it has one.
    detail_model: str = ""
    # An optional narrowing of the need-to-know scope for this type: (user, prefix) -> Q
    # that its cases must also meet (see accounts.access.scope_cases). Never widens it.
    scope_rule: Callable[[Any, str], Q] | None = None

    @property
    def permission(self) -> str:
        return f"cases.work_{self.key}"

    @property
    def retention_years(self) -> int:
        return retention_years().get(self.key, self.default_retention_years)


_REGISTRY: dict[str, CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    _REGISTRY[case_type.key] = case_type
    return case_type


def get(key: str) -> CaseType:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise LookupError(f"There is no case type {key!r}.") from exc


def all_types() -> list[CaseType]:
    return list(_REGISTRY.values())


def scope_rules() -> dict[str, Callable[[Any, str], Q]]:
    """The types' narrowing rules, by key (for ``accounts.access.scope_cases``)."""
    return {t.key: t.scope_rule for t in _REGISTRY.values() if t.scope_rule}


def choices() -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in _REGISTRY.values()]


def retention_years() -> dict[str, int]:
    """``SAFERHUB_CASES_RETENTION_YEARS`` ("asb=6,marac=6") as a mapping."""
    out: dict[str, int] = {}
    for part in str(settings.SAFERHUB_CASES_RETENTION_YEARS).split(","):
        if not part.strip():
            continue
        key, _, years = part.partition("=")
        try:
            out[key.strip()] = int(years)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"SAFERHUB_CASES_RETENTION_YEARS: “{part}” is not key=years."
            ) from exc
    return out
