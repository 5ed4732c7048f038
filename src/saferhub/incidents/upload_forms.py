"""Forms of the upload page and the partner source (column mapping) pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from saferhub.incidents.models import PartnerSource, Theme
from saferhub.incidents.partner import SOURCE_FIELDS
from saferhub.incidents.upload import PARTNER, POLICE_UK


class UploadForm(forms.Form):
    what = forms.ChoiceField(
        label="What is the file?",
        help_text="police.uk street-level crime, or a file from a partner source.",
        error_messages={"required": "Choose police.uk or a partner source"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="CSV or Excel (.xlsx) for a partner source; CSV or the zip archive for police.uk.",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file is empty: choose a file with data in it",
        },
    )
    all_or_nothing = forms.BooleanField(
        label="All or nothing: load nothing if any row has a problem", required=False
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the file and report, without loading anything", required=False
    )

    def __init__(self, *args: Any, sources: list[PartnerSource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {str(s.pk): s for s in sources}
        cast(forms.ChoiceField, self.fields["what"]).choices = [
            ("", "Choose…"),
            (POLICE_UK, "police.uk street-level crime"),
        ] + [(f"{PARTNER}:{s.pk}", f"Partner source: {s.name}") for s in sources]

    def kind_and_source(self) -> tuple[str, PartnerSource | None]:
        what = self.cleaned_data["what"]
        if what == POLICE_UK:
            return POLICE_UK, None
        return PARTNER, self.sources[what.split(":", 1)[1]]


class PartnerSourceForm(forms.ModelForm):
    ignored_columns_text = forms.CharField(
        label="Columns to leave out (never stored)",
        help_text="Free-text and other columns the file has, separated by commas.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = PartnerSource
        # Every mapped field of a source; ignored columns have their own text field.
        fields = [f for f in SOURCE_FIELDS if f != "ignored_columns"]
        labels = {
            "name": "Source name",
            "default_theme": "Default theme",
            "date_column": "Date column",
            "date_precision": "Dates are by",
            "date_format": "Date format",
            "category_column": "Category column",
            "location_kind": "Location is given as",
            "x_column": "Longitude or easting column",
            "y_column": "Latitude or northing column",
            "area_column": "LSOA or ward code column",
            "reference_column": "Incident reference column",
            "victim_ref_column": "Pseudonymous victim reference column",
            "location_ref_column": "Pseudonymous location reference column",
        }
        error_messages = {
            "name": {
                "required": "Enter a name for the source",
                "unique": "A source with this name already exists",
            },
            "date_column": {"required": "Enter the name of the date column"},
            "default_theme": {"required": "Choose the default theme"},
            "location_kind": {"required": "Choose how the location is given"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["default_theme"]).queryset = Theme.objects.live()
        if self.instance.pk:
            self.fields["ignored_columns_text"].initial = ", ".join(
                self.instance.ignored_columns or []
            )

    def clean_date_format(self) -> str:
        import datetime as dt

        value = str(self.cleaned_data.get("date_format") or "").strip()
        if "%" not in value:
            raise forms.ValidationError("Enter a date format using codes such as %d/%m/%Y")
        try:
            dt.date(2024, 1, 31).strftime(value)
        except ValueError as exc:
            raise forms.ValidationError(f"The date format is not valid ({exc})") from exc
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("location_kind")
        if kind in {"wgs84", "bng"}:
            for name, label in [
                ("x_column", "longitude or easting"),
                ("y_column", "latitude or northing"),
            ]:
                if not data.get(name):
                    self.add_error(name, f"Enter the {label} column for this kind of location")
        elif kind in {"lsoa", "ward"} and not data.get("area_column"):
            self.add_error("area_column", "Enter the column that holds the LSOA or ward code")
        return data

    def _post_clean(self) -> None:
        # Model constraints are checked with friendlier messages in clean().
        if not self.errors:
            super()._post_clean()  # type: ignore[misc]

    def mapping(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        text = self.cleaned_data.get("ignored_columns_text") or ""
        data["ignored_columns"] = [c.strip() for c in text.split(",") if c.strip()]
        return data
