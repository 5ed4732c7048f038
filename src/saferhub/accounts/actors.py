"""Who did something: a signed-in user, or one of the named system actors.

Every service that writes takes ``actor: Actor``. A user is the person who asked; a
:class:`SystemActor` names the part of SaferHub that acted on nobody's direct request
(an import job, a schedule, the command line, the demo set-up). Nothing else is an actor:
not a bare string, not ``None``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from saferhub.accounts.models import User


class SystemActor(StrEnum):
    """The parts of SaferHub that act on their own; the value is what the audit log shows."""

    IMPORT = "import"
    SCHEDULE = "schedule"
    COMMAND_LINE = "command line"
    DEMO = "demo"
    PUBLIC = "public"  # a member of the public through the public site's forms
    TEST = "test"  # tests only


Actor: TypeAlias = "User | SystemActor"


def actor_label(actor: Actor) -> str:
    """The name the audit log records for ``actor``."""
    if isinstance(actor, SystemActor):
        return actor.value
    return actor.get_username()
