"""The risk register: each risk scored likelihood × impact (1–5 each) before and after
its controls, with the actions that address it and the history of its rating."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from saferhub.actions.models import Action
from saferhub.core.models import BaseModel
from saferhub.performance.models import Priority

SCORES = [(n, str(n)) for n in range(1, 6)]
SCORE_FIELDS = ("likelihood_before", "impact_before", "likelihood_after", "impact_after")

#: Rating bands of the score (likelihood × impact), lowest first: (name, lowest score).
BANDS: tuple[tuple[str, int], ...] = (("Low", 1), ("Medium", 5), ("High", 10), ("Very high", 20))


def band(score: int) -> str:
    """The rating band of a score from 1 to 25 (see decision 0603)."""
    if not 1 <= score <= 25:
        raise ValueError("a risk score is from 1 to 25")
    return [name for name, lowest in BANDS if score >= lowest][-1]


def _score_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
            name=f"{prefix}_{name}_1_to_5",
        )
        for name in SCORE_FIELDS
    ]


class Risk(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField("Risk", max_length=300)
    cause = models.TextField()
    consequence = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks"
    )
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    existing_controls = models.TextField(blank=True)
    likelihood_before = models.PositiveSmallIntegerField(
        "Likelihood before controls", choices=SCORES
    )
    impact_before = models.PositiveSmallIntegerField("Impact before controls", choices=SCORES)
    likelihood_after = models.PositiveSmallIntegerField("Likelihood after controls", choices=SCORES)
    impact_after = models.PositiveSmallIntegerField("Impact after controls", choices=SCORES)
    review_on = models.DateField("Next review")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    actions = models.ManyToManyField(Action, blank=True, related_name="risks")

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("manage_risks", "Can add, rescore and review risks")]
        constraints = _score_constraints("governance_risk")

    def __str__(self) -> str:
        return self.title

    @property
    def score_before(self) -> int:
        return int(self.likelihood_before) * int(self.impact_before)

    @property
    def score_after(self) -> int:
        return int(self.likelihood_after) * int(self.impact_after)

    @property
    def band_before(self) -> str:
        return band(self.score_before)

    @property
    def band_after(self) -> str:
        return band(self.score_after)


class RiskRating(models.Model):
    """One rating of a risk, kept for its history (written on every score change)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood_before = models.PositiveSmallIntegerField(choices=SCORES)
    impact_before = models.PositiveSmallIntegerField(choices=SCORES)
    likelihood_after = models.PositiveSmallIntegerField(choices=SCORES)
    impact_after = models.PositiveSmallIntegerField(choices=SCORES)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["risk", "rated_on", "pk"]
        constraints = _score_constraints("governance_rating")

    def __str__(self) -> str:
        return f"{self.risk} rated {self.rated_on:%d %b %Y}"

    @property
    def score_after(self) -> int:
        return int(self.likelihood_after) * int(self.impact_after)
