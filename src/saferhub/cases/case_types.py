"""The case types this release knows, and the narrowing rules of those seen by named people."""

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


def channel_scope(user: Any, prefix: str) -> Q:
    """A Channel case is seen (within the role and agency rule) only by the panel's named
    members and its officer."""
    return Q(**{f"{prefix}channel__panel_members": user}) | Q(**{f"{prefix}officer": user})


IOM = register(
    CaseType(
        key="iom",
        name="IOM case",
        reference_prefix="IOM",
        default_retention_years=6,
        detail_model="cases.IomCase",
    )
)
CHANNEL = register(
    CaseType(
        key="channel",
        name="Channel case",
        reference_prefix="CH",
        default_retention_years=6,
        detail_model="cases.ChannelCase",
        scope_rule=lambda user, prefix: channel_scope(user, prefix),
    )
)
