"""ASB cases: the detail of a :class:`~saferhub.cases.models.base.Case` of type ``asb``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.cases.fields import EncryptedTextField


class AsbCase(models.Model):
    class Category(models.TextChoices):
        PERSONAL = "personal", "Personal"
        NUISANCE = "nuisance", "Nuisance"
        ENVIRONMENTAL = "environmental", "Environmental"

    class Basis(models.TextChoices):
        PERSON = "person", "Person-based"
        PLACE = "place", "Place-based"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        STANDARD = "standard", "Standard"

    class Stage(models.TextChoices):
        OPEN = "open", "Open"
        EARLY_INTERVENTION = "early_intervention", "Early intervention"
        ENFORCEMENT = "enforcement", "Enforcement"
        LEGAL = "legal", "Legal"
        CLOSED = "closed", "Closed"

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="asb"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.STANDARD)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.OPEN)
    single_point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = EncryptedTextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    last_victim_update = models.DateField(null=True, blank=True)
    vulnerable_victim_plan = models.BooleanField(default=False)
    closure_reason = models.CharField(max_length=200, blank=True)
    victim_told_of_closure = models.BooleanField(default=False)
    victim_satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (very dissatisfied) to 5 (very satisfied)."
    )

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class AsbIncident(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="incidents")
    behaviour_date = models.DateField()
    reported_date = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    agency_reference = models.CharField(max_length=100, blank=True)
    location = EncryptedTextField(blank=True)
    description = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["behaviour_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reported_date__gte=models.F("behaviour_date")),
                name="asb_incident_reported_after_behaviour",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class RiskAssessment(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    assessed_on = models.DateField()
    questionnaire = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)  # question key -> yes/no: no free text
    score = models.PositiveIntegerField()
    band = models.CharField(max_length=10)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Intervention(models.Model):
    class Kind(models.TextChoices):
        WARNING_LETTER = "warning_letter", "Warning letter"
        ABC = "abc", "Acceptable behaviour agreement"
        MEDIATION = "mediation", "Mediation"
        CPW = "cpw", "Community protection warning"
        CPN = "cpn", "Community protection notice"
        INJUNCTION = "injunction", "Civil injunction"
        CBO = "cbo", "Criminal behaviour order"
        DISPERSAL = "dispersal", "Dispersal direction"
        PSPO = "pspo", "Public spaces protection order"
        CLOSURE_NOTICE = "closure_notice", "Closure notice"
        CLOSURE_ORDER = "closure_order", "Closure order"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    party = models.ForeignKey(
        "cases.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    served_on = models.DateField()
    starts_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    conditions = EncryptedTextField(blank=True)
    breaches = models.PositiveIntegerField(default=0)
    after_conviction = models.BooleanField(default=False)

    class Meta:
        ordering = ["served_on", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class VictimUpdate(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="victim_updates")
    given_on = models.DateField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20)
    summary = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
