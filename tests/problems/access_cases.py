import datetime as dt
import itertools

from tests.access import EVERYONE, LEADS, MANAGERS, AccessCase
from tests.problems import factories as f

LEADS_AND_ANALYSTS = LEADS | {"analyst"}
PDF = frozenset({200})
_n = itertools.count(1)


def _problem() -> dict[str, object]:
    """A problem led by a police officer none of the test users is: only managers edit it."""
    f.tiny_geography()
    return {"pk": f.problem(lsoa="E01013480").pk}


def _meeting() -> dict[str, object]:
    from saferhub.accounts.actors import SystemActor
    from saferhub.problems.tasking import meeting_create

    area = f.tiny_geography()
    meeting = meeting_create(
        actor=SystemActor.TEST, group=f"Tasking {next(_n)}", held_on=dt.date(2025, 1, 15), area=area
    )
    return {"pk": meeting.pk}


def _step(step: str) -> object:
    return lambda: _problem() | {"step": step}


CASES = [
    AccessCase("problems:list", roles=EVERYONE),
    AccessCase("problems:list", roles=EVERYONE, query="format=csv"),
    AccessCase("problems:create", roles=LEADS_AND_ANALYSTS),
    AccessCase(
        "problems:create", roles=LEADS_AND_ANALYSTS, method="post", ok_statuses=frozenset({400})
    ),
    AccessCase("problems:problem", roles=EVERYONE, kwargs=_problem),
    AccessCase("problems:edit", roles=MANAGERS, kwargs=_problem),
    AccessCase(
        "problems:edit",
        roles=MANAGERS,
        kwargs=_problem,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase("problems:status", roles=MANAGERS, kwargs=_problem),
    AccessCase("problems:response", roles=MANAGERS, kwargs=_problem),
    AccessCase("problems:assessment", roles=MANAGERS, kwargs=_problem),
    AccessCase("problems:step", roles=MANAGERS, kwargs=_step("objective")),  # type: ignore[arg-type]
    AccessCase("problems:step", roles=MANAGERS, kwargs=_step("analysis")),  # type: ignore[arg-type]
    AccessCase("problems:meetings", roles=EVERYONE),
    AccessCase("problems:meeting_create", roles=MANAGERS),
    AccessCase("problems:meeting", roles=EVERYONE, kwargs=_meeting),
    AccessCase(
        "problems:meeting",
        roles=MANAGERS,
        kwargs=_meeting,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase("problems:meeting_pdf", roles=EVERYONE, kwargs=_meeting, ok_statuses=PDF),
    AccessCase("problems:concerns", roles=EVERYONE),
    AccessCase("problems:concern_create", roles=LEADS),
    AccessCase("api:problems-register", roles=EVERYONE),
    AccessCase(
        "api:problems-create",
        roles=LEADS_AND_ANALYSTS,
        method="post",
        ok_statuses=frozenset({400}),
    ),
    AccessCase("api:problems-detail", roles=EVERYONE, kwargs=_problem),
    AccessCase("api:problems-agenda", roles=EVERYONE, kwargs=_meeting),
]
