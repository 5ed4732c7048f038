"""Pages, API and command: thin callers of the same services."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from saferhub.accounts.models import AuditEvent
from saferhub.performance.models import Indicator, Measurement, Priority
from tests.performance.factories import make_priority, make_survey_indicator

pytestmark = pytest.mark.django_db


def _indicator_post(priority: Priority, **overrides: Any) -> dict[str, Any]:
    data = {
        "priority": priority.pk,
        "code": "NI 16",
        "title": "Serious acquisitive crime",
        "kind": "partner_reported",
        "unit": "offences",
        "rate_per": "1000",
        "direction": "lower",
        "baseline_period": "2007/08",
        "baseline_value": "8800",
        "target_kind": "percent_change",
        "target_value": "-3",
        "target_period": "2010/11",
        "milestone_frequency": "annual",
    }
    data.update(overrides)
    return data


def test_manager_creates_a_priority_and_an_indicator(client_as: Any) -> None:
    client = client_as("manager")
    response = client.post(
        "/performance/priorities/new/",
        {
            "title": "Integration and community cohesion",
            "matters_because": "Derby is a diverse city.\nSome people wish to divide it.",
            "hope_together": "Prevent people from being radicalised.",
            "together_we_will": "Run a Channel panel every month.",
            "objectives": "Prevent radicalisation\nTackle hate crime",
            "order": "1",
        },
    )
    assert response.status_code == 302
    priority = Priority.objects.get(title="Integration and community cohesion")
    page = client.get(f"/performance/priorities/{priority.pk}/").content.decode()
    assert "It matters because" in page and "<li>Some people wish to divide it.</li>" in page
    assert "<li>Tackle hate crime</li>" in page
    edit = client.get(f"/performance/priorities/{priority.pk}/edit/").content.decode()
    assert "Prevent radicalisation\nTackle hate crime" in edit
    client.post(
        f"/performance/priorities/{priority.pk}/edit/",
        {"title": priority.title, "objectives": "Tackle hate crime", "order": "1"},
    )
    assert [o.title for o in priority.objectives.filter(archived_at=None)] == ["Tackle hate crime"]
    assert priority.objectives.filter(archived_at__isnull=False).count() == 1
    response = client.post("/performance/indicators/new/", _indicator_post(priority))
    assert response.status_code == 302, response.content.decode()[:2000]
    ind = Indicator.objects.get(code="NI 16")
    page = client.get(f"/performance/indicators/{ind.pk}/").content.decode()
    for figure in ("8,712", "8,624", "8,536"):
        assert figure in page
    assert "Not yet measurable" in page and "<svg" in page
    assert AuditEvent.objects.filter(action="priority.create").exists()


def test_indicator_form_shows_each_problem_beside_its_field(client_as: Any) -> None:
    before = Indicator.objects.count()
    client = client_as("manager")
    priority = make_priority()
    response = client.post(
        "/performance/indicators/new/",
        _indicator_post(priority, target_value="5", target_period="2010/12"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_target_period"' in page and "write it as 2010/11" in page
    response = client.post(
        "/performance/indicators/new/", _indicator_post(priority, target_value="5")
    )
    page = response.content.decode()
    assert 'href="#id_target_value"' in page and "Lower is better" in page
    response = client.post(
        "/performance/indicators/new/",
        _indicator_post(
            priority,
            kind="survey_percentage",
            unit="%",
            direction="higher",
            baseline_value="60",
            target_kind="absolute",
            target_value="140",
        ),
    )
    assert "between 0 and 100" in response.content.decode()
    assert Indicator.objects.count() == before


def test_lead_officer_enters_a_value_on_the_page(client_as: Any) -> None:
    ind = make_survey_indicator()
    client = client_as("lead_officer")
    response = client.post(
        f"/performance/indicators/{ind.pk}/values/new/",
        {"period": "2024/25", "value": "140", "evidence": "survey"},
    )
    assert response.status_code == 400 and "between 0 and 100" in response.content.decode()
    response = client.post(
        f"/performance/indicators/{ind.pk}/values/new/",
        {"period": "2024/25", "value": "62", "evidence": "Residents' survey wave 3"},
    )
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=ind)
    assert m.value == Decimal(62) and m.created_by.username == "user-lead_officer"


def test_api_lists_judgements_and_takes_values(client_as: Any) -> None:
    ind = make_survey_indicator()
    client = client_as("lead_officer")
    response = client.post(
        f"/api/performance/indicators/{ind.pk}/measurements/",
        data=json.dumps({"period": "2024-13", "value": "61", "evidence": "x"}),
        content_type="application/json",
    )
    assert (
        response.status_code == 400 and "months run from 01 to 12" in response.json()["period"][0]
    )
    response = client.post(
        f"/api/performance/indicators/{ind.pk}/measurements/",
        data=json.dumps({"period": "2024/25", "value": "61", "evidence": "survey"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    [row] = [r for r in client.get("/api/performance/indicators/").json() if r["id"] == ind.pk]
    assert row["value"] == 61 and row["status"] in {"on_track", "at_risk", "off_track"}
    assert row["status_rule"].startswith(row["status_label"])
    assert [m["period"] for m in row["milestones"]] == ["2024/25", "2025/26"]


def test_api_priorities_from_recommendations(client_as: Any) -> None:
    client = client_as("manager")
    response = client.post(
        "/api/performance/priorities/from-recommendations/",
        data=json.dumps(
            {
                "recommendations": [
                    {"theme": "knife-crime", "title": "Reduce knife crime", "reason": "r"}
                ]
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["created"][0]["title"] == "Reduce knife crime"


def test_refresh_command(capsys: Any) -> None:
    call_command("performance", "refresh")
    out = capsys.readouterr().out
    assert "data-driven indicators: 0 values changed" in out  # nothing new since the last run


def test_board_report_refuses_a_quarter_that_does_not_exist(client_as: Any) -> None:
    make_survey_indicator()
    page = client_as("viewer").get("/performance/board-report/?quarter=2024-Q7")
    text = page.content.decode()
    assert page.status_code == 200 and "quarters run from Q1 to Q4" in text
    assert "There is a problem" in text


def test_manager_sets_a_milestone_on_the_page(client_as: Any) -> None:
    ind = make_survey_indicator()  # 2023/24 -> 2025/26
    client = client_as("manager")
    url = f"/performance/indicators/{ind.pk}/milestones/new/"
    response = client.post(url, {"period": "2030/31", "value": "64"})
    assert (
        response.status_code == 400
        and "no later than the target period" in response.content.decode()
    )
    response = client.post(url, {"period": "2024/25", "value": "64"})
    assert response.status_code == 302
    page = client.get(f"/performance/indicators/{ind.pk}/").content.decode()
    assert "Set by the partnership" in page


def test_refresh_from_the_page_runs_as_a_job(
    client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from saferhub.core.models import Job

    client = client_as("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/performance/refresh/")
    job = Job.objects.get(kind="performance.refresh")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and "changed" in job.result
