"""Problems, their OSARA record, tasking meetings and community concerns.

A problem is a recurring issue the partnership works on through OSARA: Objective,
Scanning, Analysis, Response, Assessment. Its place says which incidents are its own (a
list of LSOAs, a ward, a neighbourhood, a point with a radius, a drawn polygon, or a
police.uk street location within its LSOA). Nothing here is personal: the victim and
offender sides of the problem analysis triangle hold descriptions and pseudonymous
references only (docs/decisions/0500-problem-register.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from saferhub.accounts.models import Agency
from saferhub.core.models import BaseModel


class Problem(BaseModel):
    class Kind(models.TextChoices):
        PLACE = "place", "Place"
        VICTIM = "victim", "Victim"
        OFFENDER = "offender", "Offender"
        BEHAVIOUR = "behaviour", "Behaviour"

    class PlaceType(models.TextChoices):
        LSOAS = "lsoas", "One or more LSOAs"
        WARD = "ward", "A ward"
        NEIGHBOURHOOD = "neighbourhood", "A neighbourhood"
        POINT = "point", "A point with a radius"
        POLYGON = "polygon", "An area drawn on the map"
        LOCATION = "location", "A street location (police.uk) in its LSOA"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        OPEN = "open", "Open"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        HOTSPOT = "hotspot", "Assessment hotspot table"
        REPEAT_LOCATION = "repeat_location", "Assessment repeat-location table"
        EMERGING_INCREASE = "emerging_increase", "Assessment emerging-increase table"
        AREA = "area", "Area page"
        TASKING = "tasking", "Tasking agenda"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLACE)
    area = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="problems",
        help_text="The partnership's area the problem lies in.",
    )
    place_type = models.CharField(max_length=20, choices=PlaceType.choices)
    lsoa_codes = models.JSONField(default=list, blank=True)
    place_area = models.ForeignKey(
        "geography.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_placed",
        help_text="The ward or neighbourhood, for those place types.",
    )
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    polygon = models.TextField(blank=True, help_text="GeoJSON polygon in WGS84.")
    location = models.CharField(max_length=200, blank=True)
    categories = models.ManyToManyField("incidents.Category", blank=True, related_name="problems")
    themes = models.ManyToManyField("incidents.Theme", blank=True, related_name="problems")
    lead_partner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_problems")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_problems",
    )
    partner_agencies = models.ManyToManyField(Agency, blank=True, related_name="problems")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    review_on = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=30, choices=Origin.choices, default=Origin.MANUAL)
    origin_detail = models.CharField(max_length=300, blank=True)
    # OSARA: objective and scanning
    objective = models.TextField(blank=True, help_text="A measurable target.")
    scanning_sources = models.TextField(blank=True)
    # OSARA: analysis, the problem analysis triangle (no personal data)
    victim_known = models.TextField(blank=True)
    guardian_known = models.TextField(blank=True)
    offender_known = models.TextField(blank=True)
    handler_known = models.TextField(blank=True)
    location_known = models.TextField(blank=True)
    manager_known = models.TextField(blank=True)
    # OSARA: response
    response_started_on = models.DateField(null=True, blank=True)
    response_summary = models.TextField(blank=True)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="problems")

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()  # the four below are the app's permissions (accounts/roles.py)
        permissions = [
            ("view_problem", "Can read problems, tasking meetings and concerns"),
            ("edit_own_problem", "Can propose problems and edit the problems they lead"),
            ("manage_problems", "Can edit every problem and manage tasking meetings"),
            ("record_concern", "Can record community concerns"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_m__isnull=True) | Q(radius_m__gte=10, radius_m__lte=5000),
                name="problems_radius_in_range",
                violation_error_message="The radius must be between 10 and 5,000 metres.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemAssessment(BaseModel):
    """OSARA's Assessment: before and after, a comparison area, WDD, impact, lessons."""

    class Impact(models.TextChoices):
        ELIMINATED = "eliminated", "Eliminated"
        REDUCED = "reduced", "Reduced"
        LESS_SERIOUS = "less_serious", "Less serious"
        HANDLED_BETTER = "handled_better", "Handled better"
        HANDED_OVER = "handed_over", "Handed over"
        NOT_REDUCED = "not_reduced", "Not reduced"

    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="assessment")
    before_from = models.DateField()
    before_to = models.DateField()
    after_from = models.DateField()
    after_to = models.DateField()
    comparison_area = models.ForeignKey(
        "geography.Area", on_delete=models.PROTECT, related_name="problem_comparisons"
    )
    buffer_m = models.PositiveIntegerField(default=200)
    treated_before = models.PositiveIntegerField()
    treated_after = models.PositiveIntegerField()
    control_before = models.PositiveIntegerField()
    control_after = models.PositiveIntegerField()
    buffer_before = models.PositiveIntegerField()
    buffer_after = models.PositiveIntegerField()
    wdd = models.FloatField()
    wdd_z = models.FloatField(null=True, blank=True)
    wdd_p = models.FloatField(null=True, blank=True)
    wdq = models.FloatField(null=True, blank=True)
    method = models.TextField(blank=True)
    gap_months = models.JSONField(default=list, blank=True)
    impact = models.CharField(max_length=20, choices=Impact.choices)
    reduced_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField()
    lessons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(before_to__lt=models.F("after_from")),
                name="problems_assessment_before_then_after",
                violation_error_message="The period before must end before the period after.",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.problem}"


class TaskingMeeting(BaseModel):
    group = models.CharField(max_length=200)
    held_on = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_tasking_meetings",
    )
    area = models.ForeignKey(
        "geography.Area", on_delete=models.PROTECT, related_name="tasking_meetings"
    )
    top_n = models.PositiveSmallIntegerField(default=50)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on"],
                name="problems_meeting_one_per_day",
                violation_error_message="This group already has a tasking meeting on that date.",
            ),
            models.CheckConstraint(
                condition=Q(top_n__gte=1, top_n__lte=500),
                name="problems_meeting_top_n_range",
                violation_error_message="Show between 1 and 500 problems.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.held_on:%d %B %Y}"


class TaskingDecision(BaseModel):
    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt as a problem"
        ASSIGN = "assign", "Assign to a lead partner"
        CLOSE = "close", "Close"
        ESCALATE = "escalate", "Escalate"

    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.PROTECT, related_name="decisions")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    lead_partner = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.problem}"


class CommunityConcern(BaseModel):
    class RaisedBy(models.TextChoices):
        RESIDENT = "resident", "Resident"
        COUNCILLOR = "councillor", "Councillor"
        BUSINESS = "business", "Business"
        PARTNER = "partner", "Partner agency"

    place = models.ForeignKey(
        "geography.Area", on_delete=models.PROTECT, related_name="community_concerns"
    )
    theme = models.ForeignKey(
        "incidents.Theme", on_delete=models.PROTECT, related_name="community_concerns"
    )
    raised_by = models.CharField(max_length=20, choices=RaisedBy.choices)
    received_on = models.DateField()
    summary = models.TextField(help_text="What the concern is about. No names or addresses.")
    channel = models.CharField(max_length=40, default="staff")

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.theme} in {self.place} ({self.received_on})"


class HarmWeight(BaseModel):
    """A harm weight for a category (for example its ONS Crime Severity Score weight),
    with its source; the register's harm measure counts only categories that have one."""

    category = models.OneToOneField(
        "incidents.Category", on_delete=models.PROTECT, related_name="harm_weight"
    )
    weight = models.FloatField()
    source = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="problems_harm_weight_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.weight:g}"


class RankingCount(models.Model):
    """Incidents by LSOA, street location and category over the register's 12 months:
    all of them, the last 6 and the 6 before. Derived from the incidents and rebuilt after
    every import (``ranking.counts_refresh``), so the register reads these few thousand
    rows instead of grouping the incidents on every request; the window they were built
    for is :class:`RankingWindow`'s, and the register counts the incidents directly when
    it is not the window of the months held."""

    lsoa_code = models.CharField(max_length=9)
    location = models.CharField(max_length=200, blank=True)
    # No database constraint, as the monthly aggregate: derived rows, rebuilt whole.
    category = models.ForeignKey(
        "incidents.Category",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    n = models.PositiveIntegerField()
    recent = models.PositiveIntegerField()
    earlier = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["lsoa_code"], name="problems_rankcount_lsoa")]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.location} {self.category_id}: {self.n}"


class RankingWindow(models.Model):
    """The months :class:`RankingCount` was built for (one row)."""

    months = models.JSONField(default=list)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Ranking counts for {len(self.months)} months"
