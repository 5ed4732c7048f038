"""In a real browser (axe clean): an IDVA takes a DASH checklist to a MARAC referral, puts
the case on a meeting's agenda, sets an action and completes it, records their agency's
research, allocates the IDVA, hides the victim's address and opens the members page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhub.cases.models import Case, MaracAction, MaracCase
from tests.browser.helpers import assert_accessible, login, logout, submit

PASSWORD = "High-risk-domestic-abuse-24"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dash_checklist_to_referral_meeting_and_completed_action(
    browser_page: Any, live_server: Any, make_user: Any
) -> None:
    page = browser_page
    make_user("idva", username="idva-one", password=PASSWORD)
    login(page, live_server, "idva-one", PASSWORD)
    today = dt.date.today().isoformat()

    page.goto(f"{live_server.url}/cases/marac/dash/new/")
    assert_accessible(page)
    submit(page, "Save the checklist")
    assert "Question 7 (Conflict over child contact): answer yes, no or not known" in (
        page.content()
    )
    assert_accessible(page)

    page.get_by_label("Checklist reference").fill("DASH-001")
    page.get_by_label("Victim reference").fill("V-100")
    page.get_by_label("Perpetrator reference").fill("P-200")
    page.get_by_label("Date completed").fill(today)
    for n in range(1, 25):
        page.check(f"#id_q{n}_{0 if n <= 15 else 1}")  # 15 yes, 9 no
    page.get_by_label("Comment on question 15").fill("Said he would kill her if she left")
    submit(page, "Save the checklist")
    content = page.content()
    assert "DASH-001" in content and "15 of 24 answered yes" in content
    assert "Indicated: visible high risk" in content
    assert_accessible(page)

    page.get_by_label("Children in the household").fill("2")
    submit(page, "Refer to the MARAC")
    assert "MARAC case MARAC-" in page.content() and "V-100" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/marac/meetings/")
    assert_accessible(page)
    page.get_by_label("First meeting").fill(today)
    page.get_by_label("How often").select_option("fortnightly")
    page.get_by_label("Number of meetings").fill("2")
    submit(page, "Schedule")
    assert_accessible(page)
    page.locator("#id_add-case").select_option(index=1)
    submit(page, "Add to the agenda")
    assert "1. Repeat cases and cases with children" in page.content()
    assert page.locator("table").first.get_by_text("MARAC-").count() == 1  # children: first
    assert_accessible(page)

    page.locator("#id_action-case").select_option(index=1)
    page.locator("#id_action-agency").select_option(index=1)
    page.get_by_label("Action").fill("Fit a secure door to the flat")
    submit(page, "Add the action")
    assert "Fit a secure door to the flat" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Fit a secure door to the flat").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Date completed").fill(today)
    submit(page, "Save the status")
    assert "Completed" in page.content()
    assert MaracAction.objects.get().status == "done"
    assert_accessible(page)

    page.get_by_role("link", name="Your agency's research on this case").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    submit(page, "Save the research")
    assert "Write what your agency holds (the facts)." in page.content()
    assert_accessible(page)
    page.get_by_label("What your agency holds (facts)").fill("Two call-outs in July")
    page.get_by_label("Your agency's opinion").fill("Risk is rising")
    submit(page, "Save the research")
    assert "Fact: Two call-outs in July" in page.content()

    page.get_by_role("link", name="Add a member").click()
    page.wait_for_load_state()
    assert_accessible(page)

    case = Case.objects.get(case_type="marac")
    page.goto(f"{live_server.url}/cases/marac/cases/{case.pk}/")
    page.get_by_role("link", name="Allocate the IDVA").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_idva").select_option(index=1)
    submit(page, "Allocate")
    page.get_by_role("link", name="Who may see it").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.check("#id_restricted")
    submit(page, "Save who may see it")
    assert "Name at least one user who may see the address." in page.content()
    assert_accessible(page)
    page.check("#id_users")
    submit(page, "Save who may see it")
    assert "Hidden from everyone but the users named." in page.content()
    assert MaracCase.objects.get(case=case).address_restricted
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/marac/actions/")
    assert "Fit a secure door to the flat" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cases/marac/return/?quarter={dt.date.today():%Y}-Q1")
    assert "cases_discussed" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cases/marac/")
    assert_accessible(page)


def test_iom_cohort_and_channel_pages_are_accessible(
    browser_page: Any, live_server: Any, make_user: Any
) -> None:
    from tests.cases.iom_channel.access_cases import _channel_case, _cohort_with_a_member

    page = browser_page
    make_user("iom_officer", username="iom-one", password=PASSWORD)
    cohort, member = _cohort_with_a_member()
    login(page, live_server, "iom-one", PASSWORD)
    for path in ["/cases/iom/", f"/cases/iom/members/{member}/", f"/cases/iom/cohorts/{cohort}/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    assert "regression to the mean" in page.content() and "OFF1" in page.content()
    # A step page refused on its field (the error summary), then saved.
    page.goto(f"{live_server.url}/cases/iom/members/{member}/deselect/")
    assert_accessible(page)
    submit(page, "De-select")
    assert "Write why this person leaves the cohort" in page.content()
    assert_accessible(page)
    page.get_by_label("Why this person leaves the cohort").fill("Moved away")
    submit(page, "De-select")
    assert "The person was de-selected." in page.content()
    logout(page)

    make_user("prevent_lead", username="prevent-one", password=PASSWORD)
    case = _channel_case(True)["pk"]
    login(page, live_server, "prevent-one", PASSWORD)
    for path in ["/cases/channel/", f"/cases/channel/{case}/"]:
        page.goto(f"{live_server.url}{path}")
        assert "Concern" in page.content() or path == "/cases/channel/"
        assert_accessible(page)
    # The support plan without consent: refused on the consent fields (radios included).
    page.goto(f"{live_server.url}/cases/channel/{case}/support-plan/")
    submit(page, "Record the plan")
    assert "Channel support is voluntary" in page.content()
    assert_accessible(page)
