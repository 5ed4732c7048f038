"""Reads for performance: records in the user's scope, the judgement, the report tables."""

from saferhub.performance.selectors.judgement import (
    Current,
    Judgement,
    indicator_judgement,
    judgements_for_user,
)
from saferhub.performance.selectors.records import (
    VIEW,
    indicator_get_for_user,
    indicators_for_user,
    live_measurements,
    live_milestones,
    measurement_history,
    measurement_periods,
    priorities_for_user,
    priority_get_for_user,
)
from saferhub.performance.selectors.tables import (
    SCORECARD_COLUMNS,
    YEAR_END_COLUMNS,
    YearEndRow,
    scorecard_rows,
    year_end_rows,
    year_end_table,
)

__all__ = [
    "SCORECARD_COLUMNS",
    "VIEW",
    "YEAR_END_COLUMNS",
    "Current",
    "Judgement",
    "YearEndRow",
    "indicator_get_for_user",
    "indicator_judgement",
    "indicators_for_user",
    "judgements_for_user",
    "live_measurements",
    "live_milestones",
    "measurement_history",
    "measurement_periods",
    "priorities_for_user",
    "priority_get_for_user",
    "scorecard_rows",
    "year_end_rows",
    "year_end_table",
]
