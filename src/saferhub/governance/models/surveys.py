"""Residents' and young people's surveys: each wave's questions, answers and counts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from saferhub.core.models import BaseModel


class SurveyWave(BaseModel):
    """One wave of a survey (e.g. the annual residents' survey, autumn 2005)."""

    survey = models.CharField(max_length=200, help_text="For example Residents' survey.")
    wave_date = models.DateField()
    area_code = models.CharField(max_length=12, blank=True, help_text="GSS code of the area.")
    area_name = models.CharField(max_length=200, blank=True)
    sample_size = models.PositiveIntegerField()
    weighting = models.TextField(blank=True, help_text="How the results were weighted, if at all.")
    effective_sample_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a weighted survey: Kish's effective sample size."
    )

    class Meta:
        ordering = ["survey", "wave_date"]
        constraints = [
            models.CheckConstraint(condition=Q(sample_size__gt=0), name="governance_wave_sample"),
            models.UniqueConstraint(
                fields=["survey", "wave_date", "area_code"], name="governance_wave_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}, {self.wave_date:%B %Y}"

    @property
    def test_sample_size(self) -> int:
        """The sample size the statistics use: the effective one for a weighted survey."""
        return self.effective_sample_size or self.sample_size


class SurveyQuestion(BaseModel):
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    respondents = models.PositiveIntegerField(help_text="How many answered this question.")

    class Meta:
        ordering = ["wave", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "text"], name="governance_question_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyAnswer(BaseModel):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    option = models.CharField(max_length=300)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["question", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "option"], name="governance_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.count}"


__all__ = ["SurveyAnswer", "SurveyQuestion", "SurveyWave"]
