"""The IOM selection score, as pure Python: transparent, with its inputs and weights shown.

For a person's offences recorded in the 12 months up to the day of scoring (``as_of``):

* **recency** = (365 - days since the latest offence) / 365, floored at 0 (0 with none);
* **frequency** = offences in the 12 months / 12, capped at 1;
* **gravity** = the mean gravity (1 to 10, the partnership's offence gravity scale) / 10.

The score is 100 x the weighted mean of the three (weights default 1, 1, 1), to one
decimal place. The higher the score, the stronger the case for adoption; the score informs
the panel's decision, which is recorded with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PATHWAYS: tuple[tuple[str, str], ...] = (
    ("accommodation", "Accommodation"),
    ("ete", "Education, training and employment"),
    ("health", "Health"),
    ("drugs_alcohol", "Drugs and alcohol"),
    ("finance", "Finance, benefit and debt"),
    ("children_families", "Children and families"),
    ("attitudes", "Attitudes, thinking and behaviour"),
)
MAX_GRAVITY = 10


@dataclass(frozen=True)
class Weights:
    recency: float = 1.0
    frequency: float = 1.0
    gravity: float = 1.0

    def __post_init__(self) -> None:
        if min(self.recency, self.frequency, self.gravity) < 0 or self.total <= 0:
            raise ValueError("The selection weights must be 0 or more and not all 0.")

    @property
    def total(self) -> float:
        return self.recency + self.frequency + self.gravity


@dataclass(frozen=True)
class Selection:
    """The score with everything that made it."""

    as_of: dt.date
    offences_12m: int
    days_since_latest: int | None
    mean_gravity: float | None
    recency: float
    frequency: float
    gravity: float
    weights: Weights
    score: float

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "offences_12m": self.offences_12m,
            "days_since_latest": self.days_since_latest,
            "mean_gravity": self.mean_gravity,
            "recency": round(self.recency, 4),
            "frequency": round(self.frequency, 4),
            "gravity": round(self.gravity, 4),
            "weights": {
                "recency": self.weights.recency,
                "frequency": self.weights.frequency,
                "gravity": self.weights.gravity,
            },
            "score": self.score,
        }


def selection_score(
    offences: Iterable[tuple[dt.date, int | None]],
    *,
    as_of: dt.date,
    weights: Weights | None = None,
) -> Selection:
    """Score ``offences`` (date, gravity or None) as of a day; later offences are ignored."""
    weights = weights or Weights()
    window = [
        (day, gravity) for day, gravity in offences if as_of - dt.timedelta(days=365) < day <= as_of
    ]
    latest = max((day for day, _ in window), default=None)
    since = (as_of - latest).days if latest else None
    gravities = [g for _, g in window if g is not None]
    mean_gravity = sum(gravities) / len(gravities) if gravities else None
    recency = max(0.0, (365 - since) / 365) if since is not None else 0.0
    frequency = min(len(window), 12) / 12
    gravity = (mean_gravity or 0.0) / MAX_GRAVITY
    score = round(
        100
        * (weights.recency * recency + weights.frequency * frequency + weights.gravity * gravity)
        / weights.total,
        1,
    )
    return Selection(
        as_of, len(window), since, mean_gravity, recency, frequency, gravity, weights, score
    )
