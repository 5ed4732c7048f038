"""Writes for performance: priorities, objectives, indicators, milestones, measurements.

Every write is audited with its old and new values. Validation messages name the field
they belong to, so forms and the API show them beside it.
"""

from saferhub.performance.services.indicators import (
    INDICATOR_FIELDS,
    DataValue,
    indicator_create,
    indicator_update,
    indicator_validate,
    milestone_set,
)
from saferhub.performance.services.measurements import (
    can_enter_for,
    lead_agency_for,
    measurement_enter,
    measurements_refresh,
    refresh_job,
)
from saferhub.performance.services.priorities import (
    PRIORITY_FIELDS,
    objective_create,
    priorities_create_from_recommendations,
    priority_archive,
    priority_create,
    priority_set_objectives,
    priority_update,
)
from saferhub.performance.services.publishing import indicator_set_public

__all__ = [
    "INDICATOR_FIELDS",
    "PRIORITY_FIELDS",
    "DataValue",
    "can_enter_for",
    "indicator_create",
    "indicator_set_public",
    "indicator_update",
    "indicator_validate",
    "lead_agency_for",
    "measurement_enter",
    "measurements_refresh",
    "milestone_set",
    "objective_create",
    "priorities_create_from_recommendations",
    "priority_archive",
    "priority_create",
    "priority_set_objectives",
    "priority_update",
    "refresh_job",
]
