"""The authorisation matrix lines for the budget pages: everyone reads, the partnership
manager and the finance officer (and the administrator) change."""

from __future__ import annotations

import itertools
from decimal import Decimal

from tests.access import EVERYONE, MANAGERS, AccessCase
from tests.governance import factories as f

_n = itertools.count(1)
EDITORS = frozenset({"manager", "finance", "administrator"})


def _year() -> dict[str, object]:
    year = f.year()
    f.expenditure(year, budget=Decimal("4000"))
    f.income(year)
    return {"pk": year.pk}


def _line() -> dict[str, object]:
    return {"pk": f.expenditure(budget=Decimal("4000")).pk}


def _spend() -> dict[str, object]:
    return {"quarter": "1", "actual": "1000", "forecast_outturn": "4000"}


def _project() -> dict[str, object]:
    project = f.project()
    f.output(project)
    return {"pk": project.pk}


def _project_data() -> dict[str, object]:
    return {
        "title": f"Matrix project {next(_n)}",
        "kind": "project",
        "provider": "Trust",
        "funding": "1000",
        "starts_on": "2030-04-01",
        "ends_on": "2031-03-31",
        "unit_cost_table": "unit_costs_heeks_2018",
        "target_offence_groups": "Robbery",
    }


def _risk() -> dict[str, object]:
    return {"pk": f.risk().pk}


def _review_data() -> dict[str, object]:
    return {
        "likelihood_before": "3",
        "impact_before": "3",
        "likelihood_after": "2",
        "impact_after": "2",
        "review_on": "2030-01-31",
    }


def _risk_data() -> dict[str, object]:
    return _review_data() | {
        "title": f"Matrix risk {next(_n)}",
        "cause": "Cause",
        "consequence": "Consequence",
        "owner": str(f.owner().pk),
    }


def _board() -> dict[str, object]:
    return {"pk": f.board().pk}


def _meeting() -> dict[str, object]:
    return {"pk": f.meeting().pk}


def _consultation() -> dict[str, object]:
    return {"pk": f.consultation().pk}


def _consultation_data() -> dict[str, object]:
    return {
        "title": f"Matrix consultation {next(_n)}",
        "held_on": "2030-01-10",
        "method": "public_meeting",
        "groups_consulted": "Residents",
        "feedback": "More lighting",
    }


CASES = [
    AccessCase("governance:end_of_year", roles=EVERYONE),
    AccessCase("governance:end_of_year", roles=EVERYONE, query="format=xlsx"),
    AccessCase(
        "governance:end_of_year_publish",
        roles=MANAGERS,
        kwargs=_year,
        method="post",
        data=lambda: {"publish": "yes"},
    ),
    AccessCase("governance:board", roles=EVERYONE),
    AccessCase("governance:board_group_create", roles=MANAGERS),
    AccessCase(
        "governance:board_group_create",
        roles=MANAGERS,
        method="post",
        data=lambda: {"name": f"Matrix board {next(_n)}", "kind": "board"},
    ),
    AccessCase("governance:board_group", roles=EVERYONE, kwargs=_board),
    AccessCase("governance:board_group", roles=EVERYONE, kwargs=_board, query="format=csv"),
    AccessCase(
        "governance:board_member_add",
        roles=MANAGERS,
        kwargs=_board,
        method="post",
        data=lambda: {
            "name": "Chair",
            "organisation": "Council",
            "role": "chair",
            "joined_on": "2024-04-01",
        },
    ),
    AccessCase("governance:board_meeting_create", roles=MANAGERS, kwargs=_board),
    AccessCase("governance:board_meeting", roles=EVERYONE, kwargs=_meeting),
    AccessCase(
        "governance:board_minutes",
        roles=MANAGERS,
        kwargs=_meeting,
        method="post",
        data=lambda: {"present": "Chair", "minutes": "Noted."},
    ),
    AccessCase(
        "governance:board_decision_add",
        roles=MANAGERS,
        kwargs=_meeting,
        method="post",
        data=lambda: {"text": "Fund the kits"},
    ),
    AccessCase("governance:consultations", roles=EVERYONE),
    AccessCase("governance:consultations", roles=EVERYONE, query="format=xlsx"),
    AccessCase("governance:consultation_create", roles=MANAGERS),
    AccessCase(
        "governance:consultation_create", roles=MANAGERS, method="post", data=_consultation_data
    ),
    AccessCase("governance:consultation_edit", roles=MANAGERS, kwargs=_consultation),
    AccessCase("governance:surveys", roles=EVERYONE),
    AccessCase("governance:surveys", roles=EVERYONE, query="format=csv"),
    AccessCase("governance:survey_import", roles=EDITORS),
    AccessCase("governance:board_pack", roles=EVERYONE),
    AccessCase("governance:board_pack", roles=EVERYONE, query="format=xlsx"),
    AccessCase("governance:risks", roles=EVERYONE),
    AccessCase("governance:risks", roles=EVERYONE, query="table=heat-map&format=csv"),
    AccessCase("governance:risk", roles=EVERYONE, kwargs=_risk),
    AccessCase("governance:risk", roles=EVERYONE, kwargs=_risk, query="format=xlsx"),
    AccessCase("governance:risk_create", roles=EDITORS),
    AccessCase("governance:risk_create", roles=EDITORS, method="post", data=_risk_data),
    AccessCase(
        "governance:risk_review", roles=EDITORS, kwargs=_risk, method="post", data=_review_data
    ),
    AccessCase("governance:projects", roles=EVERYONE),
    AccessCase("governance:projects", roles=EVERYONE, query="format=xlsx"),
    AccessCase("governance:project", roles=EVERYONE, kwargs=_project),
    AccessCase("governance:project", roles=EVERYONE, kwargs=_project, query="format=csv"),
    AccessCase("governance:project_create", roles=EDITORS),
    AccessCase("governance:project_create", roles=EDITORS, method="post", data=_project_data),
    AccessCase("governance:output_add", roles=EDITORS, kwargs=_project),
    AccessCase(
        "governance:output_add",
        roles=EDITORS,
        kwargs=_project,
        method="post",
        data=lambda: {"description": "Kits", "unit": "homes", "target": "10"},
    ),
    AccessCase("governance:years", roles=EVERYONE),
    AccessCase("governance:years", roles=EVERYONE, query="format=csv"),
    AccessCase("governance:year_create", roles=EDITORS),
    AccessCase(
        "governance:year_create",
        roles=EDITORS,
        method="post",
        data=lambda: {
            "label": f"Matrix year {next(_n)}",
            "starts_on": "2030-04-01",
            "ends_on": "2031-03-31",
        },
    ),
    AccessCase("governance:budget", roles=EVERYONE, kwargs=_year),
    AccessCase("governance:budget", roles=EVERYONE, kwargs=_year, query="table=income&format=xlsx"),
    AccessCase("governance:workbook", roles=EVERYONE, kwargs=_year),
    AccessCase("governance:import", roles=EDITORS, kwargs=_year),
    AccessCase("governance:income_create", roles=EDITORS, kwargs=_year),
    AccessCase(
        "governance:income_create",
        roles=EDITORS,
        kwargs=_year,
        method="post",
        data=lambda: {"source": "pcc_grant", "funder": "Commissioner", "amount": "5000"},
    ),
    AccessCase("governance:expenditure_create", roles=EDITORS, kwargs=_year),
    AccessCase("governance:spend", roles=EDITORS, kwargs=_line),
    AccessCase("governance:spend", roles=EDITORS, kwargs=_line, method="post", data=_spend),
    AccessCase(
        "governance:year_status",
        roles=EDITORS,
        kwargs=_year,
        method="post",
        data=lambda: {"status": "closed"},
    ),
]

CASES += [
    AccessCase("governance:expenditure_edit", roles=EDITORS, kwargs=_line),
    AccessCase("governance:income_edit", roles=EDITORS, kwargs=lambda: {"pk": f.income().pk}),
    AccessCase("governance:project_edit", roles=EDITORS, kwargs=_project),
    AccessCase("governance:risk_edit", roles=EDITORS, kwargs=_risk),
    AccessCase("api:governance-years", roles=EVERYONE),
    AccessCase("api:governance-year", roles=EVERYONE, kwargs=_year),
    AccessCase(
        "api:governance-spend",
        roles=EDITORS,
        kwargs=_line,
        method="post",
        data=_spend,
    ),
    AccessCase("api:governance-risks", roles=EVERYONE),
    AccessCase(
        "api:governance-risk-review",
        roles=EDITORS,
        kwargs=_risk,
        method="post",
        data=_review_data,
    ),
    AccessCase("api:governance-projects", roles=EVERYONE),
    AccessCase(
        "api:governance-end-of-year",
        roles=EVERYONE,
        query="year=2005/06",
        ok_statuses=frozenset({200, 400}),
    ),
]
