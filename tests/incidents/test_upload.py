"""The upload page, the result page, partner source pages and the import API."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from saferhub.accounts.models import AuditEvent
from saferhub.core.models import Job
from saferhub.incidents.models import Incident, PartnerSource, Theme
from saferhub.incidents.partner import partner_source_create
from tests.conftest import api_token_key, verified_client
from tests.incidents.partner_files import PartnerFiles, make_partner_files, variant
from tests.incidents.partner_geography import load_test_geography


@pytest.fixture(scope="module")
def files(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PartnerFiles:
    return make_partner_files(data_dir, tmp_path_factory.mktemp("upload"))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def asb_source(db: Any, data_dir: Path, make_user: Any) -> PartnerSource:
    load_test_geography(data_dir)
    return partner_source_create(
        actor=make_user("administrator", username="setup-admin"),
        name="Council ASB",
        default_theme=Theme.objects.get(key="asb"),
        date_column="Date Reported",
        date_format="%d/%m/%Y",
        category_column="ASB Type",
        location_kind="lsoa",
        area_column="LSOA Code",
        ignored_columns=["Description"],
    )


def upload(path: Path, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def test_analyst_uploads_a_partner_file_and_sees_what_loaded_and_what_was_refused(
    client_as: Any,
    files: PartnerFiles,
    asb_source: PartnerSource,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("analyst")
    page = client.get(reverse("incidents:upload"))
    assert page.status_code == 200
    assert f"Partner source: {asb_source.name}" in page.content.decode()

    def spoil(rows: list[list[str]]) -> list[list[str]]:
        rows[10][0] = "not a date"
        rows[20][2] = "E01999999"
        return rows

    bad = variant(files.asb, "asb-with-two-bad-rows.csv", spoil)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("incidents:upload"),
            {"what": f"partner:{asb_source.pk}", "file": upload(bad)},
        )
    job = Job.objects.get(kind="incidents.import_upload")
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:job", args=[job.pk]
    )
    assert job.status == "succeeded", job.error
    assert job.result["rows_loaded"] == 298 and job.result["rows_refused"] == 2
    assert Incident.objects.count() == 298
    assert not list((media / "imports").glob("*/*"))  # the uploaded copy is removed

    progress = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert reverse("incidents:upload_result", args=[job.pk]) in progress
    result = client.get(reverse("incidents:upload_result", args=[job.pk])).content.decode()
    assert "298 rows loaded" in result
    assert "unknown LSOA code (not in the ONS lookup)" in result
    assert "E01999999" in result
    assert "Description" in result  # the free-text column left out is named

    download = client.get(reverse("incidents:upload_problems", args=[job.pk]) + "?format=csv")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["File", "Row", "Column", "Value", "Problem", "Severity"]
    assert {r[0] for r in rows[1:]} == {"asb-with-two-bad-rows.csv"}
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("11", "Date Reported", ""),  # free text where a date should be: not shown
        ("21", "LSOA Code", "E01999999"),
    ]
    xlsx = client.get(reverse("incidents:upload_problems", args=[job.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    # The same file again: the job says so and nothing changes.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("incidents:upload"), {"what": f"partner:{asb_source.pk}", "file": upload(bad)}
        )
    again = Job.objects.filter(kind="incidents.import_upload").order_by("-created_at").first()
    assert again is not None and again.result["status"] == "already_imported"
    assert Incident.objects.count() == 298


def test_a_refused_file_shows_why_and_all_or_nothing_loads_nothing(
    client_as: Any,
    files: PartnerFiles,
    asb_source: PartnerSource,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("analyst")
    wrong = variant(
        files.asb, "asb-wrong-header.csv", lambda rows: [["When", *rows[0][1:]], *rows[1:]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("incidents:upload"), {"what": f"partner:{asb_source.pk}", "file": upload(wrong)}
        )
    job = Job.objects.get(kind="incidents.import_upload")
    page = client.get(reverse("incidents:upload_result", args=[job.pk])).content.decode()
    assert "The file was refused: nothing was loaded" in page
    assert "missing &#x27;Date Reported&#x27; (date)" in page

    one_bad = variant(
        files.asb, "asb-one-bad.csv", lambda rows: [rows[0], ["x", *rows[1][1:]], *rows[2:]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("incidents:upload"),
            {"what": f"partner:{asb_source.pk}", "file": upload(one_bad), "all_or_nothing": "on"},
        )
    job = Job.objects.order_by("-created_at").first()
    assert job is not None and job.result["status"] == "refused"
    assert Incident.objects.count() == 0
    download = client.get(reverse("incidents:upload_problems", args=[job.pk]))
    assert "asb-one-bad.csv,2,Date Reported,,not a date" in download.content.decode()


def test_the_upload_form_explains_its_errors(
    client_as: Any, asb_source: PartnerSource, media: Path
) -> None:
    client = client_as("analyst")
    response = client.post(reverse("incidents:upload"), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose police.uk or a partner source" in page and "Choose a file to upload" in page
    zipped = SimpleUploadedFile("asb.zip", b"PK\x03\x04", content_type="application/zip")
    response = client.post(
        reverse("incidents:upload"), {"what": f"partner:{asb_source.pk}", "file": zipped}
    )
    assert response.status_code == 400
    assert "only police.uk archives come zipped" in response.content.decode()
    assert not Job.objects.exists()


def test_another_analyst_cannot_see_my_import(
    client: Any,
    make_user: Any,
    files: PartnerFiles,
    asb_source: PartnerSource,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    verified_client(client, make_user("analyst", username="first"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("incidents:upload"),
            {"what": f"partner:{asb_source.pk}", "file": upload(files.asb)},
        )
    job = Job.objects.get()
    client.logout()
    verified_client(client, make_user("analyst", username="second"))
    assert client.get(reverse("incidents:upload_result", args=[job.pk])).status_code == 404
    assert client.get(reverse("incidents:upload_problems", args=[job.pk])).status_code == 404


def test_partner_source_pages_list_add_and_change_with_error_summary(
    client_as: Any, asb_source: PartnerSource
) -> None:
    client = client_as("analyst")
    listing = client.get(reverse("incidents:partner_sources")).content.decode()
    assert "Council ASB" in listing and "LSOA Code" in listing
    csv_export = client.get(reverse("incidents:partner_sources") + "?format=csv")
    assert "Council ASB" in csv_export.content.decode()

    theme = Theme.objects.get(key="criminal-damage-arson")
    form = {
        "name": "Fire deliberate fires",
        "default_theme": theme.pk,
        "allow_new_categories": "on",
        "encoding": "utf-8",
        "date_column": "Call Date",
        "date_precision": "day",
        "date_format": "%d/%m/%Y",
        "category_column": "Property Type",
        "location_kind": "bng",
        "x_column": "Easting",
        "y_column": "",
        "ignored_columns_text": "Notes, Crew comments",
    }
    response = client.post(reverse("incidents:partner_source_create"), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter the latitude or northing column for this kind of location" in page
    assert 'href="#id_y_column"' in page

    form["y_column"] = "Northing"
    response = client.post(reverse("incidents:partner_source_create"), form)
    assert response.status_code == 302
    fire = PartnerSource.objects.get(name="Fire deliberate fires")
    assert fire.ignored_columns == ["Notes", "Crew comments"]
    assert AuditEvent.objects.filter(
        action="incidents.partner_source_create", object_id=str(fire.pk)
    ).exists()

    edit = client.get(reverse("incidents:partner_source_edit", args=[fire.pk])).content.decode()
    assert "Notes, Crew comments" in edit
    form["date_format"] = "%Y-%m"
    form["date_precision"] = "month"
    response = client.post(reverse("incidents:partner_source_edit", args=[fire.pk]), form)
    assert response.status_code == 302
    fire.refresh_from_db()
    assert (fire.date_format, fire.date_precision) == ("%Y-%m", "month")
    event = AuditEvent.objects.filter(action="incidents.partner_source_update").get()
    assert event.old_values == {"date_format": "%d/%m/%Y", "date_precision": "day"}

    form["date_format"] = "dd/mm/yyyy"
    response = client.post(reverse("incidents:partner_source_edit", args=[fire.pk]), form)
    assert response.status_code == 400
    assert "Enter a date format using codes such as %d/%m/%Y" in response.content.decode()


def test_import_api_with_a_token(
    make_user: Any,
    files: PartnerFiles,
    asb_source: PartnerSource,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    analyst = make_user("analyst", username="api-analyst")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(analyst)}")

    sources = api.get(reverse("api:data_partner_sources")).json()
    assert [s["name"] for s in sources] == ["Council ASB"]
    assert sources[0]["location_kind"] == "lsoa" and sources[0]["ignored_columns"] == [
        "Description"
    ]

    bad = variant(
        files.asb,
        "asb-api.csv",
        lambda rows: [*rows[:5], [rows[5][0], "", *rows[5][2:]], *rows[6:]],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api:data_import_start"),
            {"kind": "partner", "source": "council asb", "file": upload(bad)},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    job_id = response.json()["job_id"]
    result = api.get(response.json()["result_url"]).json()
    assert result["status"] == "succeeded"
    assert result["result"]["rows_loaded"] == 299 and result["result"]["rows_refused"] == 1
    assert "problems" not in result["result"]
    problems = api.get(result["problems_url"]).json()
    assert problems == [
        {
            "file": "asb-api.csv",
            "row_number": 6,
            "column": "ASB Type",
            "value": "",
            "problem": "no category",
            "severity": "Refused (not loaded)",
        }
    ]
    job = api.get(reverse("api:job", args=[job_id])).json()
    assert job["status"] == "succeeded"

    response = api.post(
        reverse("api:data_import_start"),
        {"kind": "partner", "source": "nobody", "file": upload(bad)},
        format="multipart",
    )
    assert (
        response.status_code == 400
        and "No partner source called 'nobody'" in response.content.decode()
    )
    viewer = make_user("viewer", username="api-viewer")
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(viewer)}")
    assert api.get(reverse("api:data_partner_sources")).status_code == 403
    assert api.get(reverse("api:data_import_result", args=[job_id])).status_code in {403, 404}


def test_analyst_uploads_a_police_uk_month(
    client_as: Any,
    data_dir: Path,
    files: PartnerFiles,
    asb_source: PartnerSource,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("analyst")
    month = data_dir / "police_uk" / "derbyshire" / "2024-11" / "2024-11-derbyshire-street.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("incidents:upload"), {"what": "police_uk", "file": upload(month)}
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="incidents.import_upload")
    assert job.status == "succeeded", job.error
    assert job.result["rows_read"] == 6964  # the SOURCES.md count for 2024-11
    assert job.result["rows_loaded"] == 6964
    assert Incident.objects.filter(source="police.uk").count() == 6964
    page = client.get(reverse("incidents:upload_result", args=[job.pk])).content.decode()
    assert "6,964" in page and "police.uk" in page

    # A partner file uploaded as police.uk is refused by its header, nothing loaded.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("incidents:upload"), {"what": "police_uk", "file": upload(files.asb)})
    job = Job.objects.order_by("-created_at").first()
    assert job is not None
    page = client.get(reverse("incidents:upload_result", args=[job.pk])).content.decode()
    assert job.status == "failed" or job.result.get("status") == "refused"
    assert "nothing" in page.lower()
    assert Incident.objects.count() == 6964


def test_the_assess_stage_links_to_the_upload_pages_for_analysts_only(
    client: Any, make_user: Any
) -> None:
    verified_client(client, make_user("analyst", username="nav-analyst"))
    page = client.get(reverse("core:assess")).content.decode()
    assert reverse("incidents:upload") in page and reverse("incidents:partner_sources") in page
    client.logout()
    verified_client(client, make_user("viewer", username="nav-viewer"))
    page = client.get(reverse("core:assess")).content.decode()
    assert reverse("incidents:upload") not in page


def test_a_police_uk_zip_uploads_with_its_junk_skipped(
    client_as: Any,
    data_dir: Path,
    media: Path,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import zipfile

    month = data_dir / "police_uk" / "derbyshire" / "2024-06" / "2024-06-derbyshire-street.csv"
    lines = month.read_bytes().splitlines(keepends=True)[:501]  # header + 500 real rows
    archive = tmp_path / "police-uk-2024-06.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2024-06/2024-06-derbyshire-street.csv", b"".join(lines))
        zf.writestr("2024-06/readme.txt", b"not a csv")
    client = client_as("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("incidents:upload"),
            {"what": "police_uk", "file": upload(archive, "application/zip")},
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="incidents.import_upload")
    assert job.status == "succeeded", job.error
    assert (job.result["rows_read"], job.result["rows_loaded"]) == (500, 500)
    page = client.get(reverse("incidents:upload_result", args=[job.pk])).content.decode()
    assert "2024-06-derbyshire-street.csv" in page  # the files of the upload are listed
    assert Incident.objects.filter(source="police.uk").count() == 500
