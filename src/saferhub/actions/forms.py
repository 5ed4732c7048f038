"""Forms of the action pages: they check the input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from saferhub.accounts.models import Agency, User
from saferhub.actions.models import Action, ActionEvaluation, ActionPlan, ActionTeam, Meeting
from saferhub.actions.services import UPDATE_STATUSES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.live(),
        required=False,
        label="Action plan",
        empty_label="All plans",
    )
    priority = forms.ChoiceField(required=False, label="Priority")
    partner = forms.ModelChoiceField(
        queryset=Agency.objects.filter(active=True),
        required=False,
        label="Partner (lead or supporting)",
        empty_label="All partners",
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Action.Status.choices], required=False, label="Status"
    )
    due_from = forms.DateField(required=False, label="Due from", widget=DATE)
    due_to = forms.DateField(required=False, label="Due by", widget=DATE)

    def __init__(self, *args: Any, priorities: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All priorities")] + [(p, p) for p in priorities or []]
        self.fields["priority"].choices = choices  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    made_on = forms.DateField(
        label="Date of the update",
        widget=DATE,
        error_messages={"required": "Enter the date of the update", "invalid": "Enter a real date"},
    )
    progress = forms.CharField(
        label="Progress",
        help_text="What has been done since the last update, and what happens next.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the progress made"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in UPDATE_STATUSES],
        error_messages={"required": "Choose the action's status"},
    )
    progress_quantity = forms.DecimalField(
        label="Progress towards the target",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the progress as a number, like 1200",
            "min_value": "Progress cannot be negative",
        },
    )
    meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Reported at meeting",
        empty_label="Between meetings",
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["made_on"].initial = timezone.localdate()
        self.fields["status"].initial = (
            action.status if action.status in UPDATE_STATUSES else Action.Status.ON_TRACK
        )
        meetings = action.team.meetings.all() if action.team else None
        if meetings is None:
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        if action.target_quantity:
            self.fields[
                "progress_quantity"
            ].help_text = (
                f"Towards the target of {action.target_quantity:,.0f} {action.target_unit}".strip()
            )
        else:
            del self.fields["progress_quantity"]


class ActionCompleteForm(forms.Form):
    completed_on = forms.DateField(
        label="Date completed",
        widget=DATE,
        error_messages={"required": "Enter the date the action was completed"},
    )
    outcome_achieved = forms.ChoiceField(
        label="Was the outcome achieved?",
        choices=ActionEvaluation.Achieved.choices,
        error_messages={"required": "Say whether the outcome was achieved"},
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What shows the outcome: figures, reports, feedback.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the evidence for the outcome"},
    )
    strengths = forms.CharField(
        label="Strengths", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weaknesses = forms.CharField(
        label="Weaknesses", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    good_practice = forms.CharField(
        label="Good practice to share", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    progress_quantity = forms.DecimalField(
        label="Final progress towards the target",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the progress as a number, like 2500"},
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()
        if not action.target_quantity:
            del self.fields["progress_quantity"]


class ActionCreateForm(forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=40, error_messages={"required": "Enter a reference"}
    )
    priority = forms.CharField(label="Priority", max_length=200, required=False)
    objective = forms.CharField(label="Target or objective", max_length=500, required=False)
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the action"},
    )
    outcome = forms.CharField(
        label="Outcome or goal", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    term = forms.ChoiceField(
        label="Term", choices=[("", "Not set"), *Action.Term.choices], required=False
    )
    team = forms.ModelChoiceField(
        queryset=ActionTeam.objects.live(),
        required=False,
        label="Action team",
        empty_label="None",
    )
    lead_partners = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.filter(active=True),
        label="Lead partner(s)",
        error_messages={"required": "Choose at least one lead partner"},
    )
    supporting_partners = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.filter(active=True), label="Supporting partners", required=False
    )
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        label="Lead officer",
        required=False,
        empty_label="None named",
    )
    due_date = forms.DateField(label="Due date", required=False, widget=DATE)
    target_quantity = forms.DecimalField(
        label="Quantity target", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    target_unit = forms.CharField(label="Unit of the target", max_length=100, required=False)
    success_indicator = forms.CharField(
        label="Success indicator", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    budget_line = forms.CharField(label="Budget line", max_length=200, required=False)
    budget_amount = forms.DecimalField(
        label="Budget (£)", required=False, min_value=0, max_digits=12, decimal_places=2
    )


class MeetingCreateForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting",
        widget=DATE,
        error_messages={"required": "Enter the date of the meeting"},
    )


class MeetingRecordForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    decisions = forms.CharField(
        label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class PlanCreateForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="For example Action plan 2010/11"
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)


class CarryForwardForm(forms.Form):
    title = forms.CharField(label="Title of next year's plan", max_length=200)
    starts_on = forms.DateField(label="Next year's plan starts on", widget=DATE)
    ends_on = forms.DateField(label="Next year's plan ends on", widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Action plan spreadsheet",
        help_text="A CSV or Excel (XLSX) file with columns such as Target, Outcome/Goal, "
        "Lead partner(s) and Success indicator.",
        error_messages={"required": "Choose a CSV or XLSX file"},
    )
    dry_run = forms.BooleanField(label="Check the file only (import nothing)", required=False)


class TeamCreateForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the group's name"}
    )
    kind = forms.ChoiceField(label="Kind of group", choices=ActionTeam.Kind.choices)
    parent = forms.ModelChoiceField(
        queryset=ActionTeam.objects.live().filter(parent__isnull=True),
        required=False,
        label="Reports to (for a sub-group)",
        empty_label="None",
    )
    priority = forms.CharField(label="Priority or theme", max_length=200, required=False)
    chair = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), required=False, label="Chair"
    )
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), required=False, label="Lead officer"
    )
    member_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.filter(active=True), required=False, label="Member agencies"
    )


class ContributionForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(active=True),
        label="Partner",
        error_messages={"required": "Choose the partner"},
    )
    priority = forms.CharField(
        label="Priority",
        max_length=200,
        help_text="As the plan words it, for example Reducing Serious Acquisitive Crime.",
        error_messages={"required": "Enter the priority"},
    )
    contribution = forms.CharField(
        label="What the partner contributes",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the contribution"},
    )
