"""In a real browser (axe clean on every page): an ASB officer opens a case and works it
to closure through the pages; a member of the public applies for a Case Review on the
public form and the officer takes the application to a decision."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from saferhub.cases.models import CaseReviewApplication
from tests.browser.helpers import assert_accessible, login, submit
from tests.cases import factories as f

PASSWORD = "Community-trigger-2014"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_from_opening_to_closure_and_an_application_to_a_decision(
    browser_page: Any, live_server: Any, make_user: Any, settings: Any
) -> None:
    page = browser_page
    make_user("asb_officer", username="asb-two", password=PASSWORD)
    f.police()
    today = dt.date.today().isoformat()
    login(page, live_server, "asb-two", PASSWORD)

    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name="Open an ASB case").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Date opened").fill("")
    submit(page, "Open the case")  # no date: the error summary
    assert "There is a problem" in page.content()
    assert_accessible(page)
    page.get_by_label("Date opened").fill(today)
    page.get_by_label("Category").select_option("personal")
    page.get_by_label("Person-based or place-based").select_option("person")
    submit(page, "Open the case")
    assert "was opened" in page.content()
    assert_accessible(page)
    case_url = page.url

    page.get_by_role("link", name="Add parties").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Role").select_option("victim")
    page.get_by_label("Full name").fill("Fay Underhill")
    page.get_by_label("Date of birth").fill("1961-09-14")
    page.get_by_label("Lawful basis (UK GDPR article 6)").select_option("public_task")
    submit(page, "Add the party")
    assert "Fay Underhill" in page.content()

    page.get_by_role("link", name="Log incidents").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Date of the behaviour").fill(today)
    page.get_by_label("Date reported").fill(today)
    page.get_by_label("Reported to").select_option(label="Derbyshire Constabulary")
    submit(page, "Log the incident")
    assert "The incident was logged" in page.content()

    page.get_by_role("link", name="Assess the victim's risk").click()
    page.wait_for_load_state()
    assert_accessible(page)
    for question in (
        "Has this happened to you before?",
        "Do you feel you are being targeted personally?",
        "Do you think it is because of who you are (hate)?",
        "Do you feel afraid in your own home?",
        "Do you have a disability or long-term illness?",
        "Do you live alone or have no support nearby?",
    ):
        page.get_by_label(question).check()
    submit(page, "Save the assessment")
    assert "vulnerable-victim action plan" in page.content()

    page.get_by_role("link", name="Record interventions").click()
    page.wait_for_load_state()
    page.get_by_label("Intervention").select_option("dispersal")
    page.get_by_label("Date served").fill(today)
    submit(page, "Record the intervention")  # no expiry: over the 48-hour limit
    assert "at most 48 hours" in page.content()
    assert_accessible(page)
    page.get_by_label("Intervention").select_option("warning_letter")
    submit(page, "Record the intervention")
    assert "Warning letter" in page.content()

    page.get_by_role("link", name="Update the victim").click()
    page.wait_for_load_state()
    assert_accessible(page)
    submit(page, "Record the update")
    page.get_by_role("link", name="Close the case").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Reason for closing").fill("The behaviour stopped")
    page.get_by_label("The victim has been told the case is closing").check()
    page.get_by_label("The victim's satisfaction").select_option("5")
    submit(page, "Close the case")
    assert "The case was closed" in page.content() and "5 out of 5" in page.content()
    assert page.url == case_url
    assert_accessible(page)

    # The public applies (signed out: a fresh context has no session).
    settings.SAFERHUB_CASE_REVIEW_FORM_MIN_SECONDS = 1
    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}/public/asb-case-review/")
    assert_accessible(public)
    public.get_by_role("button", name="Apply for a case review").click()
    public.wait_for_load_state()
    assert_accessible(public)
    public.get_by_label("I am the victim").check()
    public.get_by_label("Your full name").fill("Fay Underhill")
    public.get_by_label("Email address").fill("fay@example.org")
    public.get_by_label("What has happened?").fill("Shouting and damage to my car since May.")
    time.sleep(1.5)
    submit(public, "Send the application")
    assert "Application received" in public.content()
    assert_accessible(public)
    application = CaseReviewApplication.objects.get()
    assert application.application_ref in public.content()
    public.close()

    f.complaints("V-FAY", [dt.date.today() - dt.timedelta(days=d) for d in (40, 20, 5)])
    page.goto(f"{live_server.url}/cases/case-reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=application.application_ref).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Change the victim's reference").click()
    page.wait_for_load_state()
    page.get_by_label("The victim's reference").fill("V-FAY")
    submit(page, "Match")
    page.get_by_role("link", name="Decide the application").click()
    page.wait_for_load_state()
    assert_accessible(page)
    submit(page, "Record the decision")
    assert "Threshold met" in page.content()
    assert_accessible(page)
