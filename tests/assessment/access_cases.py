from typing import Any

from tests.access import ANALYSTS, EVERYONE, MANAGERS, AccessCase
from tests.assessment.factories import make_version

RUNNERS = ANALYSTS | MANAGERS


def _version() -> dict[str, Any]:
    return {"pk": make_version().pk}


def _download() -> dict[str, Any]:
    return {"pk": make_version().pk, "fmt": "xlsx"}


def _figures() -> dict[str, Any]:
    return {"pk": make_version().pk, "fmt": "figures"}


def _table() -> dict[str, Any]:
    return {"pk": make_version().pk, "key": "summary_volumes"}


def _run_form() -> dict[str, Any]:
    return {"area": "E06000015", "first_month": "", "last_month": ""}


def _run_api() -> dict[str, Any]:
    return {"area": "E06000015"}


def _compare() -> str:
    return ""


CASES = [
    AccessCase("assessment:index", EVERYONE),
    AccessCase("assessment:run", RUNNERS),
    AccessCase("assessment:run", RUNNERS, method="post", data=_run_form),
    AccessCase("assessment:compare", EVERYONE),
    AccessCase("assessment:version", EVERYONE, kwargs=_version),
    AccessCase("assessment:download", EVERYONE, kwargs=_download),
    AccessCase("assessment:download", EVERYONE, kwargs=_figures),
    AccessCase("assessment:table", EVERYONE, kwargs=_table),
    AccessCase("assessment:table", EVERYONE, kwargs=_table, query="format=xlsx"),
    AccessCase("api:assessment_versions", EVERYONE),
    AccessCase("api:assessment_version", EVERYONE, kwargs=_version),
    AccessCase("api:assessment_version_figures", EVERYONE, kwargs=_version),
    AccessCase(
        "api:assessment_run",
        RUNNERS,
        method="post",
        data=_run_api,
        ok_statuses=frozenset({202}),
    ),
]
