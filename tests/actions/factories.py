"""Factories for action-plan records, made through the services (so they are audited)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

_counter = itertools.count(1)


def agency(
    code: str = "derby-city-council", name: str = "Derby City Council", kind: str = "council"
) -> Any:
    from saferhub.accounts.models import Agency

    return Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def plan(
    title: str | None = None,
    starts: dt.date = dt.date(2010, 4, 1),
    ends: dt.date = dt.date(2011, 3, 31),
) -> Any:
    from saferhub.actions.services import plan_create

    return plan_create(
        actor="test", title=title or f"Action plan {next(_counter)}", starts_on=starts, ends_on=ends
    )


def team(name: str | None = None, **kw: Any) -> Any:
    from saferhub.actions.services import team_create

    return team_create(actor="test", name=name or f"Action team {next(_counter)}", **kw)


def action(
    plan_: Any = None,
    *,
    lead: Any = None,
    reference: str | None = None,
    description: str = "Review and enhance the Sanctuary Scheme by June 2010",
    **kw: Any,
) -> Any:
    from saferhub.actions.services import action_create

    return action_create(
        actor="test",
        plan=plan_ or plan(),
        reference=reference or f"A{next(_counter):03d}",
        description=description,
        lead_partners=[lead or agency()],
        **kw,
    )


def meeting(team_: Any = None, held_on: dt.date = dt.date(2010, 6, 1)) -> Any:
    from saferhub.actions.services import meeting_create

    return meeting_create(actor="test", team=team_ or team(), held_on=held_on)
