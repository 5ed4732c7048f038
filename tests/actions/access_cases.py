import datetime as dt
import itertools

from tests.access import EVERYONE, LEADS, MANAGERS, AccessCase
from tests.actions import factories as f

_n = itertools.count(1)


def _own_action() -> dict[str, object]:
    """An action led by the test users' agency, with no named lead officer."""
    return {"pk": f.action(target_quantity=2500, target_unit="homes").pk}


def _other_agencys_action() -> dict[str, object]:
    police = f.agency("derbyshire-constabulary", "Derbyshire Constabulary", "police")
    return {"pk": f.action(lead=police).pk}


def _plan() -> dict[str, object]:
    plan = f.plan()
    f.action(plan, team=f.team())
    return {"pk": plan.pk}


def _team() -> dict[str, object]:
    return {"pk": f.team().pk}


def _meeting() -> dict[str, object]:
    return {"pk": f.meeting().pk}


def _someone_elses_import() -> dict[str, object]:
    """An import job started by another user: nobody else may see its report."""
    from saferhub.actions.jobs import IMPORT_KIND
    from saferhub.core.models import Job

    job = Job.objects.create(
        kind=IMPORT_KIND,
        title="Another manager's import",
        params={"plan_id": f.plan().pk},
        status=Job.Status.SUCCEEDED,
    )
    return {"job_id": job.pk}


def _update_data() -> dict[str, object]:
    return {"made_on": dt.date.today().isoformat(), "progress": "Kits issued", "status": "on_track"}


def _complete_data() -> dict[str, object]:
    return {
        "completed_on": dt.date.today().isoformat(),
        "outcome_achieved": "yes",
        "evidence": "2,500 kits issued",
    }


def _plan_data() -> dict[str, object]:
    return {"title": f"Plan {next(_n)}", "starts_on": "2011-04-01", "ends_on": "2012-03-31"}


CASES = [
    AccessCase("actions:list", EVERYONE),
    AccessCase("actions:list", EVERYONE, query="format=csv"),
    AccessCase("actions:list", EVERYONE, query="format=xlsx&status=on_track"),
    AccessCase("actions:mine", EVERYONE),
    AccessCase("actions:mine", EVERYONE, query="format=xlsx"),
    AccessCase("actions:action", EVERYONE, kwargs=_own_action, query="format=csv"),
    AccessCase("actions:plans", EVERYONE, query="format=csv"),
    AccessCase("actions:teams", EVERYONE, query="format=xlsx"),
    AccessCase("actions:team", EVERYONE, kwargs=_team, query="format=csv"),
    AccessCase("actions:meeting", EVERYONE, kwargs=_meeting, query="format=xlsx"),
    AccessCase("actions:action", EVERYONE, kwargs=_own_action),
    # Lead officers update their own agency's actions; managers any.
    AccessCase("actions:action_update", LEADS, kwargs=_own_action),
    AccessCase(
        "actions:action_update", LEADS, kwargs=_own_action, method="post", data=_update_data
    ),
    AccessCase("actions:action_update", MANAGERS, kwargs=_other_agencys_action),
    AccessCase("actions:action_complete", LEADS, kwargs=_own_action),
    AccessCase(
        "actions:action_complete", LEADS, kwargs=_own_action, method="post", data=_complete_data
    ),
    AccessCase("actions:action_complete", MANAGERS, kwargs=_other_agencys_action),
    AccessCase("actions:plans", EVERYONE),
    AccessCase("actions:plan_create", MANAGERS),
    AccessCase("actions:plan_create", MANAGERS, method="post", data=_plan_data),
    AccessCase("actions:year_end", EVERYONE, kwargs=_plan),
    AccessCase("actions:year_end", EVERYONE, kwargs=_plan, query="format=csv"),
    AccessCase("actions:year_end", EVERYONE, kwargs=_plan, query="table=key_players&format=xlsx"),
    AccessCase("actions:year_end", EVERYONE, kwargs=_plan, query="table=contributions&format=csv"),
    AccessCase("actions:import", MANAGERS, kwargs=_plan),
    AccessCase("actions:import_report", frozenset(), kwargs=_someone_elses_import),
    AccessCase("actions:carry_forward", MANAGERS, kwargs=_plan),
    AccessCase("actions:contribution", MANAGERS, kwargs=_plan),
    AccessCase(
        "actions:contribution",
        MANAGERS,
        kwargs=_plan,
        method="post",
        data=lambda: {
            "agency": f.agency().pk,
            "priority": "Reducing Violent Crime",
            "contribution": "Continued development of the CCTV project",
        },
    ),
    AccessCase("actions:action_create", MANAGERS, kwargs=_plan),
    AccessCase("actions:teams", EVERYONE),
    AccessCase("actions:team", EVERYONE, kwargs=_team),
    AccessCase("actions:team_create", MANAGERS),
    AccessCase(
        "actions:team_create",
        MANAGERS,
        method="post",
        data=lambda: {"name": f"Group {next(_n)}", "kind": "thematic_group"},
    ),
    AccessCase("actions:meeting_create", MANAGERS, kwargs=_team),
    AccessCase("actions:meeting", EVERYONE, kwargs=_meeting),
    AccessCase(
        "actions:meeting_record",
        MANAGERS,
        kwargs=_meeting,
        method="post",
        data=lambda: {"minutes": "Noted", "decisions": "Agreed"},
    ),
    AccessCase("api:actions-plans", EVERYONE),
    AccessCase("api:actions-year-end", EVERYONE, kwargs=_plan),
    AccessCase("api:actions-list", EVERYONE),
    AccessCase("api:actions-detail", EVERYONE, kwargs=_own_action),
    AccessCase(
        "api:actions-update",
        LEADS,
        kwargs=_own_action,
        method="post",
        data=_update_data,
        ok_statuses=frozenset({201}),
    ),
    AccessCase(
        "api:actions-update",
        MANAGERS,
        kwargs=_other_agencys_action,
        method="post",
        data=_update_data,
        ok_statuses=frozenset({201}),
    ),
    AccessCase(
        "api:actions-complete",
        LEADS,
        kwargs=_own_action,
        method="post",
        data=_complete_data,
        ok_statuses=frozenset({201}),
    ),
]
