"""In a real browser: every public page in English, Welsh and Urdu (right to left) passes
axe's WCAG 2.2 AA checks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_accessible
from tests.public.factories import make_plan, make_published_indicator
from tests.public.test_pages import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_every_public_page_is_accessible_in_each_language(
    browser_page: Any, live_server: Any
) -> None:
    make_plan()
    indicator = make_published_indicator()
    page = browser_page
    for prefix in ("", "/cy", "/ur"):
        for path in [*PAGES, f"performance/{indicator.pk}/"]:
            page.goto(f"{live_server.url}{prefix}/public/{path}")
            assert page.locator("html").get_attribute("lang") in {"en-gb", "cy", "ur"}
            assert_accessible(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
