"""Forms of the IOM and Channel step pages.

They only shape input: the rules (a reason for adoption and de-selection, the seven
pathways, consent before a Channel support plan) live in ``services.iom`` and
``services.channel``, whose errors come back on the field they name. Fields a service
checks are therefore optional here, so the service's own message is the one shown.
"""

from __future__ import annotations

from typing import Any

from django import forms

from saferhub.accounts.models import Agency, User
from saferhub.accounts.roles import ROLES
from saferhub.cases.case_forms import DATE, TEXT
from saferhub.cases.iom import PATHWAYS
from saferhub.cases.models import (
    ChannelAssessment,
    ChannelCase,
    ChannelReview,
    IomCase,
    IomCohort,
    OffendingRecord,
)


def _agencies() -> Any:
    return Agency.objects.order_by("name")


class _AgencyForm(forms.Form):
    """A form with one or more agency choices, filled when the form is made."""

    agency_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.agency_fields:
            self.fields[name].queryset = _agencies()  # type: ignore[attr-defined]


# Integrated Offender Management.


class CohortForm(forms.Form):
    name = forms.CharField(label="Name of the cohort", max_length=200, required=False)
    kind = forms.ChoiceField(label="Scheme", choices=IomCohort.Kind.choices)
    review_interval_days = forms.IntegerField(
        label="Review every (days)", help_text="Between 7 and 366 days."
    )
    weight_recency = forms.FloatField(label="Weight of recency", min_value=0)
    weight_frequency = forms.FloatField(label="Weight of frequency", min_value=0)
    weight_gravity = forms.FloatField(
        label="Weight of gravity",
        min_value=0,
        help_text="The selection score is 100 times the weighted mean of recency, frequency "
        "and gravity. The weights must not all be 0.",
    )


class CandidateForm(forms.Form):
    offender_ref = forms.CharField(
        label="The person's reference",
        max_length=100,
        required=False,
        help_text="The reference the person's offending is recorded under (for example their "
        "PNC or nDelius reference).",
    )
    opened_on = forms.DateField(label="Date considered", widget=DATE)


class OffendingForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=OffendingRecord.Kind.choices)
    offence_date = forms.DateField(label="Date of the offence", widget=DATE)
    offence = forms.CharField(label="Offence", max_length=200)
    gravity = forms.IntegerField(
        label="Gravity (optional)",
        required=False,
        help_text="The partnership's offence gravity scale, 1 to 10.",
    )


class AdoptForm(forms.Form):
    strand = forms.ChoiceField(
        label="Strand",
        choices=IomCase.Strand.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    adopted_on = forms.DateField(label="Date adopted", widget=DATE)
    reason = forms.CharField(
        label="Why this person is selected",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="The panel's reason, read beside the selection score. Stored encrypted.",
    )


class DeselectForm(forms.Form):
    deselected_on = forms.DateField(label="Date de-selected", widget=DATE)
    reason = forms.CharField(
        label="Why this person leaves the cohort",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="Stored encrypted.",
    )


class PlanActionForm(_AgencyForm):
    agency_fields = ("agency",)
    pathway = forms.ChoiceField(label="Pathway", choices=[("", "Choose the pathway"), *PATHWAYS])
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Choose the agency"
    )
    text = forms.CharField(
        label="The action",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="Stored encrypted.",
    )
    due_on = forms.DateField(label="Due by", widget=DATE)


class IomReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of the review", widget=DATE)
    summary = forms.CharField(
        label="Summary", required=False, widget=TEXT, max_length=5000, help_text="Stored encrypted."
    )


# Channel.


class ReferralForm(_AgencyForm):
    agency_fields = ("referring_agency",)
    referred_on = forms.DateField(label="Date of the referral", widget=DATE)
    referring_agency = forms.ModelChoiceField(
        label="Referred by", queryset=Agency.objects.none(), empty_label="Choose the agency"
    )
    concern = forms.CharField(
        label="The concern",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="What led to the referral. Stored encrypted.",
    )


def channel_users(detail: ChannelCase) -> Any:
    """Active users of the Channel role not yet named on the panel."""
    return (
        User.objects.filter(is_active=True, groups__name=ROLES["prevent_lead"].name)
        .exclude(pk__in=detail.panel_members.values("pk"))
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = obj.agency.name if obj.agency_id else "no agency"
        return f"{obj.display_name} ({agency})"


class PanelMemberForm(forms.Form):
    member = _UserChoice(
        label="Panel member",
        queryset=User.objects.none(),
        empty_label="Choose the person",
        help_text="Only the Channel role's users can be named; a named member sees the case.",
    )

    def __init__(self, *args: Any, detail: ChannelCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = channel_users(detail)  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="Date of the assessment", widget=DATE)
    engagement = forms.CharField(
        label="Engagement with a group, cause or ideology",
        required=False,
        widget=TEXT,
        max_length=5000,
    )
    intent = forms.CharField(
        label="Intent to cause harm", required=False, widget=TEXT, max_length=5000
    )
    capability = forms.CharField(
        label="Capability to cause harm",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="Engagement, intent and capability are stored encrypted.",
    )
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=ChannelAssessment.Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )


CONSENT = [("yes", "Yes, consent was given"), ("no", "No, consent was not given")]


class SupportPlanForm(forms.Form):
    agreed_on = forms.DateField(label="Date the plan was agreed", widget=DATE)
    summary = forms.CharField(
        label="The plan",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="Stored encrypted.",
    )
    consent_sought_how = forms.CharField(
        label="How consent was sought",
        required=False,
        max_length=200,
        help_text="For example: in person, with a parent present.",
    )
    consent_sought_on = forms.DateField(
        label="When consent was sought", required=False, widget=DATE
    )
    consent_sought_by = forms.CharField(label="Who sought consent", required=False, max_length=200)
    consent_given = forms.TypedChoiceField(
        label="Did the person (or, for a child, their parent or guardian) consent?",
        choices=CONSENT,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Channel is voluntary: a plan cannot be agreed without consent.",
    )


class SupportForm(forms.Form):
    provider = forms.CharField(label="Support provider", required=False, max_length=200)
    kind = forms.CharField(
        label="Kind of support", max_length=200, help_text="For example: mentoring."
    )
    started_on = forms.DateField(label="Date the support started", widget=DATE)


class ChannelReviewForm(forms.Form):
    kind = forms.ChoiceField(label="Review", widget=forms.RadioSelect)
    held_on = forms.DateField(label="Date held", widget=DATE)
    summary = forms.CharField(
        label="Summary", required=False, widget=TEXT, max_length=5000, help_text="Stored encrypted."
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        due = set(
            case.channel_reviews.filter(held_on__isnull=True)
            .exclude(kind=ChannelReview.Kind.PANEL)
            .values_list("kind", flat=True)
        )
        # Every kind is offered (the service says when a scheduled review is not due);
        # the scheduled ones say when they are due.
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label + (" (due)" if value in due else ""))
            for value, label in ChannelReview.Kind.choices
        ]


class ExitForm(forms.Form):
    exited_on = forms.DateField(label="Date of exit", widget=DATE)
    reason = forms.CharField(
        label="Why the case exits Channel",
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text="Stored encrypted. Reviews 6 and 12 months after exit are scheduled.",
    )
