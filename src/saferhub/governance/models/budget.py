"""The partnership's budget: financial years, income lines by source, expenditure lines.

An expenditure line holds its quarterly profile (which must add up to its budget),
the actual spend entered quarter by quarter, and the forecast outturn with the reason
for any variance. A closed year takes no more spend.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q

from saferhub.core.models import BaseModel
from saferhub.performance.models import Priority


def _money(verbose_name: str | None = None, **kw: Any) -> models.DecimalField[Any, Any]:
    """An amount in pounds and pence."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kw)


QUARTERS = (1, 2, 3, 4)


class FinancialYear(BaseModel):
    """April to March; open while spend is being entered, closed once the outturn is final."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    label = models.CharField(max_length=20, unique=True, help_text="For example 2005–06.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # When the Board published the year's end-of-year summary (the public site shows the
    # latest one published); empty until then.
    summary_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        permissions = [
            ("view_budget", "Can read the budget, its summaries and variance"),
            ("manage_budget", "Can enter and import budget lines and quarterly spend"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="governance_year_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="governance_year_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class IncomeLine(BaseModel):
    """Money in: who gives it, under which heading, and any conditions of the grant."""

    class Source(models.TextChoices):
        PARTNER = "partner_contribution", "Partner contribution"
        PCC = "pcc_grant", "Police and crime commissioner grant"
        GRANTS = "home_office_and_other_grants", "Home Office and other grants"
        EXTERNAL = "external_funded_projects", "External funded projects"

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="income_lines")
    source = models.CharField(max_length=40, choices=Source.choices)
    funder = models.CharField(max_length=200, help_text="For example Health, Police, City Council.")
    description = models.CharField(max_length=300, blank=True)
    amount = _money()
    grant_conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["source", "funder", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="governance_income_not_negative"
            ),
            models.UniqueConstraint(
                fields=["year", "source", "funder", "description"],
                name="governance_income_unique_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.get_source_display()})"


class ExpenditureLine(BaseModel):
    """Money out, by priority: a project, a commissioned service or the partnership's core."""

    class Kind(models.TextChoices):
        PROJECT = "project", "Funded project"
        SERVICE = "commissioned_service", "Commissioned service"
        CORE = "core", "Core costs and staffing"

    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="expenditure_lines"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PROJECT)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="budget_lines"
    )
    provider = models.CharField(max_length=200, blank=True)
    budget = _money()
    profile_q1 = _money("Profile, quarter 1", default=Decimal(0))
    profile_q2 = _money("Profile, quarter 2", default=Decimal(0))
    profile_q3 = _money("Profile, quarter 3", default=Decimal(0))
    profile_q4 = _money("Profile, quarter 4", default=Decimal(0))
    # Actual spend: empty until the quarter's figure is entered (a gap, never a zero).
    actual_q1 = _money("Actual, quarter 1", null=True, blank=True)
    actual_q2 = _money("Actual, quarter 2", null=True, blank=True)
    actual_q3 = _money("Actual, quarter 3", null=True, blank=True)
    actual_q4 = _money("Actual, quarter 4", null=True, blank=True)
    forecast_outturn = _money(null=True, blank=True)
    variance_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["priority__order", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="governance_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    budget=F("profile_q1") + F("profile_q2") + F("profile_q3") + F("profile_q4")
                ),
                name="governance_profile_adds_up",
            ),
            models.UniqueConstraint(fields=["year", "title"], name="governance_expenditure_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def profile(self, quarter: int) -> Decimal:
        return Decimal(getattr(self, f"profile_q{quarter}"))

    def actual(self, quarter: int) -> Decimal | None:
        value = getattr(self, f"actual_q{quarter}")
        return None if value is None else Decimal(value)

    @property
    def actual_to_date(self) -> Decimal:
        return sum((a for q in QUARTERS if (a := self.actual(q)) is not None), Decimal(0))

    @property
    def variance(self) -> Decimal | None:
        """Forecast outturn less budget: positive is an overspend, negative an underspend."""
        if self.forecast_outturn is None:
            return None
        return Decimal(self.forecast_outturn) - Decimal(self.budget)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.budget is not None:
            profiled = sum((self.profile(q) for q in QUARTERS), Decimal(0))
            if profiled != Decimal(self.budget):
                errors["budget"] = (
                    f"The quarterly profile adds up to £{profiled:,.2f}, not the budget of "
                    f"£{Decimal(self.budget):,.2f}: make the four quarters add up to the budget."
                )
        variance = self.variance if self.budget is not None else None
        if variance and not self.variance_reason.strip():
            errors["variance_reason"] = (
                f"The forecast outturn differs from the budget by £{variance:,.2f}: give the reason."
            )
        for q in QUARTERS:
            value = self.actual(q)
            if value is not None and value < 0:
                errors[f"actual_q{q}"] = "Actual spend cannot be negative."
        if errors:
            raise ValidationError(errors)
