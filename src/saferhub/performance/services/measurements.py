"""Writes for values: entered by lead partners, refreshed from the incident data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.access import has_permission
from saferhub.accounts.audit import audit_record, model_values
from saferhub.accounts.models import Agency
from saferhub.core.jobs import job_kind, job_progress
from saferhub.core.models import Job
from saferhub.core.services import stamp
from saferhub.performance import sources
from saferhub.performance.models import Indicator, Measurement
from saferhub.performance.periods import parse_period
from saferhub.performance.services.indicators import (
    _data_value,
    _parse,
    _replace_milestones,
    indicator_validate,
)


def can_enter_for(user: Any, indicator: Indicator) -> bool:
    """Managers enter any value; lead officers only for indicators their agency leads."""
    if indicator.data_driven:
        return False
    if has_permission(user, "performance.manage_performance"):
        return True
    return bool(
        has_permission(user, "performance.enter_measurement")
        and indicator.lead_agency_id
        and getattr(user, "agency_id", None) == indicator.lead_agency_id
    )


def _store_measurement(
    *,
    actor: Any,
    indicator: Indicator,
    period: str,
    value: Decimal,
    source: str,
    evidence: str = "",
    count: int | None = None,
    population: sources.PopulationFigure | None = None,
    months_of_data: int | None = None,
) -> tuple[Measurement, bool]:
    """Keep one live value per period; an old value is archived, never overwritten."""
    live = Measurement.objects.filter(indicator=indicator, period=period, archived_at=None)
    old = live.first()
    if (
        old is not None
        and old.value == value
        and old.source == source
        and old.evidence == evidence
        and old.count == count
    ):
        return old, False
    if old is not None:
        old.archived_at = timezone.now()
        old.save(update_fields=["archived_at"])
    measurement = Measurement(
        indicator=indicator,
        period=period,
        value=value,
        count=count,
        population=population.value if population else None,
        population_note=population.note if population else "",
        months_of_data=months_of_data,
        source=source,
        evidence=evidence,
    )
    stamp(measurement, actor)
    measurement.full_clean()
    measurement.save()
    fields = ["period", "value", "count", "population", "source", "evidence"]
    audit_record(
        actor=actor or "system",
        action="measurement.refresh"
        if source == Measurement.Source.INCIDENT_DATA
        else "measurement.enter",
        obj=measurement,
        old=model_values(old, fields) if old else None,
        new=model_values(measurement, fields),
    )
    return measurement, True


@transaction.atomic
def measurement_enter(
    *, actor: Any, indicator: Indicator, period: str, value: Decimal, evidence: str
) -> Measurement:
    """A lead officer (or manager) enters a value, with its evidence note."""
    if indicator.data_driven:
        raise ValidationError(
            {"value": "This indicator is measured from the incident data automatically."}
        )
    if not can_enter_for(actor, indicator):
        raise PermissionDenied("Only the lead partner's officers or a manager can enter values.")
    errors: dict[str, str] = {}
    parsed = _parse("period", period, errors)
    if value is None:
        errors["value"] = "Enter the value."
    elif value < 0:
        errors["value"] = "The value cannot be negative."
    elif indicator.kind == Indicator.Kind.SURVEY_PERCENTAGE and value > 100:
        errors["value"] = f"A survey percentage must be between 0 and 100; {value} is not."
    if not (evidence or "").strip():
        errors["evidence"] = "Say where the value comes from (the evidence note)."
    if parsed is not None:
        baseline = parse_period(indicator.baseline_period)
        if parsed.end <= baseline.end:
            errors["period"] = (
                f"Enter a period after the baseline ({baseline.label}); change the baseline on "
                f"the indicator itself."
            )
        elif parsed.start > pd.Period(timezone.now().date(), "M"):
            errors["period"] = f"{parsed.label} has not started yet."
    if errors:
        raise ValidationError(errors)
    assert parsed is not None
    measurement, _ = _store_measurement(
        actor=actor,
        indicator=indicator,
        period=parsed.label,
        value=value,
        source=Measurement.Source.ENTERED,
        evidence=evidence.strip(),
    )
    return measurement


@transaction.atomic
def measurement_from_survey(
    *, actor: Any, indicator: Indicator, period: str, percent: Decimal, count: int, evidence: str
) -> Measurement:
    """A survey percentage indicator's value from imported survey results (the survey source).

    ``evidence`` names the wave, the count and sample, and the interval.
    """
    if indicator.kind != Indicator.Kind.SURVEY_PERCENTAGE:
        raise ValidationError(
            {"indicator": "Only a survey percentage indicator takes survey results."}
        )
    errors: dict[str, str] = {}
    parsed = _parse("period", period, errors)
    if not 0 <= percent <= 100:
        errors["value"] = f"A survey percentage must be between 0 and 100; {percent} is not."
    if errors:
        raise ValidationError(errors)
    assert parsed is not None
    measurement, _ = _store_measurement(
        actor=actor,
        indicator=indicator,
        period=parsed.label,
        value=percent,
        source=Measurement.Source.SURVEY,
        evidence=evidence,
        count=count,
    )
    return measurement


def _refresh_indicator(*, actor: Any, indicator: Indicator) -> int:
    """Store the value of each whole period (of the baseline's kind) the data cover."""
    from saferhub.performance.selectors import measurement_periods

    changed = 0
    for period in measurement_periods(indicator):
        errors: dict[str, str] = {}
        got = _data_value(indicator, period, errors, "period")
        if got is None:
            continue
        _, did = _store_measurement(
            actor=actor,
            indicator=indicator,
            period=period.label,
            value=got.value,
            source=Measurement.Source.INCIDENT_DATA,
            count=got.count,
            population=got.population,
            months_of_data=got.months,
            evidence=got.note,
        )
        changed += int(did)
    return changed


def measurements_refresh(*, actor: Any = None, job: Job | None = None) -> dict[str, int]:
    """Refresh every data-driven indicator from the incident data (call after each import).

    Also re-reads each data-driven baseline, whose value may change when data
    are re-imported. Idempotent: running it twice changes nothing.
    """
    indicators = list(
        Indicator.objects.live().filter(
            kind__in=[Indicator.Kind.INCIDENT_COUNT, Indicator.Kind.INCIDENT_RATE]
        )
    )
    changed = 0
    failed = 0
    for index, indicator in enumerate(indicators):
        job_progress(job, done=index, total=len(indicators), message=str(indicator))
        with transaction.atomic():
            try:
                points = indicator_validate(indicator)
            except ValidationError:
                failed += 1
                continue
            indicator.save(update_fields=["baseline_value", "resolved_target", "modified_at"])
            _replace_milestones(actor=actor, indicator=indicator, points=points)
            changed += _refresh_indicator(actor=actor, indicator=indicator)
    job_progress(job, done=len(indicators), total=len(indicators))
    return {"indicators": len(indicators), "changed": changed, "not_measurable": failed}


@job_kind("performance.refresh")
def refresh_job(job: Job, **params: Any) -> dict[str, Any]:
    user = job.created_by
    return measurements_refresh(actor=user or "system", job=job)


def lead_agency_for(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()
