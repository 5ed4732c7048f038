"""The Board and its sub-groups: membership, meetings with their agenda, decisions, minutes.

A meeting's agenda is built from the scorecard, action progress, risk ratings and budget
variance when the meeting is set up, and kept as it was (``agenda``): the minutes refer to
the papers the Board had, not to today's figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from saferhub.core.models import BaseModel


class BoardGroup(BaseModel):
    """The Board, or one of its sub-groups (performance, finance, risk...)."""

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        SUB_GROUP = "sub_group", "Sub-group"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BOARD)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_groups",
        help_text="For a sub-group: the Board it reports to.",
    )
    remit = models.TextField(blank=True, help_text="What the group is responsible for.")

    class Meta:
        ordering = ["kind", "name"]
        permissions = [("manage_board", "Can keep Board membership, meetings and minutes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="sub_group", parent__isnull=False)
                | Q(kind="board", parent__isnull=True),
                name="governance_board_subgroup_parent",
                violation_error_message="A sub-group reports to the Board: choose which. "
                "The Board reports to no other group.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BoardMember(BaseModel):
    """A seat on the Board or a sub-group: who holds it, for which organisation."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser (not voting)"

    group = models.ForeignKey(BoardGroup, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=200, help_text="The member's name or post.")
    organisation = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_seats",
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="governance_member_dates",
                violation_error_message="A member leaves on or after the day they joined.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class BoardMeeting(BaseModel):
    """One meeting: its quarter, the agenda built for it, the minutes once held."""

    group = models.ForeignKey(BoardGroup, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    quarter = models.CharField(
        max_length=10, help_text="The quarter its papers report, for example 2025-Q4."
    )
    agenda = models.JSONField(default=list, blank=True)
    present = models.TextField(blank=True, help_text="Who attended, one a line.")
    apologies = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on"],
                name="governance_board_meeting_one_per_day",
                violation_error_message="This group already has a meeting on that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.held_on:%d %B %Y}"


class BoardDecision(BaseModel):
    """A decision of a meeting, with who acts on it and by when."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField()
    owner = models.CharField(max_length=200, blank=True, help_text="Who acts on it.")
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ConsultationEvent(BaseModel):
    """An entry of the consultation log: who was asked, what they said, what changed."""

    class Method(models.TextChoices):
        SURVEY = "survey", "Survey"
        PUBLIC_MEETING = "public_meeting", "Public meeting"
        FOCUS_GROUP = "focus_group", "Focus group"
        INTERVIEWS = "interviews", "Interviews"
        EVENT = "event", "Event or roadshow"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    held_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    groups_consulted = models.TextField(help_text="The groups consulted, one a line.")
    participants = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many took part, if known."
    )
    feedback = models.TextField(help_text="What people told the partnership.")
    changes = models.TextField(
        "What changed as a result", blank=True, help_text="Left empty until something has."
    )
    priority = models.ForeignKey(
        "performance.Priority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    survey_wave = models.ForeignKey(
        "governance.SurveyWave",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title

    def groups(self) -> list[str]:
        return [g.strip() for g in self.groups_consulted.splitlines() if g.strip()]
