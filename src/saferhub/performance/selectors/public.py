"""Published aggregates of the plan and of performance, for the public site.

Only what the partnership publishes leaves here, as plain values: no model instance (and
so no record of who created or changed it) reaches a public page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from saferhub.performance.models import Indicator, Priority
from saferhub.performance.selectors.judgement import indicator_judgement


@dataclass(frozen=True)
class PublicPriority:
    pk: int
    title: str
    plan_period: str
    matters_because: str
    hope_together: str
    together_we_will: str
    objectives: list[str]


@dataclass(frozen=True)
class PublicIndicator:
    pk: int
    code: str
    title: str
    priority: str
    unit: str
    decimals: int
    direction: str
    period: str | None
    value: float | None
    baseline_period: str
    baseline: float | None
    target_period: str
    target: float | None
    status_key: str
    data_source: str
    series: list[tuple[str, float]]


def published_plan() -> list[PublicPriority]:
    """The live priorities of the plan with their objectives, in the plan's order."""
    priorities = Priority.objects.filter(archived_at__isnull=True).prefetch_related("objectives")
    return [
        PublicPriority(
            pk=p.pk,
            title=p.title,
            plan_period=p.plan_period,
            matters_because=p.matters_because,
            hope_together=p.hope_together,
            together_we_will=p.together_we_will,
            objectives=[o.title for o in p.objectives.all() if o.archived_at is None],
        )
        for p in priorities
    ]


def _published() -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            public=True, archived_at__isnull=True, priority__archived_at__isnull=True
        ).select_related("priority")
    )


def _public(indicator: Indicator) -> PublicIndicator:
    j = indicator_judgement(indicator)
    series = [
        (str(point["month"]), float(point["rolling"]))
        for point in j.series
        if point.get("rolling") is not None
    ]
    return PublicIndicator(
        pk=indicator.pk,
        code=indicator.code,
        title=indicator.title,
        priority=indicator.priority.title,
        unit=indicator.unit,
        decimals=int(indicator.decimals),
        direction=indicator.direction,
        period=j.period,
        value=j.value,
        baseline_period=indicator.baseline_period,
        baseline=j.baseline,
        target_period=indicator.target_period,
        target=j.target,
        status_key=j.status.key,
        data_source=indicator.data_source,
        series=series,
    )


def published_indicators() -> list[PublicIndicator]:
    """Every indicator the partnership publishes, judged as on the scorecard."""
    return [_public(i) for i in _published()]


def published_indicator(*, id: int) -> PublicIndicator:
    """One published indicator; 404 for one that is not published, archived or unknown."""
    indicator = next((i for i in _published() if i.pk == id), None)
    if indicator is None:
        raise Http404("No such published indicator.")
    return _public(indicator)
