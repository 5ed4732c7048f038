"""The case types this release knows. IOM and Channel register here when built."""

from typing import Any

from django.db.models import Q

from saferhub.cases.registry import CaseType, register

ASB = register(
    CaseType(
        key="asb",
        name="ASB case",
        reference_prefix="ASB",
        default_retention_years=6,
        detail_model="cases.AsbCase",
    )
)

MARAC = register(
    CaseType(
        key="marac",
        name="MARAC case",
        reference_prefix="MARAC",
        default_retention_years=6,
        detail_model="cases.MaracCase",
        scope_rule=lambda user, prefix: marac_scope(user, prefix),
    )
)


def marac_scope(user: Any, prefix: str) -> Q:
    """A MARAC case is seen (within the role and agency rule) only by the members of a
    meeting it is on, its IDVA and its officer."""
    return (
        Q(**{f"{prefix}marac_meetings__members": user})
        | Q(**{f"{prefix}marac__idva": user})
        | Q(**{f"{prefix}officer": user})
    )
