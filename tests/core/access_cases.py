from tests.access import ADMINS, EVERYONE, AccessCase

CASES = [
    AccessCase("core:home", EVERYONE),
    AccessCase("core:assess", EVERYONE),
    AccessCase("core:plan", EVERYONE),
    AccessCase("core:deliver", EVERYONE),
    AccessCase("core:monitor", EVERYONE),
    AccessCase("accounts:profile", EVERYONE),
    AccessCase("accounts:audit", ADMINS),
    AccessCase("accounts:audit", ADMINS, query="format=csv"),
    AccessCase("accounts:audit", ADMINS, query="format=xlsx"),
    AccessCase("api:me", EVERYONE),
]


def _someone_elses_job() -> dict[str, object]:
    from saferhub.core.models import Job

    return {"job_id": Job.objects.create(kind="test", title="Another user's job").pk}


# A job is seen only by the user who started it: everyone else gets "not found".
CASES += [
    AccessCase("core:job", frozenset(), kwargs=_someone_elses_job),
    AccessCase("core:job_status", frozenset(), kwargs=_someone_elses_job),
    AccessCase("api:job", frozenset(), kwargs=_someone_elses_job),
]
