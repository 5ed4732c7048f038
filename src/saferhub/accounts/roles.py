"""Roles: each is a group with a fixed set of permissions, defined here and only here.

Deny by default: a user with no role can do nothing but read their own account.
Later apps add their permissions to these sets. ``requires_2fa`` marks roles that may
see personal data, or can grant it: they must use TOTP two-factor authentication.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    description: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    requires_2fa: bool = False


# Permissions every partnership member has (read the plan, the performance and the assessment).
READ = frozenset(
    {
        "core.view_own_jobs",
        "geography.view_area",
        "incidents.view_incident_counts",
        "assessment.view_assessment",
        "performance.view_priority",
        "actions.view_action",
        "problems.view_problem",
        "governance.view_budget",
    }
)
LEAD = READ | {
    "performance.enter_measurement",
    "actions.update_own_action",
    "problems.edit_own_problem",
    "problems.record_concern",
}
ANALYST = READ | {
    "incidents.import_data",
    "assessment.run_assessment",
    "geography.manage_areas",
    "incidents.manage_taxonomy",
    "problems.edit_own_problem",
}
MANAGER = (
    READ
    | LEAD
    | {
        "assessment.run_assessment",
        "performance.manage_performance",
        "actions.manage_action_plan",
        "problems.manage_problems",
        "cases.view_case_review_figures",
        "governance.manage_budget",
        "governance.manage_risks",
        "governance.manage_board",
    }
)
# The partnership's finance officer: enters and imports the budget and quarterly spend.
FINANCE = READ | {"governance.manage_budget", "governance.manage_risks"}
CASE_WORKER = READ | {"accounts.view_personal_data"}
# Each case type's work permission (``cases.work_<type>``): a role works the case types
# listed here, and sees such a case only when its agency leads it or was added to it.
ASB_WORKER = CASE_WORKER | {"cases.work_asb", "cases.view_case_review_figures"}
MARAC_WORKER = CASE_WORKER | {"cases.work_marac"}
IOM_WORKER = CASE_WORKER | {"cases.work_iom"}
CHANNEL_WORKER = CASE_WORKER | {"cases.work_channel"}
# Break-glass: open a case outside one's scope with a written reason (audited, owner told).
ADMIN = (
    MANAGER
    | ANALYST
    | {"accounts.view_audit", "accounts.manage_users", "cases.break_glass", "cases.subject_access"}
)

ROLES: dict[str, Role] = {
    r.key: r
    for r in [
        Role(
            "viewer", "Viewer", "Board members and partners who read dashboards and reports.", READ
        ),
        Role(
            "lead_officer",
            "Partner lead officer",
            "Updates the actions, problems and indicator values they lead.",
            LEAD,
        ),
        Role("analyst", "Analyst", "Imports data, runs analyses, writes the assessment.", ANALYST),
        Role(
            "manager",
            "Partnership manager",
            "Priorities, targets, action plans, Board reports, budget, risks.",
            MANAGER,
        ),
        Role(
            "finance",
            "Finance officer",
            "Enters the budget, quarterly spend and forecast outturn; keeps the risk register.",
            FINANCE,
        ),
        Role(
            "asb_officer", "ASB case worker", "Works ASB cases and case reviews.", ASB_WORKER, True
        ),
        Role(
            "idva",
            "IDVA / MARAC case worker",
            "Works high-risk domestic abuse cases.",
            MARAC_WORKER,
            True,
        ),
        Role("iom_officer", "IOM officer", "Works the priority offender cohort.", IOM_WORKER, True),
        Role(
            "prevent_lead", "Channel / Prevent lead", "Works Channel cases.", CHANNEL_WORKER, True
        ),
        Role(
            "administrator", "Administrator", "Manages users and reads the audit log.", ADMIN, True
        ),
    ]
}


def role_of(user: object) -> Role | None:
    """The user's role (its group), or None. A user has at most one role."""
    if not getattr(user, "is_authenticated", False):
        return None
    names = [g.name for g in user.groups.all()]  # type: ignore[attr-defined]
    for key, role in ROLES.items():
        if role.name in names:
            return ROLES[key]
    return None


def requires_2fa(user: object) -> bool:
    role = role_of(user)
    return bool(role and role.requires_2fa) or bool(getattr(user, "is_superuser", False))
