"""IOM and Channel pages: thin callers of the selectors and services, every case reached
through the need-to-know scope (``cases.selectors``), every export audited."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases import iom_channel_forms as icf
from saferhub.cases import selectors as sel
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.case_views import CaseFormView
from saferhub.cases.iom import PATHWAYS, Weights
from saferhub.cases.models import Case, ChannelReview, IomCase, IomCohort
from saferhub.cases.services import channel, iom
from saferhub.cases.services.iom import iom_before_after
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from

MEMBER_COLUMNS = [
    "Case",
    "Person reference",
    "Strand",
    "Adopted",
    "De-selected",
    "Score",
    "Offences (12 months)",
    "Days since latest",
    "Mean gravity",
    "Next review",
]


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _members(user: Any, cohort: IomCohort | None = None) -> list[IomCase]:
    cases = sel.cases_for_user(user=user, case_type="iom")
    members = IomCase.objects.filter(case__in=cases).select_related("case", "cohort")
    if cohort is not None:
        members = members.filter(cohort=cohort)
    return list(members.order_by("case__reference"))


def _number(value: float) -> str:
    return (
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
    )


class IomHomeView(PermissionRequiredView):
    """Cohorts, and the worker's own list: reviews due on the members they may see."""

    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = dt.date.today()
        members = _members(request.user)
        due = [
            m
            for m in members
            if m.next_review_due and m.next_review_due <= today + dt.timedelta(days=14)
        ]
        return render(
            request,
            "cases/iom/home.html",
            {"cohorts": IomCohort.objects.all(), "due": due, "today": today},
        )


class IomCohortView(PermissionRequiredView):
    """A cohort: its members (those the user may see) with their selection inputs, and the
    cohort's offending before and after adoption (counts over every member)."""

    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cohort = IomCohort.objects.filter(pk=pk).first()
        if cohort is None:
            raise Http404("Not found.")
        members = _members(request.user, cohort)
        rows = [
            [
                m.case.reference,
                m.offender_ref,
                m.get_strand_display(),
                m.adopted_on,
                m.deselected_on,
                m.selection.get("score"),
                m.selection.get("offences_12m"),
                m.selection.get("days_since_latest"),
                m.selection.get("mean_gravity"),
                m.next_review_due,
            ]
            for m in members
        ]
        if _fmt(request):
            audit_record(
                actor=request.user,
                action=CaseAction.CASE_EXPORT,
                object_type="cases.IomCase",
                new={"format": _fmt(request), "rows": len(rows), "fields": MEMBER_COLUMNS},
            )
            return table_response(
                columns=MEMBER_COLUMNS,
                rows=rows,
                filename=f"iom-cohort-{cohort.pk}",
                fmt=_fmt(request),  # type: ignore[arg-type]
                title=cohort.name,
            )
        figures = iom_before_after(cohort=cohort, as_of=dt.date.today())
        return render(
            request,
            "cases/iom/cohort.html",
            {
                "cohort": cohort,
                "rows": rows,
                "columns": MEMBER_COLUMNS,
                "members": members,
                "figures": figures,
                "rate_before": _number(figures.rate_before),
                "rate_after": _number(figures.rate_after),
            },
        )


class IomMemberView(PermissionRequiredView):
    permission_required = "cases.work_iom"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        member = getattr(case, "iom", None)
        if member is None:
            raise Http404("Not found.")
        plan = {key: [] for key, _ in PATHWAYS}  # type: dict[str, list[Any]]
        for action in case.iom_plan.select_related("agency"):
            plan[action.pathway].append(action)
        return render(
            request,
            "cases/iom/member.html",
            {
                "case": case,
                "member": member,
                "plan": [(label, plan[key]) for key, label in PATHWAYS],
                "reviews": case.iom_reviews.all(),
                "offending": case.offending.all(),
            },
        )


class ChannelListView(PermissionRequiredView):
    """The Channel cases the user is named on, and their reviews due."""

    permission_required = "cases.work_channel"

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = sel.cases_for_user(user=request.user, case_type="channel").select_related("channel")
        today = dt.date.today()
        due = ChannelReview.objects.filter(
            case__in=cases, held_on__isnull=True, due_on__lte=today + dt.timedelta(days=30)
        ).select_related("case")
        return render(
            request,
            "cases/channel/list.html",
            {"cases": cases[:500], "due": due, "today": today},
        )


class ChannelCaseView(PermissionRequiredView):
    permission_required = "cases.work_channel"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        detail = getattr(case, "channel", None)
        if detail is None:
            raise Http404("Not found.")
        return render(
            request,
            "cases/channel/case.html",
            {
                "case": case,
                "detail": detail,
                "assessments": case.channel_assessments.all(),
                "plans": case.channel_plans.all(),
                "support": case.channel_support.all(),
                "reviews": case.channel_reviews.all(),
                "members": detail.panel_members.all(),
            },
        )


# The step pages: one form each (decision 0406), the case reached through the same
# need-to-know scope as the pages above, every write through a service (which audits it).

WORK_IOM = "cases.work_iom"
WORK_CHANNEL = "cases.work_channel"


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the view's permission check has run)."""
    return cast(User, request.user)


def _today() -> dt.date:
    return timezone.localdate()


class _OpenFormView(PermissionRequiredView):
    """A form not on a case (a cohort, a candidate, a referral): GET shows it, POST saves
    through the service and goes to the new record's page."""

    heading = ""
    button = "Save"
    intro = ""

    def make_form(self, request: HttpRequest, data: Any = None, **kw: Any) -> forms.Form:
        raise NotImplementedError

    def save(self, request: HttpRequest, form: forms.Form, **kw: Any) -> tuple[str, str]:
        """Call the service; return (message, the URL to go to). ValidationError on refusal."""
        raise NotImplementedError

    def back(self, **kw: Any) -> tuple[str, str]:
        raise NotImplementedError

    def _render(
        self, request: HttpRequest, form: forms.Form, status: int = 200, **kw: Any
    ) -> HttpResponse:
        back_url, back_label = self.back(**kw)
        return render(
            request,
            "cases/case_form.html",
            {
                "form": form,
                "heading": self.heading,
                "button": self.button,
                "intro": self.intro,
                "back_url": back_url,
                "back_label": back_label,
            },
            status=status,
        )

    def get(self, request: HttpRequest, **kw: Any) -> HttpResponse:
        return self._render(request, self.make_form(request, **kw), **kw)

    def post(self, request: HttpRequest, **kw: Any) -> HttpResponse:
        form = self.make_form(request, request.POST, **kw)
        if form.is_valid():
            try:
                message, url = self.save(request, form, **kw)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, message)
                return redirect(url)
        return self._render(request, form, status=400, **kw)


def _lead_agency(request: HttpRequest) -> Agency:
    agency = getattr(request.user, "agency", None)
    if agency is None:
        raise ValidationError("Your account belongs to no agency, so it cannot lead a case.")
    return cast(Agency, agency)


class IomCohortNewView(_OpenFormView):
    permission_required = WORK_IOM
    heading = "Create a cohort"
    button = "Create the cohort"

    def back(self, **kw: Any) -> tuple[str, str]:
        return reverse("cases:iom_home"), "Integrated Offender Management"

    def make_form(self, request: HttpRequest, data: Any = None, **kw: Any) -> forms.Form:
        return icf.CohortForm(
            data,
            initial={
                "review_interval_days": 90,
                "weight_recency": 1.0,
                "weight_frequency": 1.0,
                "weight_gravity": 1.0,
            },
        )

    def save(self, request: HttpRequest, form: forms.Form, **kw: Any) -> tuple[str, str]:
        d = form.cleaned_data
        try:
            weights = Weights(d["weight_recency"], d["weight_frequency"], d["weight_gravity"])
        except ValueError as exc:
            raise ValidationError({"weight_gravity": str(exc)}) from exc
        cohort = iom.iom_cohort_create(
            actor=_actor(request),
            name=d["name"],
            kind=d["kind"],
            review_interval_days=d["review_interval_days"],
            weights=weights,
        )
        return f"The cohort {cohort.name} was created.", reverse(
            "cases:iom_cohort", args=[cohort.pk]
        )


class IomCandidateNewView(_OpenFormView):
    permission_required = WORK_IOM
    heading = "Consider a person for the cohort"
    button = "Open the IOM case"
    intro = (
        "The case is led by your agency, with you as its officer. Record the person's "
        "offending next; the selection score is worked out from it when they are adopted."
    )

    def _cohort(self, pk: int) -> IomCohort:
        cohort = IomCohort.objects.filter(pk=pk).first()
        if cohort is None:
            raise Http404("Not found.")
        return cohort

    def back(self, **kw: Any) -> tuple[str, str]:
        cohort = self._cohort(kw["pk"])
        return reverse("cases:iom_cohort", args=[cohort.pk]), cohort.name

    def make_form(self, request: HttpRequest, data: Any = None, **kw: Any) -> forms.Form:
        self._cohort(kw["pk"])
        return icf.CandidateForm(data, initial={"opened_on": _today()})

    def save(self, request: HttpRequest, form: forms.Form, **kw: Any) -> tuple[str, str]:
        member = iom.iom_candidate_open(
            actor=_actor(request),
            cohort=self._cohort(kw["pk"]),
            offender_ref=form.cleaned_data["offender_ref"],
            lead_agency=_lead_agency(request),
            opened_on=form.cleaned_data["opened_on"],
            officer=_actor(request),
        )
        return f"IOM case {member.case.reference} was opened.", reverse(
            "cases:iom_member", args=[member.pk]
        )


class _IomStepView(CaseFormView):
    """One step of an IOM case, reached through the scope exactly as the member page."""

    permission_required = WORK_IOM

    def case_url(self, case: Case) -> str:
        return reverse("cases:iom_member", args=[case.pk])

    def _case(self, request: HttpRequest, pk: int) -> Case:
        case = sel.case_get_for_user(user=request.user, id=pk)
        if getattr(case, "iom", None) is None or case.status != Case.Status.OPEN:
            raise Http404("Not found.")
        return case


class IomOffendingAddView(_IomStepView):
    heading = "Record offending"
    button = "Record the offending"
    intro = (
        "An arrest, a charge and a conviction for the same offence on the same date count "
        "as one offence in the selection score and the before and after figures."
    )

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.OffendingForm(data)

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        done = iom.offending_record(actor=_actor(request), case=case, **form.cleaned_data)
        return f"The {done.get_kind_display().lower()} was recorded."


class IomAdoptView(_IomStepView):
    heading = "Adopt onto the cohort"
    button = "Adopt"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        today = _today()
        score = iom.iom_selection(member=case.iom, as_of=today)
        self.intro = (
            f"Selection score today: {score.score} ({score.offences_12m} offences in the "
            "last 12 months). The score as of the adoption date is kept beside the "
            "adoption, with its inputs and weights; the panel's reason is needed."
        )
        return icf.AdoptForm(data, initial={"adopted_on": today})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        member = iom.iom_adopt(actor=_actor(request), member=case.iom, **form.cleaned_data)
        return f"Adopted onto the {member.get_strand_display()} strand."


class IomDeselectView(_IomStepView):
    heading = "De-select from the cohort"
    button = "De-select"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.DeselectForm(data, initial={"deselected_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        iom.iom_deselect(actor=_actor(request), member=case.iom, **form.cleaned_data)
        return "The person was de-selected."


class IomPlanActionAddView(_IomStepView):
    heading = "Add a plan action"
    button = "Add the action"
    intro = "Each action sits under one of the seven reducing-reoffending pathways."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.PlanActionForm(data)

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        action = iom.iom_plan_action_add(
            actor=_actor(request), member=case.iom, **form.cleaned_data
        )
        return f"The action was added under {action.get_pathway_display()}."


class IomReviewView(_IomStepView):
    heading = "Record a review"
    button = "Record the review"
    intro = "The next review is set from the cohort's review interval."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.IomReviewForm(data, initial={"reviewed_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        iom.iom_review_record(actor=_actor(request), member=case.iom, **form.cleaned_data)
        return "The review was recorded."


class ChannelReferView(_OpenFormView):
    permission_required = WORK_CHANNEL
    heading = "Refer a person to Channel"
    button = "Record the referral"
    intro = (
        "The case is led by your agency, with you as its officer. Only you and the panel "
        "members you name on the case will see it."
    )

    def back(self, **kw: Any) -> tuple[str, str]:
        return reverse("cases:channel_list"), "Channel cases"

    def make_form(self, request: HttpRequest, data: Any = None, **kw: Any) -> forms.Form:
        return icf.ReferralForm(data, initial={"referred_on": _today()})

    def save(self, request: HttpRequest, form: forms.Form, **kw: Any) -> tuple[str, str]:
        detail = channel.channel_refer(
            actor=_actor(request),
            lead_agency=_lead_agency(request),
            today=_today(),
            officer=_actor(request),
            **form.cleaned_data,
        )
        return f"Channel case {detail.case.reference} was opened.", reverse(
            "cases:channel_case", args=[detail.pk]
        )


class _ChannelStepView(CaseFormView):
    """One step of a Channel case: the Channel role, and only a case the user is named on
    (or is the officer of), exactly as the case page."""

    permission_required = WORK_CHANNEL

    def case_url(self, case: Case) -> str:
        return reverse("cases:channel_case", args=[case.pk])

    def _case(self, request: HttpRequest, pk: int) -> Case:
        case = sel.case_get_for_user(user=request.user, id=pk)
        if getattr(case, "channel", None) is None or case.status != Case.Status.OPEN:
            raise Http404("Not found.")
        return case


class ChannelPanelMemberAddView(_ChannelStepView):
    heading = "Name a panel member"
    button = "Name the member"
    intro = "A named member sees the case and can work it."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.PanelMemberForm(data, detail=case.channel)

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        user = form.cleaned_data["member"]
        channel.channel_add_panel_member(actor=_actor(request), detail=case.channel, user=user)
        return f"{user.display_name} was named on the panel."


class ChannelAssessView(_ChannelStepView):
    heading = "Record the vulnerability assessment"
    button = "Record the assessment"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.AssessmentForm(data, initial={"assessed_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        channel.channel_assess(actor=_actor(request), case=case, **form.cleaned_data)
        return "The assessment was recorded."


class ChannelSupportPlanView(_ChannelStepView):
    heading = "Agree the support plan"
    button = "Record the plan"
    intro = (
        "Channel is voluntary. Record how, when and by whom consent was sought; a plan "
        "cannot be recorded without consent."
    )

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.SupportPlanForm(data, initial={"agreed_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        channel.channel_support_plan(actor=_actor(request), case=case, **form.cleaned_data)
        return "The support plan was recorded."


class ChannelSupportAddView(_ChannelStepView):
    heading = "Add a support provider"
    button = "Add the provider"
    intro = "Support is added after a plan with consent has been agreed."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.SupportForm(data, initial={"started_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        channel.channel_support_add(actor=_actor(request), case=case, **form.cleaned_data)
        return "The support provider was added."


class ChannelReviewView(_ChannelStepView):
    heading = "Record a review"
    button = "Record the review"
    intro = "The reviews 6 and 12 months after exit are scheduled when the case exits."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.ChannelReviewForm(
            data, case=case, initial={"held_on": _today(), "kind": ChannelReview.Kind.PANEL}
        )

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        review = channel.channel_review(actor=_actor(request), case=case, **form.cleaned_data)
        return f"The {review.get_kind_display().lower()} was recorded."


class ChannelExitView(_ChannelStepView):
    heading = "Exit Channel"
    button = "Record the exit"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return icf.ExitForm(data, initial={"exited_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        channel.channel_exit(actor=_actor(request), detail=case.channel, **form.cleaned_data)
        return "The exit was recorded; reviews 6 and 12 months after it are scheduled."
