"""The assessment page in a real browser: the maps draw, and axe finds no WCAG 2.2 AA failures."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.assessment.factories import make_version

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(settings.BASE_DIR) / "src" / "saferhub" / "static" / "vendor" / "axe" / "axe.min.js"

pytestmark = [
    pytest.mark.usefixtures("taxonomy_back_afterwards"),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="no Chromium or axe-core here"),
]


@pytest.mark.django_db(transaction=True)
def test_assessment_page_draws_maps_and_passes_axe(
    live_server: Any, client: Any, make_user: Any, derby_q4: dict[str, Any]
) -> None:
    from playwright.sync_api import sync_playwright

    version = make_version(derby_q4)
    client.force_login(make_user("viewer"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"{live_server.url}/assessment/{version.pk}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(bypass_csp=True)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        page.wait_for_selector("#map-all_crime .leaflet-interactive")
        drawn = page.locator("#map-all_crime path.leaflet-interactive").count()
        assert drawn == 152  # every Derby LSOA
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        browser.close()
    assert errors == []
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == []
