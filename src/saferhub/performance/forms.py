"""GOV.UK forms for priorities, indicators and measurements. Validation lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferhub.accounts.models import Agency
from saferhub.performance.models import Indicator, Objective, Priority

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PriorityForm(forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter the title of the priority"}
    )
    aim = forms.CharField(required=False, widget=TEXTAREA)
    matters_because = forms.CharField(
        label="It matters because",
        required=False,
        widget=TEXTAREA,
        help_text="The evidence from the assessment, one point a line.",
    )
    hope_together = forms.CharField(
        label="We hope that together we can", required=False, widget=TEXTAREA
    )
    together_we_will = forms.CharField(label="Together we will", required=False, widget=TEXTAREA)
    objectives = forms.CharField(
        required=False,
        widget=TEXTAREA,
        help_text="One objective a line. An objective taken out is archived, not deleted.",
    )
    plan_period = forms.CharField(
        label="Plan period", required=False, max_length=20, help_text="For example 2022–25."
    )
    order = forms.IntegerField(
        min_value=0,
        initial=0,
        error_messages={
            "required": "Enter the order (0 or more)",
            "invalid": "The order must be a whole number",
        },
    )


class IndicatorForm(forms.Form):
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        error_messages={"required": "Choose the priority this indicator measures"},
    )
    objective = forms.ModelChoiceField(queryset=Objective.objects.none(), required=False)
    code = forms.CharField(
        label="Code", required=False, max_length=30, help_text="For example NI 16."
    )
    title = forms.CharField(
        max_length=300, error_messages={"required": "Enter the indicator title"}
    )
    kind = forms.ChoiceField(
        label="What is measured",
        choices=Indicator.Kind.choices,
        error_messages={"required": "Choose what is measured"},
    )
    categories = forms.CharField(
        label="Incident themes or categories",
        required=False,
        help_text="For data-driven indicators, separated by commas: for example "
        "serious-acquisitive-crime, or Burglary, Robbery, Vehicle crime.",
    )
    area_code = forms.CharField(
        label="Area code",
        required=False,
        max_length=12,
        help_text="The GSS code of the area, for example E06000015 (a local authority) or "
        "E22000366 (a CSP).",
    )
    unit = forms.CharField(
        max_length=60,
        help_text="For example offences, offences per 1,000 population, %, days.",
        error_messages={"required": "Enter the unit"},
    )
    rate_per = forms.IntegerField(
        label="Rate per",
        min_value=1,
        initial=1000,
        help_text="Population a rate is given per (1,000 or 100,000).",
        error_messages={"required": "Enter the population a rate is given per"},
    )
    decimals = forms.IntegerField(label="Decimal places", min_value=0, max_value=4, required=False)
    direction = forms.ChoiceField(
        choices=Indicator.Direction.choices,
        error_messages={"required": "Choose whether lower or higher is better"},
    )
    baseline_period = forms.CharField(
        label="Baseline period",
        max_length=10,
        help_text="A year (2023), financial year (2023/24), quarter (2023-Q1) or month.",
        error_messages={"required": "Enter the baseline period"},
    )
    baseline_value = forms.DecimalField(
        label="Baseline value",
        required=False,
        help_text="Leave blank for data-driven indicators: it is counted from the data.",
        error_messages={"invalid": "The baseline value must be a number"},
    )
    target_kind = forms.ChoiceField(
        label="Target set as",
        choices=Indicator.TargetKind.choices,
        error_messages={"required": "Choose how the target is set"},
    )
    target_value = forms.DecimalField(
        label="Target",
        help_text="A value, a % change (for example -3) or a rate, as chosen above.",
        error_messages={"required": "Enter the target", "invalid": "The target must be a number"},
    )
    target_period = forms.CharField(
        label="Target period",
        max_length=10,
        help_text="The period by the end of which the target is to be met.",
        error_messages={"required": "Enter the target period"},
    )
    milestone_frequency = forms.ChoiceField(label="Milestones", choices=Indicator.Frequency.choices)
    lead_agency = forms.ModelChoiceField(
        label="Lead partner", queryset=Agency.objects.none(), required=False
    )
    data_source = forms.CharField(label="Data source", required=False, max_length=200)
    order = forms.IntegerField(min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.live()  # type: ignore[attr-defined]
        self.fields["objective"].queryset = Objective.objects.live()  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = Agency.objects.filter(active=True)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["categories"] = [
            c.strip() for c in (data.get("categories") or "").split(",") if c.strip()
        ]
        data["area_code"] = (data.get("area_code") or "").strip().upper()
        data["order"] = data.get("order") or 0
        return data

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        initial = {name: getattr(indicator, name) for name in IndicatorForm.base_fields}
        initial["categories"] = ", ".join(indicator.categories)
        return initial


class MeasurementForm(forms.Form):
    period = forms.CharField(
        max_length=10,
        help_text="A year (2024), financial year (2024/25), quarter (2024-Q1) or month (2024-01).",
        error_messages={"required": "Enter the period the value is for"},
    )
    value = forms.DecimalField(
        error_messages={"required": "Enter the value", "invalid": "The value must be a number"}
    )
    evidence = forms.CharField(
        label="Evidence note",
        widget=TEXTAREA,
        help_text="Where the figure comes from, so others can check it.",
        error_messages={"required": "Enter the evidence note"},
    )


class MilestoneForm(forms.Form):
    period = forms.CharField(
        max_length=10,
        help_text="The milestone's period, for example 2024/25 or 2024-Q2.",
        error_messages={"required": "Enter the period of the milestone"},
    )
    value = forms.DecimalField(
        error_messages={
            "required": "Enter the milestone",
            "invalid": "The milestone must be a number",
        }
    )


class ReportForm(forms.Form):
    quarter = forms.CharField(
        label="Quarter",
        required=False,
        max_length=10,
        help_text="The quarter the report is for, for example 2024-Q4. Leave blank for the latest.",
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (others at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
