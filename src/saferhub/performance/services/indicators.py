"""Writes for indicators and milestones, and the checks that give each problem its field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.audit import audit_record, model_values
from saferhub.core.services import model_update, stamp
from saferhub.performance import rules, sources
from saferhub.performance.models import Indicator, Milestone, Priority
from saferhub.performance.periods import PeriodError, ReportingPeriod, parse_period

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
    live = Milestone.objects.live().filter(indicator=indicator)
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
        stamp(milestone, actor)
        milestone.save()


@transaction.atomic
def indicator_create(*, actor: Any, priority: Priority, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(unknown))}")
    if fields.get("decimals") is None:
        fields["decimals"] = _default_decimals(fields.get("kind", ""), fields.get("unit", ""))
    indicator = Indicator(priority=priority, **fields)
    stamp(indicator, actor)
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
    points: list[rules.MilestonePoint] = []

    def clean(changed: Indicator) -> None:
        changed.full_clean(
            exclude=["baseline_value"] if changed.data_driven else None,
            validate_constraints=False,
        )
        points.extend(indicator_validate(changed))
        changed.validate_constraints()

    model_update(
        actor=actor,
        instance=indicator,
        fields=fields,
        allowed=INDICATOR_FIELDS,
        action="indicator.update",
        clean=clean,
        after_save=lambda saved: _replace_milestones(actor=actor, indicator=saved, points=points),
        audit_unchanged=True,
    )
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
    baseline = parse_period(indicator.baseline_period)
    target = parse_period(indicator.target_period)
    if not baseline.end < parsed.end <= target.end:
        raise ValidationError(
            {
                "period": f"A milestone must fall after the baseline ({baseline.label}) and no "
                f"later than the target period ({target.label})."
            }
        )
    if value is None or value < 0:
        raise ValidationError({"value": "A milestone cannot be negative."})
    if indicator.kind == Indicator.Kind.SURVEY_PERCENTAGE and value > 100:
        raise ValidationError(
            {"value": f"A survey percentage must be between 0 and 100; {value} is not."}
        )
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
    stamp(milestone, actor)
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


def _refresh_indicator(*, actor: Any, indicator: Indicator) -> int:
    """Measure a data-driven indicator now (the values live with the measurement services)."""
    from saferhub.performance.services.measurements import _refresh_indicator as refresh

    return refresh(actor=actor, indicator=indicator)
