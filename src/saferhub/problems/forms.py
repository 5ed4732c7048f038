"""Forms of the problem pages: they check the input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms

from saferhub.accounts.models import Agency, User
from saferhub.actions.models import ActionPlan
from saferhub.geography.models import Area
from saferhub.incidents.models import Category, Theme
from saferhub.problems.models import CommunityConcern, Problem, ProblemAssessment, TaskingDecision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
NO_PERSONAL = (
    "No personal data: describe, or use a pseudonymous reference (never a name, address, "
    "date of birth or case number)."
)


def _agencies() -> Any:
    return Agency.objects.filter(active=True).order_by("name")


class MonthField(forms.DateField):
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class ProblemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    kind = forms.ChoiceField(choices=Problem.Kind.choices, label="Kind of problem")
    area = forms.ModelChoiceField(
        queryset=Area.objects.live().filter(level__in=["csp", "lad"]),
        label="Partnership area",
    )
    place_type = forms.ChoiceField(choices=Problem.PlaceType.choices, label="The place is")
    lsoa_codes = forms.CharField(
        required=False,
        label="LSOA codes",
        help_text="For LSOAs or a street location: LSOA codes (E01 followed by six digits), separated by commas.",
    )
    place_area = forms.ModelChoiceField(
        queryset=Area.objects.live().filter(level__in=["ward", "neighbourhood"]),
        required=False,
        label="Ward or neighbourhood",
    )
    longitude = forms.FloatField(required=False, label="Point: longitude")
    latitude = forms.FloatField(required=False, label="Point: latitude")
    radius_m = forms.IntegerField(required=False, label="Point: radius in metres")
    polygon = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Drawn area (GeoJSON polygon)",
        help_text="Drawn on the map, or pasted: a closed polygon inside the partnership's area.",
    )
    location = forms.CharField(
        required=False, max_length=200, label="Street location (as police.uk words it)"
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.live().order_by("name"),
        required=False,
        label="Incident categories",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.live().order_by("position"),
        required=False,
        label="Partner themes",
    )
    lead_partner = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Lead partner")
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Lead officer",
    )
    partner_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, label="Partner agencies"
    )
    review_on = forms.DateField(required=False, widget=DATE, label="Review date")
    origin = forms.CharField(required=False, widget=forms.HiddenInput)
    origin_detail = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_partner", "partner_agencies"):
            self.fields[name].queryset = _agencies()  # type: ignore[attr-defined]

    def clean_lsoa_codes(self) -> list[str]:
        text = self.cleaned_data.get("lsoa_codes") or ""
        return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["origin"] = data.get("origin") or Problem.Origin.MANUAL
        return data


class ProblemEditForm(ProblemForm):
    """The register's details of a problem, its place and status (closing needs its
    assessment; the service checks)."""

    status = forms.ChoiceField(choices=Problem.Status.choices, label="Status")
    field_order = [
        "title",
        "kind",
        "status",
        "area",
        "place_type",
        "lsoa_codes",
        "place_area",
        "longitude",
        "latitude",
        "radius_m",
        "polygon",
        "location",
        "categories",
        "themes",
        "lead_partner",
        "lead_officer",
        "partner_agencies",
        "review_on",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("origin", "origin_detail"):
            del self.fields[name]

    @staticmethod
    def initial_of(problem: Problem) -> dict[str, Any]:
        """The form's values from the problem as it is."""
        values: dict[str, Any] = {
            name: getattr(problem, name)
            for name in (
                "title",
                "kind",
                "status",
                "area",
                "place_type",
                "place_area",
                "longitude",
                "latitude",
                "radius_m",
                "polygon",
                "location",
                "lead_partner",
                "lead_officer",
                "review_on",
            )
        }
        values["lsoa_codes"] = ", ".join(problem.lsoa_codes or [])
        values["categories"] = list(problem.categories.all())
        values["themes"] = list(problem.themes.all())
        values["partner_agencies"] = list(problem.partner_agencies.all())
        return values

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ObjectiveForm(forms.Form):
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Objective",
        help_text="A measurable target, for example: reduce violence at the place by 20% "
        "in 6 months against the same months before.",
    )


class ScanningForm(forms.Form):
    scanning_sources = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Sources scanned",
        help_text="Where the problem was seen: the incident data (counted below), partner "
        "reports, community concerns.",
    )


class AnalysisForm(forms.Form):
    victim_known = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Victim or target",
        help_text=NO_PERSONAL,
    )
    guardian_known = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Guardians"
    )
    offender_known = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Offender",
        help_text=NO_PERSONAL,
    )
    handler_known = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Handlers"
    )
    location_known = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Location"
    )
    manager_known = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Place managers"
    )


class ResponseActionForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=ActionPlan.objects.live(), label="Action plan")
    reference = forms.CharField(max_length=40, label="Action reference")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="What will be done"
    )
    lead_partners = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, label="Lead partner"
    )
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Lead officer",
    )
    due_date = forms.DateField(required=False, widget=DATE, label="Due date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_partners"].queryset = _agencies()  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    comparison_area = forms.ModelChoiceField(
        queryset=Area.objects.live()
        .filter(level__in=["ward", "neighbourhood", "lsoa"])
        .order_by("level", "name"),
        label="Comparison area",
        help_text="An area like the place, that does not overlap it.",
    )
    before_from = MonthField(widget=MONTH, label="Before: first month")
    before_to = MonthField(widget=MONTH, label="Before: last month")
    after_from = MonthField(widget=MONTH, label="After: first month")
    after_to = MonthField(widget=MONTH, label="After: last month")
    buffer_m = forms.IntegerField(
        min_value=50, max_value=2000, initial=200, label="Buffer for displacement, metres"
    )
    impact = forms.ChoiceField(choices=ProblemAssessment.Impact.choices, label="Impact")
    reduced_percent = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Reduced by (%)"
    )
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Evidence")
    lessons = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Lessons"
    )

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from saferhub.geography import selectors as geo

        inside = [
            a.pk for level in ("ward", "neighbourhood") for a in geo.areas_in(problem.area, level)
        ]
        self.fields["comparison_area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            pk__in=inside
        ).order_by("level", "name")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Problem.Status.choices, label="Status")


class MeetingForm(forms.Form):
    group = forms.CharField(max_length=200, label="Tasking group")
    held_on = forms.DateField(widget=DATE, label="Date")
    area = forms.ModelChoiceField(
        queryset=Area.objects.live().filter(level__in=["csp", "lad"]),
        label="Partnership area",
    )
    chair = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Chair",
    )
    top_n = forms.IntegerField(
        min_value=1, max_value=500, initial=50, label="Problems to show in the ranked register"
    )


class DecisionForm(forms.Form):
    problem = forms.ModelChoiceField(queryset=Problem.objects.all(), label="Problem")
    decision = forms.ChoiceField(choices=TaskingDecision.Decision.choices, label="Decision")
    lead_partner = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, label="Lead partner (to assign)"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note")

    def __init__(self, *args: Any, problems: Any = None, **kwargs: Any) -> None:
        """``problems``: the problems a decision may be on (the page offers those on the
        agenda and in the ranked register shown, not the whole register)."""
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = _agencies()  # type: ignore[attr-defined]
        if problems is not None:
            self.fields["problem"].queryset = problems  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Minutes")


class ConcernForm(forms.Form):
    place = forms.ModelChoiceField(
        queryset=Area.objects.live()
        .filter(level__in=["ward", "neighbourhood", "lsoa"])
        .order_by("level", "name"),
        label="Place",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.live().order_by("position"), label="Theme"
    )
    raised_by = forms.ChoiceField(choices=CommunityConcern.RaisedBy.choices, label="Raised by")
    received_on = forms.DateField(widget=DATE, label="Received on")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The concern",
        help_text="What it is about. No names, addresses or other personal data.",
    )
