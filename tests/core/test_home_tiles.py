"""The home page shows each role its own tiles, and no tile a role may not see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from saferhub.accounts.roles import ROLES
from tests.conftest import verified_client
from tests.performance.factories import make_survey_indicator

pytestmark = pytest.mark.django_db

EXPECTED = {
    "viewer": {"scorecard_summary"},
    "lead_officer": {"my_actions_overdue", "my_actions_due_soon", "my_problems_due"},
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
        "cases_yours_open",
        "cases_reviews_due",
        "cases_victims_not_updated",
        "cases_case_review_decisions",
    },
    "idva": {"cases_yours_open"},
    "iom_officer": {"cases_yours_open"},
    "prevent_lead": {"cases_yours_open"},
}


def test_every_role_is_listed() -> None:
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_home_tiles_for_role(client: Any, make_user: Any, role: str) -> None:
    """The role's tiles, and nothing it may not see: every tile's link opens for it."""
    make_survey_indicator()
    signed_in = verified_client(client, make_user(role))
    html = signed_in.get("/").content.decode()
    shown = set(re.findall(r'id="tile-([a-z_]+)"', html))
    assert shown == EXPECTED[role]
    by_key = {t.key: t for t in _tiles()}
    for key in shown:
        tile = by_key[key]
        assert escape(tile.counts) in html  # each says what it counts
        url = reverse(tile.url_name)
        assert f'href="{url}"' in html
        assert signed_in.get(url).status_code == 200, (role, key, url)


def _tiles() -> list[Any]:
    from saferhub.core.home import _TILES

    return list(_TILES.values())


def test_every_tile_is_shown_to_some_role() -> None:
    assert {t.key for t in _tiles()} == set().union(*EXPECTED.values())


def test_lead_officer_sees_their_problems_due_for_review(client: Any, make_user: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from tests.problems.factories import problem, tiny_geography

    tiny_geography()
    officer = make_user("lead_officer")
    today = timezone.localdate()
    for days, lead in ((-3, officer), (10, officer), (40, officer), (-3, None)):
        problem(lsoa="E01013480", lead_officer=lead, review_on=today + dt.timedelta(days=days))
    html = verified_client(client, officer).get("/").content.decode()
    tile = html[html.index('id="tile-my_problems_due"') :]
    # Overdue and due within 14 days count; later, or someone else's, do not.
    assert re.search(r">\s*2\s*<", tile[: tile.index("</div>")]), tile[:400]


def test_tiles_say_what_they_count_and_link(client: Any, make_user: Any) -> None:
    make_survey_indicator()
    html = verified_client(client, make_user("viewer")).get("/").content.decode()
    assert "0 of 1" in html  # a survey indicator with no value yet is not on track
    assert 'href="/performance/scorecard/"' in html
    html = verified_client(client, make_user("analyst")).get("/").content.decode()
    assert "No data imported yet" in html and "The latest month of data imported" in html
