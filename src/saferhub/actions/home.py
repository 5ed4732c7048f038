"""Home tiles of action plans: overdue actions (managers), your actions (lead officers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saferhub.actions.selectors import actions_for_user, actions_led_by, split_due
from saferhub.core.home import HomeTile, home_tile

VIEW = "actions.view_action"


def _today() -> dt.date:
    return timezone.localdate()


def _overdue_all(user: Any) -> int:
    return len(split_due(actions_for_user(user=user), today=_today()).overdue)


def _mine_overdue(user: Any) -> int:
    return len(split_due(actions_led_by(user), today=_today()).overdue)


def _mine_due_soon(user: Any) -> int:
    return len(split_due(actions_led_by(user), today=_today()).due_soon)


def register() -> None:
    home_tile(
        HomeTile(
            "actions_overdue",
            "Overdue actions",
            "Open actions of every plan whose due date has passed.",
            "actions:list",
            VIEW,
            frozenset({"manager", "administrator"}),
            _overdue_all,
            order=20,
        )
    )
    home_tile(
        HomeTile(
            "my_actions_overdue",
            "Your overdue actions",
            "Open actions you (or your agency) lead whose due date has passed.",
            "actions:mine",
            VIEW,
            frozenset({"lead_officer"}),
            _mine_overdue,
            order=10,
        )
    )
    home_tile(
        HomeTile(
            "my_actions_due_soon",
            "Your actions due in the next 14 days",
            "Open actions you (or your agency) lead due within 14 days.",
            "actions:mine",
            VIEW,
            frozenset({"lead_officer"}),
            _mine_due_soon,
            order=11,
        )
    )
