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
