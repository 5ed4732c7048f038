"""The risk register: scores 1-5 only, bands, heat map counts, history, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from saferhub.accounts.actors import SystemActor
from saferhub.governance import risk_selectors as rsel
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.models import Risk
from saferhub.governance.models.risks import band
from tests.actions import factories as af
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_bands() -> None:
    assert [band(s) for s in (1, 4, 5, 9, 10, 16, 20, 25)] == [
        "Low",
        "Low",
        "Medium",
        "Medium",
        "High",
        "High",
        "Very high",
        "Very high",
    ]
    with pytest.raises(ValueError):
        band(26)


def test_a_likelihood_of_6_is_refused_on_the_field_and_by_the_database() -> None:
    with pytest.raises(ValidationError) as exc:
        f.risk(title="Six", likelihood_before=6)
    assert exc.value.message_dict["likelihood_before"] == ["Give a score from 1 to 5 (not 6)."]
    assert not Risk.objects.filter(title="Six").exists()
    risk = f.risk()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(impact_after=0)


def test_heat_map_counts() -> None:
    f.risk(likelihood_after=2, impact_after=3)
    f.risk(likelihood_after=2, impact_after=3)
    f.risk(likelihood_after=5, impact_after=5, likelihood_before=5, impact_before=5)
    closed = f.risk(likelihood_after=1, impact_after=1)
    Risk.objects.filter(pk=closed.pk).update(status="closed")
    after = rsel.heat_map()
    assert after.total == 3
    assert after.count(2, 3) == 2 and after.count(5, 5) == 1
    assert sum(c.count for row in after.rows for c in row) == 3
    assert after.rows[0][4].band == "Very high"  # top right: likelihood 5, impact 5
    before = rsel.heat_map(after_controls=False)
    assert before.count(4, 4) == 2 and before.count(5, 5) == 1
    assert [r.score_after for r in rsel.high_risks()] == [25]
    assert sel.manager_home_counts().high_risks == 1


def test_rescoring_keeps_the_history_and_links_actions() -> None:
    action = af.action()
    risk = f.risk(actions=[action])
    services.risk_rescore(
        actor=SystemActor.TEST,
        risk=risk,
        likelihood_before=4,
        impact_before=4,
        likelihood_after=4,
        impact_after=4,
        review_on=dt.date(2026, 9, 30),
        note="Grant not renewed",
    )
    history = [(r.score_after, r.note) for r in risk.ratings.all()]
    assert history[-1] == (16, "Grant not renewed") and len(history) == 2
    assert list(risk.actions.all()) == [action]


def test_review_reminders_go_to_owners() -> None:
    f.risk(title="Due soon", review_on=dt.date(2026, 6, 10))
    f.risk(title="Later", review_on=dt.date(2026, 12, 1))
    report = services.risks_send_review_reminders(today=dt.date(2026, 6, 1))
    assert report.sent == ["risk-owner"]
    assert "Due soon" in mail.outbox[0].body and "Later" not in mail.outbox[0].body


def test_register_page_and_review_errors(client_as: Any) -> None:
    risk = f.risk(title="Grant ends")
    viewer = client_as("viewer")
    page = viewer.get(reverse("governance:risks")).content.decode()
    assert "saferhub-heat__cell--medium" in page and "Grant ends" in page
    csv = viewer.get(
        reverse("governance:risks"), {"table": "heat-map", "format": "csv"}
    ).content.decode()
    assert len(csv.strip().splitlines()) == 26  # 25 cells and the heading
    response = client_as("finance").post(
        reverse("governance:risk_review", kwargs={"pk": risk.pk}),
        {
            "likelihood_before": "6",
            "impact_before": "4",
            "likelihood_after": "2",
            "impact_after": "3",
            "review_on": "2026-09-30",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
