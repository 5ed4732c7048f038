"""What the ASB case page shows: its task list (with links for those who work the case),
the records of each step, and the repeat-victim flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.access import has_permission
from saferhub.cases.models import Case
from saferhub.cases.repeat_victims import repeat_flags


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    hint: str
    done: bool
    url: str


def asb_case_context(user: Any, case: Case, *, has_parties: bool) -> dict[str, Any]:
    can_edit = has_permission(user, "cases.work_asb") and case.status == Case.Status.OPEN
    closed = case.status == Case.Status.CLOSED

    def url(name: str) -> str:
        return reverse(f"cases:{name}", args=[case.pk]) if can_edit else ""

    incidents = list(case.incidents.select_related("agency"))
    risks = list(case.risk_assessments.all()[:5])
    interventions = list(case.interventions.select_related("party", "party__person"))
    updates = list(case.victim_updates.select_related("given_by")[:10])
    tasks = [
        Task(
            "parties",
            "Add parties",
            "Victims, perpetrators and witnesses, with the lawful basis and consent.",
            has_parties,
            url("party_add"),
        ),
        Task(
            "incidents",
            "Log incidents",
            "Each incident, the date reported and to whom.",
            bool(incidents),
            url("incident_add"),
        ),
        Task(
            "risk",
            "Assess the victim's risk",
            "High risk opens a vulnerable-victim action plan.",
            bool(risks),
            url("risk_assess"),
        ),
        Task(
            "interventions",
            "Record interventions",
            "Checked against the 2014 Act's limits.",
            bool(interventions),
            url("intervention_add"),
        ),
        Task(
            "review",
            "Review the case",
            "Next review due "
            + (
                case.asb.next_review_due.strftime("%-d %B %Y")
                if case.asb.next_review_due
                else "not set"
            )
            + ".",
            False,
            url("review"),
        ),
        Task(
            "victim_updates",
            "Update the victim",
            "Every 14 days at least.",
            bool(updates),
            url("victim_update"),
        ),
        Task(
            "close",
            "Close the case",
            "The reason, the victim told, their satisfaction.",
            closed,
            url("close"),
        ),
    ]
    flag = repeat_flags(case_ids=[case.pk], today=timezone.localdate()).get(case.pk)
    return {
        "tasks": tasks,
        "can_edit": can_edit,
        "incidents": incidents,
        "risks": risks,
        "interventions": interventions,
        "updates": updates,
        "repeat_flag": flag,
    }
