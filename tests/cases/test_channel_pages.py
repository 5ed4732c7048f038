"""The Channel step pages: referral, panel members, the vulnerability assessment, the
support plan (refused on the field without recorded consent), support providers, reviews
and exit, each saving through its service (audited) and refused, to anyone but the
Channel role and the panel's named members, exactly as the case page is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.cases.models import (
    Case,
    ChannelAssessment,
    ChannelCase,
    ChannelReview,
    ChannelSupport,
    ChannelSupportPlan,
)
from saferhub.cases.services.channel import channel_refer
from tests.cases import factories as f
from tests.cases.iom_channel.pages import audit_events, post_step, refused_on
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def lead(client: Any) -> Any:
    user = f.user("prevent_lead")
    verified_client(client, user)
    return user


_post = post_step
_events = audit_events


def test_a_channel_lead_refers_and_works_a_case_through_the_pages(client: Any, lead: Any) -> None:
    listing = client.get(reverse("cases:channel_list")).content.decode()
    assert reverse("cases:channel_refer") in listing
    college = f.agency("city-college", "City College", "education")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = refused_on(
        client.post(
            reverse("cases:channel_refer"),
            {"referred_on": tomorrow, "referring_agency": college.pk, "concern": " "},
        ),
        "referred_on",
    )
    assert 'href="#id_concern"' in refused
    assert not Case.objects.exists()
    referred = client.post(
        reverse("cases:channel_refer"),
        {
            "referred_on": "2024-03-04",
            "referring_agency": college.pk,
            "concern": "Shared extremist material in class.",
        },
    )
    detail = ChannelCase.objects.get()
    case = detail.case
    assert referred.status_code == 302
    assert referred["Location"] == reverse("cases:channel_case", args=[case.pk])
    assert (case.officer, case.lead_agency, detail.referring_agency) == (lead, lead.agency, college)
    event = _events("channel.referral", lead, case).get()
    assert "extremist" not in str(event.new_values)

    page = client.get(reverse("cases:channel_case", args=[case.pk])).content.decode()
    for name in (
        "channel_panel_add",
        "channel_assess",
        "channel_support_plan",
        "channel_review",
        "channel_exit",
    ):
        assert reverse(f"cases:{name}", args=[case.pk]) in page
    assert reverse("cases:channel_support_add", args=[case.pk]) not in page  # no plan yet

    # A panel member: only the Channel role's users are offered; once named, they see it.
    colleague = f.user("prevent_lead")
    outsider = f.user("iom_officer")
    form = client.get(reverse("cases:channel_panel_add", args=[case.pk])).content.decode()
    assert f'value="{colleague.pk}"' in form and f'value="{outsider.pk}"' not in form
    refused_on(_post(client, "channel_panel_add", case.pk, {"member": outsider.pk}), "member")
    assert not detail.panel_members.exists()
    _post(client, "channel_panel_add", case.pk, {"member": colleague.pk})
    assert list(detail.panel_members.all()) == [colleague]
    assert _events("channel.panel_member", lead, case).count() == 1

    # The vulnerability assessment.
    refused_on(
        _post(
            client,
            "channel_assess",
            case.pk,
            {"assessed_on": "2024-03-18", "engagement": "Forums"},
        ),
        "decision",
    )
    refused_on(
        _post(
            client, "channel_assess", case.pk, {"assessed_on": "2024-03-18", "decision": "adopt"}
        ),
        "engagement",
    )
    assert not ChannelAssessment.objects.exists()
    _post(
        client,
        "channel_assess",
        case.pk,
        {
            "assessed_on": "2024-03-18",
            "decision": "adopt",
            "engagement": "Spends evenings on forums.",
            "intent": "None stated.",
        },
    )
    assessment = ChannelAssessment.objects.get()
    assert (assessment.decision, assessment.intent) == ("adopt", "None stated.")
    assert "forums" not in str(_events("channel.assessment", lead, case).get().new_values)

    # Support before a plan is refused on the provider.
    support = {"provider": "Mentor", "kind": "Mentoring", "started_on": "2024-04-01"}
    refused_on(_post(client, "channel_support_add", case.pk, support), "provider")

    # The support plan: refused on each consent field without it, nothing saved.
    text = refused_on(
        _post(client, "channel_support_plan", case.pk, {"agreed_on": "2024-03-25"}),
        "consent_given",
    )
    for field in ("consent_sought_how", "consent_sought_on", "consent_sought_by"):
        assert f'href="#id_{field}"' in text and f'id="id_{field}-error"' in text
    assert "Channel support is voluntary" in text
    consent = {
        "agreed_on": "2024-03-25",
        "summary": "Mentoring weekly",
        "consent_sought_how": "In person, with his mother present",
        "consent_sought_on": "2024-03-20",
        "consent_sought_by": "Channel coordinator",
    }
    refused_on(
        _post(client, "channel_support_plan", case.pk, {**consent, "consent_given": "no"}),
        "consent_given",
    )
    assert not ChannelSupportPlan.objects.exists()
    assert not _events("channel.support_plan", lead, case).exists()
    done = _post(client, "channel_support_plan", case.pk, {**consent, "consent_given": "yes"})
    assert done.status_code == 302
    plan = ChannelSupportPlan.objects.get()
    assert (plan.consent_sought_on, plan.consent_sought_by, plan.consent_given) == (
        D(2024, 3, 20),
        "Channel coordinator",
        True,
    )
    _events("channel.support_plan", lead, case).get()

    page = client.get(reverse("cases:channel_case", args=[case.pk])).content.decode()
    assert reverse("cases:channel_support_add", args=[case.pk]) in page
    _post(client, "channel_support_add", case.pk, support)
    assert ChannelSupport.objects.get().provider == "Mentor"
    _events("channel.support", lead, case).get()

    # Reviews: a scheduled review not yet due is refused on its field.
    refused_on(
        _post(client, "channel_review", case.pk, {"kind": "six_months", "held_on": "2024-05-01"}),
        "kind",
    )
    assert not ChannelReview.objects.exists()
    _post(
        client,
        "channel_review",
        case.pk,
        {"kind": "panel", "held_on": "2024-05-01", "summary": "Progressing"},
    )
    assert ChannelReview.objects.get().held_on == D(2024, 5, 1)

    # Exit: refused without a reason; then the 6 and 12 month reviews are scheduled.
    refused_on(
        _post(client, "channel_exit", case.pk, {"exited_on": "2024-08-31", "reason": ""}), "reason"
    )
    detail.refresh_from_db()
    assert detail.exited_on is None
    _post(client, "channel_exit", case.pk, {"exited_on": "2024-08-31", "reason": "Reduced"})
    detail.refresh_from_db()
    assert (detail.exited_on, detail.exit_reason) == (D(2024, 8, 31), "Reduced")
    due = dict(ChannelReview.objects.filter(held_on__isnull=True).values_list("kind", "due_on"))
    assert due == {"six_months": D(2025, 2, 28), "twelve_months": D(2025, 8, 31)}
    _events("channel.exit", lead, case).get()
    _post(client, "channel_review", case.pk, {"kind": "six_months", "held_on": "2025-03-03"})
    assert ChannelReview.objects.get(kind="six_months").held_on == D(2025, 3, 3)

    # The named colleague sees and works the case too.
    client.logout()
    verified_client(client, colleague)
    assert client.get(reverse("cases:channel_case", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:channel_review", args=[case.pk])).status_code == 200


STEPS = {
    "channel_panel_add": {},
    "channel_assess": {"assessed_on": "2024-03-18", "decision": "adopt", "engagement": "x"},
    "channel_support_plan": {
        "agreed_on": "2024-03-25",
        "consent_sought_how": "In person",
        "consent_sought_on": "2024-03-20",
        "consent_sought_by": "Coordinator",
        "consent_given": "yes",
    },
    "channel_support_add": {"provider": "Mentor", "kind": "Mentoring", "started_on": "2024-04-01"},
    "channel_review": {"kind": "panel", "held_on": "2024-05-01"},
    "channel_exit": {"exited_on": "2024-08-31", "reason": "Reduced"},
}


@pytest.mark.parametrize("role", ["prevent_lead", "iom_officer", "asb_officer", "administrator"])
def test_the_step_pages_are_refused_as_the_case_page_is(client: Any, role: str) -> None:
    named = f.user("prevent_lead")
    detail = channel_refer(
        actor=f.T,
        lead_agency=f.agency(),
        referring_agency=f.agency(),
        referred_on=D(2024, 3, 4),
        today=D(2024, 4, 1),
        concern="Concern",
        panel_members=[named],
    )
    user = f.user(role)  # of the same agency, but not named on the panel
    verified_client(client, user)
    page = client.get(reverse("cases:channel_case", args=[detail.pk])).status_code
    assert page == (404 if role == "prevent_lead" else 403)
    data = dict(STEPS, channel_panel_add={"member": user.pk})
    for name, form in data.items():
        url = reverse(f"cases:{name}", args=[detail.pk])
        assert client.get(url).status_code == page, name
        assert client.post(url, form).status_code == page, name
    assert list(detail.panel_members.all()) == [named]
    assert not ChannelAssessment.objects.exists() and not ChannelSupportPlan.objects.exists()
    assert not ChannelSupport.objects.exists() and not ChannelReview.objects.exists()
    detail.refresh_from_db()
    assert detail.exited_on is None
    if role != "prevent_lead":
        assert client.get(reverse("cases:channel_refer")).status_code == 403
