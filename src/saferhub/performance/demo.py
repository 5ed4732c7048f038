"""Derby's data-driven indicators, set up in one step (``saferhub performance demo``).

Four indicators measured from the imported incident data, each with the
calendar year 2023 as baseline and a target for 2024: serious acquisitive
crime rate, violence rate, criminal damage and arson, and ASB incidents.
Priorities follow the shape of the Safer Derby plan ("It matters because /
We hope that together we can / Together we will"). Running it twice changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from saferhub.accounts.demo import DEMO_AGENCIES
from saferhub.accounts.models import Agency
from saferhub.accounts.services import agency_create
from saferhub.performance import services
from saferhub.performance.models import Indicator, Priority

DEMO_PRIORITIES: list[dict[str, Any]] = [
    {
        "title": "Reduce serious acquisitive crime",
        "theme": "serious-acquisitive-crime",
        "aim": "Fewer burglaries, robberies and vehicle crimes.",
        "matters_because": "Burglary, robbery and vehicle crime cost victims dearly and make "
        "people feel unsafe in their homes and streets.",
        "hope_together": "Protect the homes and vehicles most at risk, and the repeat victims.",
        "together_we_will": "Task the most significant problems monthly and target the most "
        "prolific offenders.",
    },
    {
        "title": "Reduce violence",
        "theme": "violence",
        "aim": "Fewer violent and sexual offences.",
        "matters_because": "Violence causes the most harm of all the crime the partnership sees.",
        "hope_together": "Prevent violence in the night-time economy and in the home.",
        "together_we_will": "Work on the places and times where violence concentrates.",
    },
    {
        "title": "Reduce criminal damage and anti-social behaviour",
        "theme": "asb",
        "aim": "Fewer incidents of criminal damage, arson and anti-social behaviour.",
        "matters_because": "Damage and anti-social behaviour are what residents see and "
        "report most, and they drive the fear of crime.",
        "hope_together": "Resolve the problems that bring repeat calls.",
        "together_we_will": "Use the ASB case review and problem-solving on the hotspots.",
    },
]

# (priority title, title, kind, theme, unit, decimals, target % change, lead agency code)
DEMO_INDICATORS = [
    (
        "Reduce serious acquisitive crime",
        "Serious acquisitive crime rate",
        Indicator.Kind.INCIDENT_RATE,
        "serious-acquisitive-crime",
        "offences per 1,000 population",
        2,
        Decimal("-5"),
        "derbyshire-police",
    ),
    (
        "Reduce violence",
        "Violence rate",
        Indicator.Kind.INCIDENT_RATE,
        "violence",
        "offences per 1,000 population",
        2,
        Decimal("-5"),
        "derbyshire-police",
    ),
    (
        "Reduce criminal damage and anti-social behaviour",
        "Criminal damage and arson",
        Indicator.Kind.INCIDENT_COUNT,
        "criminal-damage-arson",
        "offences",
        0,
        Decimal("-5"),
        "derbyshire-police",
    ),
    (
        "Reduce criminal damage and anti-social behaviour",
        "ASB incidents",
        Indicator.Kind.INCIDENT_COUNT,
        "asb",
        "incidents",
        0,
        Decimal("-10"),
        "derby-city-council",
    ),
]


def _agency(code: str) -> Agency:
    found = Agency.objects.filter(code=code).first()
    if found:
        return found
    _, name, kind = next(a for a in DEMO_AGENCIES if a[0] == code)
    return agency_create(actor="demo", code=code, name=name, kind=kind)


@transaction.atomic
def performance_demo_create(
    *, actor: Any, area_code: str = "E06000015", baseline: str = "2023", target: str = "2024"
) -> list[Indicator]:
    """Create the demo priorities and the four data-driven indicators for ``area_code``."""
    priorities: dict[str, Priority] = {}
    for order, spec in enumerate(DEMO_PRIORITIES, start=1):
        existing = Priority.objects.live().filter(title=spec["title"]).first()
        priorities[spec["title"]] = existing or services.priority_create(
            actor=actor, order=order, plan_period="2023–25", **spec
        )
    created = []
    for order, (ptitle, title, kind, theme, unit, decimals, pct, agency) in enumerate(
        DEMO_INDICATORS, start=1
    ):
        found = Indicator.objects.live().filter(title=title, area_code=area_code).first()
        if found:
            created.append(found)
            continue
        created.append(
            services.indicator_create(
                actor=actor,
                priority=priorities[ptitle],
                title=title,
                kind=kind,
                categories=[theme],
                area_code=area_code,
                unit=unit,
                decimals=decimals,
                direction=Indicator.Direction.LOWER,
                baseline_period=baseline,
                target_kind=Indicator.TargetKind.PERCENT_CHANGE,
                target_value=pct,
                target_period=target,
                milestone_frequency=Indicator.Frequency.QUARTERLY,
                lead_agency=_agency(agency),
                data_source="police.uk street-level crime and ASB (imported)",
                order=order,
            )
        )
    return created
