"""Forms of the budget pages: they only read input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from saferhub.accounts.models import User
from saferhub.actions.models import Action
from saferhub.governance.models import ExpenditureLine, FundedProject, IncomeLine
from saferhub.governance.models.projects import UNIT_COST_TABLES
from saferhub.performance.models import Objective, Priority

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class YearForm(forms.Form):
    label = forms.CharField(max_length=20, help_text="For example 2025–26.")
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)


class IncomeLineForm(forms.Form):
    source = forms.ChoiceField(choices=IncomeLine.Source.choices)
    funder = forms.CharField(max_length=200, help_text="For example Health or the City Council.")
    description = forms.CharField(max_length=300, required=False)
    amount = forms.DecimalField(label="Amount (£)", **MONEY)  # type: ignore[arg-type]
    grant_conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Grant conditions"
    )


class ExpenditureLineForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=ExpenditureLine.Kind.choices)
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(archived_at__isnull=True), required=False
    )
    provider = forms.CharField(max_length=200, required=False)
    budget = forms.DecimalField(label="Budget (£)", **MONEY)  # type: ignore[arg-type]
    profile_q1 = forms.DecimalField(label="Profile, quarter 1 (£)", **MONEY)  # type: ignore[arg-type]
    profile_q2 = forms.DecimalField(label="Profile, quarter 2 (£)", **MONEY)  # type: ignore[arg-type]
    profile_q3 = forms.DecimalField(label="Profile, quarter 3 (£)", **MONEY)  # type: ignore[arg-type]
    profile_q4 = forms.DecimalField(label="Profile, quarter 4 (£)", **MONEY)  # type: ignore[arg-type]


class QuarterSpendForm(forms.Form):
    quarter = forms.TypedChoiceField(
        choices=[(q, f"Quarter {q}") for q in (1, 2, 3, 4)], coerce=int
    )
    actual = forms.DecimalField(label="Actual spend this quarter (£)", **MONEY)  # type: ignore[arg-type]
    forecast_outturn = forms.DecimalField(label="Forecast outturn for the year (£)", **MONEY)  # type: ignore[arg-type]
    variance_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason for any variance",
        help_text="Needed when the forecast outturn differs from the budget.",
    )


class BudgetImportForm(forms.Form):
    file = forms.FileField(
        label="Budget workbook (XLSX)",
        help_text="Sheets Income and Expenditure, in the layout of the Excel download.",
    )


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=FundedProject.Kind.choices)
    provider = forms.CharField(max_length=200)
    funding = forms.DecimalField(label="Funding (£)", max_digits=14, decimal_places=2, min_value=0)
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(archived_at__isnull=True), required=False
    )
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.filter(archived_at__isnull=True), required=False
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)
    unit_cost_table = forms.ChoiceField(choices=UNIT_COST_TABLES, label="Unit costs of crime")
    target_offence_groups = forms.CharField(
        required=False,
        label="Offence groups it targets",
        help_text="One a line, named as in the unit-cost table (for example Burglary dwelling).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_target_offence_groups(self) -> list[str]:
        text = self.cleaned_data.get("target_offence_groups") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class OutputForm(forms.Form):
    description = forms.CharField(
        max_length=300, help_text="For example homes issued with burglary kits."
    )
    unit = forms.CharField(max_length=60, help_text="For example homes.")
    target = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    actual = forms.DecimalField(
        max_digits=12, decimal_places=2, required=False, label="Delivered so far"
    )


SCORE_CHOICES = [("", "Choose")] + [(str(n), str(n)) for n in range(1, 6)]


def _score(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        help_text="1 (rare or minor) to 5 (almost certain or severe).",
    )


class RiskScoresForm(forms.Form):
    likelihood_before = _score("Likelihood before controls")
    impact_before = _score("Impact before controls")
    likelihood_after = _score("Likelihood after controls")
    impact_after = _score("Impact after controls")
    review_on = forms.DateField(label="Next review", widget=DATE)


class RiskForm(RiskScoresForm):
    title = forms.CharField(label="Risk", max_length=300)
    cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    consequence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    existing_controls = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Existing controls"
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(archived_at__isnull=True), required=False
    )
    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.filter(archived_at__isnull=True),
        required=False,
        label="Actions that address it",
        widget=forms.SelectMultiple,
    )
    field_order = [
        "title",
        "cause",
        "consequence",
        "owner",
        "existing_controls",
        "priority",
        "likelihood_before",
        "impact_before",
        "likelihood_after",
        "impact_after",
        "review_on",
        "actions",
    ]


class RiskReviewForm(RiskScoresForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="What changed"
    )


class BoardGroupForm(forms.Form):
    name = forms.CharField(
        max_length=200, help_text="For example Safer City Board, Finance sub-group."
    )
    kind = forms.ChoiceField(choices=[("board", "Board"), ("sub_group", "Sub-group")])
    parent: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Reports to",
        help_text="For a sub-group: the Board it reports to.",
    )
    remit = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from saferhub.governance.models import BoardGroup

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = BoardGroup.objects.live().filter(kind="board")


class BoardMemberForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="The member's name or post.")
    organisation = forms.CharField(max_length=200)
    role = forms.ChoiceField(
        choices=[
            ("chair", "Chair"),
            ("vice_chair", "Vice-chair"),
            ("member", "Member"),
            ("adviser", "Adviser (not voting)"),
        ],
        initial="member",
    )
    joined_on = forms.DateField(label="Joined on", widget=DATE)


class BoardMeetingForm(forms.Form):
    held_on = forms.DateField(label="Meeting date", widget=DATE)
    quarter = forms.CharField(
        max_length=10,
        required=False,
        help_text="The quarter its papers report, for example 2025-Q4 (default: the latest).",
    )


class MinutesForm(forms.Form):
    present = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One a line."
    )
    apologies = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(max_length=200, required=False, label="Who acts on it")
    due_on = forms.DateField(label="Due by", widget=DATE, required=False)


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=300, label="Consultation")
    held_on = forms.DateField(label="Held on", widget=DATE)
    method = forms.ChoiceField(
        choices=[
            ("survey", "Survey"),
            ("public_meeting", "Public meeting"),
            ("focus_group", "Focus group"),
            ("interviews", "Interviews"),
            ("event", "Event or roadshow"),
            ("other", "Other"),
        ]
    )
    groups_consulted = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Groups consulted",
        help_text="One a line, for example residents of an estate, young people, businesses.",
    )
    participants = forms.IntegerField(min_value=0, required=False, label="How many took part")
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Feedback received")
    changes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What changed as a result",
        help_text="Leave empty until something has.",
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(archived_at__isnull=True), required=False
    )


class SurveyImportForm(forms.Form):
    survey = forms.CharField(max_length=200, help_text="For example Residents' survey.")
    wave_date = forms.DateField(label="Wave date", widget=DATE)
    sample_size = forms.IntegerField(min_value=1, label="Sample size")
    area_code = forms.CharField(max_length=12, required=False, label="Area code (GSS)")
    area_name = forms.CharField(max_length=200, required=False, label="Area name")
    weighting = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="How the results were weighted, if at all.",
    )
    effective_sample_size = forms.IntegerField(
        min_value=1, required=False, label="Effective sample size (weighted surveys)"
    )
    file = forms.FileField(
        label="Results (XLSX or CSV)",
        help_text="Columns Question, Answer, Count and (optionally) Respondents.",
    )


class RiskEditForm(forms.Form):
    title = forms.CharField(label="Risk", max_length=300)
    cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    consequence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    existing_controls = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Existing controls"
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(archived_at__isnull=True), required=False
    )
    status = forms.ChoiceField(choices=[("open", "Open"), ("closed", "Closed")])
    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.filter(archived_at__isnull=True),
        required=False,
        label="Actions that address it",
        widget=forms.SelectMultiple,
    )
