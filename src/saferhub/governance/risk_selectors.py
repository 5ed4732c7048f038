"""Reads for the risk register: the heat map's counts, high risks, reviews due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from saferhub.accounts.access import require_permission
from saferhub.governance.models import Risk
from saferhub.governance.models.risks import band
from saferhub.governance.selectors import VIEW

MANAGE_RISKS = "governance.manage_risks"
HIGH_BANDS = frozenset({"High", "Very high"})


def open_risks() -> QuerySet[Risk]:
    return Risk.objects.filter(archived_at__isnull=True, status=Risk.Status.OPEN).select_related(
        "owner", "priority"
    )


def risk_get_for_user(*, user: object, id: int) -> Risk:
    require_permission(user, VIEW)
    risk = Risk.objects.filter(pk=id, archived_at__isnull=True).select_related("owner").first()
    if risk is None:
        raise Http404("No such risk.")
    return risk


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def css_band(self) -> str:
        return self.band.lower().replace(" ", "-")


@dataclass(frozen=True)
class HeatMap:
    """Counts of open risks in each likelihood × impact cell (rows: likelihood 5 down to 1)."""

    rows: list[list[HeatCell]]
    total: int
    after_controls: bool

    def count(self, likelihood: int, impact: int) -> int:
        return self.rows[5 - likelihood][impact - 1].count


def heat_map(*, after_controls: bool = True) -> HeatMap:
    suffix = "after" if after_controls else "before"
    counts: dict[tuple[int, int], int] = {}
    total = 0
    for risk in open_risks():
        key = (getattr(risk, f"likelihood_{suffix}"), getattr(risk, f"impact_{suffix}"))
        counts[key] = counts.get(key, 0) + 1
        total += 1
    rows = [
        [HeatCell(lik, imp, counts.get((lik, imp), 0)) for imp in range(1, 6)]
        for lik in range(5, 0, -1)
    ]
    return HeatMap(rows=rows, total=total, after_controls=after_controls)


def high_risks() -> list[Risk]:
    """Open risks rated High or Very high after their controls, highest first."""
    risks = [r for r in open_risks() if r.band_after in HIGH_BANDS]
    return sorted(risks, key=lambda r: (-r.score_after, r.title))


def reviews_due(*, today: dt.date, days: int = 14) -> list[Risk]:
    return list(
        open_risks().filter(review_on__lte=today + dt.timedelta(days=days)).order_by("review_on")
    )


RISK_COLUMNS = [
    "Risk",
    "Cause",
    "Consequence",
    "Owner",
    "Existing controls",
    "Likelihood before",
    "Impact before",
    "Score before",
    "Band before",
    "Likelihood after",
    "Impact after",
    "Score after",
    "Band after",
    "Next review",
    "Actions",
]


def risk_rows() -> list[list[object]]:
    return [
        [
            r.title,
            r.cause,
            r.consequence,
            r.owner.get_full_name() or r.owner.get_username(),
            r.existing_controls,
            r.likelihood_before,
            r.impact_before,
            r.score_before,
            r.band_before,
            r.likelihood_after,
            r.impact_after,
            r.score_after,
            r.band_after,
            r.review_on,
            "; ".join(a.reference for a in r.actions.all()),
        ]
        for r in open_risks().prefetch_related("actions")
    ]
