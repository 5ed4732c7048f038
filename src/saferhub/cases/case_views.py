"""Pages that open and work an ASB case: each a thin caller of a service, the case always
reached through the access helper (so a case one may not see is the same 404 as none, and
every view is audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import User
from saferhub.cases import case_forms as cf
from saferhub.cases import selectors as sel
from saferhub.cases.models import Case, Party
from saferhub.cases.services import asb as asb_services
from saferhub.cases.services.parties import consent_record, party_add, person_find_or_create
from saferhub.core.views import PermissionRequiredView, form_errors_from


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the view's permission check has run)."""
    return cast(User, request.user)


WORK_ASB = "cases.work_asb"


def asb_case_for_user(request: HttpRequest, pk: int) -> Case:
    """The ASB case ``pk`` through the user's scope (Http404 outside it, or not ASB)."""
    case = sel.case_get_for_user(user=request.user, id=pk)
    if case.case_type != "asb" or not hasattr(case, "asb"):
        raise Http404("Not found.")
    return case


class AsbCaseOpenView(PermissionRequiredView):
    permission_required = WORK_ASB
    heading = "Open an ASB case"

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(
            request,
            "cases/case_form.html",
            {"form": form, "heading": self.heading, "button": "Open the case"},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request, cf.AsbCaseOpenForm(initial={"opened_on": timezone.localdate()})
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = cf.AsbCaseOpenForm(request.POST)
        agency = getattr(request.user, "agency", None)
        if form.is_valid():
            if agency is None:
                form.add_error(None, "Your account belongs to no agency, so it cannot lead a case.")
            else:
                try:
                    asb = asb_services.asb_case_open(
                        actor=_actor(request),
                        lead_agency=agency,
                        opened_on=form.cleaned_data["opened_on"],
                        category=form.cleaned_data["category"],
                        basis=form.cleaned_data["basis"],
                        officer=_actor(request),
                        summary=form.cleaned_data["summary"],
                    )
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, f"Case {asb.case.reference} was opened.")
                    return redirect(reverse("cases:detail", args=[asb.case.pk]))
        return self._render(request, form, status=400)


class CaseFormView(PermissionRequiredView):
    """One step of a case: GET shows the form, POST saves through the service."""

    permission_required = WORK_ASB
    heading = ""
    button = "Save"
    intro = ""

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        """Call the service; return the success message (ValidationError on refusal)."""
        raise NotImplementedError

    def case_url(self, case: Case) -> str:
        """The case's own page: the caption's link, and where a saved step returns to."""
        return reverse("cases:detail", args=[case.pk])

    def _render(
        self, request: HttpRequest, case: Case, form: forms.Form, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "cases/case_form.html",
            {
                "form": form,
                "case": case,
                "heading": self.heading,
                "button": self.button,
                "intro": self.intro,
                "case_url": self.case_url(case),
            },
            status=status,
        )

    def _case(self, request: HttpRequest, pk: int) -> Case:
        case = asb_case_for_user(request, pk)
        if case.status != Case.Status.OPEN:
            raise Http404("Not found.")  # a closed case is read-only: its pages have no forms
        return case

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        return self._render(request, case, self.make_form(case))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        form = self.make_form(case, request.POST)
        if form.is_valid():
            try:
                message = self.save(request, case, form)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.case_url(case))
        return self._render(request, case, form, status=400)


def _today() -> dt.date:
    return timezone.localdate()


class PartyAddView(CaseFormView):
    heading = "Add a party"
    button = "Add the party"
    intro = (
        "Record the lawful basis for holding the person's data. A person with the same name "
        "and date of birth on another case is the same person (so repeat victims are seen)."
    )

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.PartyForm(data)

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        d = form.cleaned_data
        person = None
        if not d["unknown"]:
            person = person_find_or_create(
                actor=_actor(request),
                full_name=d["full_name"],
                date_of_birth=d["date_of_birth"],
                address=d["address"],
                phone=d["phone"],
            )
        party = party_add(
            actor=_actor(request),
            case=case,
            role=d["role"],
            person=person,
            unknown=d["unknown"],
            vulnerable=d["vulnerable"],
            article6_basis=d["article6_basis"],
            special_category=d["special_category"],
            schedule1_condition=d["schedule1_condition"],
            notes=d["notes"],
            source_ref=d["source_ref"],
        )
        for agency in d["consent_agencies"]:
            consent_record(actor=_actor(request), party=party, agency=agency, given_on=_today())
        return f"The {party.get_role_display().lower()} was added."


class IncidentAddView(CaseFormView):
    heading = "Log an incident"
    button = "Log the incident"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.IncidentForm(data, initial={"agency": case.lead_agency_id})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        asb_services.asb_incident_add(actor=_actor(request), case=case, **form.cleaned_data)
        return "The incident was logged."


class RiskAssessView(CaseFormView):
    heading = "Assess the victim's risk"
    button = "Save the assessment"
    intro = (
        "Answer each question with the victim. A high score opens a vulnerable-victim action "
        "plan and tells the case officer."
    )

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.RiskAssessmentForm(data, initial={"assessed_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        assert isinstance(form, cf.RiskAssessmentForm)
        done = asb_services.asb_risk_assess(
            actor=_actor(request),
            case=case,
            assessed_on=form.cleaned_data["assessed_on"],
            answers=form.answers(),
        )
        extra = (
            " A vulnerable-victim action plan was opened and the officer told."
            if done.band == "high"
            else ""
        )
        return f"Risk assessed: score {done.score}, {done.band} risk.{extra}"


def _party_choices(case: Case) -> list[tuple[str, str]]:
    out = []
    for party in case.parties.select_related("person").exclude(role=Party.Role.VICTIM):
        name = (
            "Unknown" if party.unknown else (party.person.full_name if party.person else "Erased")
        )
        out.append((str(party.pk), f"{name} ({party.get_role_display().lower()})"))
    return out


class InterventionAddView(CaseFormView):
    heading = "Record an intervention"
    button = "Record the intervention"
    intro = "The 2014 Act's limits (age, duration, conviction) are checked when you save."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.InterventionForm(data, parties=_party_choices(case))

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        d = form.cleaned_data
        party = (
            case.parties.select_related("person").filter(pk=d["party"]).first()
            if d["party"]
            else None
        )
        done = asb_services.asb_intervention_add(
            actor=_actor(request),
            case=case,
            kind=d["kind"],
            served_on=d["served_on"],
            party=party,
            starts_at=d["starts_at"],
            expires_at=d["expires_at"],
            conditions=d["conditions"],
            after_conviction=d["after_conviction"],
        )
        return f"The {done.get_kind_display().lower()} was recorded."


class ReviewView(CaseFormView):
    heading = "Record a case review"
    button = "Record the review"
    intro = "The next review is set from the case's priority."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.ReviewForm(data, initial={"reviewed_on": _today(), "stage": case.asb.stage})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        d = form.cleaned_data
        if d["stage"] != case.asb.stage:
            asb_services.asb_set_stage(actor=_actor(request), case=case, stage=d["stage"])
        asb = asb_services.asb_review_record(
            actor=_actor(request),
            case=case,
            reviewed_on=d["reviewed_on"],
        )
        return f"Review recorded. Next review due {asb.next_review_due:%-d %B %Y}."


class VictimUpdateView(CaseFormView):
    heading = "Record an update to the victim"
    button = "Record the update"

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.VictimUpdateForm(data, initial={"given_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        asb_services.asb_victim_update(actor=_actor(request), case=case, **form.cleaned_data)
        return "The update was recorded."


class CloseView(CaseFormView):
    heading = "Close the case"
    button = "Close the case"
    intro = "Tell the victim before you close the case, and ask how satisfied they are."

    def make_form(self, case: Case, data: Any = None) -> forms.Form:
        return cf.CloseForm(data, initial={"closed_on": _today()})

    def save(self, request: HttpRequest, case: Case, form: forms.Form) -> str:
        d = form.cleaned_data
        asb_services.asb_case_close(
            actor=_actor(request),
            case=case,
            closed_on=d["closed_on"],
            reason=d["reason"],
            victim_told=d["victim_told"],
            satisfaction=d["satisfaction"],
        )
        return "The case was closed."
