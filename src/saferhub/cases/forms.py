"""Forms of case-work pages; the rules live in the services, not here."""

from __future__ import annotations

from django import forms

from saferhub.cases.imports import MAX_FILE_BYTES


class ExchangeUploadForm(forms.Form):
    file = forms.FileField(
        label="Exchange set",
        help_text="A zip of complaints.csv, applications.csv and reviews.csv (or one of them).",
    )
    dry_run = forms.BooleanField(label="Check only: save nothing", required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")
        return upload


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this case now?",
        help_text="Your reason is recorded, and the case officer is told you opened the case.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
    )


class FiguresForm(forms.Form):
    year = forms.RegexField(
        label="Year (April to March)",
        regex=r"^\d{4}/\d{2}$",
        help_text="For example, 2024/25.",
        error_messages={"invalid": "Enter the year as 2024/25."},
    )
    threshold = forms.IntegerField(
        label="Threshold (number of complaints)",
        min_value=1,
        max_value=3,
        required=False,
        error_messages={"max_value": "The threshold cannot be above 3 (s.104(4) of the 2014 Act)."},
    )
