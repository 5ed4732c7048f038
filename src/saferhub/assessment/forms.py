from __future__ import annotations

from typing import Any

from django import forms

from saferhub.core.periods import MONTH_RE

MONTH_HELP = "For example, 2024-01. Leave both months empty for the latest 12 months in the data."


class AssessmentRunForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    first_month = forms.RegexField(
        label="First month (optional)",
        regex=MONTH_RE.pattern,
        required=False,
        help_text=MONTH_HELP,
        error_messages={"invalid": "Enter the first month as YYYY-MM, for example 2024-01"},
    )
    last_month = forms.RegexField(
        label="Last month (optional)",
        regex=MONTH_RE.pattern,
        required=False,
        help_text="For example, 2024-12.",
        error_messages={"invalid": "Enter the last month as YYYY-MM, for example 2024-12"},
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area: Any = self.fields["area"]
        area.choices = [(code, f"{name} ({code})") for code, name in areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month")
        if bool(first) != bool(last):
            self.add_error(
                "first_month" if not first else "last_month",
                "Enter both the first and the last month, or neither",
            )
        elif first and last and first > last:
            self.add_error(
                "last_month", "The last month must be the same as or after the first month"
            )
        return data


class CompareForm(forms.Form):
    old = forms.IntegerField(label="Earlier version")
    new = forms.IntegerField(label="Later version")
