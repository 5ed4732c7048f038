"""Saving, comparing, the command, the job, the pages and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from saferhub.accounts.models import AuditEvent
from saferhub.assessment.build import content_hash
from saferhub.assessment.models import AssessmentVersion
from saferhub.assessment.selectors import version_compare
from saferhub.assessment.services import assessment_run
from saferhub.core.jobs import job_run
from saferhub.core.models import Job
from tests.assessment.factories import empty_assessment, make_version


@pytest.mark.django_db
def test_a_run_is_saved_audited_and_reproduces(make_user: Any, derby_q4: dict[str, Any]) -> None:
    analyst = make_user("analyst")
    version = assessment_run(
        actor=analyst, area="E06000015", first_month="2024-10", last_month="2024-12"
    )
    assert version.created_by == analyst
    assert (version.area_code, version.period_from, version.period_to) == (
        "E06000015",
        "2024-10",
        "2024-12",
    )
    assert version.content_hash == content_hash(version.data) == content_hash(derby_q4)
    assert len(version.sources) >= 24
    assert AuditEvent.objects.filter(action="assessment.run", object_id=str(version.pk)).exists()
    again = assessment_run(actor=analyst, area="Derby", first_month="2024-10", last_month="2024-12")
    assert version_compare(version.data, again.data) == []


def test_compare_lists_changed_figures(derby: dict[str, Any], derby_q4: dict[str, Any]) -> None:
    changes = version_compare(derby, derby_q4)
    assert {
        "table": "period",
        "row": "from",
        "column": "",
        "old": "2024-01",
        "new": "2024-10",
    } in changes
    volumes = [c for c in changes if c["table"] == "Volumes and rates by theme, this period"]
    all_crime = next(c for c in volumes if c["row"] == "All crime" and c["column"] == "Count")
    assert all_crime["old"] == derby["themes"][0]["volume"]["after"]
    assert all_crime["new"] == derby_q4["themes"][0]["volume"]["after"]


@pytest.mark.django_db
def test_the_command_writes_each_format(tmp_path: Path) -> None:
    out = tmp_path / "derby.html"
    call_command(
        "assess",
        area="E06000015",
        first_month="2024-12",
        last_month="2024-12",
        fmt=["html", "xlsx", "figures"],
        output=str(out),
        verbosity=0,
    )
    assert "Derby: December 2024 to December 2024" in out.read_text(encoding="utf-8")
    assert (tmp_path / "derby.xlsx").read_bytes()[:2] == b"PK"
    header = (tmp_path / "derby.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "area_code,area_name,theme,measure,period,value,lower,upper,unit,method,source"
    assert AssessmentVersion.objects.count() == 1


@pytest.mark.django_db
def test_the_command_explains_a_bad_area_or_month(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No area called 'Atlantis'.*Derby \\(E06000015\\)"):
        call_command("assess", area="Atlantis", output=str(tmp_path / "x.html"), verbosity=0)
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command(
            "assess",
            area="Derby",
            first_month="2024-13",
            last_month="2024-12",
            output=str(tmp_path / "x.html"),
            verbosity=0,
        )
    assert AssessmentVersion.objects.count() == 0


@pytest.mark.django_db
def test_the_background_job_saves_a_version_with_progress(make_user: Any) -> None:
    user = make_user("manager")
    job = Job.objects.create(
        kind="assessment.run",
        title="Strategic Assessment: Derby",
        params={"area": "E06000015", "first_month": "2024-11", "last_month": "2024-12"},
        created_by=user,
    )
    job = job_run(str(job.pk))
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.done == job.total > 0
    version = AssessmentVersion.objects.get(pk=job.result["version"])
    assert version.created_by == user
    assert job.result["url"] == reverse("assessment:version", args=[version.pk])


@pytest.mark.django_db
def test_run_page_starts_a_job_and_refuses_bad_months(client_as: Any) -> None:
    client = client_as("analyst")
    response = client.post(
        reverse("assessment:run"), {"area": "E06000015", "first_month": "2024-01", "last_month": ""}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "Enter both the first and the last month" in response.content.decode()
    response = client.post(
        reverse("assessment:run"), {"area": "E06000015", "first_month": "", "last_month": ""}
    )
    assert response.status_code == 302
    job = Job.objects.get(kind="assessment.run")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.params == {"area": "E06000015", "first_month": None, "last_month": None}


@pytest.mark.django_db
def test_version_page_shows_tables_and_map_data(client_as: Any) -> None:
    version = make_version()
    response = client_as("viewer").get(reverse("assessment:version", args=[version.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="assessment-geojson"' in html and 'id="assessment-map-values"' in html
    assert 'class="saferhub-map"' in html
    assert "assessment/map.js" in html
    assert "<caption" in html and 'scope="col"' in html


@pytest.mark.django_db
def test_compare_page_says_identical_versions_reproduce(client_as: Any) -> None:
    a, b = make_version(), make_version()
    client = client_as("viewer")
    response = client.get(reverse("assessment:compare"), {"old": a.pk, "new": b.pk})
    assert "The two versions are identical" in response.content.decode()
    response = client.get(reverse("assessment:compare"), {"old": "x", "new": b.pk})
    assert "Choose two versions" in response.content.decode()


@pytest.mark.django_db
def test_api_returns_the_saved_data(client_as: Any) -> None:
    version = make_version()
    response = client_as("viewer").get(reverse("api:assessment_version", args=[version.pk]))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["content_hash"] == version.content_hash
    assert body["data"] == empty_assessment()


@pytest.mark.django_db
def test_api_run_refuses_an_unknown_area(client_as: Any) -> None:
    response = client_as("analyst").post(reverse("api:assessment_run"), {"area": "Atlantis"})
    assert response.status_code == 400
    assert "No area called" in response.json()["area"][0]


def test_the_figures_export_has_one_row_per_figure(derby: dict[str, Any]) -> None:
    import csv
    import io

    from saferhub.assessment.figures import figures_csv

    rows = list(csv.DictReader(io.StringIO(figures_csv(derby))))
    assert list(rows[0]) == [
        "area_code", "area_name", "theme", "measure", "period", "value",
        "lower", "upper", "unit", "method", "source",
    ]  # fmt: skip
    measures = {r["measure"] for r in rows}
    assert {
        "count", "rate_per_1000", "change_pct", "change_p", "population", "css_per_1000",
        "repeat_location_share", "concentration_top10pct_share", "months_of_data",
    } <= measures  # fmt: skip
    assert {r["period"] for r in rows} == {"this", "before", ""}
    assert {"all-crime", "asb"} <= {r["theme"] for r in rows}
    assert all(r["area_code"] == "E06000015" and r["unit"] for r in rows)
    asb = {(r["measure"], r["period"]): r for r in rows if r["theme"] == "asb"}
    theme = next(t for t in derby["themes"] if t["key"] == "asb")
    assert float(asb[("change_pct", "")]["value"]) == theme["change"]["percent_change"]
    assert int(asb[("count", "this")]["value"]) == theme["volume"]["after"]
    assert asb[("months_of_data", "this")]["value"] == "11"
    assert "2024-11" in asb[("change_pct", "")]["method"]
    assert ("css_per_1000", "this") not in asb  # no weight: no figure, never a 0
    # Figures in the CSV are numbers; no text cell can start a spreadsheet formula.
    for r in rows:
        for column in ("method", "source", "unit", "area_name"):
            assert r[column][:1] not in {"=", "+", "-", "@"}


@pytest.mark.django_db
def test_the_figures_download_and_api(
    make_user: Any, client: Any, derby_q4: dict[str, Any]
) -> None:
    from saferhub.assessment.figures import FIGURE_COLUMNS, figure_rows
    from tests.conftest import verified_client

    version = make_version(derby_q4)
    web = verified_client(client, make_user("viewer"))
    page = web.get(reverse("assessment:version", args=[version.pk])).content.decode()
    link = reverse("assessment:download", args=[version.pk, "figures"])
    assert link in page
    got = web.get(link)
    assert got["Content-Type"].startswith("text/csv")
    assert got["Content-Disposition"].endswith('.figures.csv"')
    assert got.content.decode().splitlines()[0] == ",".join(FIGURE_COLUMNS)
    api = web.get(reverse("api:assessment_version_figures", args=[version.pk])).json()
    assert len(api) == len(figure_rows(derby_q4)) and list(api[0]) == FIGURE_COLUMNS
