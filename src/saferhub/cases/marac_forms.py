"""Forms of the MARAC pages; the rules live in the services, not here."""

from __future__ import annotations

from typing import Any

from django import forms

from saferhub.accounts.models import Agency, User
from saferhub.cases import dash
from saferhub.cases.models import Case, MaracAction, MaracMeeting, MaracReferral

NO_USERS = User.objects.none()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWER_CHOICES = [(a, a.capitalize()) for a in dash.ANSWERS]


class DashForm(forms.Form):
    # Not required here: the service names every missing field and answer at once.
    checklist_ref = forms.CharField(label="Checklist reference", max_length=100, required=False)
    victim_ref = forms.CharField(
        label="Victim reference",
        max_length=100,
        required=False,
        help_text="Your system's reference, not a name.",
    )
    perpetrator_ref = forms.CharField(label="Perpetrator reference", max_length=100, required=False)
    completed_date = forms.DateField(label="Date completed", widget=DATE, required=False)
    police_incidents_12m = forms.IntegerField(
        label="Police-recorded incidents in the last 12 months",
        required=False,
        min_value=0,
        help_text="Leave empty if not known.",
    )
    professional_judgement = forms.BooleanField(
        label="Refer on professional judgement", required=False
    )
    judgement_reason = forms.CharField(
        label="Why, in your professional judgement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in dash.QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=f"{key[1:]}. {dash.HEADING[key]}",
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=f"Comment on question {key[1:]}", required=False, max_length=1000
            )

    def questions(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(k, self[k], self[f"comment_{k}"]) for k in dash.QUESTIONS]


class ReferralForm(forms.Form):
    referral_date = forms.DateField(label="Date of referral", widget=DATE)
    reason = forms.CharField(
        label="Reason for referring",
        required=False,
        help_text="Needed when the checklist does not indicate a referral.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    children_in_household = forms.IntegerField(
        label="Children in the household", required=False, min_value=0, max_value=30
    )
    victim_gender = forms.ChoiceField(
        label="Victim's gender", choices=MaracReferral.Gender.choices, required=False
    )


class ScheduleForm(forms.Form):
    first = forms.DateField(label="First meeting", widget=DATE)
    frequency = forms.ChoiceField(label="How often", choices=MaracMeeting.Frequency.choices)
    count = forms.IntegerField(label="Number of meetings", min_value=1, max_value=60, initial=6)
    chair = forms.CharField(label="Chair", required=False, max_length=200)


class MeetingCaseForm(forms.Form):
    case = forms.ModelChoiceField(label="Case", queryset=Case.objects.none())

    def __init__(self, *args: Any, cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases if cases is not None else Case.objects.none()  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    case = forms.ModelChoiceField(label="Case", queryset=Case.objects.none())
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.order_by("name"))
    text = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    due_on = forms.DateField(label="Due", widget=DATE)

    def __init__(self, *args: Any, cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases if cases is not None else Case.objects.none()  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=MaracAction.Status.choices)
    done_on = forms.DateField(label="Date completed", required=False, widget=DATE)


class ReturnForm(forms.Form):
    quarter = forms.RegexField(
        label="Quarter",
        regex=r"^\d{4}-[Qq][1-4]$",
        help_text="For example, 2024-Q3 (July to September 2024).",
        error_messages={"invalid": "Enter the quarter as 2024-Q3."},
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.agency.name})" if obj.agency else obj.display_name


class UsersChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.agency.name})" if obj.agency else obj.display_name


class ResearchForm(forms.Form):
    """One agency's research on a case before a meeting: the facts it holds, and apart from
    them its opinion (the service asks for at least one of the two)."""

    facts = forms.CharField(
        label="What your agency holds (facts)",
        required=False,
        help_text="Only what your records show: dates, incidents, contacts, orders.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    opinion = forms.CharField(
        label="Your agency's opinion",
        required=False,
        help_text="Your professional view of the risk, kept apart from the facts.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    recorded_on = forms.DateField(label="Date of the research", widget=DATE)


class IdvaForm(forms.Form):
    idva = UserChoiceField(
        label="IDVA",
        queryset=NO_USERS,
        help_text="MARAC workers of the agencies on this case.",
    )

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idva"].queryset = users if users is not None else NO_USERS  # type: ignore[attr-defined]


class AddressForm(forms.Form):
    restricted = forms.BooleanField(
        label="Hide the victim's address from everyone but the users named below",
        required=False,
    )
    users = UsersChoiceField(
        label="Users who may see the address",
        queryset=NO_USERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Once the address is hidden, only these users may see it or change this. "
        "Name yourself to keep seeing it.",
    )

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = users if users is not None else NO_USERS  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    user = UserChoiceField(label="Member", queryset=NO_USERS)

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else NO_USERS  # type: ignore[attr-defined]
