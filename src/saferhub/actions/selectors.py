"""Reads for action plans: scoped lists, who may update what, year-end tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from saferhub.accounts.access import get_for_user, has_permission, require_permission, scope_to_user
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency
from saferhub.actions.models import Action, ActionPlan, ActionTeam, Meeting, PartnerContribution

VIEW = "actions.view_action"
MANAGE = "actions.manage_action_plan"
UPDATE_OWN = "actions.update_own_action"


# ----------------------------------------------------------------------------- access


def action_is_users_own(user: Any, action: Action) -> bool:
    """Is ``user`` the lead of ``action``?

    The named lead officer when the action has one; when it has none, any user of a
    lead partner agency (docs/decisions/0300-action-ownership-and-priorities.md).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if action.lead_officer_id:
        return bool(action.lead_officer_id == user.pk)
    return bool(user.agency_id) and action.lead_partners.filter(pk=user.agency_id).exists()


def action_can_update(user: Any, action: Action) -> bool:
    if has_permission(user, MANAGE):
        return True
    return has_permission(user, UPDATE_OWN) and action_is_users_own(user, action)


def action_get_for_user(*, user: Any, id: Any) -> Action:
    return get_for_user(user, actions_all(), id=id, perm=VIEW)


def action_get_for_update(*, user: Any, id: Any) -> Action:
    """The action, if ``user`` may update it (manager, or its lead); refuses otherwise."""
    action = action_get_for_user(user=user, id=id)
    if not action_can_update(user, action):
        audit_record(
            actor=user, action="access.denied", obj=action, detail=f"{UPDATE_OWN} not the lead"
        )
        raise PermissionDenied("Only the action's lead or a partnership manager can update it.")
    return action


def plan_get_for_user(*, user: Any, id: Any) -> ActionPlan:
    return get_for_user(user, ActionPlan.objects.live(), id=id, perm=VIEW)


def team_get_for_user(*, user: Any, id: Any) -> ActionTeam:
    return get_for_user(user, ActionTeam.objects.live(), id=id, perm=VIEW)


def meeting_get_for_user(*, user: Any, id: Any) -> Meeting:
    return get_for_user(
        user,
        Meeting.objects.select_related("team").live(),
        id=id,
        perm=VIEW,
    )


def require_manager(user: Any, what: str = "") -> None:
    require_permission(user, MANAGE, what=what)


# ----------------------------------------------------------------------------- lists


def actions_all() -> QuerySet[Action]:
    return (
        Action.objects.live()
        .select_related("plan", "team", "lead_officer", "indicator", "performance_priority")
        .prefetch_related("lead_partners", "supporting_partners")
    )


@dataclass(frozen=True)
class ActionFilters:
    plan: ActionPlan | None = None
    team: ActionTeam | None = None
    priority: str = ""
    partner: Agency | None = None
    status: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def actions_for_user(*, user: Any, filters: ActionFilters | None = None) -> QuerySet[Action]:
    """Every partner reads the whole plan; filters by priority, partner, status, due date."""
    f = filters or ActionFilters()
    qs = scope_to_user(user, actions_all(), perm=VIEW)
    if f.plan:
        qs = qs.filter(plan=f.plan)
    if f.team:
        qs = qs.filter(team=f.team)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.partner:
        qs = qs.filter(Q(lead_partners=f.partner) | Q(supporting_partners=f.partner)).distinct()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.due_from:
        qs = qs.filter(due_date__gte=f.due_from)
    if f.due_to:
        qs = qs.filter(due_date__lte=f.due_to)
    return qs.order_by("plan__starts_on", "reference")


def priorities_of(plan: ActionPlan | None = None) -> list[str]:
    qs = Action.objects.live().exclude(priority="")
    if plan:
        qs = qs.filter(plan=plan)
    contributions = PartnerContribution.objects.all()
    if plan:
        contributions = contributions.filter(plan=plan)
    names = set(qs.values_list("priority", flat=True)) | set(
        contributions.values_list("priority", flat=True)
    )
    return sorted(names)


def actions_led_by(user: Any) -> QuerySet[Action]:
    """The open actions a person leads (named lead, or their agency leads an unnamed one)."""
    own = Q(lead_officer=user)
    if getattr(user, "agency_id", None):
        own |= Q(lead_officer__isnull=True, lead_partners=user.agency_id)
    return (
        scope_to_user(user, actions_all(), perm=VIEW)
        .filter(own)
        .exclude(status__in=Action.CLOSED)
        .distinct()
        .order_by("due_date", "reference")
    )


@dataclass(frozen=True)
class DueLists:
    overdue: list[Action]
    due_soon: list[Action]
    later: list[Action]


def split_due(actions: Iterable[Action], *, today: dt.date, days: int = 14) -> DueLists:
    """Open actions as overdue (due before today), due soon (within ``days``) and later."""
    overdue, soon, later = [], [], []
    horizon = today + dt.timedelta(days=days)
    for action in actions:
        if action.is_closed:
            continue
        if action.due_date and action.due_date < today:
            overdue.append(action)
        elif action.due_date and action.due_date <= horizon:
            soon.append(action)
        else:
            later.append(action)
    return DueLists(overdue, soon, later)


def team_open_actions(team: ActionTeam) -> QuerySet[Action]:
    return actions_all().filter(team=team).exclude(status__in=Action.CLOSED).order_by("due_date")


# ----------------------------------------------------------------------------- year end


@dataclass(frozen=True)
class YearEndRow:
    team: str
    actions: int
    completed: int
    carried_forward: int
    dropped: int

    @property
    def percent_completed(self) -> int | None:
        return percent(self.completed, self.actions)


def percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded half up (35 of 49 is 71%), or None when there is no whole."""
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


NO_TEAM = "No action team"


def year_end_summary(plan: ActionPlan) -> tuple[list[YearEndRow], YearEndRow]:
    """Actions, completed and carried forward per action team (the end-of-year report's table of actions per team).

    *Carried forward* counts every action not completed and not dropped: those already
    carried into next year's plan and those still open (which carrying forward will move).
    Rows are the teams in name order; the total is the sum of the rows.
    """
    counts: dict[str, list[int]] = {}
    for team_name, status in plan.actions.live().values_list("team__name", "status"):
        row = counts.setdefault(team_name or NO_TEAM, [0, 0, 0, 0])
        row[0] += 1
        if status == Action.Status.COMPLETED:
            row[1] += 1
        elif status == Action.Status.DROPPED:
            row[3] += 1
        else:
            row[2] += 1
    order = {t.name: i for i, t in enumerate(ActionTeam.objects.order_by("created_at", "pk"))}
    names = sorted(counts, key=lambda n: (order.get(n, len(order)), n))
    rows = [YearEndRow(n, *counts[n]) for n in names]
    total = YearEndRow(
        "Total",
        sum(r.actions for r in rows),
        sum(r.completed for r in rows),
        sum(r.carried_forward for r in rows),
        sum(r.dropped for r in rows),
    )
    return rows, total


YEAR_END_COLUMNS = [
    "Action team",
    "No of actions",
    "Completed",
    "Carried forward",
    "Dropped",
    "% completed",
]


def year_end_rows(plan: ActionPlan) -> list[list[Any]]:
    rows, total = year_end_summary(plan)
    return [
        [r.team, r.actions, r.completed, r.carried_forward, r.dropped, r.percent_completed]
        for r in [*rows, total]
    ]


@dataclass(frozen=True)
class Matrix:
    priorities: list[str]
    partners: list[Agency]
    cells: dict[tuple[int, str], str]  # (agency id, priority) -> what it contributes

    def cell(self, agency: Agency, priority: str) -> str:
        return self.cells.get((agency.pk, priority), "")

    def rows(self) -> list[tuple[Agency, list[str]]]:
        return [(a, [self.cell(a, p) for p in self.priorities]) for a in self.partners]


def contribution_matrix(plan: ActionPlan) -> Matrix:
    """Partners x priorities: what each partner contributes (the plan's Appendix 1)."""
    cells: dict[tuple[int, str], str] = {}
    partners: dict[int, Agency] = {}
    for c in plan.contributions.live().select_related("agency"):
        cells[(c.agency_id, c.priority)] = c.contribution
        partners[c.agency_id] = c.agency
    return Matrix(priorities_of(plan), sorted(partners.values(), key=lambda a: a.name), cells)


def key_players(plan: ActionPlan) -> Matrix:
    """Partners x priorities, marking each partner that contributes to, leads or supports
    an action of the priority (the plan's key-players table). A cell says how."""
    marks: dict[tuple[int, str], set[str]] = {}
    partners: dict[int, Agency] = {}

    def mark(agency: Agency, priority: str, how: str) -> None:
        if priority:
            marks.setdefault((agency.pk, priority), set()).add(how)
            partners[agency.pk] = agency

    for c in plan.contributions.live().select_related("agency"):
        mark(c.agency, c.priority, "contributes")
    for action in plan.actions.live().prefetch_related("lead_partners", "supporting_partners"):
        for agency in action.lead_partners.all():
            mark(agency, action.priority, "leads")
        for agency in action.supporting_partners.all():
            mark(agency, action.priority, "supports")
    order = ["leads", "supports", "contributes"]
    cells = {k: ", ".join(h for h in order if h in v) for k, v in marks.items()}
    return Matrix(priorities_of(plan), sorted(partners.values(), key=lambda a: a.name), cells)


def matrix_table(matrix: Matrix, first: str = "Partner") -> tuple[list[str], list[list[str]]]:
    columns = [first, *matrix.priorities]
    return columns, [[a.name, *cells] for a, cells in matrix.rows()]


# ----------------------------------------------------------------------------- export

EXPORT_COLUMNS = [
    "Reference",
    "Priority",
    "Target",
    "Term",
    "Outcome/Goal",
    "Action",
    "Lead partner(s)",
    "Supporting partners",
    "Lead officer",
    "Action team",
    "Due date",
    "Quantity target",
    "Unit",
    "Progress",
    "Success indicator",
    "Indicator",
    "Status",
    "Budget line",
    "Budget",
]


def action_export_rows(actions: Sequence[Action] | QuerySet[Action]) -> list[list[Any]]:
    """Rows in the import's own columns, so an export can be edited and imported again."""

    def num(value: Decimal | None) -> Any:
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    return [
        [
            a.reference,
            a.priority,
            a.objective,
            a.get_term_display() if a.term else "",
            a.outcome,
            a.description,
            "/".join(p.name for p in a.lead_partners.all()),
            "/".join(p.name for p in a.supporting_partners.all()),
            a.lead_officer.username if a.lead_officer else "",
            a.team.name if a.team else "",
            a.due_date,
            num(a.target_quantity),
            a.target_unit,
            num(a.progress_quantity),
            a.success_indicator,
            a.indicator.code if a.indicator else "",
            a.get_status_display(),
            a.budget_line,
            num(a.budget_amount),
        ]
        for a in actions
    ]
