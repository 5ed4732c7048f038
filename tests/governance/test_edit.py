"""Edit pages and the API refuse the issue's bad input with a message on the field or row,
and save nothing in part: spend against a closed year, a profile that does not add up to
its total, a likelihood of 6, an output with no target, an unknown offence group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import AuditEvent
from saferhub.governance.models import ExpenditureLine, FundedProject, Risk, RiskRating
from saferhub.governance.services import year_set_status
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def _line_form(line: ExpenditureLine, **kw: str) -> dict[str, str]:
    return {
        "title": line.title,
        "kind": line.kind,
        "budget": "4000",
        "profile_q1": "1000",
        "profile_q2": "1000",
        "profile_q3": "1000",
        "profile_q4": "1000",
    } | kw


def test_a_budget_line_whose_quarters_do_not_add_up_is_refused(client_as: Any) -> None:
    line = f.expenditure(budget=Decimal("4000"))
    finance = client_as("finance")
    url = reverse("governance:expenditure_edit", kwargs={"pk": line.pk})
    assert finance.get(url).status_code == 200
    response = finance.post(url, _line_form(line, budget="5000"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The quarterly profile adds up to £4,000.00, not the budget of £5,000.00" in html
    assert ExpenditureLine.objects.get(pk=line.pk).budget == Decimal("4000")
    ok = finance.post(url, _line_form(line, title="Renamed line"))
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action="budget.expenditure_edit").count() == 1


def test_spend_against_a_closed_year_is_refused_on_the_page_and_the_api(client_as: Any) -> None:
    line = f.expenditure(budget=Decimal("4000"))
    year_set_status(actor=SystemActor.TEST, year=line.year, status="closed")
    manager = client_as("manager")
    spend = {"quarter": "1", "actual": "1000", "forecast_outturn": "4000"}
    page = manager.post(reverse("governance:spend", kwargs={"pk": line.pk}), spend)
    assert page.status_code == 400
    assert "is closed: it takes no more lines or spend" in page.content.decode()
    api = manager.post(f"/api/governance/lines/{line.pk}/spend/", spend)
    assert api.status_code == 400
    assert "is closed" in api.json()["actual"][0]
    edit = manager.post(
        reverse("governance:expenditure_edit", kwargs={"pk": line.pk}), _line_form(line)
    )
    assert edit.status_code == 400 and "is closed" in edit.content.decode()
    assert ExpenditureLine.objects.get(pk=line.pk).actual_q1 is None


def test_the_api_enters_spend_for_finance_and_the_board_only_reads(client_as: Any) -> None:
    line = f.expenditure(budget=Decimal("4000"))
    viewer = client_as("viewer")
    spend = {"quarter": 2, "actual": "900.50", "forecast_outturn": "4000"}
    assert viewer.post(f"/api/governance/lines/{line.pk}/spend/", spend).status_code == 403
    year = viewer.get(f"/api/governance/years/{line.year_id}/").json()
    assert year["expenditure_total"] == "4000.00"
    finance = client_as("finance")
    data = finance.post(f"/api/governance/lines/{line.pk}/spend/", spend).json()
    assert data["actual_q2"] == "900.50" and data["actual_q1"] is None


def test_a_likelihood_of_6_is_refused_and_no_rating_is_added(client_as: Any) -> None:
    risk = f.risk()
    ratings = RiskRating.objects.count()
    manager = client_as("manager")
    review = {
        "likelihood_before": "6",
        "impact_before": "3",
        "likelihood_after": "2",
        "impact_after": "2",
        "review_on": "2030-01-31",
    }
    page = manager.post(reverse("governance:risk_review", kwargs={"pk": risk.pk}), review)
    assert page.status_code == 400
    assert "Select a valid choice. 6 is not one of the available choices." in page.content.decode()
    api = manager.post(f"/api/governance/risks/{risk.pk}/review/", review)
    assert api.status_code == 400
    assert api.json()["likelihood_before"] == ["Give a score from 1 to 5 (not 6)."]
    assert RiskRating.objects.count() == ratings
    assert Risk.objects.get(pk=risk.pk).likelihood_before == 4


def test_a_risk_is_changed_and_closed_through_its_edit_page(client_as: Any) -> None:
    risk = f.risk(title="Grant ends in March")
    manager = client_as("manager")
    url = reverse("governance:risk_edit", kwargs={"pk": risk.pk})
    assert "Grant ends in March" in manager.get(url).content.decode()
    response = manager.post(
        url,
        {
            "title": "Grant ends in March",
            "cause": "Grant ends",
            "consequence": "Youth diversion stops",
            "owner": str(risk.owner_id),
            "status": "closed",
        },
    )
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).status == "closed"
    event = AuditEvent.objects.get(action="risk.edit")
    assert event.new_values["status"] == "closed"


def test_an_output_with_no_target_and_an_unknown_offence_group(client_as: Any) -> None:
    project = f.project()
    finance = client_as("finance")
    out = finance.post(
        reverse("governance:output_add", kwargs={"pk": project.pk}),
        {"description": "Homes issued with burglary kits", "unit": "homes", "target": ""},
    )
    assert out.status_code == 400
    assert "Give the output a target above zero" in out.content.decode()
    assert not project.outputs.exists()
    url = reverse("governance:project_edit", kwargs={"pk": project.pk})
    form = {
        "title": project.title,
        "kind": "project",
        "provider": project.provider,
        "funding": "23000",
        "starts_on": "2005-04-01",
        "ends_on": "2006-03-31",
        "unit_cost_table": "unit_costs_south_derbyshire_2002_03",
        "target_offence_groups": "Burglary dwelling\nBurglary of a shed",
    }
    bad = finance.post(url, form)
    assert bad.status_code == 400
    assert "Not an offence group of the unit-cost table: Burglary of a shed." in (
        bad.content.decode()
    )
    assert FundedProject.objects.get(pk=project.pk).target_offence_groups == ["Burglary dwelling"]
    assert (
        finance.post(
            url, form | {"target_offence_groups": "Burglary dwelling\nRobbery", "funding": "47000"}
        ).status_code
        == 302
    )
    changed = FundedProject.objects.get(pk=project.pk)
    assert changed.funding == Decimal("47000")
    assert changed.target_offence_groups == ["Burglary dwelling", "Robbery"]
