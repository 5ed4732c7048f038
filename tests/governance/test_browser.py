"""In a real browser: a manager enters a quarter's spend and downloads the Board pack."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.helpers import assert_accessible, login, submit
from tests.governance import factories as f

PASSWORD = "Burglary-kits-2005"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_enters_spend_and_downloads_the_board_pack(
    browser_page: Any, live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_user("manager", username="csp-manager", password=PASSWORD)
    year = f.derby_2005_06()
    page = browser_page
    login(page, live_server, "csp-manager", PASSWORD)
    page.goto(f"{live_server.url}/governance/budget/{year.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Enter spend for Neighbourhood projects").click()
    assert_accessible(page)
    page.get_by_label("Quarter", exact=True).select_option("1")
    page.get_by_label("Actual spend this quarter (£)").fill("100000")
    page.get_by_label("Forecast outturn for the year (£)").fill("550000")
    submit(page, "Save the spend")
    # The variance needs its reason: the message is on the field.
    assert "give the reason" in page.content()
    assert_accessible(page)
    page.get_by_label("Reason for any variance").fill("Two projects started late")
    submit(page, "Save the spend")
    assert "Two projects started late" in page.content()
    page.goto(f"{live_server.url}/governance/board-pack/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Board pack (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Two projects started late" in text


def test_manager_sets_up_a_board_meeting_and_downloads_its_pack(
    browser_page: Any, live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a quarter's spend to the Board meeting's agenda, minutes and pack, and the
    end-of-year report, consultation and survey pages: every page axe clean."""
    from decimal import Decimal

    from saferhub.accounts.actors import SystemActor
    from saferhub.governance.services import quarter_spend_record

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_user("manager", username="csp-manager", password=PASSWORD)
    year = f.derby_2005_06()
    quarter_spend_record(
        actor=SystemActor.TEST,
        line=year.expenditure_lines.get(title="Neighbourhood projects"),
        quarter=1,
        actual=Decimal("100000"),
        forecast_outturn=Decimal("550000"),
        variance_reason="Two projects started late",
    )
    f.consultation()
    page = browser_page
    login(page, live_server, "csp-manager", PASSWORD)
    page.goto(f"{live_server.url}/governance/board/")
    assert_accessible(page)
    page.get_by_role("link", name="Add the Board or a sub-group").click()
    page.get_by_label("Name").fill("Safer City Board")
    submit(page, "Add the group")
    assert_accessible(page)
    page.get_by_label("Name").fill("Chair of the partnership")
    page.get_by_label("Organisation").fill("City Council")
    page.get_by_label("Joined on").fill("2024-04-01")
    submit(page, "Add the member")
    assert "Chair of the partnership" in page.content()
    page.get_by_role("link", name="Set up a meeting").click()
    assert_accessible(page)
    page.get_by_label("Meeting date").fill("2026-01-20")
    page.get_by_label("Quarter").fill("2025-Q4")
    submit(page, "Set up the meeting and its agenda")
    assert "Neighbourhood projects: forecast £50,000.00 under budget" in page.content()
    assert_accessible(page)
    page.get_by_label("Minutes").fill("The Board noted the variance.")
    submit(page, "Save the minutes")
    assert "The Board noted the variance." in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Board pack for 2025-Q4 (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Board pack: 2025-Q4" in text and "Two projects started late" in text
    for path in (
        "end-of-year/",
        "consultation/",
        "consultation/new/",
        "surveys/",
        "surveys/import/",
    ):
        page.goto(f"{live_server.url}/governance/{path}")
        assert_accessible(page)
