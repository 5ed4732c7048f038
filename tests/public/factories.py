"""Published records for public-site tests, made through the services."""

from __future__ import annotations

from typing import Any

from saferhub.accounts.actors import SystemActor
from saferhub.performance import services
from saferhub.performance.models import Indicator
from tests.performance.factories import make_priority, make_survey_indicator


def make_plan() -> Any:
    priority = make_priority("Reduce violence")
    services.priority_update(
        actor=SystemActor.TEST,
        priority=priority,
        matters_because="Violence harms people and places.",
        hope_together="Make streets safer at night.",
        together_we_will="Patrol hotspots and support victims.",
    )
    services.objective_create(actor=SystemActor.TEST, priority=priority, title="Fewer assaults")
    return priority


def make_published_indicator(**overrides: Any) -> Indicator:
    indicator = make_survey_indicator(**overrides)
    return services.indicator_set_public(actor=SystemActor.TEST, indicator=indicator, public=True)
