"""Forms of the pages that open and work an ASB case and an ASB Case Review.

The forms only shape input; the rules (lawful basis, the 2014 Act's limits, the threshold)
live in the services, whose errors come back on the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from saferhub.accounts.models import Agency
from saferhub.cases.models import AsbCase, CaseReviewApplication, Intervention, Party
from saferhub.cases.risk import DEFAULT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


def _agencies() -> Any:
    return Agency.objects.order_by("name")


class AsbCaseOpenForm(forms.Form):
    opened_on = forms.DateField(label="Date opened", widget=DATE)
    category = forms.ChoiceField(
        label="Category",
        choices=AsbCase.Category.choices,
        help_text="Personal, nuisance or environmental (the national ASB categories).",
    )
    basis = forms.ChoiceField(label="Person-based or place-based", choices=AsbCase.Basis.choices)
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="What is happening. Stored encrypted.",
    )


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Party.Role.choices)
    unknown = forms.BooleanField(label="The perpetrator is not yet identified", required=False)
    full_name = forms.CharField(label="Full name", required=False, max_length=200)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=DATE,
        help_text="Needed for interventions with an age limit, and to find the same person "
        "on other cases.",
    )
    address = forms.CharField(label="Address", required=False, max_length=500)
    phone = forms.CharField(label="Telephone", required=False, max_length=40)
    source_ref = forms.CharField(
        label="Reference in the reporting system (optional)",
        required=False,
        max_length=100,
        help_text="The pseudonymous victim reference of the partner data, if known.",
    )
    vulnerable = forms.BooleanField(label="The person is vulnerable", required=False)
    article6_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR article 6)",
        choices=[("", "Choose the basis"), *Party.Article6.choices],
        required=False,
    )
    special_category = forms.BooleanField(
        label="Special category or criminal offence data is held", required=False
    )
    schedule1_condition = forms.ChoiceField(
        label="DPA 2018 Schedule 1 condition", choices=Party.Schedule1.choices, required=False
    )
    consent_agencies = forms.ModelMultipleChoiceField(
        label="Agencies the person consents to sharing with",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Needed when the lawful basis is consent, for each agency the case is shared with.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=TEXT, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_agencies"].queryset = _agencies()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unknown"):
            if not (data.get("full_name") or "").strip():
                self.add_error("full_name", "Enter the person's name, or say they are unknown.")
            if not data.get("article6_basis"):
                self.add_error("article6_basis", "Choose the lawful basis for holding their data.")
        return data


class IncidentForm(forms.Form):
    behaviour_date = forms.DateField(label="Date of the behaviour", widget=DATE)
    reported_date = forms.DateField(label="Date reported", widget=DATE)
    agency = forms.ModelChoiceField(
        label="Reported to", queryset=Agency.objects.none(), empty_label="Choose the agency"
    )
    agency_reference = forms.CharField(
        label="The agency's reference", required=False, max_length=100
    )
    location = forms.CharField(label="Where", required=False, max_length=500)
    description = forms.CharField(
        label="What happened", required=False, widget=TEXT, max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]


class RiskAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="Date of the assessment", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in DEFAULT.questions:
            self.fields[question.key] = forms.BooleanField(label=question.text, required=False)

    def answers(self) -> dict[str, bool]:
        return {q.key: bool(self.cleaned_data.get(q.key)) for q in DEFAULT.questions}


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label="Intervention", choices=Intervention.Kind.choices)
    party = forms.ChoiceField(
        label="Served on",
        required=False,
        help_text="The person it is served on. Age limits are checked against their date of birth.",
    )
    served_on = forms.DateField(label="Date served", widget=DATE)
    starts_at = forms.DateTimeField(
        label="Starts",
        required=False,
        widget=DATETIME,
        help_text="Leave blank: from the day served.",
    )
    expires_at = forms.DateTimeField(
        label="Expires",
        required=False,
        widget=DATETIME,
        help_text="Dispersal directions and closure notices last at most 48 hours; closure "
        "orders 3 months (6 with extensions); PSPOs 3 years; injunctions for under-18s 12 months.",
    )
    after_conviction = forms.BooleanField(
        label="Made on conviction for an offence",
        required=False,
        help_text="A criminal behaviour order can only be made on conviction.",
    )
    conditions = forms.CharField(
        label="Conditions or requirements", required=False, widget=TEXT, max_length=5000
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["party"].choices = [("", "Nobody in particular"), *(parties or [])]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of the review", widget=DATE)
    stage = forms.ChoiceField(
        label="Stage after the review",
        choices=[(v, label) for v, label in AsbCase.Stage.choices if v != "closed"],
    )


class VictimUpdateForm(forms.Form):
    METHODS = [
        ("phone", "Telephone"),
        ("visit", "Visit"),
        ("email", "Email"),
        ("letter", "Letter"),
        ("text", "Text message"),
    ]
    given_on = forms.DateField(label="Date of the update", widget=DATE)
    method = forms.ChoiceField(label="How", choices=METHODS)
    summary = forms.CharField(
        label="What the victim was told", required=False, widget=TEXT, max_length=5000
    )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="Date closed", widget=DATE)
    reason = forms.CharField(label="Reason for closing", max_length=200)
    victim_told = forms.BooleanField(
        label="The victim has been told the case is closing", required=False
    )
    satisfaction = forms.TypedChoiceField(
        label="The victim's satisfaction",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "Not asked or declined"),
            ("5", "5: very satisfied"),
            ("4", "4: satisfied"),
            ("3", "3: neither"),
            ("2", "2: dissatisfied"),
            ("1", "1: very dissatisfied"),
        ],
    )


# The ASB Case Review (staff pages).


class ApplicationForm(forms.Form):
    received_date = forms.DateField(label="Date received", widget=DATE)
    applicant_type = forms.ChoiceField(
        label="Who applied", choices=CaseReviewApplication.ApplicantType.choices
    )
    consent = forms.BooleanField(
        label="The victim consents (needed when a third party applies)", required=False
    )
    victim_ref = forms.CharField(
        label="The victim's reference",
        max_length=100,
        help_text="The pseudonymous reference their complaints are recorded under.",
    )
    application_ref = forms.CharField(
        label="Application reference (optional)",
        required=False,
        max_length=100,
        help_text="Leave blank to be given the next one.",
    )
    applicant_name = forms.CharField(label="Applicant's name", required=False, max_length=200)
    applicant_contact = forms.CharField(
        label="Applicant's email or telephone", required=False, max_length=200
    )


class MatchForm(forms.Form):
    victim_ref = forms.CharField(
        label="The victim's reference",
        max_length=100,
        help_text="The pseudonymous reference their complaints are recorded under.",
    )


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label="Date of the decision", widget=DATE)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Date of the review panel meeting", widget=DATE)
    chair = forms.CharField(label="Chair", required=False, max_length=200)
    notes = forms.CharField(label="Notes", required=False, widget=TEXT, max_length=10000)


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Agency.objects.none(), empty_label="Choose the agency"
    )
    due_on = forms.DateField(label="Due by", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _agencies()  # type: ignore[attr-defined]


class LetterForm(forms.Form):
    sent_on = forms.DateField(label="Date sent", widget=DATE)
    summary = forms.CharField(
        label="The outcome, for the applicant",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text="Write it for the applicant: the decision, what the review found and "
        "what each agency will do.",
    )


class AppealForm(forms.Form):
    received_on = forms.DateField(label="Date the appeal was received", widget=DATE)


class AppealOutcomeForm(forms.Form):
    decided_on = forms.DateField(label="Date of the appeal's outcome", widget=DATE)
    outcome = forms.CharField(label="Outcome", max_length=200)
