"""Forms of the budget pages: they only read input; the rules live in the services."""

from __future__ import annotations

from django import forms

from saferhub.governance.models import ExpenditureLine, IncomeLine
from saferhub.performance.models import Priority

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
