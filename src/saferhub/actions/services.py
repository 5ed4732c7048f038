"""Writes for action plans: every change goes through one of these functions, audited.

Pages, the API, the ``saferhub actions`` command and the scheduled reminder job all
call these, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.accounts.models import Agency, User
from saferhub.actions.models import (
    Action,
    ActionEvaluation,
    ActionPlan,
    ActionTeam,
    ActionUpdate,
    Meeting,
    PartnerContribution,
)
from saferhub.core.services import model_update, stamp
from saferhub.performance.models import Priority

# Statuses a lead may report in a progress update (completion has its own form with
# the evaluation; carrying forward happens at year end; dropping is the manager's call).
UPDATE_STATUSES = (
    Action.Status.NOT_STARTED,
    Action.Status.ON_TRACK,
    Action.Status.AT_RISK,
    Action.Status.OVERDUE,
)
DUE_SOON_DAYS = 14


# ----------------------------------------------------------------------------- teams


@transaction.atomic
def team_create(
    *,
    actor: Any,
    name: str,
    kind: str = ActionTeam.Kind.ACTION_TEAM,
    parent: ActionTeam | None = None,
    priority: str = "",
    chair: User | None = None,
    lead_officer: User | None = None,
    member_agencies: Iterable[Agency] = (),
) -> ActionTeam:
    team = ActionTeam(
        name=name.strip(),
        kind=kind,
        parent=parent,
        priority=priority.strip(),
        chair=chair,
        lead_officer=lead_officer,
    )
    stamp(team, actor)
    team.full_clean()
    team.save()
    members = list(member_agencies)
    team.member_agencies.set(members)
    audit_record(
        actor=actor,
        action="actions.team_create",
        obj=team,
        new=model_values(team) | {"member_agencies": sorted(a.code for a in members)},
    )
    return team


# ----------------------------------------------------------------------------- plans


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    notes: str = "",
    previous: ActionPlan | None = None,
    priorities: Iterable[Priority] = (),
) -> ActionPlan:
    """A year's action plan, linked to the priorities (of the performance app) it serves."""
    plan = ActionPlan(
        title=title.strip(), starts_on=starts_on, ends_on=ends_on, notes=notes, previous=previous
    )
    stamp(plan, actor)
    plan.full_clean()
    plan.save()
    linked = list(priorities)
    plan.priorities.add(*linked)
    audit_record(
        actor=actor,
        action="actions.plan_create",
        obj=plan,
        new=model_values(plan) | {"priorities": sorted(p.pk for p in linked)},
    )
    return plan


# ----------------------------------------------------------------------------- actions

ACTION_FIELDS = [
    "team",
    "reference",
    "priority",
    "objective",
    "performance_priority",
    "performance_objective",
    "indicator",
    "description",
    "outcome",
    "term",
    "lead_officer",
    "due_date",
    "target_quantity",
    "target_unit",
    "progress_quantity",
    "success_indicator",
    "status",
    "budget_line",
    "budget_amount",
    "meeting",
]


def _action_values(action: Action) -> dict[str, Any]:
    values = model_values(action)
    values.pop("modified_at", None)  # when is the event's own time
    if action.pk:
        values["lead_partners"] = sorted(a.code for a in action.lead_partners.all())
        values["supporting_partners"] = sorted(a.code for a in action.supporting_partners.all())
    return values


def _fill_from_links(action: Action) -> None:
    """A link to the performance app's priority, objective or indicator gives the words."""
    if action.performance_priority is None:
        if action.performance_objective is not None:
            action.performance_priority = action.performance_objective.priority
        elif action.indicator is not None:
            action.performance_priority = action.indicator.priority
    if action.performance_priority is not None and not action.priority:
        action.priority = action.performance_priority.title
    if action.performance_objective is not None and not action.objective:
        action.objective = action.performance_objective.title
    if action.indicator is not None and not action.success_indicator:
        action.success_indicator = str(action.indicator)


def _clean_action(action: Action) -> None:
    """``full_clean`` with the model's constraints checked here, in plain Python.

    Django validates each CheckConstraint and UniqueConstraint with its own query, about
    40 ms an action, which made a 2,000-row import take minutes. The same invariants are
    checked below (one query, for the reference); the database constraints remain the
    backstop (docs/decisions/0302-action-plan-import.md).
    """
    _fill_from_links(action)
    errors: dict[str, Any] = {}
    if (
        action.performance_objective
        and action.performance_priority
        and action.performance_objective.priority_id != action.performance_priority.pk
    ):
        errors["performance_objective"] = [
            f"The objective “{action.performance_objective}” is not one of the priority "
            f"“{action.performance_priority}”."
        ]
    try:
        action.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if action.target_quantity is not None and action.target_quantity <= 0:
        errors.setdefault("target_quantity", []).append("The quantity target must be more than 0.")
    if action.progress_quantity is not None and action.progress_quantity < 0:
        errors.setdefault("progress_quantity", []).append("Progress cannot be negative.")
    if action.budget_amount is not None and action.budget_amount < 0:
        errors.setdefault("budget_amount", []).append("The budget cannot be negative.")
    if (action.status == Action.Status.COMPLETED) != (action.completed_on is not None):
        errors.setdefault("completed_on", []).append(
            "A completed action needs its completion date, and only a completed action has one."
        )
    if (
        action.plan_id
        and action.reference
        and Action.objects.filter(plan_id=action.plan_id, reference=action.reference)
        .exclude(pk=action.pk)
        .exists()
    ):
        errors.setdefault("reference", []).append(
            f"Reference {action.reference} is already used in this action plan."
        )
    if errors:
        raise ValidationError(errors)


def _check_partners(lead_partners: list[Agency]) -> None:
    if not lead_partners:
        raise ValidationError({"lead_partners": "Choose at least one lead partner."})


@transaction.atomic
def action_create(
    *,
    actor: Any,
    plan: ActionPlan,
    reference: str,
    description: str,
    lead_partners: Iterable[Agency],
    supporting_partners: Iterable[Agency] = (),
    **fields: Any,
) -> Action:
    """Add an action to a plan (``fields``: any of :data:`ACTION_FIELDS`)."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown action fields: {', '.join(sorted(unknown))}")
    leads = list(lead_partners)
    _check_partners(leads)
    action = Action(plan=plan, reference=reference.strip(), description=description, **fields)
    if action.status == Action.Status.COMPLETED:
        action.completed_on = action.completed_on or timezone.localdate()
    stamp(action, actor)
    _clean_action(action)
    action.save()
    supporting = list(supporting_partners)
    action.lead_partners.add(*leads)
    action.supporting_partners.add(*supporting)
    new = model_values(action) | {
        "lead_partners": sorted(a.code for a in leads),
        "supporting_partners": sorted(a.code for a in supporting),
    }
    if action.performance_priority_id:
        plan.priorities.add(action.performance_priority_id)
    audit_record(actor=actor, action="actions.action_create", obj=action, new=new)
    return action


@transaction.atomic
def action_edit(
    *,
    actor: Any,
    action: Action,
    lead_partners: Iterable[Agency] | None = None,
    supporting_partners: Iterable[Agency] | None = None,
    **fields: Any,
) -> Action:
    """Change an action's plan details (managers). Audits only what changed."""

    def adjust(changed: Action) -> None:
        if changed.status == Action.Status.COMPLETED and changed.completed_on is None:
            changed.completed_on = timezone.localdate()
        if changed.status != Action.Status.COMPLETED:
            changed.completed_on = None

    def after_save(saved: Action) -> None:
        if lead_partners is not None:
            leads = list(lead_partners)
            _check_partners(leads)
            saved.lead_partners.set(leads)
        if supporting_partners is not None:
            saved.supporting_partners.set(list(supporting_partners))
        if saved.performance_priority_id:
            saved.plan.priorities.add(saved.performance_priority_id)

    model_update(
        actor=actor,
        instance=action,
        fields=fields,
        allowed=ACTION_FIELDS,
        action="actions.action_edit",
        clean=_clean_action,
        adjust=adjust,
        after_save=after_save,
        values=_action_values,
    )
    return action


@transaction.atomic
def action_update_create(
    *,
    actor: Any,
    action: Action,
    made_on: dt.date,
    progress: str,
    status: str,
    progress_quantity: Decimal | None = None,
    meeting: Meeting | None = None,
) -> ActionUpdate:
    """Record a dated progress update by the action's lead; sets the action's status."""
    if action.is_closed:
        raise ValidationError(
            f"Action {action.reference} is {action.get_status_display().lower()}: "
            "it can no longer be updated."
        )
    if status not in UPDATE_STATUSES:
        raise ValidationError(
            {
                "status": "Choose not started, on track, at risk or overdue. "
                "To complete an action, use Complete with evaluation."
            }
        )
    if made_on > timezone.localdate():
        raise ValidationError({"made_on": "The date of the update cannot be in the future."})
    update = ActionUpdate(
        action=action,
        made_on=made_on,
        progress=progress.strip(),
        status=status,
        progress_quantity=progress_quantity,
        meeting=meeting,
    )
    stamp(update, actor)
    update.full_clean()
    update.save()
    old = model_values(action, ["status", "progress_quantity"])
    action.status = status
    if progress_quantity is not None:
        action.progress_quantity = progress_quantity
    stamp(action, actor)
    _clean_action(action)
    action.save()
    before, after = changed_values(old, model_values(action, ["status", "progress_quantity"]))
    audit_record(
        actor=actor,
        action="actions.action_update",
        obj=action,
        old=before,
        new=after | {"update": update.pk, "made_on": made_on, "progress": update.progress},
    )
    return update


@transaction.atomic
def action_complete(
    *,
    actor: Any,
    action: Action,
    completed_on: dt.date,
    outcome_achieved: str,
    evidence: str,
    strengths: str = "",
    weaknesses: str = "",
    good_practice: str = "",
    progress_quantity: Decimal | None = None,
) -> ActionEvaluation:
    """Complete an action with its evaluation (outcome and evidence, strengths, weaknesses)."""
    if action.is_closed:
        raise ValidationError(
            f"Action {action.reference} is already {action.get_status_display().lower()}."
        )
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    evaluation = ActionEvaluation(
        action=action,
        outcome_achieved=outcome_achieved,
        evidence=evidence.strip(),
        strengths=strengths.strip(),
        weaknesses=weaknesses.strip(),
        good_practice=good_practice.strip(),
    )
    stamp(evaluation, actor)
    evaluation.full_clean()
    evaluation.save()
    old = model_values(action, ["status", "completed_on", "progress_quantity"])
    action.status = Action.Status.COMPLETED
    action.completed_on = completed_on
    if progress_quantity is not None:
        action.progress_quantity = progress_quantity
    stamp(action, actor)
    _clean_action(action)
    action.save()
    update = ActionUpdate(
        action=action,
        made_on=completed_on,
        progress=f"Completed ({evaluation.get_outcome_achieved_display().lower()}). "
        f"{evaluation.evidence}",
        status=Action.Status.COMPLETED,
        progress_quantity=progress_quantity,
    )
    stamp(update, actor)
    update.save()
    audit_record(
        actor=actor,
        action="actions.action_complete",
        obj=action,
        old=old,
        new=model_values(action, ["status", "completed_on", "progress_quantity"])
        | {"evaluation": model_values(evaluation)},
    )
    return evaluation


# ----------------------------------------------------------------------------- meetings


def agenda_actions_for(
    team: ActionTeam, on_date: dt.date, days: int = DUE_SOON_DAYS
) -> list[Action]:
    """The team's open actions that are overdue or due within ``days`` of the meeting."""
    horizon = on_date + dt.timedelta(days=days)
    return list(
        Action.objects.live()
        .filter(team=team, due_date__lte=horizon)
        .exclude(status__in=Action.CLOSED)
        .order_by("due_date", "reference")
    )


@transaction.atomic
def meeting_create(
    *, actor: Any, team: ActionTeam, held_on: dt.date, minutes: str = "", decisions: str = ""
) -> Meeting:
    """Record a meeting; its agenda is generated from the team's due and overdue actions."""
    meeting = Meeting(team=team, held_on=held_on, minutes=minutes, decisions=decisions)
    stamp(meeting, actor)
    meeting.full_clean()
    meeting.save()
    agenda = agenda_actions_for(team, held_on)
    meeting.agenda_actions.set(agenda)
    audit_record(
        actor=actor,
        action="actions.meeting_create",
        obj=meeting,
        new=model_values(meeting) | {"agenda": [a.reference for a in agenda]},
    )
    return meeting


@transaction.atomic
def meeting_record(*, actor: Any, meeting: Meeting, minutes: str, decisions: str) -> Meeting:
    """Record the minutes and decisions of a meeting."""
    old = model_values(meeting, ["minutes", "decisions"])
    meeting.minutes = minutes
    meeting.decisions = decisions
    stamp(meeting, actor)
    meeting.full_clean()
    meeting.save()
    before, after = changed_values(old, model_values(meeting, ["minutes", "decisions"]))
    if after:
        audit_record(
            actor=actor, action="actions.meeting_record", obj=meeting, old=before, new=after
        )
    return meeting


# ----------------------------------------------------------------------------- year end


@transaction.atomic
def plan_carry_forward(
    *,
    actor: Any,
    plan: ActionPlan,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> tuple[ActionPlan, list[Action]]:
    """Carry every unfinished action of ``plan`` into next year's plan, in one step.

    Next year's plan is created (or, when it already exists, reused). Each action that is
    not completed, dropped or already carried gets a copy in the new plan with the same
    reference, partners, lead and indicator, linked to the original; the original is
    marked *carried forward*. A due date before the new plan starts moves to the new
    plan's end. Running it twice carries nothing more.
    """
    next_plan = ActionPlan.objects.filter(previous=plan).first()
    if next_plan is None:
        next_plan = plan_create(
            actor=actor,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            previous=plan,
            priorities=plan.priorities.all(),
        )
    carried: list[Action] = []
    unfinished = (
        plan.actions.live()
        .exclude(status__in=Action.CLOSED)
        .prefetch_related("lead_partners", "supporting_partners")
        .order_by("reference")
    )
    for old in unfinished:
        due = old.due_date
        if due is None or due < next_plan.starts_on:
            due = next_plan.ends_on
        status = (
            old.status
            if old.status in {Action.Status.ON_TRACK, Action.Status.AT_RISK}
            else (Action.Status.NOT_STARTED)
        )
        copy = action_create(
            actor=actor,
            plan=next_plan,
            reference=old.reference,
            description=old.description,
            lead_partners=old.lead_partners.all(),
            supporting_partners=old.supporting_partners.all(),
            team=old.team,
            priority=old.priority,
            objective=old.objective,
            performance_priority=old.performance_priority,
            performance_objective=old.performance_objective,
            indicator=old.indicator,
            outcome=old.outcome,
            term=old.term,
            lead_officer=old.lead_officer,
            due_date=due,
            target_quantity=old.target_quantity,
            target_unit=old.target_unit,
            progress_quantity=old.progress_quantity,
            success_indicator=old.success_indicator,
            status=status,
            budget_line=old.budget_line,
            budget_amount=old.budget_amount,
        )
        copy.carried_from = old
        copy.save(update_fields=["carried_from"])
        previous_status = old.status
        old.status = Action.Status.CARRIED_FORWARD
        stamp(old, actor)
        old.save(update_fields=["status", "modified_by", "modified_at"])
        audit_record(
            actor=actor,
            action="actions.action_carry_forward",
            obj=old,
            old={"status": previous_status},
            new={"status": old.status, "carried_to": copy.pk, "plan": next_plan.pk},
        )
        carried.append(copy)
    return next_plan, carried


@transaction.atomic
def contribution_set(
    *, actor: Any, plan: ActionPlan, agency: Agency, priority: str, contribution: str
) -> PartnerContribution:
    """Record what a partner contributes to a priority (one cell of the matrix)."""
    row = PartnerContribution.objects.filter(
        plan=plan, agency=agency, priority=priority.strip()
    ).first()
    old = model_values(row, ["contribution"]) if row else {}
    if row is None:
        row = PartnerContribution(plan=plan, agency=agency, priority=priority.strip())
        stamp(row, actor)
    row.contribution = contribution.strip()
    stamp(row, actor)
    row.full_clean()
    if old.get("contribution") == row.contribution:
        return row
    row.save()
    audit_record(
        actor=actor,
        action="actions.contribution_set",
        obj=row,
        old=old,
        new=model_values(row, ["agency_id", "priority", "contribution"]),
    )
    return row


# ----------------------------------------------------------------------------- reminders


@dataclass
class ReminderReport:
    marked_overdue: list[str] = field(default_factory=list)
    emails: dict[str, list[str]] = field(default_factory=dict)  # address -> references

    @property
    def sent(self) -> int:
        return len(self.emails)


def _reminder_recipients(action: Action) -> list[User]:
    """Who is chased for an action: its named lead officer, else the team's lead officer."""
    if action.lead_officer and action.lead_officer.is_active and action.lead_officer.email:
        return [action.lead_officer]
    lead = action.team.lead_officer if action.team else None
    if lead and lead.is_active and lead.email:
        return [lead]
    return []


@transaction.atomic
def actions_mark_overdue(*, actor: Any, today: dt.date) -> list[Action]:
    """Set the status of open actions past their due date to *overdue* (audited)."""
    late = list(
        Action.objects.live()
        .filter(due_date__lt=today)
        .exclude(status__in=[*Action.CLOSED, Action.Status.OVERDUE])
        .select_for_update()
    )
    for action in late:
        previous = action.status
        action.status = Action.Status.OVERDUE
        action.save(update_fields=["status", "modified_at"])
        audit_record(
            actor=actor,
            action="actions.action_overdue",
            obj=action,
            old={"status": previous},
            new={"status": action.status},
        )
    return late


def actions_send_reminders(
    *, actor: Any = "scheduled reminders", today: dt.date | None = None, days: int = DUE_SOON_DAYS
) -> ReminderReport:
    """Mark late actions overdue and email each lead one list of overdue and due-soon actions."""
    today = today or timezone.localdate()
    report = ReminderReport()
    report.marked_overdue = [a.reference for a in actions_mark_overdue(actor=actor, today=today)]
    horizon = today + dt.timedelta(days=days)
    open_actions = (
        Action.objects.live()
        .filter(due_date__lte=horizon)
        .exclude(status__in=Action.CLOSED)
        .select_related("lead_officer", "team__lead_officer", "plan")
        .order_by("due_date", "reference")
    )
    by_person: dict[int, tuple[User, list[Action]]] = {}
    for action in open_actions:
        for person in _reminder_recipients(action):
            by_person.setdefault(person.pk, (person, []))[1].append(action)
    site = getattr(settings, "SAFERHUB_SITE_URL", "")
    for person, actions in by_person.values():
        overdue = [a for a in actions if a.due_date and a.due_date < today]
        due_soon = [a for a in actions if a not in overdue]
        lines = [f"Dear {person.display_name},", ""]
        if overdue:
            lines.append(f"Overdue actions ({len(overdue)}):")
            lines += [
                f"  {a.reference} due {a.due_date:%d %B %Y}: {a.description[:120]}" for a in overdue
            ]
            lines.append("")
        if due_soon:
            lines.append(f"Actions due in the next {days} days ({len(due_soon)}):")
            lines += [
                f"  {a.reference} due {a.due_date:%d %B %Y}: {a.description[:120]}"
                for a in due_soon
            ]
            lines.append("")
        lines.append(f"Record progress on your actions page: {site}/actions/mine/")
        send_mail(
            subject=f"{settings.SERVICE_NAME}: {len(overdue)} overdue and {len(due_soon)} due-soon actions",
            message="\n".join(lines),
            from_email=None,
            recipient_list=[person.email],
        )
        report.emails[person.email] = [a.reference for a in actions]
    audit_record(
        actor=actor,
        action="actions.reminders",
        detail=f"{report.sent} reminder emails on {today.isoformat()}; "
        f"{len(report.marked_overdue)} actions became overdue",
        new={"emails": report.emails, "marked_overdue": report.marked_overdue},
    )
    return report
