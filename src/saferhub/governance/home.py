"""Home tiles of governance: high risks and budget variance, for those who keep them."""

from __future__ import annotations

from saferhub.core.home import HomeTile, home_tile
from saferhub.governance.selectors import manager_home_counts

KEEPERS = frozenset({"manager", "finance", "administrator"})


def register() -> None:
    home_tile(
        HomeTile(
            "high_risks",
            "High risks",
            "Open risks rated high or very high after their controls.",
            "governance:risks",
            "governance.view_budget",
            KEEPERS,
            lambda user: manager_home_counts().high_risks,
            order=30,
        )
    )
    home_tile(
        HomeTile(
            "budget_variance",
            "Budget lines with a variance",
            "Lines of open financial years whose forecast outturn differs from the budget.",
            "governance:years",
            "governance.view_budget",
            KEEPERS,
            lambda user: manager_home_counts().budget_variance_lines,
            order=31,
        )
    )
