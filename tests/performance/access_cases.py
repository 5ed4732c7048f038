from tests.access import EVERYONE, LEADS, MANAGERS, AccessCase
from tests.performance.factories import make_priority, make_survey_indicator


def _priority() -> dict[str, object]:
    return {"pk": make_priority().pk}


def _indicator() -> dict[str, object]:
    return {"pk": make_survey_indicator().pk}


FORM_ERROR = frozenset({400})

CASES = [
    AccessCase("performance:priorities", EVERYONE),
    AccessCase("performance:priority", EVERYONE, kwargs=_priority),
    AccessCase("performance:priority_create", MANAGERS),
    AccessCase("performance:priority_create", MANAGERS, method="post", ok_statuses=FORM_ERROR),
    AccessCase("performance:priority_edit", MANAGERS, kwargs=_priority),
    AccessCase("performance:indicator", EVERYONE, kwargs=_indicator),
    AccessCase("performance:indicator", EVERYONE, kwargs=_indicator, query="format=csv"),
    AccessCase("performance:indicator", EVERYONE, kwargs=_indicator, query="format=xlsx"),
    AccessCase("performance:indicator_create", MANAGERS),
    AccessCase(
        "performance:indicator_publish",
        MANAGERS,
        kwargs=_indicator,
        method="post",
        data=lambda: {"public": "yes"},
    ),
    AccessCase("performance:indicator_edit", MANAGERS, kwargs=_indicator),
    AccessCase(
        "performance:indicator_edit",
        MANAGERS,
        kwargs=_indicator,
        method="post",
        ok_statuses=FORM_ERROR,
    ),
    # Lead officers of the lead partner (the test users' agency) and managers enter values.
    AccessCase("performance:measurement_enter", LEADS, kwargs=_indicator),
    AccessCase(
        "performance:measurement_enter",
        LEADS,
        kwargs=_indicator,
        method="post",
        ok_statuses=FORM_ERROR,
    ),
    AccessCase("performance:milestone_set", MANAGERS, kwargs=_indicator),
    AccessCase(
        "performance:milestone_set",
        MANAGERS,
        kwargs=_indicator,
        method="post",
        ok_statuses=FORM_ERROR,
    ),
    AccessCase("performance:scorecard", EVERYONE),
    AccessCase("performance:scorecard", EVERYONE, query="format=csv"),
    AccessCase("performance:scorecard", EVERYONE, query="format=xlsx"),
    AccessCase("performance:year_end", EVERYONE),
    AccessCase("performance:year_end", EVERYONE, query="format=xlsx"),
    AccessCase("performance:board_report", EVERYONE),
    AccessCase("performance:board_report_pdf", EVERYONE),
    AccessCase("performance:board_report_xlsx", EVERYONE),
    AccessCase("performance:refresh", MANAGERS, method="post"),
    AccessCase("api:performance_priorities", EVERYONE),
    AccessCase(
        "api:performance_priorities",
        MANAGERS,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase(
        "api:performance_priorities_from_recommendations",
        MANAGERS,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase("api:performance_indicators", EVERYONE),
    AccessCase("api:performance_indicator", EVERYONE, kwargs=_indicator),
    AccessCase(
        "api:performance_measurement_enter",
        LEADS,
        kwargs=_indicator,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase("api:performance_refresh", MANAGERS, method="post"),
]
