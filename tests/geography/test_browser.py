"""In a real browser, on the real geography: an analyst defines a neighbourhood and a CSP
area, with the error summary on the way; axe finds no WCAG 2.2 AA failures on any page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_accessible, login, submit

PASSWORD = "a-Long-browser-password-9"
pytestmark = [
    pytest.mark.usefixtures("taxonomy_back_afterwards"),
    pytest.mark.browser,
    pytest.mark.slow,
]


@pytest.mark.django_db(transaction=True)
def test_analyst_defines_areas_on_accessible_pages(
    geography: dict[str, int], browser_page: Any, live_server: Any, make_user: Any
) -> None:
    from saferhub.geography.models import Area, Lsoa

    page = browser_page
    make_user("analyst", username="ana", password=PASSWORD)
    login(page, live_server, "ana", PASSWORD)

    page.goto(live_server.url + "/areas/")
    page.get_by_role("link", name="Define and change CSP areas and neighbourhoods").click()
    page.wait_for_url("**/areas/defined/")
    assert page.title().startswith("CSP areas and neighbourhoods")
    assert page.get_by_role("link", name="Amber Valley", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Define a CSP area or neighbourhood").click()
    page.wait_for_url("**/areas/defined/new/")
    assert_accessible(page)
    # With no police.uk records held no wards or LSOAs are listed (a national geography
    # holds some 43,000); the analyst chooses the police force area to list.
    assert page.get_by_text("None listed yet").is_visible()
    assert page.locator("input[name=wards]").count() == 0
    page.get_by_label("Police force area whose wards and LSOAs are listed").select_option(
        label="Derbyshire"
    )
    submit(page, "List its wards and LSOAs")
    assert page.get_by_text("Listed now: Derbyshire.").is_visible()
    # Only that force area's are listed, all of them.
    derbyshire = Area.objects.get(level="force", name="Derbyshire").code
    force_wards = Lsoa.objects.filter(force_code=derbyshire).values("ward_code").distinct()
    assert 0 < page.locator("input[name=wards]").count() == force_wards.count()
    assert page.locator("input[name=wards]").count() < geography["wards"]
    assert_accessible(page)
    # Wards and LSOAs are grouped under their local authority, closed until opened.
    assert not page.get_by_label("Abbey (E05015507)").is_visible()

    # Nothing chosen: the error summary names each field, and takes the focus.
    submit(page, "Save")
    assert page.title().startswith("Error: Define a CSP area or neighbourhood")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    for text in ["Choose CSP area or neighbourhood.", "Enter a code.", "Enter a name."]:
        assert summary.get_by_role("link", name=text).is_visible()
    assert_accessible(page)

    # A neighbourhood of two Derby wards.
    page.get_by_label("Neighbourhood", exact=True).check()
    page.get_by_label("Code").fill("derby-centre")
    page.get_by_label("Name").fill("Derby centre")
    wards = page.get_by_role("group", name="Wards")
    wards.get_by_text("Derby: 18 wards").click()
    wards.get_by_label("Abbey (E05015507)").check()
    wards.get_by_label("Arboretum (E05015511)").check()
    assert_accessible(page)
    submit(page, "Save")
    assert page.url.endswith("/areas/defined/")
    assert (
        page.locator(".govuk-notification-banner")
        .get_by_text("Neighbourhood Derby centre (derby-centre) saved.")
        .is_visible()
    )
    assert_accessible(page)
    hood = Area.objects.get(level="neighbourhood", code="derby-centre")
    assert sorted(hood.members.values_list("code", flat=True)) == ["E05015507", "E05015511"]

    page.get_by_role("link", name="Derby centre", exact=True).click()
    page.wait_for_url("**/areas/neighbourhood/derby-centre/")
    assert page.get_by_text("2 wards").is_visible()
    assert_accessible(page)

    # A CSP area of LSOAs: saved, and its incidents are placed again in the background.
    page.goto(live_server.url + "/areas/defined/new/?level=csp&force=" + derbyshire)
    page.get_by_label("Code").fill("derby-abbey")
    page.get_by_label("Name").fill("Derby Abbey")
    lsoas = page.get_by_role("group", name="LSOAs")
    lsoas.get_by_text("Derby: 152 LSOAs").click()
    lsoas.get_by_label("Derby 013A (E01013453)").check()
    submit(page, "Save")
    banner = page.locator(".govuk-notification-banner")
    assert banner.get_by_text("CSP area Derby Abbey (derby-abbey) saved.").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        banner.get_by_role("link", name="follow the progress").click()
    assert "/jobs/" in page.url
    assert page.get_by_role("heading", name="Finished").is_visible()
    assert_accessible(page)
