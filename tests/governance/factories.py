"""Factories for budget records, made through the services (so they are audited)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from saferhub.accounts.actors import SystemActor

_counter = itertools.count(1)

# Derby's 2005-06 budget: the strategy gives the totals (income £6,057,022 and
# expenditure £6,057,022) and the headings of its income chart (Health, the city council,
# the police, regional and national grants, local external funded projects); the split
# between the headings was a picture, not text, so the amounts per line below are
# illustrative and only their totals are the strategy's.
DERBY_TOTAL = Decimal("6057022")
DERBY_INCOME = [
    ("partner_contribution", "Derby City Council", Decimal("1450000")),
    ("partner_contribution", "Derbyshire Police", Decimal("820000")),
    ("partner_contribution", "Health (Derbyshire DAAT, NHS and PCT)", Decimal("1320000")),
    (
        "home_office_and_other_grants",
        "Regional and national grants (YJB, Home Office, GOEM)",
        Decimal("1687022"),
    ),
    (
        "external_funded_projects",
        "Local external funded projects (Children's Fund, NDC, NRF)",
        Decimal("780000"),
    ),
]
DERBY_EXPENDITURE = [
    ("Drug treatment services", "commissioned_service", Decimal("2304000")),
    ("Youth Offending Service", "core", Decimal("1893022")),
    ("Youth Inclusion Programme", "commissioned_service", Decimal("410000")),
    ("Appropriate adult and mentoring services", "commissioned_service", Decimal("250000")),
    ("Neighbourhood projects", "project", Decimal("600000")),
    ("Partnership team and performance", "core", Decimal("600000")),
]


def year(label: str | None = None, starts: dt.date = dt.date(2005, 4, 1)) -> Any:
    from saferhub.governance.services import year_create

    return year_create(
        actor=SystemActor.TEST,
        label=label or f"Year {next(_counter)}",
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 1) - dt.timedelta(days=1),
    )


def income(year_: Any = None, **kw: Any) -> Any:
    from saferhub.governance.services import income_line_create

    fields: dict[str, Any] = {
        "source": "partner_contribution",
        "funder": f"Partner {next(_counter)}",
        "amount": Decimal("1000"),
    } | kw
    return income_line_create(actor=SystemActor.TEST, year=year_ or year(), **fields)


def expenditure(year_: Any = None, **kw: Any) -> Any:
    from saferhub.governance.services import expenditure_line_create

    fields: dict[str, Any] = {"title": f"Project {next(_counter)}", "budget": Decimal("4000")} | kw
    return expenditure_line_create(actor=SystemActor.TEST, year=year_ or year(), **fields)


def derby_2005_06() -> Any:
    y = year("2005–06")
    for source, funder, amount in DERBY_INCOME:
        income(y, source=source, funder=funder, amount=amount)
    for title, kind, amount in DERBY_EXPENDITURE:
        expenditure(y, title=title, kind=kind, budget=amount)
    return y


def project(**kw: Any) -> Any:
    from saferhub.governance.services import project_create

    fields: dict[str, Any] = {
        "title": f"Burglary kits {next(_counter)}",
        "provider": "Home Safety Trust",
        "funding": Decimal("23000"),
        "starts_on": dt.date(2005, 4, 1),
        "ends_on": dt.date(2006, 3, 31),
        "unit_cost_table": "unit_costs_south_derbyshire_2002_03",
        "target_offence_groups": ["Burglary dwelling"],
    } | kw
    return project_create(actor=SystemActor.TEST, **fields)


def output(project_: Any = None, **kw: Any) -> Any:
    from saferhub.governance.services import project_output_add

    fields: dict[str, Any] = {
        "description": "Homes issued with burglary kits",
        "unit": "homes",
        "target": Decimal("2500"),
    } | kw
    return project_output_add(actor=SystemActor.TEST, project=project_ or project(), **fields)


def owner() -> Any:
    from saferhub.accounts.models import User

    user, _ = User.objects.get_or_create(
        username="risk-owner", defaults={"email": "owner@example.org", "first_name": "Risk"}
    )
    return user


def risk(**kw: Any) -> Any:
    from saferhub.governance.services import risk_create

    fields: dict[str, Any] = {
        "title": f"Risk {next(_counter)}",
        "cause": "Grant ends in March",
        "consequence": "Youth diversion stops",
        "owner": owner(),
        "likelihood_before": 4,
        "impact_before": 4,
        "likelihood_after": 2,
        "impact_after": 3,
        "review_on": dt.date(2026, 6, 30),
    } | kw
    return risk_create(actor=SystemActor.TEST, **fields)


def board(name: str | None = None) -> Any:
    from saferhub.governance.services.board import board_group_create

    return board_group_create(actor=SystemActor.TEST, name=name or f"Board {next(_counter)}")


def meeting(group: Any = None, held_on: dt.date = dt.date(2025, 1, 20)) -> Any:
    from saferhub.governance.services.board import board_meeting_create

    return board_meeting_create(
        actor=SystemActor.TEST,
        group=group or board(),
        held_on=held_on,
        quarter="2024-Q4",
        agenda=[{"title": "Performance scorecard, 2024-Q4", "lines": []}],
    )


def consultation(**kw: Any) -> Any:
    from saferhub.governance.services.board import consultation_create

    fields: dict[str, Any] = {
        "title": f"Newhall consultation {next(_counter)}",
        "held_on": dt.date(2002, 3, 1),
        "method": "interviews",
        "groups_consulted": "Residents of Newhall",
        "participants": 153,
        "feedback": "Drugs and burglary are the main worries.",
    } | kw
    return consultation_create(actor=SystemActor.TEST, **fields)
