"""Pages and API: the same scope, audited exports, the upload page's row problems."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from saferhub.accounts.models import AuditEvent
from saferhub.cases.models import Complaint
from tests.cases import factories as f
from tests.cases.test_imports import APPLICATIONS, COMPLAINTS, REVIEWS
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _zip(complaints: str = COMPLAINTS) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("complaints.csv", complaints)
        z.writestr("applications.csv", APPLICATIONS)
        z.writestr("reviews.csv", REVIEWS)
    buffer.seek(0)
    buffer.name = "set.zip"
    return buffer


@pytest.fixture
def officer(client: Any) -> Any:
    user = f.user("asb_officer")
    verified_client(client, user)
    f.police()
    return user


def test_the_case_page_shows_the_case_and_an_unseen_case_is_a_plain_404(
    client: Any, officer: Any
) -> None:
    asb = f.asb_case(officer=officer)
    f.victim(asb)
    page = client.get(reverse("cases:detail", args=[asb.case.pk]))
    assert page.status_code == 200 and "Alice Quenby-Marsh" in page.content.decode()
    hidden = f.asb_case(lead=f.police()).case
    unseen = client.get(reverse("cases:detail", args=[hidden.pk]))
    missing = client.get(reverse("cases:detail", args=[999_999]))
    assert unseen.status_code == missing.status_code == 404
    import re

    def page(response: Any) -> str:  # the CSRF token is masked afresh on every response
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert page(unseen) == page(missing)
    assert client.get(reverse("api:cases-detail", args=[hidden.pk])).status_code == 404


def test_exports_are_audited_and_hold_only_visible_cases(client: Any, officer: Any) -> None:
    mine = f.asb_case()
    f.asb_case(lead=f.police())
    response = client.get(reverse("cases:list") + "?format=csv")
    body = response.content.decode()
    assert mine.case.reference in body and body.count("ASB-") == 1
    assert AuditEvent.objects.filter(action="case.export", actor=officer).exists()
    api = client.get(reverse("api:cases-list")).json()
    assert [c["reference"] for c in api] == [mine.case.reference]


def test_upload_imports_a_zip_and_refuses_bad_rows_saving_nothing(
    client: Any, officer: Any
) -> None:
    f.agency()
    bad = COMPLAINTS.replace("2024-05-10,2024-05-10", "2024-05-32,2024-05-10")
    response = client.post(reverse("cases:import"), {"file": _zip(bad)})
    text = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in text
    assert "complaints.csv, row 4, column behaviour_date" in text
    assert Complaint.objects.count() == 0
    response = client.post(reverse("cases:import"), {"file": _zip()})
    assert "Import finished" in response.content.decode() and Complaint.objects.count() == 6


def test_figures_page_and_api(client: Any, officer: Any) -> None:
    from django.core.management import call_command

    f.agency()
    client.post(reverse("cases:import"), {"file": _zip()})
    page = client.get(reverse("cases:figures") + "?year=2024%2F25")
    assert "applications_received" in page.content.decode()
    csv = client.get(reverse("cases:figures") + "?year=2024%2F25&format=csv").content.decode()
    assert csv.splitlines()[1:] == [
        "applications_received,2",
        "threshold_not_met,1",
        "reviews_carried_out,1",
        "reviews_with_recommendations,1",
    ]
    refused = client.get(reverse("cases:figures") + "?year=2024%2F25&threshold=4")
    assert "cannot be above 3" in refused.content.decode()
    api = client.get(reverse("api:cases-case-review-figures") + "?year=2024/25").json()
    assert api["threshold_not_met"] == 1
    assert (
        client.get(
            reverse("api:cases-case-review-figures") + "?year=2024/25&threshold=4"
        ).status_code
        == 400
    )
    call_command("check")


def test_break_glass_page_needs_a_reason_then_opens_the_case(client: Any) -> None:
    admin = f.user("administrator", of=f.police())
    verified_client(client, admin)
    case = f.asb_case().case
    short = client.post(reverse("cases:break_glass", args=[case.pk]), {"reason": "now"})
    assert short.status_code == 400 and "20 characters" in short.content.decode()
    ok = client.post(
        reverse("cases:break_glass", args=[case.pk]),
        {"reason": "Urgent safeguarding concern tonight"},
    )
    assert ok.status_code == 302
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_your_cases_lists_reviews_victims_and_decision_deadlines(client: Any, officer: Any) -> None:
    import datetime as dt

    f.agency()
    asb = f.asb_case(officer=officer, opened_on=dt.date.today() - dt.timedelta(days=40))
    client.post(reverse("cases:import"), {"file": _zip()})
    page = client.get(reverse("cases:mine")).content.decode()
    assert asb.case.reference in page and "A1</a>: decision due" in page and "Late" in page
    csv = client.get(reverse("cases:mine") + "?format=csv").content.decode()
    assert "Victim not updated" in csv and "Case Review decision due,A2" in csv
