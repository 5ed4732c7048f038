"""Priorities, objectives, indicators with baselines, targets and milestones, and measurements."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from saferhub.accounts.models import Agency
from saferhub.core.models import BaseModel, live_q


class Priority(BaseModel):
    """A strategic priority of the partnership plan (e.g. "Serious acquisitive crime")."""

    title = models.CharField(max_length=200)
    theme = models.CharField(
        max_length=100, blank=True, help_text="The assessment theme it came from, if any."
    )
    aim = models.TextField(blank=True)
    matters_because = models.TextField("It matters because", blank=True)
    hope_together = models.TextField("We hope that together we can", blank=True)
    together_we_will = models.TextField("Together we will", blank=True)
    plan_period = models.CharField(max_length=20, blank=True, help_text="For example 2022–25.")
    order = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True, help_text="Why the assessment recommended it.")

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "priorities"
        # "view_priority" is the partnership-wide read permission declared below.
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_priority", "Can read priorities, indicators and performance"),
            ("manage_performance", "Can create and edit priorities, indicators and targets"),
            ("enter_measurement", "Can enter values for indicators their agency leads"),
        ]

    def __str__(self) -> str:
        return self.title


class Objective(BaseModel):
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="objectives")
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(BaseModel):
    """A measurable indicator with its baseline, target and milestones."""

    class Kind(models.TextChoices):
        INCIDENT_COUNT = "incident_count", "Count from the incident data"
        INCIDENT_RATE = "incident_rate", "Rate per population from the incident data"
        SURVEY_PERCENTAGE = "survey_percentage", "Survey percentage"
        PARTNER_REPORTED = "partner_reported", "Figure reported by a partner"

    class Direction(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"

    class TargetKind(models.TextChoices):
        ABSOLUTE = "absolute", "A value"
        PERCENT_CHANGE = "percent_change", "A % change from the baseline"
        RATE = "rate", "A rate per population"

    class Frequency(models.TextChoices):
        ANNUAL = "annual", "Annual"
        QUARTERLY = "quarterly", "Quarterly"

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="indicators")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(max_length=30, blank=True, help_text="For example NI 16.")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Incident themes or categories counted (data-driven indicators).",
    )
    area_code = models.CharField(max_length=12, blank=True, help_text="GSS code of the area.")
    unit = models.CharField(max_length=60)
    rate_per = models.PositiveIntegerField(default=1000)
    decimals = models.PositiveSmallIntegerField(default=0)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_period = models.CharField(max_length=10)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    target_value = models.DecimalField(max_digits=14, decimal_places=4)
    target_period = models.CharField(max_length=10)
    resolved_target = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, editable=False
    )
    milestone_frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    lead_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    data_source = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)
    public = models.BooleanField(
        default=False,
        help_text="Published on the public site (value, target and status, with a download).",
    )

    class Meta:
        ordering = ["priority__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["lower", "higher"]), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="survey_percentage")
                | (Q(target_value__lte=100) | ~Q(target_kind="absolute")),
                name="indicator_percentage_target_at_most_100",
            ),
            models.CheckConstraint(condition=Q(rate_per__gt=0), name="indicator_rate_per_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def data_driven(self) -> bool:
        return self.kind in {self.Kind.INCIDENT_COUNT, self.Kind.INCIDENT_RATE}

    @property
    def is_count_based(self) -> bool:
        """Counts and rates of counts: their chance variation is Poisson."""
        return self.data_driven or self.unit.lower() in {"offences", "incidents", "crimes"}


class Milestone(BaseModel):
    class Source(models.TextChoices):
        INTERPOLATED = "interpolated", "Interpolated from baseline to target"
        SET = "set", "Set by the partnership"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="milestones")
    period = models.CharField(max_length=10)
    end_month = models.CharField(max_length=7)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["end_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=live_q(),
                name="milestone_one_live_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.value}"


class Measurement(BaseModel):
    """A value of an indicator for a period: who, when, from which source, and why."""

    class Source(models.TextChoices):
        INCIDENT_DATA = "incident_data", "Incident data (refreshed automatically)"
        ENTERED = "entered", "Entered by a partner"
        SURVEY = "survey", "Survey results (imported)"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    count = models.PositiveIntegerField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_note = models.CharField(max_length=200, blank=True)
    months_of_data = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months of incident data behind the value."
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=live_q(),
                name="measurement_one_live_per_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="measurement_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"
