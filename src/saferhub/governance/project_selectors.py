"""Reads for funded projects: value for money from the unit costs held."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from saferhub.accounts.access import require_permission
from saferhub.analysis.harm import load_reference
from saferhub.analysis.value_for_money import BreakEven, break_even, cost_per_output
from saferhub.governance.models import FundedProject, ProjectOutput
from saferhub.governance.selectors import VIEW


def projects() -> QuerySet[FundedProject]:
    return FundedProject.objects.live().select_related("priority", "objective")


def project_get_for_user(*, user: object, id: int) -> FundedProject:
    require_permission(user, VIEW)
    project = projects().filter(pk=id).first()
    if project is None:
        raise Http404("No such project.")
    return project


@dataclass(frozen=True)
class OutputValue:
    output: ProjectOutput
    cost_per_target_output: float | None
    cost_per_actual_output: float | None
    percent_delivered: Decimal | None


@dataclass(frozen=True)
class ValueForMoney:
    project: FundedProject
    outputs: list[OutputValue]
    break_even: BreakEven


def value_for_money(project: FundedProject) -> ValueForMoney:
    funding = float(project.funding)
    rows = []
    for output in project.outputs.all():
        actual = None if output.actual is None else float(output.actual)
        rows.append(
            OutputValue(
                output=output,
                cost_per_target_output=cost_per_output(funding, float(output.target)),
                cost_per_actual_output=cost_per_output(funding, actual),
                percent_delivered=(
                    None
                    if output.actual is None
                    else (100 * output.actual / output.target).quantize(Decimal("0.1"))
                ),
            )
        )
    table = load_reference(project.unit_cost_table)
    return ValueForMoney(
        project=project,
        outputs=rows,
        break_even=break_even(funding, list(project.target_offence_groups), table),
    )


PROJECT_COLUMNS = [
    "Project",
    "Kind",
    "Provider",
    "Priority",
    "Funding (£)",
    "Starts",
    "Ends",
    "Output",
    "Target",
    "Actual",
    "Unit",
    "Cost per output at target (£)",
    "Cost per output delivered (£)",
]


def project_rows() -> list[list[object]]:
    out: list[list[object]] = []
    for project in projects().prefetch_related("outputs"):
        vfm = value_for_money(project)
        head = [
            project.title,
            project.get_kind_display(),
            project.provider,
            project.priority.title if project.priority else "",
            project.funding,
            project.starts_on,
            project.ends_on,
        ]
        if not vfm.outputs:
            out.append([*head, "", None, None, "", None, None])
        for row in vfm.outputs:
            out.append(
                [
                    *head,
                    row.output.description,
                    row.output.target,
                    row.output.actual,
                    row.output.unit,
                    None
                    if row.cost_per_target_output is None
                    else round(row.cost_per_target_output, 2),
                    None
                    if row.cost_per_actual_output is None
                    else round(row.cost_per_actual_output, 2),
                ]
            )
    return out
