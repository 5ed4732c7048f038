"""Home tile of problems: a lead officer's problems due (or overdue) for review."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from saferhub.core.home import HomeTile, home_tile
from saferhub.problems.selectors import VIEW, problems_led_by_due


def _due(user: Any) -> int:
    return problems_led_by_due(user=user, today=timezone.localdate()).count()


def register() -> None:
    home_tile(
        HomeTile(
            "my_problems_due",
            "Your problems due for review",
            "Problems you lead, not closed, whose review date has passed or falls in the "
            "next 14 days.",
            "problems:list",
            VIEW,
            frozenset({"lead_officer"}),
            _due,
            order=12,
        )
    )
