"""The public ASB Case Review form (no sign-in, both languages, spam-resistant) and the
public section's four figures."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache

from saferhub.cases.models import CaseReviewApplication
from saferhub.cases.public import SIGNER_SALT
from tests.cases import factories as f

pytestmark = pytest.mark.django_db
URL = "/public/asb-case-review/apply/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Any:
    cache.clear()
    yield
    cache.clear()


def _form(seconds_ago: float = 60, **extra: str) -> dict[str, str]:
    return {
        "applicant_type": "victim",
        "name": "Eve Harcastle",
        "email": "eve@example.org",
        "account": "Loud music every night since March; reported to the council twice.",
        "website": "",
        "shown": signing.dumps(time.time() - seconds_ago, salt=SIGNER_SALT),
        **extra,
    }


def test_a_member_of_the_public_applies_and_is_given_a_reference(client: Any) -> None:
    assert client.get(URL).status_code == 200
    cy = client.get("/cy/public/asb-case-review/apply/").content.decode()
    assert "Gwneud cais am Adolygiad Achos" in cy and '<html lang="cy"' in cy
    response = client.post(URL, _form())
    app = CaseReviewApplication.objects.get()
    text = response.content.decode()
    assert response.status_code == 200 and app.application_ref in text
    assert app.source == "public" and app.victim_ref == "" and app.applicant_name == "Eve Harcastle"
    assert app.decision_due > app.received_date
    # Stored encrypted: the column holds no plain name.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_name FROM cases_casereviewapplication")
        assert "Harcastle" not in cursor.fetchone()[0]


def test_the_form_refuses_bad_answers_on_the_field(client: Any) -> None:
    response = client.post(URL, _form(applicant_type="third_party", email=""))
    text = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in text
    assert "only if they agree" in text and "email address or a telephone" in text
    assert not CaseReviewApplication.objects.exists()


def test_spam_is_kept_out_without_a_captcha(client: Any, settings: Any) -> None:
    # Filled the honeypot: answered as if received, nothing kept.
    trap = client.post(URL, _form(website="http://spam.example"))
    assert trap.status_code == 200 and "CR-" not in trap.content.decode()
    # Sent faster than a person could: refused, with a fresh start time.
    fast = client.post(URL, _form(seconds_ago=1))
    assert fast.status_code == 400 and "sent very quickly" in fast.content.decode()
    # A forged start time is refused the same way.
    assert client.post(URL, _form() | {"shown": str(time.time() - 60)}).status_code == 400
    assert not CaseReviewApplication.objects.exists()
    settings.SAFERHUB_CASE_REVIEW_FORM_PER_HOUR = 4  # three sendings above, one more allowed
    assert client.post(URL, _form()).status_code == 200
    limited = client.post(URL, _form())
    assert limited.status_code == 429 and CaseReviewApplication.objects.count() == 1
    # Another address is not limited.
    other = client.post(URL, _form(), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200 and CaseReviewApplication.objects.count() == 2


def test_staff_match_a_public_application_before_the_decision() -> None:
    from django.core.exceptions import ValidationError

    from saferhub.accounts.actors import SystemActor
    from saferhub.cases.services import case_review as svc

    app = svc.case_review_application_create(
        actor=SystemActor.PUBLIC,
        received_date=dt.date(2025, 6, 2),
        applicant_type="victim",
        source="public",
        applicant_name="Eve",
    )
    with pytest.raises(ValidationError):
        svc.case_review_decide(actor=f.T, application=app, decided_on=dt.date(2025, 6, 3))
    f.complaints("V-EVE", [dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 5, 20)])
    svc.case_review_match_victim(actor=f.T, application=app, victim_ref="V-EVE")
    decided = svc.case_review_decide(actor=f.T, application=app, decided_on=dt.date(2025, 6, 3))
    assert decided.decision == "met"


def test_the_public_section_publishes_the_four_figures_each_year(client: Any) -> None:
    empty = client.get("/public/asb-case-review/").content.decode()
    assert "No applications have been recorded yet." in empty
    f.decided_application()  # received June 2025, reviewed: 2025/26
    cache.clear()
    page = client.get("/public/asb-case-review/").content.decode()
    assert "2025/26" in page and "/public/asb-case-review/apply/" in page
    csv = client.get("/public/asb-case-review/download.csv").content.decode()
    assert csv.splitlines()[1] == "2025/26,1,0,1,0"
