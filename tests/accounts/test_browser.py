"""In a real browser: an administrator (signed in with a real TOTP code) manages users,
and every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

from typing import Any

import pytest

from saferhub.accounts.models import User
from saferhub.accounts.roles import ROLES, role_of
from tests.browser.helpers import assert_accessible, login, submit

PASSWORD = "a-Long-browser-password-9"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_administrator_manages_users(browser_page: Any, live_server: Any, make_user: Any) -> None:
    page = browser_page
    make_user("administrator", username="admin", password=PASSWORD)
    make_user("viewer", username="board", first_name="Bea", last_name="Board")
    assert login(page, live_server, "admin", PASSWORD)  # two-factor set up with a real code

    # From the menu to the list of users.
    with page.expect_navigation():
        page.get_by_role("link", name="Users", exact=True).click()
    assert page.title().startswith("Users")
    assert page.locator("#users tbody tr").count() == 2
    assert_accessible(page)

    # The search box narrows the list.
    page.get_by_label("Name, user name or email").fill("Bea")
    submit(page, "Search")
    assert page.locator("#users tbody tr").count() == 1
    assert_accessible(page)

    # A user's page, and a change of role through its form.
    with page.expect_navigation():
        page.get_by_role("link", name="Bea Board").click()
    assert page.title().startswith("Bea Board")
    assert_accessible(page)
    page.get_by_label("Role").select_option(label="Analyst")
    submit(page, "Change role")
    assert "Bea Board is now Analyst." in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert role_of(User.objects.get(username="board")) == ROLES["analyst"]

    # The add form, sent empty: the error summary, checked by axe as well.
    page.goto(live_server.url + "/accounts/users/add/")
    assert page.title().startswith("Add a user")
    assert_accessible(page)
    submit(page, "Add the user")
    assert page.title().startswith("Error: Add a user")
    assert "Enter a user name" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
