"""The authorisation matrix lines of IOM and Channel work.

IOM: the IOM role of an agency leading or added to the case. Channel: the Channel role,
and only the panel's named members (the factories name the test's Channel users where the
line says so; the matrix creates each role's user before the request).
"""

from __future__ import annotations

import datetime as dt

from saferhub.accounts.models import User
from saferhub.accounts.roles import ROLES
from saferhub.cases.services.channel import channel_refer
from saferhub.cases.services.iom import (
    iom_adopt,
    iom_candidate_open,
    iom_cohort_create,
    offending_record,
)
from tests.access import AccessCase
from tests.cases import factories as f

IOM = frozenset({"iom_officer"})
CHANNEL = frozenset({"prevent_lead"})
NOBODY: frozenset[str] = frozenset()


def _cohort_with_a_member(lead: object = None) -> tuple[int, int]:
    cohort = iom_cohort_create(actor=f.T, name="Cohort")
    member = iom_candidate_open(
        actor=f.T,
        cohort=cohort,
        offender_ref="OFF1",
        lead_agency=lead or f.agency(),  # type: ignore[arg-type]
        opened_on=dt.date(2023, 1, 2),
    )
    for day in (dt.date(2023, 2, 1), dt.date(2023, 6, 1)):
        offending_record(
            actor=f.T, case=member.case, kind="arrest", offence_date=day, offence="Theft"
        )
    iom_adopt(
        actor=f.T, member=member, strand="fixed", adopted_on=dt.date(2023, 4, 1), reason="Prolific"
    )
    return cohort.pk, member.pk


def _cohort() -> dict[str, object]:
    return {"pk": _cohort_with_a_member()[0]}


def _member() -> dict[str, object]:
    return {"pk": _cohort_with_a_member()[1]}


def _other_agencys_member() -> dict[str, object]:
    return {"pk": _cohort_with_a_member(f.police())[1]}


def _channel_case(named: bool) -> dict[str, object]:
    members = list(User.objects.filter(groups__name=ROLES["prevent_lead"].name)) if named else []
    detail = channel_refer(
        actor=f.T,
        lead_agency=f.agency(),
        referring_agency=f.agency(),
        referred_on=dt.date(2024, 3, 4),
        today=dt.date(2024, 4, 1),
        concern="Concern",
        panel_members=members,
    )
    return {"pk": detail.pk}


IOM_STEPS = ("iom_offending_add", "iom_adopt", "iom_deselect", "iom_plan_add", "iom_review")
CHANNEL_STEPS = (
    "channel_panel_add",
    "channel_assess",
    "channel_support_plan",
    "channel_support_add",
    "channel_review",
    "channel_exit",
)

CASES = [
    AccessCase("cases:iom_home", roles=IOM),
    AccessCase("cases:iom_cohort", roles=IOM, kwargs=_cohort),
    AccessCase("cases:iom_cohort", roles=IOM, kwargs=_cohort, query="format=csv"),
    AccessCase("cases:iom_member", roles=IOM, kwargs=_member),
    AccessCase("cases:iom_member", roles=NOBODY, kwargs=_other_agencys_member),
    AccessCase("cases:channel_list", roles=CHANNEL),
    AccessCase("cases:channel_case", roles=CHANNEL, kwargs=lambda: _channel_case(True)),
    AccessCase("cases:channel_case", roles=NOBODY, kwargs=lambda: _channel_case(False)),
    # The step pages: the same roles and the same scope as the pages they are linked from.
    AccessCase("cases:iom_cohort_new", roles=IOM),
    AccessCase("cases:iom_candidate_new", roles=IOM, kwargs=_cohort),
    *[AccessCase(f"cases:{name}", roles=IOM, kwargs=_member) for name in IOM_STEPS],
    *[
        AccessCase(f"cases:{name}", roles=NOBODY, kwargs=_other_agencys_member)
        for name in IOM_STEPS
    ],
    AccessCase("cases:channel_refer", roles=CHANNEL),
    *[
        AccessCase(f"cases:{name}", roles=CHANNEL, kwargs=lambda: _channel_case(True))
        for name in CHANNEL_STEPS
    ],
    *[
        AccessCase(f"cases:{name}", roles=NOBODY, kwargs=lambda: _channel_case(False))
        for name in CHANNEL_STEPS
    ],
]
