"""Home tiles of performance: indicators off track and at risk, SPC signals, scorecard."""

from __future__ import annotations

from typing import Any

from saferhub.core.home import HomeTile, home_tile
from saferhub.performance.selectors import VIEW, judgements_for_user

MANAGERS = frozenset({"manager", "administrator"})


def _status_count(key: str) -> Any:
    def count(user: Any) -> int:
        return sum(1 for j in judgements_for_user(user=user) if j.status.key == key)

    return count


def _signals(user: Any) -> int:
    return sum(1 for j in judgements_for_user(user=user) if j.spc_signal or j.significant)


def _summary(user: Any) -> str:
    judgements = judgements_for_user(user=user)
    on_track = sum(1 for j in judgements if j.status.key == "on_track")
    return f"{on_track} of {len(judgements)}"


def register() -> None:
    home_tile(
        HomeTile(
            "indicators_off_track",
            "Indicators off track",
            "Indicators whose forecast misses the target.",
            "performance:scorecard",
            VIEW,
            MANAGERS,
            _status_count("off_track"),
            order=10,
        )
    )
    home_tile(
        HomeTile(
            "indicators_at_risk",
            "Indicators at risk",
            "Indicators that may miss the target.",
            "performance:scorecard",
            VIEW,
            MANAGERS,
            _status_count("at_risk"),
            order=11,
        )
    )
    home_tile(
        HomeTile(
            "indicators_signals",
            "Significant changes and SPC signals",
            "Indicators with a significant change against the baseline or an SPC signal "
            "in the latest data.",
            "performance:scorecard",
            VIEW,
            frozenset({"analyst"}),
            _signals,
            order=30,
        )
    )
    home_tile(
        HomeTile(
            "scorecard_summary",
            "Indicators on track",
            "Indicators on track, of all the partnership's indicators (the scorecard).",
            "performance:scorecard",
            VIEW,
            frozenset({"viewer"}),
            _summary,
            order=10,
        )
    )
