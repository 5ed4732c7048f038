"""In a real browser: every public page in English, Welsh and Urdu (right to left) passes
axe's WCAG 2.2 AA checks, with the crime map and an indicator's chart drawn."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_accessible
from tests.public.factories import make_plan
from tests.public.test_crime import area  # noqa: F401 (the wards with counts and boundaries)
from tests.public.test_pages import PAGES, measured  # noqa: F401 (an indicator with values)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_every_public_page_is_accessible_in_each_language(
    browser_page: Any,
    live_server: Any,
    area: Any,  # noqa: F811
    measured: Any,  # noqa: F811
) -> None:
    make_plan()
    page = browser_page
    for prefix in ("", "/cy", "/ur"):
        for path in [*PAGES, f"performance/{measured.pk}/", "performance/999999/"]:
            page.goto(f"{live_server.url}{prefix}/public/{path}")
            assert page.locator("html").get_attribute("lang") in {"en-gb", "cy", "ur"}
            assert_accessible(page)
        # The map and the chart are drawn (as SVG, with no script) and fit the page.
        page.goto(f"{live_server.url}{prefix}/public/crime/")
        assert page.locator("svg.saferhub-public-map path").count() == 2
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], "the page scrolls sideways"
        page.goto(f"{live_server.url}{prefix}/public/performance/{measured.pk}/")
        assert page.locator("figure svg[role=img]").count() == 1
    assert page.locator("html").get_attribute("dir") == "rtl"


@pytest.mark.django_db(transaction=True)
def test_the_crime_map_needs_no_javascript(
    browser: Any,
    live_server: Any,
    area: Any,  # noqa: F811
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/cy/public/crime/")
        assert page.locator("svg.saferhub-public-map path").count() == 2
        assert page.locator("table.govuk-table").count() >= 1
        assert "fesul ward" in page.locator("caption").first.inner_text()
    finally:
        context.close()
