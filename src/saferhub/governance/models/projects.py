"""Funded projects and commissioned services: funding, outputs against targets, outcomes."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from saferhub.core.models import BaseModel
from saferhub.governance.models.budget import ExpenditureLine, _money
from saferhub.performance.models import Indicator, Objective, Priority

#: Unit-cost tables held (``saferhub.analysis.harm.REFERENCE_TABLES`` keys).
UNIT_COST_TABLES = [
    ("unit_costs_heeks_2018", "Home Office unit costs, 2015/16 prices (Heeks et al. 2018)"),
    (
        "unit_costs_south_derbyshire_2002_03",
        "Home Office unit costs as applied in the South Derbyshire 2002/03 report",  # place-name: cited
    ),
]


class FundedProject(BaseModel):
    class Kind(models.TextChoices):
        PROJECT = "project", "Funded project"
        SERVICE = "commissioned_service", "Commissioned service"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PROJECT)
    provider = models.CharField(max_length=200)
    funding = _money(help_text="The project's funding in pounds.")
    expenditure_line = models.ForeignKey(
        ExpenditureLine, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_offence_groups = models.JSONField(
        default=list, blank=True, help_text="Offence groups of the unit-cost table it targets."
    )
    unit_cost_table = models.CharField(
        max_length=60, choices=UNIT_COST_TABLES, default="unit_costs_heeks_2018"
    )

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="governance_project_dates"
            ),
            models.CheckConstraint(
                condition=Q(funding__gte=0), name="governance_project_funding_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectOutput(BaseModel):
    """What the project delivers, e.g. 2,500 homes issued with burglary kits."""

    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, help_text="For example homes, people, sessions.")
    target = models.DecimalField(max_digits=12, decimal_places=2)
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="governance_output_target"),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="governance_output_actual_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.target} {self.unit})"


class ProjectOutcome(BaseModel):
    """The change the project is meant to bring, measured by a performance indicator."""

    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="outcomes")
    description = models.CharField(max_length=300)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="project_outcomes"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description
