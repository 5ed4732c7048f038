"""Sign in, visit every top-level page, sign out, in a real browser; axe on every page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import assert_accessible, login, logout, submit

PASSWORD = "a-Long-browser-password-9"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIGNED_IN_PAGES = [
    ("/", "Home"),
    ("/assess/", "Assess"),
    ("/plan/", "Plan"),
    ("/deliver/", "Deliver"),
    ("/monitor/", "Monitor"),
    ("/accounts/profile/", "Your account"),
    ("/accounts/audit/", "Audit log"),
    ("/accessibility/", "Accessibility statement"),
    ("/privacy/", "Privacy notice"),
]


def _title_starts(page: Any, title: str) -> None:
    assert page.title().startswith(title), f"{page.url}: {page.title()!r}"


@pytest.mark.django_db(transaction=True)
def test_signed_out_pages(browser_page: Any, live_server: Any) -> None:
    page = browser_page
    for path, title in [
        ("/accounts/login/", "Sign in"),
        ("/accounts/password-reset/", "Reset your password"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
    ]:
        page.goto(live_server.url + path)
        _title_starts(page, title)
        assert_accessible(page)
    # The error summary on a failed sign-in is accessible too, and takes the focus.
    page.goto(live_server.url + "/accounts/login/")
    submit(page, "Sign in")
    _title_starts(page, "Error: Sign in")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_administrator_walks_every_top_level_page(
    browser_page: Any, live_server: Any, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page
    make_user("administrator", username="admin", password=PASSWORD)

    # Sign in through the real page, then set up two-factor with a real TOTP code.
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, "Sign in")
    assert "/accounts/two-factor/setup/" in page.url
    _title_starts(page, "Set up two-factor authentication")
    assert_accessible(page)
    # A wrong code first: the error summary, checked by axe as well.
    page.get_by_label("Security code").fill("000000")
    submit(page, "Continue")
    _title_starts(page, "Error: Set up two-factor authentication")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # after a wrong code, codes are refused for a second
    page.context.clear_cookies()
    key = login(page, live_server, "admin", PASSWORD)
    assert key
    assert page.url == live_server.url + "/"

    for path, title in SIGNED_IN_PAGES:
        page.goto(live_server.url + path)
        _title_starts(page, title)
        assert_accessible(page)
        if path == "/":
            shot = Path(os.environ.get("SAFERHUB_SCREENSHOT_DIR", tmp_path)) / "home.png"
            page.screenshot(path=str(shot), full_page=True)

    # Job pages: running (a live progress bar), finished, and failed with its message.
    from saferhub.accounts.models import User
    from saferhub.core.models import Job

    admin = User.objects.get(username="admin")
    jobs = {
        "running": Job.objects.create(
            kind="x",
            title="Import police.uk data",
            status=Job.Status.RUNNING,
            done=3,
            total=12,
            message="2023-03",
            created_by=admin,
        ),
        "succeeded": Job.objects.create(
            kind="x",
            title="Build the assessment",
            status=Job.Status.SUCCEEDED,
            result={"summary": "Assessment built."},
            created_by=admin,
        ),
        "failed": Job.objects.create(
            kind="x",
            title="Import partner data",
            status=Job.Status.FAILED,
            error="Row 7, column 'Month': '2024-13' is not a month.",
            created_by=admin,
        ),
    }
    for status, job in jobs.items():
        page.goto(f"{live_server.url}/jobs/{job.pk}/")
        _title_starts(page, job.title)
        assert_accessible(page)
        if status == "running":
            assert page.locator("progress").get_attribute("value") == "25"
            assert "Running: 25% 2023-03" in page.locator("[data-job-message]").inner_text()
        if status == "failed":
            assert "Row 7, column 'Month'" in page.locator(".govuk-error-summary").inner_text()

    # The stage navigation works and marks the current stage.
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Plan", exact=True).first.click()
    assert page.url.endswith("/plan/")
    assert page.locator('[aria-current="true"]').inner_text().strip() == "Plan"

    # A page that does not exist: the GOV.UK 404 page.
    response = page.goto(live_server.url + "/no-such-page/")
    assert response is not None and response.status == 404
    _title_starts(page, "Page not found")
    assert_accessible(page)

    # The skip link is the first thing a keyboard reaches, and it works.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"

    logout(page)
    _title_starts(page, "Sign in")
    assert_accessible(page)
    page.goto(live_server.url + "/accounts/profile/")
    assert "/accounts/login/" in page.url

    # Signing in again asks for the code of the device set up above.
    login(page, live_server, "admin", PASSWORD, totp_key=key)
    assert page.url == live_server.url + "/"


@pytest.mark.django_db(transaction=True)
def test_viewer_is_refused_the_audit_log_on_an_accessible_403_page(
    browser_page: Any, live_server: Any, make_user: Any
) -> None:
    page = browser_page
    make_user("viewer", username="board", password=PASSWORD)
    assert login(page, live_server, "board", PASSWORD) is None  # no two-factor for viewers
    assert page.get_by_role("link", name="Audit log").count() == 0
    response = page.goto(live_server.url + "/accounts/audit/")
    assert response is not None and response.status == 403
    _title_starts(page, "You do not have permission")
    assert_accessible(page)


def test_axe_finds_violations_so_the_checks_above_mean_something(browser_page: Any) -> None:
    from tests.browser.helpers import axe_violations

    page = browser_page
    page.set_content(
        "<!DOCTYPE html><html><head><title>Bad</title></head><body>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        '<p style="color:#777;background:#888">low contrast</p></body></html>'
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= ids
    with pytest.raises(AssertionError, match=r"(?s)violation\(s\).*image-alt"):
        assert_accessible(page)
