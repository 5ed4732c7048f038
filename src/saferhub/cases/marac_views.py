"""MARAC pages: the checklist, the referral, meetings and their agenda, the action tracker,
the worker's own list and the quarterly return. Thin callers of the MARAC selectors and
services; every case reached through the need-to-know scope, every view audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from saferhub.accounts.audit import audit_record
from saferhub.cases import dash
from saferhub.cases import marac_selectors as ms
from saferhub.cases import selectors as sel
from saferhub.cases.audit_actions import CaseAction, MaracCaseAction
from saferhub.cases.marac_forms import (
    ActionForm,
    ActionStatusForm,
    AddressForm,
    DashForm,
    IdvaForm,
    MeetingCaseForm,
    MemberForm,
    ReferralForm,
    ResearchForm,
    ReturnForm,
    ScheduleForm,
)
from saferhub.cases.models import AgencyResearch, Case, MaracMeeting, MaracReferral
from saferhub.cases.services.marac import (
    RETURN_MEASURES,
    Household,
    checklist_comments,
    checklist_result,
    dash_checklist_record,
    marac_refer,
    marac_return,
)
from saferhub.cases.services.marac_meetings import (
    action_add,
    action_set_status,
    address_restrict,
    idva_allocate,
    meeting_add_case,
    meeting_add_member,
    meetings_schedule,
    research_record,
)
from saferhub.core.exports import EXPORT_FORMATS, table_response
from saferhub.core.views import PermissionRequiredView, form_errors_from

WORK = "cases.work_marac"
ACTION_COLUMNS = ["Meeting", "Case", "Action", "Agency", "Due", "Status", "Completed"]


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def _export(
    request: HttpRequest, what: str, columns: list[str], rows: list[list[Any]], **kw: Any
) -> HttpResponse:
    fmt = _fmt(request)
    assert fmt
    audit_record(
        actor=request.user,
        action=CaseAction.CASE_EXPORT,
        object_type="cases.MaracAction",
        new={"format": fmt, "rows": len(rows), "list": what, "fields": columns},
    )
    return table_response(columns=columns, rows=rows, fmt=fmt, **kw)


class MaracHomeView(PermissionRequiredView):
    """The worker's own list: meetings coming, actions due, cases they are the IDVA of."""

    permission_required = WORK

    def get(self, request: HttpRequest) -> HttpResponse:
        today = dt.date.today()
        mine = ms.your_marac(user=request.user, today=today)
        if _fmt(request):
            rows = (
                [["Meeting", m.held_on, str(m), ""] for m in mine.meetings]
                + [["Action due", a.due_on, a.case.reference, a.text] for a in mine.actions_due]
                + [["IDVA case", c.opened_on, c.reference, ""] for c in mine.idva_cases]
            )
            return _export(
                request,
                "your MARAC work",
                ["List", "Date", "Reference", "Action"],
                rows,
                filename="your-marac-work",
                title="Your MARAC work",
            )
        return render(request, "cases/marac/home.html", {"mine": mine, "today": today})


class DashNewView(PermissionRequiredView):
    permission_required = WORK

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/marac/dash_form.html", {"form": DashForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DashForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                checklist = dash_checklist_record(
                    actor=request.user,  # type: ignore[arg-type]
                    checklist_ref=data["checklist_ref"],
                    victim_ref=data["victim_ref"],
                    perpetrator_ref=data["perpetrator_ref"],
                    completed_date=data["completed_date"],
                    answers={k: data.get(k) or "" for k in dash.QUESTIONS},
                    comments={k: data.get(f"comment_{k}") or "" for k in dash.QUESTIONS},
                    police_incidents_12m=data["police_incidents_12m"],
                    professional_judgement=data["professional_judgement"],
                    judgement_reason=data["judgement_reason"],
                    agency=request.user.agency,  # type: ignore[union-attr]
                    today=dt.date.today(),
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:dash_detail", args=[checklist.pk]))
        return render(request, "cases/marac/dash_form.html", {"form": form}, status=400)


class DashDetailView(PermissionRequiredView):
    """A checklist's score, band and referral reason, and the referral that reuses it."""

    permission_required = WORK

    def _page(
        self, request: HttpRequest, pk: int, form: ReferralForm, status: int = 200
    ) -> HttpResponse:
        checklist = ms.checklist_get_for_user(user=request.user, id=pk)
        comments = checklist_comments(checklist)
        answers = [
            (k[1:], dash.HEADING[k], checklist.answers.get(k, ""), comments.get(k, ""))
            for k in dash.QUESTIONS
        ]
        return render(
            request,
            "cases/marac/dash_detail.html",
            {
                "checklist": checklist,
                "result": checklist_result(checklist),
                "answers": answers,
                "form": form,
                "referrals": MaracReferral.objects.filter(checklist=checklist),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk, ReferralForm(initial={"referral_date": dt.date.today()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        checklist = ms.checklist_get_for_user(user=request.user, id=pk)
        form = ReferralForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = marac_refer(
                    actor=request.user,  # type: ignore[arg-type]
                    checklist=checklist,
                    referral_date=data["referral_date"],
                    referring_agency=request.user.agency,  # type: ignore[union-attr,arg-type]
                    today=dt.date.today(),
                    reason=data["reason"],
                    household=Household(
                        children_in_household=data["children_in_household"],
                        victim_gender=data["victim_gender"],
                    ),
                    officer=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                assert referral.case is not None
                return redirect(reverse("cases:marac_case", args=[referral.case.pk]))
        return self._page(request, pk, form, status=400)


class MaracCaseView(PermissionRequiredView):
    permission_required = WORK

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = sel.case_get_for_user(user=request.user, id=pk)
        if case.case_type != "marac":
            return redirect(reverse("cases:detail", args=[pk]))
        referrals = list(MaracReferral.objects.filter(case=case).select_related("checklist"))
        return render(
            request,
            "cases/marac/case.html",
            {
                "case": case,
                "detail": getattr(case, "marac", None),
                "referrals": referrals,
                "address": ms.victim_address(user=request.user, case=case),
                "address_may_change": ms.address_may_change(user=request.user, case=case),
                "meetings": ms.meetings_for_user(user=request.user).filter(cases=case),
                "actions": ms.actions_for_user(user=request.user).filter(case=case),
            },
        )


class MeetingListView(PermissionRequiredView):
    permission_required = WORK

    def _page(self, request: HttpRequest, form: ScheduleForm, status: int = 200) -> HttpResponse:
        meetings = ms.meetings_for_user(user=request.user)
        return render(
            request,
            "cases/marac/meetings.html",
            {"meetings": meetings, "form": form, "today": dt.date.today()},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ScheduleForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meetings = meetings_schedule(
                    actor=request.user,  # type: ignore[arg-type]
                    first=data["first"],
                    frequency=data["frequency"],
                    count=data["count"],
                    chair=data["chair"],
                    members=[request.user],  # type: ignore[list-item]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_meeting", args=[meetings[0].pk]))
        return self._page(request, form, status=400)


class MeetingView(PermissionRequiredView):
    """A meeting's agenda; members add cases and actions here."""

    permission_required = WORK

    def _page(
        self,
        request: HttpRequest,
        pk: int,
        case_form: MeetingCaseForm | None = None,
        action_form: ActionForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        meeting = ms.meeting_get_for_user(user=request.user, id=pk)
        agenda = ms.agenda(user=request.user, meeting=meeting)
        on_meeting = ms.marac_cases_for_user(user=request.user).filter(marac_meetings=meeting)
        candidates = ms.marac_cases_for_user(user=request.user).exclude(marac_meetings=meeting)
        return render(
            request,
            "cases/marac/meeting.html",
            {
                "meeting": meeting,
                "agenda": agenda,
                "actions": ms.actions_for_user(user=request.user).filter(meeting=meeting),
                "members": meeting.members.select_related("agency").order_by(
                    "first_name", "last_name", "username"
                ),
                "case_form": case_form or MeetingCaseForm(cases=candidates, prefix="add"),
                "action_form": action_form
                or ActionForm(
                    cases=on_meeting,
                    prefix="action",
                    initial={"due_on": meeting.held_on + dt.timedelta(days=14)},
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = ms.meeting_get_for_user(user=request.user, id=pk)
        visible = ms.marac_cases_for_user(user=request.user)
        if request.POST.get("do") == "case":
            form = MeetingCaseForm(request.POST, cases=visible, prefix="add")
            if form.is_valid():
                try:
                    meeting_add_case(
                        actor=request.user,  # type: ignore[arg-type]
                        meeting=meeting,
                        case=form.cleaned_data["case"],
                    )
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    return redirect(reverse("cases:marac_meeting", args=[pk]))
            return self._page(request, pk, case_form=form, status=400)
        action_form = ActionForm(
            request.POST, cases=visible.filter(marac_meetings=meeting), prefix="action"
        )
        if action_form.is_valid():
            data = action_form.cleaned_data
            try:
                action_add(
                    actor=request.user,  # type: ignore[arg-type]
                    meeting=meeting,
                    case=data["case"],
                    agency=data["agency"],
                    text=data["text"],
                    due_on=data["due_on"],
                )
            except ValidationError as exc:
                form_errors_from(action_form, exc)
            else:
                return redirect(reverse("cases:marac_meeting", args=[pk]))
        return self._page(request, pk, action_form=action_form, status=400)


class ActionTrackerView(PermissionRequiredView):
    """Every action on the cases the user may see: meeting, case, action, agency, due, status."""

    permission_required = WORK

    def get(self, request: HttpRequest) -> HttpResponse:
        actions = ms.actions_for_user(user=request.user).order_by("due_on", "id")
        if _fmt(request):
            rows = [
                [
                    a.meeting.held_on,
                    a.case.reference,
                    a.text,
                    a.agency.name,
                    a.due_on,
                    a.get_status_display(),
                    a.done_on,
                ]
                for a in actions
            ]
            return _export(
                request,
                "MARAC actions",
                ACTION_COLUMNS,
                rows,
                filename="marac-actions",
                title="MARAC actions",
            )
        return render(
            request,
            "cases/marac/actions.html",
            {"actions": actions[:1000], "today": dt.date.today()},
        )


class ActionStatusView(PermissionRequiredView):
    permission_required = WORK

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = ms.action_get_for_user(user=request.user, id=pk)
        form = ActionStatusForm(initial={"status": action.status, "done_on": dt.date.today()})
        return render(request, "cases/marac/action_status.html", {"action": action, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = ms.action_get_for_user(user=request.user, id=pk)
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                action_set_status(
                    actor=request.user,  # type: ignore[arg-type]
                    action=action,
                    status=form.cleaned_data["status"],
                    done_on=form.cleaned_data["done_on"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_meeting", args=[action.meeting_id]))
        return render(
            request, "cases/marac/action_status.html", {"action": action, "form": form}, status=400
        )


class MaracReturnView(PermissionRequiredView):
    """The quarterly MARAC data return (counts only)."""

    permission_required = WORK

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReturnForm(request.GET or None)
        figures = None
        if form.is_valid():
            try:
                figures = marac_return(quarter=form.cleaned_data["quarter"])
            except ValidationError as exc:
                form_errors_from(form, exc)
        if figures is not None and _fmt(request):
            audit_record(
                actor=request.user,
                action=MaracCaseAction.RETURN,
                object_type="cases.MaracReferral",
                new={"quarter": form.cleaned_data["quarter"], "format": _fmt(request)},
            )
            return table_response(
                columns=["measure", "value"],
                rows=list(figures.items()),
                filename=f"marac-return-{form.cleaned_data['quarter']}",
                fmt=_fmt(request),  # type: ignore[arg-type]
                title="MARAC data return",
            )
        return render(
            request,
            "cases/marac/return.html",
            {
                "form": form,
                "figures": figures,
                "labels": RETURN_MEASURES,
                "query": request.GET.urlencode(),
            },
        )


def _marac_case(request: HttpRequest, pk: int) -> Case:
    """A MARAC case through the need-to-know scope (404 outside it, the view audited)."""
    case = sel.case_get_for_user(user=request.user, id=pk)
    if case.case_type != "marac":
        raise Http404("Not found.")
    return case


class ResearchView(PermissionRequiredView):
    """The user's agency's research on a case before a meeting: facts, and opinion apart.
    A member of the meeting who may see the case records it for their own agency only."""

    permission_required = WORK

    def _get(self, request: HttpRequest, pk: int, case_pk: int) -> tuple[MaracMeeting, Case]:
        meeting = ms.meeting_get_for_user(user=request.user, id=pk)
        case = _marac_case(request, case_pk)
        if request.user.agency is None or not meeting.cases.filter(pk=case.pk).exists():  # type: ignore[union-attr]
            raise Http404("Not found.")
        return meeting, case

    def _page(
        self,
        request: HttpRequest,
        meeting: MaracMeeting,
        case: Case,
        form: ResearchForm,
        existing: AgencyResearch | None,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "cases/marac/research.html",
            {"meeting": meeting, "case": case, "form": form, "existing": existing},
            status=status,
        )

    def _existing(self, request: HttpRequest, meeting: MaracMeeting, case: Case) -> Any:
        return AgencyResearch.objects.filter(
            meeting=meeting,
            case=case,
            agency=request.user.agency,  # type: ignore[union-attr]
        ).first()

    def get(self, request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
        meeting, case = self._get(request, pk, case_pk)
        existing = self._existing(request, meeting, case)
        initial: dict[str, Any] = {"recorded_on": dt.date.today()}
        if existing:
            initial = {
                "facts": existing.facts,
                "opinion": existing.opinion,
                "recorded_on": existing.recorded_on,
            }
        return self._page(request, meeting, case, ResearchForm(initial=initial), existing)

    def post(self, request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
        meeting, case = self._get(request, pk, case_pk)
        form = ResearchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                research_record(
                    actor=request.user,  # type: ignore[arg-type]
                    meeting=meeting,
                    case=case,
                    agency=request.user.agency,  # type: ignore[union-attr,arg-type]
                    facts=data["facts"],
                    opinion=data["opinion"],
                    recorded_on=data["recorded_on"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_meeting", args=[meeting.pk]))
        existing = self._existing(request, meeting, case)
        return self._page(request, meeting, case, form, existing, status=400)


class _CaseUsersFormView(PermissionRequiredView):
    """A form on one MARAC case that chooses among the MARAC workers of the agencies on
    the case (anyone else could not see it)."""

    permission_required = WORK
    template_name = ""

    def _case(self, request: HttpRequest, pk: int) -> Case:
        return _marac_case(request, pk)

    def _page(self, request: HttpRequest, case: Case, form: Any, status: int = 200) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"case": case, "detail": getattr(case, "marac", None), "form": form},
            status=status,
        )

    def _users(self, case: Case) -> Any:
        return ms.marac_workers(agency_ids=ms.case_agency_ids(case))


class IdvaView(_CaseUsersFormView):
    """Allocate the case's IDVA, from the MARAC workers of the agencies on the case."""

    template_name = "cases/marac/idva.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        detail = getattr(case, "marac", None)
        form = IdvaForm(users=self._users(case), initial={"idva": detail and detail.idva_id})
        return self._page(request, case, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        form = IdvaForm(request.POST, users=self._users(case))
        if form.is_valid():
            try:
                idva_allocate(
                    actor=request.user,  # type: ignore[arg-type]
                    case=case,
                    idva=form.cleaned_data["idva"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_case", args=[case.pk]))
        return self._page(request, case, form, status=400)


class AddressAccessView(_CaseUsersFormView):
    """Hide the victim's address from all but named users (a refuge), or show it again.
    Once hidden, only a named user may open this page (403 to anyone else)."""

    template_name = "cases/marac/address.html"

    def _case(self, request: HttpRequest, pk: int) -> Case:
        case = _marac_case(request, pk)
        if not ms.address_may_change(user=request.user, case=case):
            audit_record(
                actor=request.user,
                action=MaracCaseAction.ADDRESS_ACCESS,
                obj=case,
                detail="change refused: not a named user",
            )
            raise PermissionDenied("Only the users named may change who sees this address.")
        return case

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        detail = getattr(case, "marac", None)
        initial: dict[str, Any] = {}
        if detail is not None:
            initial = {
                "restricted": detail.address_restricted,
                "users": list(detail.address_users.values_list("pk", flat=True)),
            }
        return self._page(request, case, AddressForm(users=self._users(case), initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(request, pk)
        form = AddressForm(request.POST, users=self._users(case))
        if form.is_valid():
            try:
                address_restrict(
                    actor=request.user,  # type: ignore[arg-type]
                    case=case,
                    restricted=form.cleaned_data["restricted"],
                    users=list(form.cleaned_data["users"]),
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_case", args=[case.pk]))
        return self._page(request, case, form, status=400)


class MeetingMemberView(PermissionRequiredView):
    """Add a member to a meeting (a MARAC worker of any agency); members only."""

    permission_required = WORK

    def _page(
        self, request: HttpRequest, meeting: MaracMeeting, form: MemberForm, status: int = 200
    ) -> HttpResponse:
        members = meeting.members.select_related("agency").order_by(
            "first_name", "last_name", "username"
        )
        return render(
            request,
            "cases/marac/member.html",
            {"meeting": meeting, "members": members, "form": form},
            status=status,
        )

    def _users(self, meeting: MaracMeeting) -> Any:
        return ms.marac_workers().exclude(pk__in=meeting.members.values("pk"))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = ms.meeting_get_for_user(user=request.user, id=pk)
        return self._page(request, meeting, MemberForm(users=self._users(meeting)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = ms.meeting_get_for_user(user=request.user, id=pk)
        form = MemberForm(request.POST, users=self._users(meeting))
        if form.is_valid():
            try:
                meeting_add_member(
                    actor=request.user,  # type: ignore[arg-type]
                    meeting=meeting,
                    user=form.cleaned_data["user"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(reverse("cases:marac_meeting", args=[meeting.pk]))
        return self._page(request, meeting, form, status=400)
