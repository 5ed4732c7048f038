"""Pages of action plans: thin callers of the selectors and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from saferhub.accounts.access import scope_to_user
from saferhub.actions import selectors as sel
from saferhub.actions import services
from saferhub.actions.forms import (
    ActionCompleteForm,
    ActionCreateForm,
    ActionFilterForm,
    ActionUpdateForm,
    CarryForwardForm,
    ContributionForm,
    ImportForm,
    MeetingCreateForm,
    MeetingRecordForm,
    PlanCreateForm,
    TeamCreateForm,
)
from saferhub.actions.imports import ImportRefused, action_plan_import
from saferhub.actions.jobs import IMPORT_KIND, import_start
from saferhub.actions.models import Action, ActionPlan, ActionTeam
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.models import Job
from saferhub.core.views import PermissionRequiredView, form_errors_from


def _download(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _due_lists_response(lists: sel.DueLists, fmt: str, filename: str, title: str) -> HttpResponse:
    rows = []
    for label, actions in (
        ("Overdue", lists.overdue),
        ("Due in the next 14 days", lists.due_soon),
        ("Due later", lists.later),
    ):
        rows += [[label, *row] for row in sel.action_export_rows(actions)]
    return table_response(
        columns=["List", *sel.EXPORT_COLUMNS], rows=rows, filename=filename, fmt=fmt, title=title
    )


# ----------------------------------------------------------------------------- plans


class PlanListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        plans = ActionPlan.objects.live()
        rows = [(p, sel.year_end_summary(p)[1]) for p in plans]
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=["Plan", "Starts", "Ends", "Actions", "Completed", "% completed"],
                rows=[
                    [p.title, p.starts_on, p.ends_on, t.actions, t.completed, t.percent_completed]
                    for p, t in rows
                ],
                filename="action-plans",
                fmt=fmt,
                title="Action plans",
            )
        return render(request, "actions/plan_list.html", {"rows": rows})


class PlanCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "actions/plan_create.html", {"form": PlanCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanCreateForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action plan “{plan.title}” created.")
                return redirect("actions:year_end", pk=plan.pk)
        return render(request, "actions/plan_create.html", {"form": form})


class YearEndView(PermissionRequiredView):
    """The plan's year end: Table 1 per action team, contribution matrix, key players."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        fmt = request.GET.get("format", "")
        table = request.GET.get("table", "summary")
        if fmt in EXPORT_FORMATS:
            if table == "contributions":
                columns, rows = sel.matrix_table(sel.contribution_matrix(plan))
                title = "Partner contributions"
            elif table == "key_players":
                columns, rows = sel.matrix_table(sel.key_players(plan), "Key players")
                title = "Key players"
            else:
                columns, rows = sel.YEAR_END_COLUMNS, sel.year_end_rows(plan)
                title = "Actions per action team"
            return table_response(
                columns=columns, rows=rows, filename=f"{table}-{plan.pk}", fmt=fmt, title=title
            )
        summary, total = sel.year_end_summary(plan)
        context = {
            "plan": plan,
            "summary": summary,
            "total": total,
            "contributions": sel.contribution_matrix(plan),
            "key_players": sel.key_players(plan),
            "next_plan": ActionPlan.objects.filter(previous=plan).first(),
            "can_manage": request.user.has_perm(sel.MANAGE),
        }
        return render(request, "actions/year_end.html", context)


class ContributionView(PermissionRequiredView):
    """Record what a partner contributes to a priority (one cell of the matrix)."""

    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        form = ContributionForm(initial={"priority": request.GET.get("priority", "")})
        return render(request, "actions/contribution.html", {"plan": plan, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        form = ContributionForm(request.POST)
        if form.is_valid():
            try:
                services.contribution_set(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Contribution recorded.")
                return redirect("actions:year_end", pk=plan.pk)
        return render(request, "actions/contribution.html", {"plan": plan, "form": form})


class CarryForwardView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def _form(self, plan: ActionPlan, data: Any = None) -> CarryForwardForm:
        span = plan.ends_on - plan.starts_on
        starts = plan.ends_on + dt.timedelta(days=1)
        return CarryForwardForm(
            data,
            initial={
                "title": f"{plan.title} (year two)",
                "starts_on": starts,
                "ends_on": starts + span,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        open_count = plan.actions.exclude(status__in=Action.CLOSED).count()
        return render(
            request,
            "actions/carry_forward.html",
            {"plan": plan, "form": self._form(plan), "open_count": open_count},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        form = self._form(plan, request.POST)
        if form.is_valid():
            try:
                next_plan, carried = services.plan_carry_forward(
                    actor=request.user, plan=plan, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, f"{len(carried)} unfinished actions carried into “{next_plan.title}”."
                )
                return redirect("actions:year_end", pk=next_plan.pk)
        open_count = plan.actions.exclude(status__in=Action.CLOSED).count()
        return render(
            request,
            "actions/carry_forward.html",
            {"plan": plan, "form": form, "open_count": open_count},
        )


class ImportView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        return render(request, "actions/import.html", {"plan": plan, "form": ImportForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        form = ImportForm(request.POST, request.FILES)
        fmt = request.POST.get("format")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            if fmt not in EXPORT_FORMATS:
                # The import runs as a job: its page shows progress, then the report.
                job = import_start(
                    user=request.user,
                    plan=plan,
                    filename=upload.name,
                    content=content,
                    dry_run=form.cleaned_data["dry_run"],
                )
                return redirect("core:job", job_id=job.pk)
            # "Check and download problems": a dry run, its problems as a download.
            try:
                report = action_plan_import(
                    actor=request.user,
                    plan=plan,
                    filename=upload.name,
                    content=content,
                    dry_run=True,
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc))
            else:
                return table_response(
                    columns=["Row", "Column", "Problem"],
                    rows=[[e.row, e.column, e.message] for e in report.errors],
                    filename="rows-not-imported",
                    fmt=fmt,
                    title="Rows not imported",
                )
        return render(request, "actions/import.html", {"plan": plan, "form": form})


class ImportReportView(PermissionRequiredView):
    """The report of an import job: rows read, added, changed, and rows not read."""

    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = (
            scope_to_user(
                request.user,
                Job.objects.filter(kind=IMPORT_KIND),
                perm=sel.MANAGE,
                assigned_field="created_by",
            )
            .filter(pk=job_id)
            .first()
        )
        if job is None or not job.finished:
            raise Http404("No such import.")
        result = job.result if isinstance(job.result, dict) else {}
        plan = sel.plan_get_for_user(
            user=request.user, id=result.get("plan_id", job.params["plan_id"])
        )
        refused = result.get("refused") or (job.error if job.status == Job.Status.FAILED else "")
        report = result.get("report")
        fmt = request.GET.get("format")
        if report and fmt in EXPORT_FORMATS:
            return table_response(
                columns=["Row", "Column", "Problem"],
                rows=[[e["row"], e["column"], e["message"]] for e in report["errors"]],
                filename="rows-not-imported",
                fmt=fmt,
                title="Rows not imported",
            )
        return render(
            request,
            "actions/import.html",
            {"plan": plan, "form": ImportForm(), "report": report, "refused": refused},
        )


# ----------------------------------------------------------------------------- actions


class ActionListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ActionFilterForm(request.GET or None, priorities=sel.priorities_of())
        filters = sel.ActionFilters(**form.cleaned_data) if form.is_valid() else sel.ActionFilters()
        actions = sel.actions_for_user(user=request.user, filters=filters)
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return table_response(
                columns=sel.EXPORT_COLUMNS,
                rows=sel.action_export_rows(actions),
                filename="actions",
                fmt=fmt,
                title="Actions",
            )
        query = request.GET.copy()
        query.pop("format", None)
        return render(
            request,
            "actions/action_list.html",
            {
                "form": form,
                "actions": actions,
                "query": query.urlencode(),
                "today": timezone.localdate(),
            },
        )


class ActionDetailView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = sel.action_get_for_user(user=request.user, id=pk)
        updates = action.updates.select_related("created_by", "meeting")
        context: dict[str, Any] = {
            "action": action,
            "updates": updates,
            "evaluation": getattr(action, "evaluation", None),
            "can_update": sel.action_can_update(request.user, action) and not action.is_closed,
            "today": timezone.localdate(),
            "carried_to": getattr(action, "carried_to", None),
        }
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=["Date", "Progress", "Status", "Progress towards target", "Meeting", "By"],
                rows=[
                    [
                        u.made_on,
                        u.progress,
                        u.get_status_display(),
                        u.progress_quantity,
                        u.meeting.held_on if u.meeting else "",
                        u.created_by.username if u.created_by else "",
                    ]
                    for u in updates
                ],
                filename=f"action-{action.reference}-updates",
                fmt=fmt,
                title="Progress updates",
            )
        return render(request, "actions/action_detail.html", context)


class ActionCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def _meeting(self, request: HttpRequest) -> Any:
        meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
        if not meeting_id:
            return None
        return sel.meeting_get_for_user(user=request.user, id=meeting_id)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        meeting = self._meeting(request)
        initial = {"team": meeting.team} if meeting else {}
        form = ActionCreateForm(initial=initial)
        return render(
            request, "actions/action_create.html", {"plan": plan, "form": form, "meeting": meeting}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        meeting = self._meeting(request)
        form = ActionCreateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                action = services.action_create(
                    actor=request.user,
                    plan=plan,
                    reference=data.pop("reference"),
                    description=data.pop("description"),
                    lead_partners=data.pop("lead_partners"),
                    supporting_partners=data.pop("supporting_partners"),
                    meeting=meeting,
                    **data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action {action.reference} added.")
                return redirect("actions:action", pk=action.pk)
        return render(
            request, "actions/action_create.html", {"plan": plan, "form": form, "meeting": meeting}
        )


class ActionUpdateView(PermissionRequiredView):
    """The lead's progress update form."""

    permission_required = sel.UPDATE_OWN

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = sel.action_get_for_update(user=request.user, id=pk)
        form = ActionUpdateForm(action=action)
        return render(request, "actions/action_update.html", {"action": action, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = sel.action_get_for_update(user=request.user, id=pk)
        form = ActionUpdateForm(request.POST, action=action)
        if form.is_valid():
            try:
                services.action_update_create(
                    actor=request.user, action=action, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Progress on action {action.reference} recorded.")
                return redirect("actions:action", pk=action.pk)
        return render(request, "actions/action_update.html", {"action": action, "form": form})


class ActionCompleteView(PermissionRequiredView):
    """Completion of an action with its evaluation."""

    permission_required = sel.UPDATE_OWN

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = sel.action_get_for_update(user=request.user, id=pk)
        form = ActionCompleteForm(action=action)
        return render(request, "actions/action_complete.html", {"action": action, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = sel.action_get_for_update(user=request.user, id=pk)
        form = ActionCompleteForm(request.POST, action=action)
        if form.is_valid():
            try:
                services.action_complete(actor=request.user, action=action, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Action {action.reference} completed and evaluated.")
                return redirect("actions:action", pk=action.pk)
        return render(request, "actions/action_complete.html", {"action": action, "form": form})


class MyActionsView(PermissionRequiredView):
    """Your overdue and due-soon actions."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        lists = sel.split_due(sel.actions_led_by(request.user), today=today)
        fmt = _download(request)
        if fmt:
            return _due_lists_response(lists, fmt, "your-actions", "Your actions")
        return render(request, "actions/mine.html", {"lists": lists, "today": today})


# ----------------------------------------------------------------------------- teams


class TeamListView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        teams = ActionTeam.objects.live().select_related("chair", "lead_officer", "parent")
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=[
                    "Group",
                    "Kind",
                    "Reports to",
                    "Priority",
                    "Chair",
                    "Lead officer",
                    "Member agencies",
                ],
                rows=[
                    [
                        t.name,
                        t.get_kind_display(),
                        t.parent.name if t.parent else "",
                        t.priority,
                        t.chair.display_name if t.chair else "",
                        t.lead_officer.display_name if t.lead_officer else "",
                        "/".join(a.name for a in t.member_agencies.all()),
                    ]
                    for t in teams
                ],
                filename="action-teams",
                fmt=fmt,
                title="Action teams",
            )
        return render(request, "actions/team_list.html", {"teams": teams})


class TeamCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "actions/team_create.html", {"form": TeamCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TeamCreateForm(request.POST)
        if form.is_valid():
            try:
                team = services.team_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"“{team.name}” added.")
                return redirect("actions:team", pk=team.pk)
        return render(request, "actions/team_create.html", {"form": form})


class TeamDetailView(PermissionRequiredView):
    """A group's page: members, overdue and due-soon actions, meetings."""

    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = sel.team_get_for_user(user=request.user, id=pk)
        today = timezone.localdate()
        context: dict[str, Any] = {
            "team": team,
            "lists": sel.split_due(sel.team_open_actions(team), today=today),
            "meetings": team.meetings.live(),
            "today": today,
            "can_manage": request.user.has_perm(sel.MANAGE),
        }
        fmt = _download(request)
        if fmt:
            return _due_lists_response(context["lists"], fmt, f"team-{team.pk}-actions", team.name)
        return render(request, "actions/team_detail.html", context)


class MeetingCreateView(PermissionRequiredView):
    permission_required = sel.MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = sel.team_get_for_user(user=request.user, id=pk)
        form = MeetingCreateForm(initial={"held_on": timezone.localdate()})
        return render(request, "actions/meeting_create.html", {"team": team, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = sel.team_get_for_user(user=request.user, id=pk)
        form = MeetingCreateForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    actor=request.user, team=team, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Meeting recorded; its agenda lists the due actions.")
                return redirect("actions:meeting", pk=meeting.pk)
        return render(request, "actions/meeting_create.html", {"team": team, "form": form})


class MeetingDetailView(PermissionRequiredView):
    permission_required = sel.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        can_manage = request.user.has_perm(sel.MANAGE)
        fmt = _download(request)
        if fmt:
            return table_response(
                columns=sel.EXPORT_COLUMNS,
                rows=sel.action_export_rows(meeting.agenda_actions.all()),
                filename=f"meeting-{meeting.pk}-agenda",
                fmt=fmt,
                title="Agenda",
            )
        form = MeetingRecordForm(
            initial={"minutes": meeting.minutes, "decisions": meeting.decisions}
        )
        return render(
            request, "actions/meeting_detail.html", self._context(meeting, form, can_manage)
        )

    def _context(self, meeting: Any, form: Form, can_manage: bool) -> dict[str, Any]:
        plan = (
            ActionPlan.objects.live()
            .filter(starts_on__lte=meeting.held_on, ends_on__gte=meeting.held_on)
            .first()
        )
        return {
            "meeting": meeting,
            "agenda": meeting.agenda_actions.select_related("lead_officer").prefetch_related(
                "lead_partners"
            ),
            "new_actions": meeting.new_actions.all(),
            "updates": meeting.updates.select_related("action"),
            "form": form,
            "can_manage": can_manage,
            "plan": plan,
        }


class MeetingRecordView(PermissionRequiredView):
    """Minutes and decisions of a meeting (managers)."""

    permission_required = sel.MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = sel.meeting_get_for_user(user=request.user, id=pk)
        form = MeetingRecordForm(request.POST)
        if form.is_valid():
            services.meeting_record(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, "Minutes and decisions saved.")
            return redirect("actions:meeting", pk=meeting.pk)
        return render(
            request,
            "actions/meeting_detail.html",
            MeetingDetailView()._context(meeting, form, True),
        )
