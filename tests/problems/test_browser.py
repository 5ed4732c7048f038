"""In a real browser (axe clean at every step): a manager takes a problem from the
assessment's hotspot table through OSARA to its closure at a tasking meeting, then draws
a new place for it on the edit page's map."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from typing import Any

import pytest

from tests.browser.helpers import CHROMIUM, assert_accessible, login, submit
from tests.problems import factories as f

PASSWORD = "Tasking-the-fifty-2025"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.usefixtures("taxonomy_back_afterwards"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Chromium is not installed"),
]


def test_hotspot_to_closure_at_tasking(
    derbyshire: Any,
    derby: dict[str, Any],
    browser_page: Any,
    live_server: Any,
    make_user: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from saferhub.geography.models import Area
    from saferhub.problems.models import Problem
    from tests.assessment.factories import make_version

    version = make_version(derby)
    plan = f.plan()
    make_user("manager", username="csp-manager", password=PASSWORD)
    allestree = Area.objects.get(level="ward", name="Allestree")
    derby_area = f.derby_area()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = browser_page
    login(page, live_server, "csp-manager", PASSWORD)

    page.goto(f"{live_server.url}/assessment/{version.pk}/")
    row = page.locator("#table-violence_hotspots tbody tr").nth(1)
    lsoa = row.locator("th").inner_text().strip()
    with page.expect_navigation():
        row.get_by_role("link", name="Create a problem").click()
    assert page.get_by_label("LSOA codes").input_value() == lsoa
    assert_accessible(page)
    submit(page, "Save")
    problem = Problem.objects.get()
    assert problem.lsoa_codes == [lsoa] and problem.origin == "hotspot"
    assert page.locator("#problem-map path.leaflet-interactive").count() == 1
    assert "gap in the source" not in page.locator("#problem-months").inner_text()
    assert_accessible(page)

    for link, label, text in (
        ("Objective", "Objective", "Reduce violence at the place by 20% in 12 months"),
        ("Scanning", "Sources scanned", "police.uk incidents; council CCTV logs"),
        ("Analysis", "Location", "Night-time economy; late bars close together"),
    ):
        page.get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state()
        page.get_by_label(label, exact=True).fill(text)
        assert_accessible(page)
        submit(page, "Save")
    page.get_by_role("link", name="Response", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Action plan").select_option(str(plan.pk))
    page.get_by_label("Action reference").fill("PS-1")
    page.get_by_label("What will be done").fill("Targeted patrols Friday and Saturday nights")
    page.get_by_label("Due date").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    assert_accessible(page)
    submit(page, "Save")
    page.get_by_role("link", name="Assessment", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Comparison area").select_option(str(allestree.pk))
    for label, month in (
        ("Before: first month", "2023-01"),
        ("Before: last month", "2023-12"),
        ("After: first month", "2024-01"),
        ("After: last month", "2024-12"),
    ):
        page.get_by_label(label).fill(month)
    page.get_by_label("Impact").select_option("not_reduced")
    page.get_by_label("Evidence").fill("No fall against the comparison ward.")
    assert_accessible(page)
    submit(page, "Save")
    problem.refresh_from_db()
    assert problem.assessment.treated_after > 0 and problem.actions.count() == 1
    assert page.get_by_text("Weighted displacement difference -", exact=False).first.is_visible()

    page.goto(f"{live_server.url}/problems/tasking/new/")
    page.get_by_label("Tasking group").fill("Tasking and Coordination Group")
    page.get_by_label("Date").fill("2025-01-15")
    page.get_by_label("Partnership area").select_option(str(derby_area.pk))
    assert_accessible(page)
    submit(page, "Save")
    closure = page.locator("h2:has-text('Problems proposed for closure') + ul")
    assert problem.title in closure.inner_text()
    assert_accessible(page)
    page.get_by_label("Problem", exact=True).select_option(str(problem.pk))
    page.get_by_label("Decision").select_option("close")
    submit(page, "Record the decision")
    problem.refresh_from_db()
    assert problem.status == "closed"
    assert problem.decisions.get().decision == "close"
    assert_accessible(page)

    # The edit page: draw the place on the map (corners around the map's centre, inside
    # the partnership's boundary it shows); the GeoJSON box is filled and checked on save.
    page.goto(f"{live_server.url}/problems/{problem.pk}/edit/")
    page.get_by_text("Draw the place on a map").click()
    board = page.locator("#place-draw-map")
    box = board.bounding_box()
    assert box is not None
    cx, cy = box["width"] / 2, box["height"] / 2
    for dx, dy in ((-12, -12), (12, -12), (12, 12), (-12, 12)):
        board.click(position={"x": cx + dx, "y": cy + dy})
    page.get_by_role("button", name="Finish the area").click()
    drawn = json.loads(page.get_by_label("Drawn area (GeoJSON polygon)").input_value())
    ring = drawn["coordinates"][0]
    assert drawn["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    assert page.get_by_label("The place is").input_value() == "polygon"
    assert_accessible(page)
    submit(page, "Save")
    problem.refresh_from_db()
    assert problem.place_type == "polygon" and json.loads(problem.polygon) == drawn
    assert page.locator("#problem-map path.leaflet-interactive").count() == 1
