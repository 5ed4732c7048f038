"""Writes for funded projects and commissioned services, their outputs and outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, model_values
from saferhub.analysis.harm import load_reference
from saferhub.core.services import stamp
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import (
    ExpenditureLine,
    FundedProject,
    ProjectOutcome,
    ProjectOutput,
)
from saferhub.performance.models import Indicator, Objective, Priority


def _check_groups(table: str, groups: list[str]) -> None:
    known = set(load_reference(table)["offence_group"].astype(str))
    unknown = [g for g in groups if g not in known]
    if unknown:
        raise ValidationError(
            {
                "target_offence_groups": (
                    f"Not an offence group of the unit-cost table: {', '.join(unknown)}."
                )
            }
        )


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    title: str,
    provider: str,
    funding: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str = FundedProject.Kind.PROJECT,
    priority: Priority | None = None,
    objective: Objective | None = None,
    expenditure_line: ExpenditureLine | None = None,
    target_offence_groups: list[str] | None = None,
    unit_cost_table: str = "unit_costs_heeks_2018",
) -> FundedProject:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The project must end on or after its start."})
    if objective is not None and priority is not None and objective.priority_id != priority.pk:
        raise ValidationError({"objective": "Choose an objective of the project's priority."})
    project = FundedProject(
        title=title.strip(),
        provider=provider.strip(),
        funding=funding,
        starts_on=starts_on,
        ends_on=ends_on,
        kind=kind,
        priority=priority or (objective.priority if objective else None),
        objective=objective,
        expenditure_line=expenditure_line,
        target_offence_groups=list(target_offence_groups or []),
        unit_cost_table=unit_cost_table,
    )
    stamp(project, actor)
    project.full_clean()
    _check_groups(unit_cost_table, project.target_offence_groups)
    project.save()
    audit_record(
        actor=actor,
        action=GovernanceAudit.PROJECT_CREATE,
        obj=project,
        new=model_values(project),
    )
    return project


@transaction.atomic
def project_output_add(
    *,
    actor: Actor,
    project: FundedProject,
    description: str,
    unit: str,
    target: Decimal | None,
    actual: Decimal | None = None,
) -> ProjectOutput:
    if target is None or target <= 0:
        raise ValidationError(
            {"target": "Give the output a target above zero (for example 2,500 homes)."}
        )
    output = ProjectOutput(
        project=project, description=description.strip(), unit=unit.strip(), target=target
    )
    output.actual = actual
    stamp(output, actor)
    output.full_clean()
    output.save()
    audit_record(
        actor=actor, action=GovernanceAudit.OUTPUT_ADD, obj=output, new=model_values(output)
    )
    return output


@transaction.atomic
def output_actual_record(*, actor: Actor, output: ProjectOutput, actual: Decimal) -> ProjectOutput:
    if actual is None or actual < 0:
        raise ValidationError({"actual": "Give the number delivered so far, 0 or more."})
    old = output.actual
    output.actual = actual
    stamp(output, actor)
    output.full_clean()
    output.save()
    audit_record(
        actor=actor,
        action=GovernanceAudit.OUTPUT_ACTUAL,
        obj=output,
        old={"actual": old},
        new={"actual": actual},
    )
    return output


@transaction.atomic
def project_outcome_add(
    *,
    actor: Actor,
    project: FundedProject,
    description: str,
    indicator: Indicator | None = None,
) -> ProjectOutcome:
    outcome = ProjectOutcome(project=project, description=description.strip(), indicator=indicator)
    stamp(outcome, actor)
    outcome.full_clean()
    outcome.save()
    audit_record(
        actor=actor, action=GovernanceAudit.OUTCOME_ADD, obj=outcome, new=model_values(outcome)
    )
    return outcome


PROJECT_FIELDS = (
    "title",
    "kind",
    "provider",
    "funding",
    "priority",
    "objective",
    "starts_on",
    "ends_on",
    "target_offence_groups",
    "unit_cost_table",
)


@transaction.atomic
def project_edit(*, actor: Actor, project: FundedProject, **fields: object) -> FundedProject:
    """Change a project's details, checked as when it was added; audited field by field."""
    from saferhub.core.services import model_update

    def clean(p: FundedProject) -> None:
        if p.ends_on < p.starts_on:
            raise ValidationError({"ends_on": "The project must end on or after its start."})
        objective, priority = p.objective, p.priority
        if objective is not None and priority is not None and objective.priority_id != priority.pk:
            raise ValidationError({"objective": "Choose an objective of the project's priority."})
        p.full_clean()
        _check_groups(p.unit_cost_table, list(p.target_offence_groups))

    model_update(
        actor=actor,
        instance=project,
        fields={k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
        allowed=PROJECT_FIELDS,
        action=GovernanceAudit.PROJECT_EDIT,
        clean=clean,
    )
    return project
