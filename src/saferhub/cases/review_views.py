"""Staff pages of the ASB Case Review: the applications, each one's decision (with its
deadline in working days), the review panel meeting, recommendations, the outcome letter
(HTML and PDF) and an appeal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import User
from saferhub.cases import case_forms as cf
from saferhub.cases import review_selectors as rsel
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.models import CaseReviewApplication
from saferhub.cases.services import case_review as svc
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the view's permission check has run)."""
    return cast(User, request.user)


COLUMNS = ["Reference", "Received", "Decision due", "Decision", "Decided", "Late", "Review"]


def _row(a: CaseReviewApplication, today: Any) -> list[Any]:
    return [
        a.application_ref,
        a.received_date,
        a.decision_due,
        a.get_decision_display(),
        a.decided_on,
        "Late" if rsel.is_late(a, today) else "",
        a.review_date,
    ]


class ApplicationListView(PermissionRequiredView):
    permission_required = rsel.PERMISSION

    def get(self, request: HttpRequest) -> HttpResponse:
        from saferhub.accounts.audit import audit_record

        today = timezone.localdate()
        applications = rsel.applications_for_user(user=request.user)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            audit_record(
                actor=_actor(request),
                action=CaseAction.CASE_EXPORT,
                object_type="cases.CaseReviewApplication",
                new={"format": fmt, "rows": applications.count(), "fields": COLUMNS},
            )
            return table_response(
                columns=COLUMNS,
                rows=[_row(a, today) for a in applications],
                filename="case-review-applications",
                fmt=fmt,
                title="ASB Case Review applications",
            )
        rows = [(a, rsel.is_late(a, today)) for a in applications[:500]]
        return render(
            request,
            "cases/case_review_list.html",
            {"rows": rows, "total": applications.count()},
        )


class ApplicationNewView(PermissionRequiredView):
    permission_required = rsel.PERMISSION

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(
            request,
            "cases/case_form.html",
            {
                "form": form,
                "heading": "Record an ASB Case Review application",
                "button": "Record the application",
                "intro": "The decision is due within the set number of working days of "
                "receipt (bank holidays in England and Wales excluded).",
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request, cf.ApplicationForm(initial={"received_date": timezone.localdate()})
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = cf.ApplicationForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                application = svc.case_review_application_create(
                    actor=_actor(request),
                    received_date=d["received_date"],
                    applicant_type=d["applicant_type"],
                    application_ref=d["application_ref"],
                    victim_ref=d["victim_ref"],
                    consent=True if d["consent"] else None,
                    applicant_name=d["applicant_name"],
                    applicant_contact=d["applicant_contact"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    f"Application {application.application_ref} recorded: decision due "
                    f"{application.decision_due:%-d %B %Y}.",
                )
                return redirect(reverse("cases:case_review", args=[application.pk]))
        return self._render(request, form, status=400)


class ApplicationDetailView(PermissionRequiredView):
    permission_required = rsel.PERMISSION

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = rsel.application_get_for_user(user=request.user, id=pk)
        today = timezone.localdate()
        count = svc.application_qualifying_count(application) if application.victim_ref else None
        return render(
            request,
            "cases/case_review_detail.html",
            {
                "a": application,
                "late": rsel.is_late(application, today),
                "qualifying": count,
                "threshold": svc.local_threshold(),
                "recommendations": application.recommendation_items.select_related("owner"),
                "today": today,
            },
        )


class ApplicationStepView(PermissionRequiredView):
    """One step of an application: the form, and the service it calls."""

    permission_required = rsel.PERMISSION
    heading = ""
    button = "Save"
    intro = ""

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        raise NotImplementedError

    def _render(
        self,
        request: HttpRequest,
        application: CaseReviewApplication,
        form: forms.Form,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "cases/case_form.html",
            {
                "form": form,
                "application": application,
                "heading": self.heading,
                "button": self.button,
                "intro": self.intro,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = rsel.application_get_for_user(user=request.user, id=pk)
        return self._render(request, application, self.make_form(application))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = rsel.application_get_for_user(user=request.user, id=pk)
        form = self.make_form(application, request.POST)
        if form.is_valid():
            try:
                message = self.save(request, application, form)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, message)
                return redirect(reverse("cases:case_review", args=[application.pk]))
        return self._render(request, application, form, status=400)


def _today_initial(name: str) -> dict[str, Any]:
    return {name: timezone.localdate()}


class MatchView(ApplicationStepView):
    heading = "Match the application to the victim's complaints"
    button = "Match"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.MatchForm(data, initial={"victim_ref": application.victim_ref})

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_match_victim(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The application was matched to the victim's complaints."


class DecisionView(ApplicationStepView):
    heading = "Decide whether the threshold is met"
    button = "Record the decision"
    intro = (
        "The threshold rule is applied to the victim's complaints: those reported within a "
        "month of the behaviour and in the six months before the application, the same "
        "behaviour counted once."
    )

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.DecisionForm(data, initial=_today_initial("decided_on"))

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        done = svc.case_review_decide(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return f"Decision recorded: {done.get_decision_display().lower()}."


class MeetingView(ApplicationStepView):
    heading = "Record the review panel meeting"
    button = "Record the meeting"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        meeting = application.meeting
        initial = (
            {"held_on": meeting.held_on, "chair": meeting.chair, "notes": meeting.notes}
            if meeting
            else _today_initial("held_on")
        )
        return cf.MeetingForm(data, initial=initial)

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_meeting_record(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The review panel meeting was recorded."


class RecommendationView(ApplicationStepView):
    heading = "Add a recommendation"
    button = "Add the recommendation"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.RecommendationForm(data)

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_recommendation_add(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The recommendation was added."


class LetterView(ApplicationStepView):
    heading = "Write the outcome letter"
    button = "Record the letter as sent"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.LetterForm(
            data,
            initial={"sent_on": timezone.localdate(), "summary": application.outcome_summary},
        )

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_outcome_letter(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The outcome letter was recorded as sent."


class AppealView(ApplicationStepView):
    heading = "Record an appeal"
    button = "Record the appeal"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.AppealForm(data, initial=_today_initial("received_on"))

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_appeal_record(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The appeal was recorded."


class AppealOutcomeView(ApplicationStepView):
    heading = "Record the appeal's outcome"
    button = "Record the outcome"

    def make_form(self, application: CaseReviewApplication, data: Any = None) -> forms.Form:
        return cf.AppealOutcomeForm(data, initial=_today_initial("decided_on"))

    def save(
        self, request: HttpRequest, application: CaseReviewApplication, form: forms.Form
    ) -> str:
        svc.case_review_appeal_decide(
            actor=_actor(request), application=application, **form.cleaned_data
        )  # type: ignore[arg-type]
        return "The appeal's outcome was recorded."


def _letter_context(application: CaseReviewApplication) -> dict[str, Any]:
    from django.conf import settings

    return {
        "a": application,
        "partnership": settings.PARTNERSHIP_NAME,
        "recommendations": application.recommendation_items.select_related("owner"),
    }


class LetterDocumentView(PermissionRequiredView):
    """The outcome letter as a page (``fmt`` html) or a PDF (``fmt`` pdf)."""

    permission_required = rsel.PERMISSION

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        from django.http import Http404

        application = rsel.application_get_for_user(user=request.user, id=pk)
        if fmt not in {"html", "pdf"} or not application.outcome_summary:
            raise Http404("No outcome letter yet.")
        context = _letter_context(application)
        if fmt == "html":
            return render(request, "cases/case_review_letter_page.html", context)
        from weasyprint import HTML

        html = render_to_string("cases/case_review_letter.html", context)
        response = HttpResponse(
            bytes(HTML(string=html).write_pdf()), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="case-review-{application.application_ref}.pdf"'
        )
        return response
