"""The home page shows each role its own tiles, and no tile a role may not see."""

from __future__ import annotations

import re
from typing import Any

import pytest

from saferhub.accounts.roles import ROLES
from tests.conftest import verified_client
from tests.performance.factories import make_survey_indicator

pytestmark = pytest.mark.django_db

EXPECTED = {
    "viewer": {"scorecard_summary"},
    "lead_officer": {"my_actions_overdue", "my_actions_due_soon"},
    "analyst": {"latest_month", "imports_with_problems", "indicators_signals"},
    "manager": {
        "indicators_off_track",
        "indicators_at_risk",
        "actions_overdue",
        "high_risks",
        "budget_variance",
    },
    "finance": {"high_risks", "budget_variance"},
    "administrator": {
        "indicators_off_track",
        "indicators_at_risk",
        "actions_overdue",
        "latest_month",
        "imports_with_problems",
        "high_risks",
        "budget_variance",
    },
    "asb_officer": {
        "cases_reviews_due",
        "cases_victims_not_updated",
        "cases_case_review_decisions",
    },
    "idva": set(),
    "iom_officer": set(),
    "prevent_lead": set(),
}


def test_every_role_is_listed() -> None:
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_home_tiles_for_role(client: Any, make_user: Any, role: str) -> None:
    make_survey_indicator()
    html = verified_client(client, make_user(role)).get("/").content.decode()
    shown = set(re.findall(r'id="tile-([a-z_]+)"', html))
    assert shown == EXPECTED[role]


def test_tiles_say_what_they_count_and_link(client: Any, make_user: Any) -> None:
    make_survey_indicator()
    html = verified_client(client, make_user("viewer")).get("/").content.decode()
    assert "0 of 1" in html  # a survey indicator with no value yet is not on track
    assert 'href="/performance/scorecard/"' in html
    html = verified_client(client, make_user("analyst")).get("/").content.decode()
    assert "No data imported yet" in html and "The latest month of data imported" in html
