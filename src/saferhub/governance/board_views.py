"""Pages of the end-of-year report, the Board (groups, members, meetings, minutes,
decisions), the consultation log and the surveys: thin callers of selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from saferhub.accounts.access import has_permission
from saferhub.actions.imports import ImportRefused
from saferhub.core.exports import XLSX_TYPE, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.governance import board_selectors as bsel
from saferhub.governance import end_of_year as eoy
from saferhub.governance import selectors as sel
from saferhub.governance.forms import (
    BoardGroupForm,
    BoardMeetingForm,
    BoardMemberForm,
    ConsultationForm,
    DecisionForm,
    MinutesForm,
    SurveyImportForm,
)
from saferhub.governance.models import SurveyWave
from saferhub.governance.services import board as board_services
from saferhub.governance.services import year_publish_summary
from saferhub.governance.surveys import survey_import
from saferhub.governance.views import _actor, _download


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The end-of-year report ------------------------------------------------------------


class EndOfYearView(PermissionRequiredView):
    """The end-of-year report for a financial year (the latest by default): page, PDF, Excel."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        years = list(sel.years())
        if not years:
            messages.info(request, "Add a financial year before its end-of-year report.")
            return redirect("governance:years")
        asked = request.GET.get("year", "").strip()
        try:
            year = eoy.year_for_period(asked) if asked else years[0]
        except eoy.ReportYearError as exc:
            messages.error(request, str(exc))
            return redirect("governance:end_of_year")
        report = eoy.end_of_year_report(user=request.user, year=year)
        fmt = request.GET.get("format")
        if fmt == "pdf":
            return _file(eoy.end_of_year_pdf(report), "application/pdf", f"{report.filename}.pdf")
        if fmt == "xlsx":
            return _file(eoy.end_of_year_xlsx(report), XLSX_TYPE, f"{report.filename}.xlsx")
        context = eoy.report_context(report) | {
            "years": years,
            "can_publish": has_permission(request.user, bsel.MANAGE_BOARD),
        }
        return render(request, "governance/end_of_year.html", context)


class EndOfYearPublishView(PermissionRequiredView):
    permission_required = bsel.MANAGE_BOARD

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = sel.year_get_for_user(user=request.user, id=pk)
        publish = request.POST.get("publish") == "yes"
        year_publish_summary(actor=_actor(request), year=year, publish=publish)
        messages.success(
            request,
            f"The {year.label} summary is "
            + ("now on the public site." if publish else "no longer on the public site."),
        )
        return redirect(f"{reverse('governance:end_of_year')}?{urlencode({'year': year.label})}")


# --- The Board --------------------------------------------------------------------------


class _FormView(PermissionRequiredView):
    """A GOV.UK form page: ``_form_page.html`` with a heading, a button and the form."""

    form_class: type[Form] = Form
    heading = ""
    button = "Save"

    def page(
        self, request: HttpRequest, form: Form, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {"form": form, "heading": self.heading, "button": self.button} | extra
        return render(request, "governance/_form_page.html", context, status=status)


class BoardListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "groups": [(g, bsel.current_members(g)) for g in bsel.groups()],
            "meetings": bsel.meetings()[:20],
            "can_manage": has_permission(request.user, bsel.MANAGE_BOARD),
        }
        return render(request, "governance/board.html", context)


class BoardGroupCreateView(_FormView):
    permission_required = bsel.MANAGE_BOARD
    form_class = BoardGroupForm
    heading = "Add the Board or a sub-group"
    button = "Add the group"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, BoardGroupForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BoardGroupForm(request.POST)
        if form.is_valid():
            try:
                group = board_services.board_group_create(
                    actor=_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"“{group.name}” added: now add its members.")
                return redirect("governance:board_group", pk=group.pk)
        return self.page(request, form, status=400)


class BoardGroupView(PermissionRequiredView):
    permission_required = sel.VIEW

    def _render(
        self, request: HttpRequest, group: Any, form: Form, status: int = 200
    ) -> HttpResponse:
        context = {
            "group": group,
            "members": group.members.live(),
            "meetings": bsel.meetings(group),
            "form": form,
            "can_manage": has_permission(request.user, bsel.MANAGE_BOARD),
        }
        return render(request, "governance/board_group.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = bsel.group_get_for_user(user=request.user, id=pk)
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=bsel.MEMBER_COLUMNS,
                rows=bsel.member_rows(group),
                filename=f"board-group-{group.pk}-members",
                fmt=fmt,
                title="Members",
            )
        return self._render(request, group, BoardMemberForm())


class BoardMemberAddView(PermissionRequiredView):
    permission_required = bsel.MANAGE_BOARD

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = bsel.group_get_for_user(user=request.user, id=pk)
        form = BoardMemberForm(request.POST)
        if form.is_valid():
            try:
                member = board_services.board_member_add(
                    actor=_actor(request), group=group, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{member.name} added to {group.name}.")
                return redirect("governance:board_group", pk=group.pk)
        return BoardGroupView()._render(request, group, form, status=400)


class BoardMeetingCreateView(_FormView):
    permission_required = bsel.MANAGE_BOARD
    form_class = BoardMeetingForm
    heading = "Set up a meeting"
    button = "Set up the meeting and its agenda"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = bsel.group_get_for_user(user=request.user, id=pk)
        return self.page(request, BoardMeetingForm(), caption=group.name)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = bsel.group_get_for_user(user=request.user, id=pk)
        form = BoardMeetingForm(request.POST)
        if form.is_valid():
            try:
                quarter, agenda = bsel.meeting_agenda(
                    user=request.user, quarter=form.cleaned_data["quarter"].strip() or None
                )
            except ValueError as exc:
                form.add_error("quarter", str(exc))
            else:
                try:
                    meeting = board_services.board_meeting_create(
                        actor=_actor(request),
                        group=group,
                        held_on=form.cleaned_data["held_on"],
                        quarter=quarter,
                        agenda=agenda,
                    )
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(
                        request, "Meeting set up; its agenda is built from the papers."
                    )
                    return redirect("governance:board_meeting", pk=meeting.pk)
        return self.page(request, form, status=400, caption=group.name)


def _minutes_context(meeting: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "decisions": bsel.decisions(meeting),
        "members": bsel.current_members(meeting.group, meeting.held_on),
    }


class BoardMeetingView(PermissionRequiredView):
    """A meeting: its agenda, minutes and decisions; the minutes as a PDF; its Board pack."""

    permission_required = sel.VIEW

    def _render(
        self,
        request: HttpRequest,
        meeting: Any,
        minutes_form: Form | None = None,
        decision_form: Form | None = None,
        status: int = 200,
    ) -> HttpResponse:
        initial = {name: getattr(meeting, name) for name in board_services.MINUTES_FIELDS}
        context = _minutes_context(meeting) | {
            "minutes_form": minutes_form or MinutesForm(initial=initial),
            "decision_form": decision_form or DecisionForm(),
            "can_manage": has_permission(request.user, bsel.MANAGE_BOARD),
        }
        return render(request, "governance/board_meeting.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = bsel.meeting_get_for_user(user=request.user, id=pk)
        if request.GET.get("format") == "pdf":
            from weasyprint import HTML

            html = render_to_string("governance/board_minutes_pdf.html", _minutes_context(meeting))
            return _file(
                bytes(HTML(string=html).write_pdf()),
                "application/pdf",
                f"minutes-{meeting.held_on:%Y-%m-%d}.pdf",
            )
        return self._render(request, meeting)


class BoardMinutesView(PermissionRequiredView):
    permission_required = bsel.MANAGE_BOARD

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = bsel.meeting_get_for_user(user=request.user, id=pk)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                board_services.board_minutes_record(
                    actor=_actor(request), meeting=meeting, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Minutes saved.")
                return redirect("governance:board_meeting", pk=meeting.pk)
        return BoardMeetingView()._render(request, meeting, minutes_form=form, status=400)


class BoardDecisionAddView(PermissionRequiredView):
    permission_required = bsel.MANAGE_BOARD

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = bsel.meeting_get_for_user(user=request.user, id=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                board_services.board_decision_add(
                    actor=_actor(request), meeting=meeting, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("governance:board_meeting", pk=meeting.pk)
        return BoardMeetingView()._render(request, meeting, decision_form=form, status=400)


# --- The consultation log ---------------------------------------------------------------


class ConsultationListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=bsel.CONSULTATION_COLUMNS,
                rows=bsel.consultation_rows(),
                filename="consultation-log",
                fmt=fmt,
                title="Consultation log",
            )
        context = {
            "events": bsel.consultations(),
            "can_manage": has_permission(request.user, bsel.MANAGE_BOARD),
        }
        return render(request, "governance/consultations.html", context)


class ConsultationCreateView(_FormView):
    permission_required = bsel.MANAGE_BOARD
    heading = "Add to the consultation log"
    button = "Add the consultation"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, ConsultationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ConsultationForm(request.POST)
        if form.is_valid():
            try:
                event = board_services.consultation_create(
                    actor=_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"“{event.title}” added to the consultation log.")
                return redirect("governance:consultations")
        return self.page(request, form, status=400)


class ConsultationEditView(_FormView):
    permission_required = bsel.MANAGE_BOARD
    heading = "Change a consultation"
    button = "Save the changes"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = bsel.consultation_get_for_user(user=request.user, id=pk)
        initial = {name: getattr(event, name) for name in ConsultationForm.base_fields}
        return self.page(request, ConsultationForm(initial=initial), caption=event.title)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = bsel.consultation_get_for_user(user=request.user, id=pk)
        form = ConsultationForm(request.POST)
        if form.is_valid():
            try:
                board_services.consultation_edit(
                    actor=_actor(request), event=event, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"“{event.title}” saved.")
                return redirect("governance:consultations")
        return self.page(request, form, status=400, caption=event.title)


# --- Surveys ------------------------------------------------------------------------------


class SurveyListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        waves = SurveyWave.objects.live().prefetch_related("questions")
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=["Survey", "Wave date", "Area", "Sample size", "Weighting", "Questions"],
                rows=[
                    [
                        w.survey,
                        w.wave_date,
                        w.area_name or w.area_code,
                        w.sample_size,
                        w.weighting,
                        w.questions.count(),
                    ]
                    for w in waves
                ],
                filename="survey-waves",
                fmt=fmt,
                title="Survey waves",
            )
        context = {"waves": waves, "can_import": has_permission(request.user, sel.MANAGE)}
        return render(request, "governance/surveys.html", context)


class SurveyImportView(_FormView):
    permission_required = sel.MANAGE
    heading = "Import a survey wave's results"
    button = "Import the results"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, SurveyImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SurveyImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file")
            try:
                report = survey_import(
                    actor=_actor(request),
                    filename=upload.name,
                    content=upload.read(),
                    **data,
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc))
            else:
                if report.wave is not None:
                    messages.success(
                        request,
                        f"{upload.name}: {report.questions} questions and {report.answers} "
                        "answers imported.",
                    )
                    return redirect("governance:surveys")
                for error in report.errors[:20]:
                    form.add_error("file", str(error))
        return self.page(request, form, status=400)
