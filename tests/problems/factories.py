"""Factories for problems, made through the services (so they are validated and audited)."""

from __future__ import annotations

import itertools
from typing import Any

from saferhub.accounts.actors import SystemActor

_counter = itertools.count(1)
DERBY = "E06000015"


def lead_partner(code: str = "police", name: str = "Derbyshire Constabulary") -> Any:
    from saferhub.accounts.models import Agency

    return Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": "police"})[0]


def derby_area() -> Any:
    from saferhub.geography.selectors import area_get

    return area_get(DERBY)


def problem(*, lsoa: str, **kw: Any) -> Any:
    from saferhub.problems.services import problem_create

    values: dict[str, Any] = {
        "title": f"Problem {next(_counter)}",
        "area": derby_area(),
        "place_type": "lsoas",
        "lsoa_codes": [lsoa],
        "lead_partner": lead_partner(),
    }
    return problem_create(actor=SystemActor.TEST, **(values | kw))


def plan() -> Any:
    import datetime as dt

    from saferhub.actions.services import plan_create

    return plan_create(
        actor=SystemActor.TEST,
        title=f"Action plan {next(_counter)}",
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2025, 3, 31),
    )


def tiny_geography() -> Any:
    """Derby and two of its LSOAs, without boundaries: enough for pages and rules that go
    by LSOA codes (the real geography is in the slow tests)."""
    from saferhub.geography.models import Area, Lsoa

    derby, _ = Area.objects.get_or_create(level="lad", code=DERBY, defaults={"name": "Derby"})
    for code, name in (("E01013480", "Derby 016A"), ("E01013461", "Derby 001A")):
        Lsoa.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "ward_code": "E05000001",
                "ward_name": "A ward",
                "lad_code": DERBY,
                "lad_name": "Derby",
            },
        )
        Area.objects.get_or_create(level="lsoa", code=code, defaults={"name": name})
    return derby
