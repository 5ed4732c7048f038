"""Pages of tasking meetings and community concerns: thin callers of the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from
from saferhub.problems import forms as f
from saferhub.problems import selectors as sel
from saferhub.problems import services, tasking
from saferhub.problems.models import TaskingMeeting
from saferhub.problems.ranking import MEASURE_TITLES, MEASURES, rank_register
from saferhub.problems.registers import agenda_rows
from saferhub.problems.views import acting


def meeting_context(meeting: TaskingMeeting) -> dict[str, Any]:
    agenda = tasking.agenda_for(meeting)
    ranking = rank_register(
        problems=sel.Problem.objects.filter(area=meeting.area).exclude(status="closed"),
        top_n=meeting.top_n,
    )
    return {
        "meeting": meeting,
        "agenda": agenda,
        "ranking": ranking,
        "measures": [(m, MEASURE_TITLES[m], ranking.weights.get(m)) for m in MEASURES],
        "decisions": list(meeting.decisions.select_related("problem", "lead_partner")),
    }


def _on_the_agenda(context: dict[str, Any]) -> Any:
    """The problems a decision is offered on: those on the agenda and in the ranked register
    shown (a register of thousands is not one list to choose from)."""
    agenda = context["agenda"]
    ids = {p.pk for p in agenda.due_review} | {p.pk for p in agenda.for_closure}
    ids |= {p.pk for p, _ in agenda.overdue_actions}
    ids |= {r.problem.pk for r in context["ranking"].rows}
    return sel.Problem.objects.filter(pk__in=ids).only("id", "title").order_by("title")


class MeetingListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "meetings": sel.meeting_list(user=request.user),
            "can_manage": request.user.has_perm(sel.MANAGE),
        }
        return render(request, "problems/meetings.html", context)


class MeetingCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        form = f.MeetingForm(initial={"top_n": 50, "chair": request.user})
        return render(request, "problems/meeting_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = f.MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = tasking.meeting_create(actor=acting(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Tasking meeting {meeting} added.")
                return redirect("problems:meeting", pk=meeting.pk)
        return render(request, "problems/meeting_form.html", {"form": form}, status=400)


class MeetingDetailView(PermissionRequiredView):
    """The agenda generated from the data, the ranked register, decisions (managers)."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        context = meeting_context(meeting)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=["Section", "Item", "Detail"],
                rows=agenda_rows(context["agenda"]),
                filename=f"tasking-agenda-{meeting.pk}",
                fmt=fmt,
                title=f"Agenda: {meeting}",
            )
        return self._render(
            request,
            context,
            f.DecisionForm(problems=_on_the_agenda(context)),
            f.MinutesForm(initial={"minutes": meeting.minutes}),
        )

    def _render(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        form: Any,
        minutes: Any,
        status: int = 200,
    ) -> HttpResponse:
        context |= {
            "form": form,
            "minutes_form": minutes,
            "can_manage": request.user.has_perm(sel.MANAGE),
        }
        return render(request, "problems/meeting.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from saferhub.accounts.access import require_permission

        require_permission(request.user, sel.MANAGE, what=request.path)
        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        minutes = f.MinutesForm(initial={"minutes": meeting.minutes})
        context = meeting_context(meeting)
        form = f.DecisionForm(problems=_on_the_agenda(context))
        if "minutes" in request.POST:
            minutes = f.MinutesForm(request.POST)
            if minutes.is_valid():
                tasking.meeting_minutes_record(
                    actor=acting(request), meeting=meeting, minutes=minutes.cleaned_data["minutes"]
                )
                messages.success(request, "Minutes saved.")
                return redirect("problems:meeting", pk=meeting.pk)
        else:
            form = f.DecisionForm(
                request.POST, problems=sel.Problem.objects.filter(area=meeting.area)
            )
            if form.is_valid():
                try:
                    tasking.decision_record(
                        actor=acting(request), meeting=meeting, **form.cleaned_data
                    )
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, "Decision recorded.")
                    return redirect("problems:meeting", pk=meeting.pk)
        if form.is_bound:
            form.fields["problem"].queryset = _on_the_agenda(context)  # type: ignore[attr-defined]
        return self._render(request, context, form, minutes, status=400)


class MeetingPdfView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from weasyprint import HTML

        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        html = render_to_string("problems/minutes_pdf.html", meeting_context(meeting))
        response = HttpResponse(
            bytes(HTML(string=html).write_pdf()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="tasking-minutes-{meeting.pk}.pdf"'
        return response


class ConcernListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        concerns = sel.concern_list(user=request.user)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=["Received", "Place", "Theme", "Raised by", "Concern", "Channel"],
                rows=[
                    [
                        c.received_on,
                        c.place.name,
                        c.theme.name,
                        c.get_raised_by_display(),
                        c.summary,
                        c.channel,
                    ]
                    for c in concerns
                ],
                filename="community-concerns",
                fmt=fmt,
                title="Community concerns",
            )
        context = {"concerns": concerns, "can_record": request.user.has_perm(sel.CONCERN)}
        return render(request, "problems/concerns.html", context)


class ConcernCreateView(PermissionRequiredView):
    permission_required = sel.CONCERN

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "problems/concern_form.html", {"form": f.ConcernForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = f.ConcernForm(request.POST)
        if form.is_valid():
            try:
                services.concern_record(actor=acting(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Concern recorded.")
                return redirect("problems:concerns")
        return render(request, "problems/concern_form.html", {"form": form}, status=400)
