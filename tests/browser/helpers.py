"""Browser-test helpers for every app: a Chromium page, sign-in, and an axe-core check.

Use them in any app's browser tests (the fixtures are registered for the whole suite
in ``tests/conftest.py``)::

    import pytest
    from tests.browser.helpers import assert_accessible, login

    @pytest.mark.browser
    def test_my_page(browser_page, live_server, make_user):
        make_user("analyst", username="ana", password=PASSWORD)
        login(browser_page, live_server, "ana", PASSWORD)
        browser_page.goto(live_server.url + "/my/page/")
        assert_accessible(browser_page)

``login`` passes two-factor authentication with a real TOTP code: on first sign-in it
reads the key shown on the set-up page, and later it uses the key it returned.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE_PATH = REPO / "src" / "saferhub" / "static" / "vendor" / "axe" / "axe.min.js"
AXE_URL = "/static/vendor/axe/axe.min.js"
CHROMIUM = os.environ.get("SAFERHUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) per test module.

    Per module, not per session: Playwright's sync API runs an event loop in this thread
    while it is open, and tests that start their own ``sync_playwright()`` fail inside
    one; closing it at the end of each module keeps the order of modules from mattering.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (scripts/test installs it)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by
    # the test itself (creating users) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def taxonomy_back_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """For a module of transactional tests: such a test ends by emptying every table, so
    put the migrated taxonomy back for the tests that run after the module."""
    yield
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("saferhub.incidents.migrations.0002_default_taxonomy").load(
            apps, None
        )


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    """A fresh page (its own cookies) recording console errors, CSP violations, and
    failed loads of scripts, styles and images.

    ``page.console_errors`` lists them; ``assert_accessible`` fails on any.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.console_errors = errors  # type: ignore[attr-defined]

    def on_console(message: Any) -> None:
        # Failed loads are judged by on_response: a 403/404 page itself is not an error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    try:
        yield page
    finally:
        context.close()


_LAST_STEP: dict[str, int] = {}


def totp_code(key: str | bytes) -> str:
    """A 6-digit code for a TOTP key (base32 text as shown, or raw bytes).

    A code is accepted once (replay protection), so when this key's current code was
    already used, this gives the next time step's code, which the server's tolerance of
    one step accepts, instead of waiting up to 30 seconds.
    """
    import time

    from django_otp.oath import totp

    raw = base64.b32decode(key.replace(" ", "").upper()) if isinstance(key, str) else key
    name = raw.hex()
    step = int(time.time()) // 30
    drift = 1 if _LAST_STEP.get(name, -1) >= step else 0
    _LAST_STEP[name] = step + drift
    return f"{totp(raw, drift=drift):06d}"


def login(
    page: Any, live_server: Any, username: str, password: str, totp_key: str | None = None
) -> str | None:
    """Sign in through the real login page; pass two-factor if the role needs it.

    Returns the TOTP key (base32) used, to sign in again later with ``totp_key=``.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/two-factor/setup/" in page.url:
        totp_key = page.locator("[data-totp-key]").inner_text().replace(" ", "")
    elif "/accounts/two-factor/verify/" in page.url:
        if not totp_key:
            raise AssertionError(f"{username} must enter a security code: pass totp_key=")
    else:
        if "/accounts/login/" in page.url:
            raise AssertionError(f"Sign-in failed for {username}: {page.title()}")
        return totp_key
    page.get_by_label("Security code").fill(totp_code(totp_key))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    if "/accounts/two-factor/" in page.url:
        raise AssertionError(f"Two-factor failed for {username}: {page.title()}")
    return totp_key


def submit(page: Any, button: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def logout(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (the pinned npm package) on the page at WCAG 2.2 AA."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        origin = page.evaluate("() => window.location.origin")
        if origin.startswith("http"):
            # Loaded from the site itself, so the page's strict CSP (script-src 'self')
            # stays switched on while axe runs.
            page.add_script_tag(url=origin + AXE_URL)
        else:
            page.add_script_tag(path=str(AXE_PATH))
    result: dict[str, Any] = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    """Zero axe-core violations at WCAG 2.2 AA, and no console errors or CSP violations."""
    violations = axe_violations(page)
    assert not violations, _format_violations(page.url, violations)
    errors = getattr(page, "console_errors", [])
    assert not errors, f"Console errors on {page.url}: {errors}"
