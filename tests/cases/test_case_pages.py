"""The pages that open and work an ASB case, and the ASB Case Review pages, through the
services and the access helper: the same 404 outside scope, every view audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from saferhub.accounts.models import AuditEvent
from saferhub.cases.models import AsbCase, Case, CaseReviewApplication, Intervention, Party
from tests.cases import factories as f
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def officer(client: Any) -> Any:
    user = f.user("asb_officer", email="officer@example.org")
    verified_client(client, user)
    f.police()
    return user


def _post(client: Any, name: str, pk: int, data: dict[str, Any]) -> Any:
    return client.post(reverse(f"cases:{name}", args=[pk]), data)


def test_an_officer_takes_a_case_from_opening_to_closure(client: Any, officer: Any) -> None:
    opened = client.post(
        reverse("cases:asb_open"),
        {"opened_on": "2025-03-03", "category": "personal", "basis": "person", "summary": "Noise"},
    )
    case = Case.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "cases:detail", args=[case.pk]
    )
    assert case.officer == officer and case.lead_agency == officer.agency
    police = f.police()
    victim = _post(
        client,
        "party_add",
        case.pk,
        {
            "role": "victim",
            "full_name": "Bea Tollerton",
            "date_of_birth": "1950-06-01",
            "article6_basis": "consent",
            "vulnerable": "on",
            "consent_agencies": [police.pk],
        },
    )
    assert victim.status_code == 302
    party = Party.objects.get(case=case)
    assert party.consents.get().agency == police and party.vulnerable
    # No lawful basis: refused on the field, with the error summary.
    refused = _post(client, "party_add", case.pk, {"role": "witness", "full_name": "X Y"})
    text = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in text
    assert 'href="#id_article6_basis"' in text
    _post(
        client,
        "party_add",
        case.pk,
        {
            "role": "perpetrator",
            "full_name": "Cal Young",
            "date_of_birth": "2010-01-10",
            "article6_basis": "public_task",
        },
    )
    young = Party.objects.get(case=case, role="perpetrator")
    logged = _post(
        client,
        "incident_add",
        case.pk,
        {"behaviour_date": "2025-03-01", "reported_date": "2025-03-02", "agency": police.pk},
    )
    assert logged.status_code == 302 and case.incidents.count() == 1
    backwards = _post(
        client,
        "incident_add",
        case.pk,
        {"behaviour_date": "2025-03-05", "reported_date": "2025-03-02", "agency": police.pk},
    )
    assert backwards.status_code == 400 and case.incidents.count() == 1
    # High risk: the vulnerable-victim action plan opens and the officer is told.
    answers = dict.fromkeys(
        ("repeat", "targeted", "hate", "afraid_home", "disability", "alone"), "on"
    )
    assessed = _post(client, "risk_assess", case.pk, {"assessed_on": "2025-03-04", **answers})
    assert assessed.status_code == 302
    asb = AsbCase.objects.get(pk=case.pk)
    assert asb.priority == "high" and asb.vulnerable_victim_plan
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    # The 2014 Act's limits come back on the form field.
    too_young = _post(
        client,
        "intervention_add",
        case.pk,
        {"kind": "cpn", "party": young.pk, "served_on": "2025-03-05"},
    )
    assert too_young.status_code == 400
    assert "only for people aged 16 or over" in too_young.content.decode()
    too_long = _post(
        client,
        "intervention_add",
        case.pk,
        {
            "kind": "dispersal",
            "served_on": "2025-03-05",
            "starts_at": "2025-03-05T18:00",
            "expires_at": "2025-03-08T18:00",
        },
    )
    assert too_long.status_code == 400 and 'id="id_expires_at-error"' in too_long.content.decode()
    served = _post(
        client,
        "intervention_add",
        case.pk,
        {"kind": "abc", "party": young.pk, "served_on": "2025-03-05"},
    )
    assert served.status_code == 302 and Intervention.objects.get().party == young
    assert (
        _post(
            client, "review", case.pk, {"reviewed_on": "2025-03-10", "stage": "early_intervention"}
        ).status_code
        == 302
    )
    asb.refresh_from_db()
    assert asb.stage == "early_intervention" and asb.next_review_due == D(2025, 3, 17)
    updated = _post(client, "victim_update", case.pk, {"given_on": "2025-03-11", "method": "phone"})
    assert updated.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Bea Tollerton" in page and "Acceptable behaviour agreement" in page
    assert "govuk-task-list__link" in page
    no_reason = _post(client, "close", case.pk, {"closed_on": "2025-04-01", "reason": " "})
    assert no_reason.status_code == 400
    closed = _post(
        client,
        "close",
        case.pk,
        {
            "closed_on": "2025-04-01",
            "reason": "Behaviour stopped",
            "victim_told": "on",
            "satisfaction": "4",
        },
    )
    assert closed.status_code == 302
    asb.refresh_from_db()
    assert asb.case.status == "closed" and asb.victim_satisfaction == 4
    # A closed case is read-only: its step pages are gone, its page has no links.
    assert client.get(reverse("cases:incident_add", args=[case.pk])).status_code == 404
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "govuk-task-list__link" not in page and "4 out of 5" in page
    assert AuditEvent.objects.filter(action="case.view", actor=officer).count() >= 10


def test_a_case_outside_scope_is_the_same_404_on_every_step_page(client: Any, officer: Any) -> None:
    hidden = f.asb_case(lead=f.police()).case
    for name in ("party_add", "incident_add", "risk_assess", "intervention_add", "close"):
        assert client.get(reverse(f"cases:{name}", args=[hidden.pk])).status_code == 404
        assert client.get(reverse(f"cases:{name}", args=[999_999])).status_code == 404
        assert _post(client, name, hidden.pk, {}).status_code == 404
    assert not hidden.parties.exists()
    refused = AuditEvent.objects.filter(action="case.access_refused", actor=officer).count()
    assert refused >= 15


def test_a_repeat_victim_is_flagged_across_agencies(client: Any, officer: Any) -> None:
    from saferhub.cases.services.asb import asb_incident_add

    mine = f.asb_case(officer=officer, opened_on=D(2025, 1, 6))
    theirs = f.asb_case(lead=f.police(), opened_on=D(2025, 1, 6))
    same = f.person("Dee Marlow", D(1970, 1, 1))
    f.victim(mine, same, source_ref="PV-7")
    f.victim(theirs, same)
    today = dt.date.today()
    asb_incident_add(
        actor=f.T, case=mine.case, behaviour_date=today, reported_date=today, agency=f.agency()
    )
    asb_incident_add(
        actor=f.T, case=theirs.case, behaviour_date=today, reported_date=today, agency=f.police()
    )
    page = client.get(reverse("cases:detail", args=[mine.case.pk])).content.decode()
    assert "Repeat victim" not in page  # two incidents: under the rule of 3 in 3 months
    f.complaints("PV-7", [today - dt.timedelta(days=20)])  # the exchange set's complaint
    page = client.get(reverse("cases:detail", args=[mine.case.pk])).content.decode()
    assert "Repeat victim: 3 incidents in 3 months across agencies" in page
    assert theirs.case.reference not in page  # the other agency's case is not disclosed
    listing = client.get(reverse("cases:mine")).content.decode()
    assert mine.case.reference in listing and "Repeat victim" in listing


def test_a_case_review_from_application_to_the_appeal(client: Any, officer: Any) -> None:
    f.complaints("V-9", [D(2025, 4, 1), D(2025, 4, 20), D(2025, 5, 10)])
    made = client.post(
        reverse("cases:case_review_new"),
        {"received_date": "2025-06-02", "applicant_type": "victim", "victim_ref": "V-9"},
    )
    app = CaseReviewApplication.objects.get()
    assert made.status_code == 302 and app.application_ref == "CR-2025-00001"
    assert app.decision_due == D(2025, 6, 16)  # 10 working days
    third = client.post(
        reverse("cases:case_review_new"),
        {"received_date": "2025-06-02", "applicant_type": "third_party", "victim_ref": "V-9"},
    )
    assert third.status_code == 400 and "consent" in third.content.decode()
    # Undecided past its deadline: late on the officer's list and the page.
    listing = client.get(reverse("cases:mine")).content.decode()
    assert "CR-2025-00001" in listing and "Late" in listing
    pk = app.pk
    assert _post(client, "case_review_decide", pk, {"decided_on": "2025-06-10"}).status_code == 302
    app.refresh_from_db()
    assert app.decision == "met"
    met = _post(client, "case_review_meeting", pk, {"held_on": "2025-06-25", "chair": "A Chair"})
    assert met.status_code == 302
    early = _post(
        client,
        "case_review_recommendation",
        pk,
        {"text": "Mediation", "owner": f.agency().pk, "due_on": "2025-06-01"},
    )
    assert early.status_code == 400
    rec = _post(
        client,
        "case_review_recommendation",
        pk,
        {"text": "Mediation", "owner": f.agency().pk, "due_on": "2025-07-31"},
    )
    assert rec.status_code == 302
    app.refresh_from_db()
    assert app.review_date == D(2025, 6, 25) and app.recommendations == 1
    letter = _post(
        client, "case_review_letter", pk, {"sent_on": "2025-06-27", "summary": "We met."}
    )
    assert letter.status_code == 302
    html = client.get(reverse("cases:case_review_letter_document", args=[pk, "html"]))
    assert html.status_code == 200 and "Mediation" in html.content.decode()
    pdf = client.get(reverse("cases:case_review_letter_document", args=[pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    outcome_first = _post(
        client, "case_review_appeal_outcome", pk, {"decided_on": "2025-07-10", "outcome": "Upheld"}
    )
    assert outcome_first.status_code == 400
    assert _post(client, "case_review_appeal", pk, {"received_on": "2025-07-01"}).status_code == 302
    assert (
        _post(
            client,
            "case_review_appeal_outcome",
            pk,
            {"decided_on": "2025-07-10", "outcome": "Original decision upheld"},
        ).status_code
        == 302
    )
    app.refresh_from_db()
    assert app.appeal_outcome == "Original decision upheld"
    assert AuditEvent.objects.filter(action="case_review.view", actor=officer).exists()
    assert client.get(reverse("cases:case_review", args=[999_999])).status_code == 404


def test_partner_incident_data_counts_towards_the_repeat_victim_rule() -> None:
    from saferhub.cases.repeat_victims import repeat_flags
    from saferhub.incidents.models import Category, ImportBatch, Incident

    asb = f.asb_case()
    f.victim(asb, source_ref="PV-9", vulnerable=True)
    today = dt.date.today()
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.PARTNER, source="partner:Housing ASB", file_name="a.csv", sha256="x"
    )
    category = Category.objects.get_or_create(name="Housing ASB: Noise")[0]
    for n, day in enumerate([today, today - dt.timedelta(days=10), today - dt.timedelta(days=400)]):
        Incident.objects.create(
            batch=batch,
            source="partner:Housing ASB",
            dedupe_key=f"k{n}",
            month=day.replace(day=1),
            occurred_on=day,
            category=category,
            victim_ref="PV-9",
        )
    assert repeat_flags(case_ids=[asb.case.pk], today=today) == {}  # two within 3 months
    f.complaints("PV-9", [today])
    flag = repeat_flags(case_ids=[asb.case.pk], today=today)[asb.case.pk]
    assert (flag.incidents, flag.vulnerable) == (3, True)
    assert str(flag).startswith("Repeat and vulnerable victim: 3 incidents")
