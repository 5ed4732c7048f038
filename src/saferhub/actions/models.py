"""Action teams, action plans, actions, their updates and evaluations, and meetings.

The partnership delivers its plan through actions: each has a lead partner (an agency),
optionally a named lead officer, a due date, a success indicator and a status, and is
updated by its lead at or between meetings of its action team. At year end the plan is
summarised per action team (the end-of-year report's table of actions per team) and unfinished actions are
carried into next year's plan.

An action keeps the plan's own words (the priority's name, the target or objective it
serves, its success indicator) and, where the partnership has them in the performance
app, links to that Priority, Objective and Indicator; see
docs/decisions/0300-action-ownership-and-priorities.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from saferhub.accounts.models import Agency
from saferhub.core.models import BaseModel


class ActionTeam(BaseModel):
    """An action team or thematic group (or a sub-group of one) that owns actions."""

    class Kind(models.TextChoices):
        ACTION_TEAM = "action_team", "Action team"
        THEMATIC_GROUP = "thematic_group", "Thematic group"
        SUB_GROUP = "sub_group", "Sub-group"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACTION_TEAM)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_groups",
        help_text="For a sub-group: the action team it reports to.",
    )
    priority = models.CharField(
        max_length=200, blank=True, help_text="The priority or theme the team delivers."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_action_teams",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_action_teams",
    )
    member_agencies = models.ManyToManyField(Agency, blank=True, related_name="action_teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="sub_group", parent__isnull=False)
                | (~Q(kind="sub_group") & Q(parent__isnull=True)),
                name="actions_team_subgroup_has_parent",
                violation_error_message="A sub-group reports to an action team: choose which. "
                "An action team or thematic group reports to no other group.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionPlan(BaseModel):
    """The partnership's action plan for one year (or one period of a plan)."""

    title = models.CharField(max_length=200, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_plan",
        help_text="Last year's plan, whose unfinished actions were carried into this one.",
    )
    notes = models.TextField(blank=True)
    priorities = models.ManyToManyField(
        "performance.Priority", blank=True, related_name="action_plans"
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        permissions = [
            ("view_action", "Can read action plans, actions and meetings"),
            ("manage_action_plan", "Can manage action plans, teams, actions and meetings"),
            ("update_own_action", "Can update and complete the actions they lead"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="actions_plan_ends_after_start",
                violation_error_message="The plan must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(BaseModel):
    """A meeting of an action team: agenda from its due and overdue actions, minutes."""

    team = models.ForeignKey(ActionTeam, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    agenda_actions: models.ManyToManyField[Action, Any] = models.ManyToManyField(
        "Action", blank=True, related_name="agenda_of_meetings"
    )
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "held_on"],
                name="actions_meeting_one_per_day",
                violation_error_message="This group already has a meeting on that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} – {self.held_on:%d %B %Y}"


class Action(BaseModel):
    """One action of an action plan."""

    class Term(models.TextChoices):
        SHORT = "short", "Short term"
        MEDIUM = "medium", "Medium term"
        LONG = "long", "Long term"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OVERDUE = "overdue", "Overdue"
        COMPLETED = "completed", "Completed"
        CARRIED_FORWARD = "carried_forward", "Carried forward"
        DROPPED = "dropped", "Dropped"

    # Statuses after which an action is no longer worked in this plan.
    CLOSED = frozenset({Status.COMPLETED, Status.CARRIED_FORWARD, Status.DROPPED})

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    team = models.ForeignKey(
        ActionTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    reference = models.CharField(max_length=40)
    priority = models.CharField(max_length=200, blank=True, help_text="The priority it serves.")
    objective = models.CharField(
        max_length=500, blank=True, help_text="The target or objective, as the plan words it."
    )
    performance_priority = models.ForeignKey(
        "performance.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    performance_objective = models.ForeignKey(
        "performance.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    indicator = models.ForeignKey(
        "performance.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The performance indicator that measures the success indicator.",
    )
    description = models.TextField(help_text="What will be done.")
    outcome = models.TextField(blank=True, help_text="The outcome or goal.")
    term = models.CharField(max_length=10, choices=Term.choices, blank=True)
    lead_partners = models.ManyToManyField(Agency, related_name="led_actions")
    supporting_partners = models.ManyToManyField(
        Agency, blank=True, related_name="supported_actions"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    target_quantity = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="For example 2,500."
    )
    target_unit = models.CharField(max_length=100, blank=True, help_text="For example homes.")
    progress_quantity = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    success_indicator = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    budget_line = models.CharField(max_length=200, blank=True)
    budget_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="new_actions",
        help_text="The meeting at which the action was agreed.",
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="actions_reference_unique"),
            models.CheckConstraint(
                condition=Q(target_quantity__isnull=True) | Q(target_quantity__gt=0),
                name="actions_target_positive",
            ),
            models.CheckConstraint(
                condition=Q(progress_quantity__isnull=True) | Q(progress_quantity__gte=0),
                name="actions_progress_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="actions_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="actions_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:80]}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today: dt.date) -> bool:
        return bool(self.due_date and self.due_date < today and not self.is_closed)

    @property
    def progress_percent(self) -> int | None:
        """Progress towards a quantitative target, in whole percent (capped at 100)."""
        if not self.target_quantity or self.progress_quantity is None:
            return None
        return min(100, int(Decimal(100) * self.progress_quantity / self.target_quantity))


class ActionUpdate(BaseModel):
    """A dated progress update by the action's lead, at or between meetings."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    made_on = models.DateField()
    progress = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    progress_quantity = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )

    class Meta:
        ordering = ["-made_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_quantity__isnull=True) | Q(progress_quantity__gte=0),
                name="actions_update_progress_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.made_on}"


class ActionEvaluation(BaseModel):
    """The evaluation of a completed action: outcome with evidence, strengths, weaknesses."""

    class Achieved(models.TextChoices):
        YES = "yes", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NO = "no", "Not achieved"

    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="evaluation")
    outcome_achieved = models.CharField(max_length=10, choices=Achieved.choices)
    evidence = models.TextField()
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    good_practice = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.action.reference}"


class PartnerContribution(BaseModel):
    """What one partner contributes to one priority of a plan (the contribution matrix)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    priority = models.CharField(max_length=200)
    contribution = models.TextField()

    class Meta:
        ordering = ["agency__name", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency", "priority"], name="actions_contribution_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.priority}"
