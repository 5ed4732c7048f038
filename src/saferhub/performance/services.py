"""Writes for performance: priorities, objectives, indicators, milestones, measurements.

Every write is audited with its old and new values. Validation messages name
the field they belong to, so forms and the API show them beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.access import has_permission
from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.accounts.models import Agency
from saferhub.core.jobs import job_kind, job_progress
from saferhub.core.models import Job
from saferhub.performance import rules, sources
from saferhub.performance.models import Indicator, Measurement, Milestone, Objective, Priority
from saferhub.performance.periods import PeriodError, ReportingPeriod, parse_period

PRIORITY_FIELDS = [
    "title",
    "theme",
    "aim",
    "matters_because",
    "hope_together",
    "together_we_will",
    "plan_period",
    "order",
    "reason",
]
INDICATOR_FIELDS = [
    "priority",
    "objective",
    "code",
    "title",
    "kind",
    "categories",
    "area_code",
    "unit",
    "rate_per",
    "decimals",
    "direction",
    "baseline_period",
    "baseline_value",
    "target_kind",
    "target_value",
    "target_period",
    "milestone_frequency",
    "lead_agency",
    "data_source",
    "order",
]


def _stamp(obj: Any, actor: Any) -> None:
    user = actor if getattr(actor, "pk", None) else None
    if obj.pk is None:
        obj.created_by = user
    obj.modified_by = user


# ---------------------------------------------------------------------- priorities


@transaction.atomic
def priority_create(*, actor: Any, title: str, **fields: Any) -> Priority:
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown priority fields: {', '.join(sorted(unknown))}")
    priority = Priority(title=title, **fields)
    _stamp(priority, actor)
    priority.full_clean()
    priority.save()
    audit_record(actor=actor, action="priority.create", obj=priority, new=model_values(priority))
    return priority


@transaction.atomic
def priority_update(*, actor: Any, priority: Priority, **fields: Any) -> Priority:
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown priority fields: {', '.join(sorted(unknown))}")
    old = model_values(priority)
    for name, value in fields.items():
        setattr(priority, name, value)
    _stamp(priority, actor)
    priority.full_clean()
    priority.save()
    before, after = changed_values(old, model_values(priority))
    audit_record(actor=actor, action="priority.update", obj=priority, old=before, new=after)
    return priority


@transaction.atomic
def priority_archive(*, actor: Any, priority: Priority) -> Priority:
    priority.archived_at = timezone.now()
    _stamp(priority, actor)
    priority.save(update_fields=["archived_at", "modified_by", "modified_at"])
    audit_record(actor=actor, action="priority.archive", obj=priority)
    return priority


@transaction.atomic
def priorities_create_from_recommendations(
    *, actor: Any, recommendations: list[dict[str, Any]]
) -> list[Priority]:
    """One priority per recommendation of the Strategic Assessment, in one step.

    Each recommendation is ``{"theme": ..., "title": ..., "reason": ...}``; its
    reason becomes the "It matters because" evidence. A recommendation whose
    theme already has a live priority is not duplicated (running it twice
    changes nothing).
    """
    created: list[Priority] = []
    start = (Priority.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for index, rec in enumerate(recommendations):
        title = str(rec.get("title") or "").strip()
        theme = str(rec.get("theme") or "").strip()
        reason = str(rec.get("reason") or "").strip()
        if not title:
            raise ValidationError({"recommendations": f"Recommendation {index + 1} has no title."})
        existing = Priority.objects.filter(archived_at__isnull=True)
        if (theme and existing.filter(theme=theme).exists()) or (
            not theme and existing.filter(title=title).exists()
        ):
            continue
        created.append(
            priority_create(
                actor=actor,
                title=title,
                theme=theme,
                reason=reason,
                matters_because=reason,
                order=start + len(created),
            )
        )
    audit_record(
        actor=actor,
        action="priority.from_assessment",
        detail=f"{len(created)} of {len(recommendations)} recommendations became priorities",
    )
    return created


@transaction.atomic
def objective_create(*, actor: Any, priority: Priority, title: str, order: int = 0) -> Objective:
    objective = Objective(priority=priority, title=title, order=order)
    _stamp(objective, actor)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="objective.create", obj=objective, new=model_values(objective))
    return objective


@transaction.atomic
def priority_set_objectives(
    *, actor: Any, priority: Priority, titles: list[str]
) -> list[Objective]:
    """Make the priority's live objectives exactly ``titles``, in that order.

    An objective no longer listed is archived (never deleted: indicators may refer to it).
    """
    wanted = [t.strip() for t in titles if t.strip()]
    live = {o.title: o for o in priority.objectives.filter(archived_at__isnull=True)}
    result = []
    for order, title in enumerate(wanted, start=1):
        objective = live.pop(title, None)
        if objective is None:
            objective = objective_create(actor=actor, priority=priority, title=title, order=order)
        elif objective.order != order:
            objective.order = order
            _stamp(objective, actor)
            objective.save(update_fields=["order", "modified_by", "modified_at"])
        result.append(objective)
    for objective in live.values():
        objective.archived_at = timezone.now()
        _stamp(objective, actor)
        objective.save(update_fields=["archived_at", "modified_by", "modified_at"])
        audit_record(actor=actor, action="objective.archive", obj=objective)
    return result


# ---------------------------------------------------------------------- indicators


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _parse(field: str, text: str, errors: dict[str, str]) -> ReportingPeriod | None:
    try:
        return parse_period(text)
    except PeriodError as exc:
        errors[field] = str(exc)
        return None


@dataclass(frozen=True)
class DataValue:
    value: Decimal
    count: int
    population: sources.PopulationFigure | None
    months: int
    note: str


def _data_value(
    indicator: Indicator, period: ReportingPeriod, errors: dict[str, str], field: str
) -> DataValue | None:
    """The value of a data-driven indicator over a whole period (with its count, population).

    A month that is a gap in the source (see :data:`sources.GAP_MEAN`) is left out and the
    value is taken pro rata over the months held; the note says so. A baseline must have
    no gap.
    """
    try:
        got = sources.period_count(
            area_code=indicator.area_code, categories=list(indicator.categories), period=period
        )
    except sources.DataUnavailable as exc:
        errors[field] = str(exc)
        return None
    if len(got.missing) == period.months:
        errors[field] = (
            f"There are no incident data for {period.label} in area {indicator.area_code}: "
            f"choose a period the imported data cover, or import the data first."
        )
        return None
    if got.missing:
        errors[field] = (
            f"The incident data for area {indicator.area_code} do not cover all of "
            f"{period.label}: {len(got.missing)} month(s) missing ({', '.join(got.missing[:6])}"
            f"{'…' if len(got.missing) > 6 else ''})."
        )
        return None
    used = got.months_used(period.months)
    note = "Counted from the imported incident data."
    if got.gaps:
        gap_text = (
            f"{', '.join(got.gaps)} ha{'s' if len(got.gaps) == 1 else 've'} no records of "
            f"this kind although the other months average {sources.GAP_MEAN:.0f} or more: "
            f"taken as a gap in the source"
        )
        if field == "baseline_period" or used < period.months * 3 // 4:
            errors[field] = (
                f"The incident data for {period.label} in area {indicator.area_code} have a gap: "
                f"{gap_text}. Choose a baseline period without gaps."
            )
            return None
        note = (
            f"Counted from the imported incident data. {gap_text}, so the value is the "
            f"{got.count:,} counted in {used} months, pro rata to {period.months} months."
        )
    scale = Decimal(period.months) / Decimal(used)
    if indicator.kind == Indicator.Kind.INCIDENT_COUNT:
        return DataValue(
            rules.quantize(got.count * scale, indicator.decimals), got.count, None, used, note
        )
    pop = sources.population(indicator.area_code, period.year)
    if pop is None:
        errors["kind"] = (
            f"A rate needs a population, and none is held for area {indicator.area_code} "
            f"({period.year}). Import the population first, or measure a count instead."
        )
        return None
    rate = Decimal(got.count) * scale * indicator.rate_per / Decimal(pop.value)
    return DataValue(rules.quantize(rate, indicator.decimals), got.count, pop, used, note)


def indicator_validate(indicator: Indicator) -> list[rules.MilestonePoint]:
    """Check an indicator, fill its data-driven baseline and resolved target; its milestones.

    Raises ValidationError with one clear message per field.
    """
    errors: dict[str, str] = {}
    kind = indicator.kind
    if indicator.data_driven:
        if not indicator.area_code:
            errors["area_code"] = "Enter the GSS code of the area the data are counted for."
        if not indicator.categories:
            errors["categories"] = "Enter at least one incident theme or category to count."
    baseline_period = _parse("baseline_period", indicator.baseline_period, errors)
    target_period = _parse("target_period", indicator.target_period, errors)
    if baseline_period and target_period and target_period.end <= baseline_period.end:
        errors["target_period"] = (
            f"The target period ({target_period.label}) must end after the baseline period "
            f"({baseline_period.label})."
        )
    if indicator.data_driven and baseline_period and not errors:
        got = _data_value(indicator, baseline_period, errors, "baseline_period")
        if got is not None:
            indicator.baseline_value = got.value
    elif not indicator.data_driven and indicator.baseline_value is None:
        errors["baseline_value"] = "Enter the baseline value."
    if kind == Indicator.Kind.SURVEY_PERCENTAGE:
        if indicator.baseline_value is not None and not 0 <= indicator.baseline_value <= 100:
            errors["baseline_value"] = (
                f"A survey percentage must be between 0 and 100; {indicator.baseline_value} is not."
            )
        if indicator.target_kind == Indicator.TargetKind.ABSOLUTE and not (
            0 <= indicator.target_value <= 100
        ):
            errors["target_value"] = (
                f"A survey percentage must be between 0 and 100; {indicator.target_value} is not."
            )
        if indicator.target_kind == Indicator.TargetKind.RATE:
            errors["target_kind"] = "A survey percentage cannot have a target rate."
    if indicator.target_kind == Indicator.TargetKind.PERCENT_CHANGE and (
        indicator.target_value <= -100
    ):
        errors["target_value"] = "A change of -100% or less would leave nothing: enter a smaller %."
    population = None
    if (
        indicator.target_kind == Indicator.TargetKind.RATE
        and kind != Indicator.Kind.INCIDENT_RATE
        and target_period
        and "target_kind" not in errors
    ):
        if not indicator.area_code:
            errors["target_kind"] = (
                "A target rate on a count needs the area's population: enter the area code, "
                "or set the target as a value or a % change."
            )
        else:
            pop = sources.population(indicator.area_code, target_period.year)
            if pop is None:
                errors["target_kind"] = (
                    f"A target rate needs a population, and none is held for area "
                    f"{indicator.area_code} ({target_period.year}). Set the target as a value "
                    f"or a % change, or import the population."
                )
            else:
                population = pop.value
    if errors:
        raise ValidationError(errors)
    assert baseline_period and target_period
    assert indicator.baseline_value is not None
    target = rules.resolve_target(
        target_kind=indicator.target_kind,
        target_value=indicator.target_value,
        baseline_value=indicator.baseline_value,
        is_rate_indicator=kind == Indicator.Kind.INCIDENT_RATE,
        population=population,
        rate_per=indicator.rate_per,
        decimals=indicator.decimals,
    )
    assert target is not None
    if rules.wrong_direction(
        direction=indicator.direction, baseline=indicator.baseline_value, target=target
    ):
        side = "below" if indicator.direction == "lower" else "above"
        other = "above" if side == "below" else "below"
        raise ValidationError(
            {
                "target_value": (
                    f"{indicator.get_direction_display()} for this indicator, so the target must "
                    f"be {side} the baseline ({indicator.baseline_value:,.{indicator.decimals}f}); "
                    f"this target works out at {target:,.{indicator.decimals}f}, {other} it."
                )
            }
        )
    if kind == Indicator.Kind.SURVEY_PERCENTAGE and target > 100:
        raise ValidationError(
            {
                "target_value": f"This target works out at {target}%, over 100%: enter a smaller change."
            }
        )
    indicator.resolved_target = target
    try:
        return rules.interpolate_milestones(
            baseline_period=baseline_period,
            baseline_value=indicator.baseline_value,
            target_period=target_period,
            target_value=target,
            frequency=indicator.milestone_frequency,
            decimals=indicator.decimals,
        )
    except PeriodError as exc:
        raise ValidationError({"target_period": str(exc)}) from exc


def _default_decimals(kind: str, unit: str) -> int:
    counted = Indicator(kind=kind, unit=unit).is_count_based
    return 0 if counted and kind != Indicator.Kind.INCIDENT_RATE else 1


def _replace_milestones(
    *, actor: Any, indicator: Indicator, points: list[rules.MilestonePoint]
) -> None:
    """Interpolated milestones follow the baseline and target; milestones set by hand stay."""
    live = Milestone.objects.filter(indicator=indicator, archived_at__isnull=True)
    kept = set(live.filter(source=Milestone.Source.SET).values_list("period", flat=True))
    live.filter(source=Milestone.Source.INTERPOLATED).update(archived_at=timezone.now())
    for point in points:
        if point.period in kept:
            continue
        milestone = Milestone(
            indicator=indicator,
            period=point.period,
            end_month=point.end_month,
            value=point.value,
            source=Milestone.Source.INTERPOLATED,
        )
        _stamp(milestone, actor)
        milestone.save()


@transaction.atomic
def indicator_create(*, actor: Any, priority: Priority, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(unknown))}")
    if fields.get("decimals") is None:
        fields["decimals"] = _default_decimals(fields.get("kind", ""), fields.get("unit", ""))
    indicator = Indicator(priority=priority, **fields)
    _stamp(indicator, actor)
    indicator.full_clean(
        exclude=["baseline_value"] if indicator.data_driven else None, validate_constraints=False
    )
    points = indicator_validate(indicator)
    indicator.validate_constraints()
    indicator.save()
    _replace_milestones(actor=actor, indicator=indicator, points=points)
    audit_record(actor=actor, action="indicator.create", obj=indicator, new=model_values(indicator))
    if indicator.data_driven:
        _refresh_indicator(actor=actor, indicator=indicator)
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(unknown))}")
    old = model_values(indicator)
    for name, value in fields.items():
        setattr(indicator, name, value)
    _stamp(indicator, actor)
    indicator.full_clean(
        exclude=["baseline_value"] if indicator.data_driven else None, validate_constraints=False
    )
    points = indicator_validate(indicator)
    indicator.validate_constraints()
    indicator.save()
    _replace_milestones(actor=actor, indicator=indicator, points=points)
    before, after = changed_values(old, model_values(indicator))
    audit_record(actor=actor, action="indicator.update", obj=indicator, old=before, new=after)
    if indicator.data_driven:
        _refresh_indicator(actor=actor, indicator=indicator)
    return indicator


@transaction.atomic
def milestone_set(*, actor: Any, indicator: Indicator, period: str, value: Decimal) -> Milestone:
    """Set a milestone by hand (it then stays when the baseline or target change)."""
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    live = Milestone.objects.filter(indicator=indicator, period=parsed.label, archived_at=None)
    old = live.first()
    live.update(archived_at=timezone.now())
    milestone = Milestone(
        indicator=indicator,
        period=parsed.label,
        end_month=str(parsed.end),
        value=value,
        source=Milestone.Source.SET,
    )
    _stamp(milestone, actor)
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        action="milestone.set",
        obj=milestone,
        old=model_values(old, ["period", "value", "source"]) if old else None,
        new=model_values(milestone, ["period", "value", "source"]),
    )
    return milestone


# ---------------------------------------------------------------------- measurements


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
    _stamp(measurement, actor)
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
        Indicator.objects.filter(
            archived_at__isnull=True,
            kind__in=[Indicator.Kind.INCIDENT_COUNT, Indicator.Kind.INCIDENT_RATE],
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
