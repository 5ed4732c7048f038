"""In a real browser: a lead officer signs in, updates an action and completes another
with its evaluation (Playwright, Chromium)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from typing import Any

import pytest

from saferhub.actions.models import Action, ActionUpdate
from tests.actions import factories as f

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Sanctuary-scheme-2010"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Chromium is not installed"),
]


def test_lead_officer_updates_and_completes_actions(
    live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect, sync_playwright

    lead = make_user("lead_officer", username="ned-lead", password=PASSWORD)
    plan = f.plan("NED action plan 2010/11")
    kits = f.action(
        plan,
        reference="SAC-2",
        description="At least 2500 homes issued with burglary kits",
        lead_officer=lead,
        target_quantity=Decimal(2500),
        target_unit="homes",
        due_date=dt.date.today() + dt.timedelta(days=5),
        success_indicator="Reduce serious acquisitive crimes from 813 to at least 796",
    )
    sanctuary = f.action(
        plan,
        reference="DA-1",
        description="Review and enhance Sanctuary Scheme by June 2010",
        lead_officer=lead,
        due_date=dt.date.today() - dt.timedelta(days=2),
    )
    today = dt.date.today().isoformat()
    # Playwright's sync API runs an event loop in this thread; the ORM is not used while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        # Sign in through the real sign-in page.
        page.goto(f"{live_server.url}/accounts/login/?next=/actions/mine/")
        page.get_by_label("Username").fill("ned-lead")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
        expect(page.get_by_role("table", name="Overdue")).to_contain_text("DA-1")
        expect(page.get_by_role("table", name="Due in the next 14 days")).to_contain_text("SAC-2")

        # Record progress on the burglary kits.
        page.get_by_role("link", name="SAC-2").click()
        page.get_by_role("link", name="Record progress").click()
        page.get_by_label("Date of the update").fill(today)
        page.get_by_label("Progress", exact=True).fill(
            "1,200 kits issued in Dronfield and Eckington"
        )
        page.get_by_label("Status").select_option("on_track")
        page.get_by_label("Progress towards the target").fill("1200")
        page.get_by_role("button", name="Save progress").click()
        expect(page.get_by_text("Progress on action SAC-2 recorded.")).to_be_visible()
        expect(page.locator("#progress")).to_contain_text("1,200 of 2,500 homes (48%)")
        expect(page.locator("#updates")).to_contain_text("1,200 kits issued in Dronfield")

        # Complete the Sanctuary Scheme review with its evaluation; first without evidence.
        page.goto(f"{live_server.url}/actions/{sanctuary.pk}/")
        page.get_by_role("link", name="Complete with evaluation").click()
        page.get_by_label("Date completed").fill(today)
        page.get_by_label("Was the outcome achieved?").select_option("yes")
        page.get_by_role("button", name="Complete the action").click()
        expect(page.get_by_role("alert")).to_contain_text("Give the evidence for the outcome")
        page.get_by_label("Evidence").fill("Scheme reviewed; 14 homes made safe")
        page.get_by_label("Strengths").fill("Quick referrals from Women's Aid")
        page.get_by_label("Weaknesses").fill("Waits for locksmiths")
        page.get_by_label("Good practice to share").fill("Joint visits with the police")
        page.get_by_role("button", name="Complete the action").click()
        expect(page.get_by_text("Action DA-1 completed and evaluated.")).to_be_visible()
        expect(page.locator("#evaluation")).to_contain_text("Quick referrals from Women's Aid")
        expect(page.locator("#evaluation")).to_contain_text("Joint visits with the police")
        expect(page.get_by_role("link", name="Record progress")).to_have_count(0)
        browser.close()
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")

    assert errors == []
    kits.refresh_from_db()
    sanctuary.refresh_from_db()
    assert kits.status == Action.Status.ON_TRACK and kits.progress_quantity == Decimal(1200)
    assert ActionUpdate.objects.filter(action=kits, created_by=lead).count() == 1
    assert sanctuary.status == Action.Status.COMPLETED
    assert sanctuary.evaluation.weaknesses == "Waits for locksmiths"
    assert sanctuary.evaluation.created_by == lead
