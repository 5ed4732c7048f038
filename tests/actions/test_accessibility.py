"""The action pages in a real browser, checked with axe-core against WCAG 2.2 AA."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.actions import factories as f
from tests.actions.test_browser import ARGS, CHROMIUM

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Action-plan-2010/11"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci in frontend)"),
]


def test_action_pages_have_no_wcag_violations(
    live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    lead = make_user("lead_officer", username="axe-lead", password=PASSWORD)
    plan = f.plan("NED action plan 2010/11")
    team = f.team("Domestic Burglary", lead_officer=lead)
    action = f.action(
        plan,
        team=team,
        reference="SAC-2",
        lead_officer=lead,
        priority="Reducing Serious Acquisitive Crime",
        target_quantity=Decimal(2500),
        target_unit="homes",
        due_date=dt.date.today() + dt.timedelta(days=3),
    )
    meeting = f.meeting(team, held_on=dt.date.today())
    pages = [
        "/actions/",
        "/actions/mine/",
        f"/actions/{action.pk}/",
        f"/actions/{action.pk}/update/",
        f"/actions/{action.pk}/complete/",
        "/actions/plans/",
        f"/actions/plans/{plan.pk}/",
        "/actions/teams/",
        f"/actions/teams/{team.pk}/",
        f"/actions/meetings/{meeting.pk}/",
    ]
    axe = AXE.read_text()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("axe-lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")

        def check(url: str) -> None:
            page.evaluate(axe)
            result = page.evaluate(
                "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
            )
            if result:
                problems[url] = result

        for url in pages:
            page.goto(f"{live_server.url}{url}")
            check(url)
        # A form showing its errors.
        page.goto(f"{live_server.url}/actions/{action.pk}/update/")
        page.get_by_label("Progress", exact=True).fill("")
        page.get_by_role("button", name="Save progress").click()
        check("update form with errors")
        browser.close()
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")
    assert problems == {}
