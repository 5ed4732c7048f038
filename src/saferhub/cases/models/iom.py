"""Integrated Offender Management: cohorts (IOM with Fixed, Flex and Free strands, or the
legacy PPO scheme), each member a :class:`~saferhub.cases.models.base.Case` of type ``iom``
with an :class:`IomCase` detail, a plan by the seven reducing-reoffending pathways, reviews
and the offending recorded against them."""

from __future__ import annotations

from django.db import models

from saferhub.cases.fields import EncryptedTextField
from saferhub.cases.iom import PATHWAYS


class IomCohort(models.Model):
    class Kind(models.TextChoices):
        IOM = "iom", "Integrated Offender Management"
        PPO = "ppo", "Prolific and other priority offenders (PPO)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IOM)
    review_interval_days = models.PositiveSmallIntegerField(default=90)
    weight_recency = models.FloatField(default=1.0)
    weight_frequency = models.FloatField(default=1.0)
    weight_gravity = models.FloatField(default=1.0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IomCase(models.Model):
    class Strand(models.TextChoices):
        FIXED = "fixed", "Fixed"
        FLEX = "flex", "Flex"
        FREE = "free", "Free"

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="iom"
    )
    cohort = models.ForeignKey(IomCohort, on_delete=models.PROTECT, related_name="members")
    offender_ref = models.CharField(max_length=100, db_index=True)
    strand = models.CharField(max_length=10, choices=Strand.choices, blank=True)
    selection = models.JSONField(default=dict, blank=True)  # the score and its inputs
    adopted_on = models.DateField(null=True, blank=True)
    adoption_reason = EncryptedTextField(blank=True)
    deselected_on = models.DateField(null=True, blank=True)
    deselection_reason = EncryptedTextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class OffendingRecord(models.Model):
    class Kind(models.TextChoices):
        ARREST = "arrest", "Arrest"
        CHARGE = "charge", "Charge"
        CONVICTION = "conviction", "Conviction"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="offending")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    offence_date = models.DateField()
    offence = models.CharField(max_length=200)
    gravity = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["offence_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gravity__isnull=True)
                | models.Q(gravity__gte=1, gravity__lte=10),
                name="iom_offending_gravity_1_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class IomPlanAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Completed"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="iom_plan")
    pathway = models.CharField(max_length=20, choices=PATHWAYS)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["pathway", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class IomReview(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="iom_reviews")
    reviewed_on = models.DateField()
    summary = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
