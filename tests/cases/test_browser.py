"""In a real browser (axe clean): an ASB officer follows a case from opening to closure,
imports a Case Review exchange set and reads the four figures."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from saferhub.cases.services.asb import asb_case_close, asb_risk_assess
from tests.browser.helpers import assert_accessible, login, submit
from tests.cases import factories as f
from tests.cases.test_imports import APPLICATIONS, COMPLAINTS, REVIEWS

PASSWORD = "Community-trigger-2014"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_case_from_opening_to_closure_and_case_review(
    browser_page: Any, live_server: Any, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page
    officer = make_user("asb_officer", username="asb-one", password=PASSWORD)
    f.police()
    asb = f.asb_case(officer=officer, opened_on=dt.date.today() - dt.timedelta(days=30))
    f.victim(asb)
    login(page, live_server, "asb-one", PASSWORD)

    page.goto(f"{live_server.url}/cases/")
    assert_accessible(page)
    page.get_by_role("link", name=asb.case.reference).click()
    page.wait_for_load_state()
    assert "Alice Quenby-Marsh" in page.content() and "Open" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/mine/")
    assert asb.case.reference in page.content()  # the victim has had no update for 30 days
    assert_accessible(page)

    asb_risk_assess(actor=f.T, case=asb.case, assessed_on=dt.date.today(), answers={"repeat": True})
    asb_case_close(
        actor=f.T, case=asb.case, closed_on=dt.date.today(), reason="Resolved", victim_told=True
    )
    page.goto(f"{live_server.url}/cases/{asb.case.pk}/")
    assert "Closed" in page.content()
    assert_accessible(page)

    archive = tmp_path / "set.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("complaints.csv", COMPLAINTS)
        z.writestr("applications.csv", APPLICATIONS)
        z.writestr("reviews.csv", REVIEWS)
    archive.write_bytes(buffer.getvalue())
    page.goto(f"{live_server.url}/cases/case-reviews/import/")
    assert_accessible(page)
    page.get_by_label("Exchange set").set_input_files(str(archive))
    submit(page, "Import")
    assert "Import finished" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/case-reviews/figures/")
    page.get_by_label("Year (April to March)").fill("2024/25")
    submit(page, "Show the figures")
    assert "applications_received" in page.content()
    assert_accessible(page)
    page.get_by_label("Threshold (number of complaints)").fill("4")
    submit(page, "Show the figures")
    assert "cannot be above 3" in page.content()
    assert_accessible(page)
