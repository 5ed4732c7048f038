"""The audit log: chained, verified by a command, searched and exported by administrators."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from saferhub.accounts.audit import audit_record, audit_verify_chain
from saferhub.accounts.models import AuditEvent


def _append(n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor="tester",
            action="test.event",
            object_type="tests.Thing",
            object_id=i,
            old={"value": i},
            new={"value": i + 1},
            detail=f"event {i}",
        )
        for i in range(n)
    ]


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_events_are_chained_and_verify_passes() -> None:
    events = _append(5)
    for before, after in zip(events, events[1:]):
        assert after.previous_hash == before.hash
    assert audit_verify_chain().ok
    assert "Audit chain intact" in _verify()


@pytest.mark.django_db
def test_the_application_cannot_change_or_delete_an_event() -> None:
    event = _append(1)[0]
    event.detail = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db
def test_a_row_changed_by_raw_sql_breaks_the_chain_at_that_event() -> None:
    events = _append(5)
    target = events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET detail = %s WHERE sequence = %s",
            ["nothing happened here", target.sequence],
        )
    report = audit_verify_chain()
    assert not report.ok
    assert report.first_bad_sequence == target.sequence
    assert "changed" in report.reason
    with pytest.raises(CommandError, match=rf"broken at event {target.sequence}: .*changed"):
        _verify()


@pytest.mark.django_db
def test_a_row_deleted_by_raw_sql_breaks_the_chain_after_it() -> None:
    events = _append(5)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = %s",
            [events[1].sequence],
        )
    report = audit_verify_chain()
    assert report.first_bad_sequence == events[2].sequence
    assert "removed" in report.reason
    with pytest.raises(CommandError, match=rf"broken at event {events[2].sequence}: .*removed"):
        _verify()


@pytest.mark.django_db
def test_removing_the_newest_events_is_detected() -> None:
    events = _append(3)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = %s",
            [events[-1].sequence],
        )
    report = audit_verify_chain()
    assert not report.ok
    assert "newest events were removed" in report.reason


@pytest.mark.django_db
def test_verify_checks_in_batches() -> None:
    _append(7)
    total = AuditEvent.objects.count()
    report = audit_verify_chain(batch_size=2)
    assert report.ok
    assert report.checked == total


@pytest.mark.django_db
def test_saferhub_console_command_verifies(tmp_path: Any) -> None:
    """``saferhub audit verify`` is the same command under the console script's name."""
    from saferhub.cli import ALIASES

    assert ALIASES["audit"] == "audit"
    _append(2)
    assert "intact" in _verify()


# Searching and exporting: administrators only.


@pytest.fixture
def admin_client(client_as: Any) -> Any:
    client = client_as("administrator")
    audit_record(actor="alice", action="performance.target_set", object_type="performance.Target")
    audit_record(actor="bob", action="actions.update", object_type="actions.Action", detail="=1+1")
    return client


@pytest.mark.django_db
def test_administrator_searches_the_audit_log(admin_client: Any) -> None:
    page = admin_client.get("/accounts/audit/", {"actor": "alice"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "performance.target_set" in html
    assert "actions.update" not in html
    assert "1 event</caption>" in html
    page = admin_client.get("/accounts/audit/", {"object_type": "actions."})
    html = page.content.decode()
    assert "actions.update" in html and "performance.target_set" not in html
    bad = admin_client.get("/accounts/audit/", {"date_from": "not a date"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "<title>Error: Audit log" in html
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_date_from"' in html
    assert "Enter a valid date" in html


@pytest.mark.django_db
def test_administrator_exports_csv(admin_client: Any) -> None:
    response = admin_client.get("/accounts/audit/", {"actor": "bob", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-log.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Sequence", "Time", "User", "Agency", "Action"]
    assert len(rows) == 2
    assert rows[1][2] == "bob"
    assert rows[1][4] == "actions.update"
    assert rows[1][10] == "'=1+1"  # formula injection neutralised
    assert len(rows[1][11]) == 64  # the hash
    # The export itself is audited.
    assert AuditEvent.objects.filter(action="audit.export", detail__startswith="csv").exists()


@pytest.mark.django_db
def test_administrator_exports_excel(admin_client: Any) -> None:
    response = admin_client.get("/accounts/audit/", {"action": "target", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Sequence"
    assert rows[0][-1] == "Hash"
    assert [r[4] for r in rows[1:]] == ["performance.target_set"]
    assert rows[1][2] == "alice"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "manager", "analyst", "idva"])
def test_others_may_not_see_or_export_it(client_as: Any, role: str) -> None:
    client = client_as(role)
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get("/accounts/audit/", query)
        assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied").count() == 3
