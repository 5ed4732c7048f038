"""Channel: visible only to the Channel role and the panel's named members; a support plan
refused without recorded consent; exit schedules the 6 and 12 month reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from saferhub.accounts.roles import ROLES
from saferhub.cases import selectors as sel
from saferhub.cases.models import ChannelCase, ChannelReview, ChannelSupportPlan
from saferhub.cases.services.channel import (
    channel_assess,
    channel_exit,
    channel_refer,
    channel_review,
    channel_support_add,
    channel_support_plan,
)
from tests.cases import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def _refer(members: list[object] | None = None) -> ChannelCase:
    return channel_refer(
        actor=f.T,
        lead_agency=f.agency(),
        referring_agency=f.agency("city-college", "City College", "education"),
        referred_on=D(2024, 3, 4),
        today=D(2024, 4, 1),
        concern="Shared extremist material in class.",
        panel_members=members or [],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_the_panels_named_members_see_a_channel_case(role: str) -> None:
    someone = f.user(role)
    named = f.user("prevent_lead")
    detail = _refer([named] + ([someone] if role == "prevent_lead" else []))
    if role == "prevent_lead":
        assert sel.case_get_for_user(user=someone, id=detail.pk) == detail.case
    else:
        with pytest.raises(Http404):
            sel.case_get_for_user(user=someone, id=detail.pk)
    assert sel.case_get_for_user(user=named, id=detail.pk) == detail.case
    # A Channel lead of the same agency who is not named does not see it.
    assert not sel.cases_for_user(user=f.user("prevent_lead")).filter(pk=detail.pk).exists()


def test_a_support_plan_needs_recorded_consent_and_nothing_is_saved_without() -> None:
    detail = _refer()
    channel_assess(
        actor=f.T,
        case=detail.case,
        assessed_on=D(2024, 3, 18),
        decision="adopt",
        engagement="Spends evenings on forums.",
    )
    with pytest.raises(ValidationError) as exc:
        channel_support_plan(
            actor=f.T,
            case=detail.case,
            agreed_on=D(2024, 3, 25),
            consent_sought_how="",
            consent_sought_on=None,
            consent_sought_by="",
            consent_given=None,
        )
    assert set(exc.value.message_dict) == {
        "consent_sought_how",
        "consent_sought_on",
        "consent_sought_by",
        "consent_given",
    }
    assert not ChannelSupportPlan.objects.exists()
    with pytest.raises(ValidationError, match="support plan"):
        channel_support_add(
            actor=f.T,
            case=detail.case,
            provider="Mentor",
            kind="Mentoring",
            started_on=D(2024, 4, 1),
        )
    channel_support_plan(
        actor=f.T,
        case=detail.case,
        agreed_on=D(2024, 3, 25),
        consent_sought_how="In person, with his mother present",
        consent_sought_on=D(2024, 3, 20),
        consent_sought_by="Channel coordinator",
        consent_given=True,
    )
    channel_support_add(
        actor=f.T,
        case=detail.case,
        provider="Intervention provider",
        kind="Theological and ideological mentoring",
        started_on=D(2024, 4, 1),
    )
    channel_review(actor=f.T, case=detail.case, held_on=D(2024, 5, 1), summary="Progressing")
    channel_exit(actor=f.T, detail=detail, exited_on=D(2024, 8, 31), reason="Vulnerability reduced")
    due = dict(
        ChannelReview.objects.filter(case=detail.case, held_on__isnull=True).values_list(
            "kind", "due_on"
        )
    )
    assert due == {"six_months": D(2025, 2, 28), "twelve_months": D(2025, 8, 31)}
    channel_review(actor=f.T, case=detail.case, held_on=D(2025, 3, 3), kind="six_months")
    assert ChannelReview.objects.filter(kind="six_months", held_on=D(2025, 3, 3)).exists()
    with pytest.raises(ValidationError, match="exits"):
        channel_exit(actor=f.T, detail=detail, exited_on=D(2024, 9, 1), reason=" ")


def test_a_referral_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="future"):
        channel_refer(
            actor=f.T,
            lead_agency=f.agency(),
            referring_agency=f.agency(),
            referred_on=D(2024, 4, 2),
            today=D(2024, 4, 1),
            concern="x",
        )
