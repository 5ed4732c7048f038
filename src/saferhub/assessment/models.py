"""A saved Strategic Assessment: the data behind every published figure."""

from __future__ import annotations

from django.db import models

from saferhub.core.models import BaseModel


class AssessmentVersion(BaseModel):
    """One run of the assessment for an area and period, kept so it reproduces exactly.

    ``data`` is the whole assessment as built; ``sources`` lists the input files (or
    import ledger entries) with their SHA-256, ``reference_tables`` the reference tables
    with theirs, and ``content_hash`` the SHA-256 of the canonical JSON of ``data``.
    """

    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=120)
    period_from = models.CharField(max_length=7, help_text="First month, YYYY-MM")
    period_to = models.CharField(max_length=7, help_text="Last month, YYYY-MM")
    data = models.JSONField()
    sources = models.JSONField(default=list)
    reference_tables = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    schema = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_assessment", "Can read Strategic Assessments"),
            ("run_assessment", "Can run a Strategic Assessment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="assessment_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(period_from__regex=r"^\d{4}-\d{2}$")
                & models.Q(period_to__regex=r"^\d{4}-\d{2}$"),
                name="assessment_months_yyyy_mm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} {self.period_from} to {self.period_to} ({self.created_at:%d %b %Y %H:%M})"
