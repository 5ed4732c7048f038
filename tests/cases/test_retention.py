"""Retention: cases due for review, erasure keeping counts, legal hold, subject access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from saferhub.cases.models import AsbIncident, Case, Party, Person
from saferhub.cases.services.asb import asb_case_close, asb_incident_add
from saferhub.cases.services.cases import case_set_legal_hold
from saferhub.cases.services.retention import case_erase, retention_due
from saferhub.cases.services.subject_access import subject_access_export, subject_access_pdf
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def _closed_case(closed_on: dt.date = dt.date(2025, 3, 31)) -> Any:
    asb = f.asb_case()
    f.victim(asb)
    asb_incident_add(
        actor=f.T,
        case=asb.case,
        behaviour_date=dt.date(2025, 1, 5),
        reported_date=dt.date(2025, 1, 6),
        agency=f.agency(),
        location="Outside 12 Larch Road",
        description="Shouting at the door",
    )
    asb_case_close(
        actor=f.T, case=asb.case, closed_on=closed_on, reason="Behaviour stopped", victim_told=True
    )
    return asb


def test_due_six_years_after_closure_configurable(settings: Any) -> None:
    asb = _closed_case()
    assert retention_due(today=dt.date(2031, 3, 30)) == []
    assert [d.case for d in retention_due(today=dt.date(2031, 3, 31))] == [asb.case]
    settings.SAFERHUB_CASES_RETENTION_YEARS = "asb=2"
    assert [d.due_on for d in retention_due(today=dt.date(2027, 3, 31))] == [dt.date(2027, 3, 31)]


def test_erasure_blanks_personal_fields_and_keeps_counts() -> None:
    asb = _closed_case()
    case_erase(actor=f.T, case=asb.case, today=dt.date(2031, 4, 1))
    person = Person.objects.get()
    assert (person.full_name, person.date_of_birth, person.address, person.name_dob_index) == (
        "",
        None,
        "",
        "",
    )
    incident = AsbIncident.objects.get()
    assert incident.location == "" and incident.description == ""
    assert incident.behaviour_date == dt.date(2025, 1, 5)  # the count and its dates remain
    assert Party.objects.filter(case=asb.case, role="victim").count() == 1
    assert Case.objects.get().erased_at is not None
    assert retention_due(today=dt.date(2040, 1, 1)) == []


def test_a_person_on_another_live_case_keeps_their_identity() -> None:
    asb = _closed_case()
    live = f.asb_case()
    f.victim(live, who=Person.objects.get())
    case_erase(actor=f.T, case=asb.case, today=dt.date(2031, 4, 1))
    assert Person.objects.get().full_name == "Alice Quenby-Marsh"


def test_legal_hold_prevents_erasure() -> None:
    asb = _closed_case()
    case_set_legal_hold(actor=f.T, case=asb.case, hold=True, reason="Civil claim pending")
    assert retention_due(today=dt.date(2031, 4, 1)) == []
    with pytest.raises(ValidationError, match="legal hold"):
        case_erase(actor=f.T, case=asb.case, today=dt.date(2031, 4, 1))


def test_not_due_is_refused() -> None:
    asb = _closed_case()
    with pytest.raises(ValidationError, match="not due"):
        case_erase(actor=f.T, case=asb.case, today=dt.date(2030, 1, 1))


def test_the_command_lists_and_erases_only_with_confirmation() -> None:
    from io import StringIO

    from django.core.management.base import CommandError

    _closed_case()
    out = StringIO()
    call_command("cases", "retention", "--date", "2031-04-01", stdout=out)
    assert "1 cases due" in out.getvalue()
    with pytest.raises(CommandError, match="--confirm"):
        call_command("cases", "retention", "--date", "2031-04-01", "--erase")
    call_command("cases", "retention", "--date", "2031-04-01", "--erase", "--confirm", stdout=out)
    assert Person.objects.get().full_name == ""


def test_subject_access_redacts_other_people() -> None:
    asb = f.asb_case()
    alice = f.victim(asb).person
    f.victim(asb, who=f.person("Bob Other-Party", dt.date(1970, 1, 1)), notes="Bob's own note")
    data = subject_access_export(actor=f.T, person=alice)
    text = str(data)
    assert "Alice Quenby-Marsh" in text and "Prefers phone calls" in text
    assert "Bob" not in text and "[redacted]" in text
    assert data["cases"][0]["reference"] == asb.case.reference
    assert subject_access_pdf(data).startswith(b"%PDF")


def test_the_subject_access_command_writes_json_and_pdf(tmp_path: Any) -> None:
    import json

    asb = f.asb_case()
    alice = f.victim(asb).person
    call_command("cases", "subject-access", str(alice.pk), "--out", str(tmp_path / "sar.json"))
    data = json.loads((tmp_path / "sar.json").read_text())
    assert data["person"]["full_name"] == "Alice Quenby-Marsh"
    call_command(
        "cases",
        "subject-access",
        str(alice.pk),
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "sar.pdf"),
    )
    assert (tmp_path / "sar.pdf").read_bytes().startswith(b"%PDF")


def test_a_public_application_on_no_case_is_erased_after_the_retention_period(
    tmp_path: Any, capsys: Any
) -> None:
    """A public Case Review application never matched to a case keeps its applicant's
    name, contact and account only for the ASB retention period after its last step."""
    from saferhub.cases.models import CaseReviewApplication
    from saferhub.cases.services.retention import application_erase, applications_due

    app = _public_application()
    on_a_case = f.application(victim_ref="V-ON-CASE", applicant_name="Kept With Case")
    CaseReviewApplication.objects.filter(pk=on_a_case.pk).update(case=f.asb_case().case)
    assert applications_due(today=dt.date(2031, 6, 1)) == []
    due = applications_due(today=dt.date(2031, 6, 2))
    assert [(d.application, d.due_on) for d in due] == [(app, dt.date(2031, 6, 2))]
    with pytest.raises(ValidationError, match="not due"):
        application_erase(actor=f.T, application=app, today=dt.date(2031, 6, 1))
    with pytest.raises(ValidationError, match="part of a case"):
        application_erase(actor=f.T, application=on_a_case, today=dt.date(2031, 6, 2))

    call_command("cases", "retention", "--date", "2031-06-02")
    listed = capsys.readouterr().out
    assert f"{app.application_ref}\tlast step 2025-06-02\tdue 2031-06-02" in listed
    assert "1 Case Review applications on no case due for retention review." in listed
    call_command("cases", "retention", "--date", "2031-06-02", "--erase", "--confirm")
    app.refresh_from_db()
    assert (app.applicant_name, app.applicant_contact, app.account) == ("", "", "")
    assert app.application_ref and app.received_date == dt.date(2025, 6, 2)  # counts stay
    assert applications_due(today=dt.date(2031, 6, 2)) == []
    on_a_case.refresh_from_db()
    assert on_a_case.applicant_name == "Kept With Case"


def test_a_public_applicant_gets_their_subject_access_export_by_reference(
    tmp_path: Any,
) -> None:
    import json

    from saferhub.accounts.models import AuditEvent

    app = _public_application()
    out = tmp_path / "sar.json"
    call_command("cases", "subject-access-application", app.application_ref, "--out", str(out))
    data = json.loads(out.read_text())
    assert data["person"] == {"full_name": "Eve Harcastle", "contact": "eve@example.org"}
    assert data["application"]["reference"] == app.application_ref
    assert data["application"]["account"] == "Loud music every night"
    pdf = tmp_path / "sar.pdf"
    call_command(
        "cases",
        "subject-access-application",
        app.application_ref,
        "--format",
        "pdf",
        "--out",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    event = (
        AuditEvent.objects.filter(action="case.subject_access_export").order_by("sequence").last()
    )
    assert event is not None and "Harcastle" not in json.dumps(event.new_values)
    with pytest.raises(CommandError, match="There is no Case Review application CR-0"):
        call_command("cases", "subject-access-application", "CR-0", "--out", str(out))


def _public_application() -> Any:
    from saferhub.cases.services.case_review import case_review_application_create

    return case_review_application_create(
        actor=f.T,
        received_date=dt.date(2025, 6, 2),
        applicant_type="victim",
        source="public",
        applicant_name="Eve Harcastle",
        applicant_contact="eve@example.org",
        account="Loud music every night",
    )
