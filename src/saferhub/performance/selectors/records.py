"""Reads of priorities, indicators, milestones and values, in the user's scope."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Prefetch, QuerySet

from saferhub.accounts.access import get_for_user, scope_to_user
from saferhub.core.models import live_q
from saferhub.performance.models import Indicator, Measurement, Milestone, Priority
from saferhub.performance.periods import ReportingPeriod, parse_period

VIEW = "performance.view_priority"


def priorities_for_user(*, user: Any) -> QuerySet[Priority]:
    live_indicators = Indicator.objects.live().select_related("lead_agency")
    return scope_to_user(user, Priority.objects.live(), perm=VIEW).prefetch_related(
        Prefetch("indicators", queryset=live_indicators), "objectives"
    )


def priority_get_for_user(*, user: Any, id: Any) -> Priority:
    return get_for_user(user, Priority.objects.live(), id=id, perm=VIEW)


def indicators_for_user(*, user: Any) -> QuerySet[Indicator]:
    return scope_to_user(
        user,
        Indicator.objects.live().filter(live_q("priority")),
        perm=VIEW,
    ).select_related("priority", "lead_agency", "objective")


def indicator_get_for_user(*, user: Any, id: Any) -> Indicator:
    return get_for_user(
        user,
        Indicator.objects.live().select_related("priority", "lead_agency"),
        id=id,
        perm=VIEW,
    )


def live_milestones(indicator: Indicator) -> list[Milestone]:
    return list(Milestone.objects.live().filter(indicator=indicator))


def live_measurements(indicator: Indicator) -> list[Measurement]:
    rows = Measurement.objects.live().filter(indicator=indicator).select_related("created_by")
    return sorted(rows, key=lambda m: parse_period(m.period).end)


def measurement_history(indicator: Indicator) -> QuerySet[Measurement]:
    """Every value ever held, newest first, with who entered it (archived ones included)."""
    return (
        Measurement.objects.filter(indicator=indicator)
        .select_related("created_by")
        .order_by("-created_at")
    )


def _next(period: ReportingPeriod) -> ReportingPeriod:
    from saferhub.performance.periods import period_ending

    return period_ending(period.end + period.months, period.kind)


def measurement_periods(indicator: Indicator) -> list[ReportingPeriod]:
    """Whole periods of the baseline's kind after the baseline, up to the target or the data end."""
    baseline = parse_period(indicator.baseline_period)
    target = parse_period(indicator.target_period)
    last_month = pd.Period(pd.Timestamp.now(), "M") - 1
    limit = target.end + 3 * baseline.months  # a plan is followed a little past its target
    periods = []
    period = _next(baseline)
    while period.end <= last_month and period.end <= limit:
        periods.append(period)
        period = _next(period)
    return periods
