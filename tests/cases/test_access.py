"""Need-to-know: role x agency x case type, the same 404 for unseen and missing, break-glass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from saferhub.accounts.models import AuditEvent
from saferhub.cases.models import AsbCase, Case, Party
from saferhub.cases.selectors import case_get_for_user, cases_for_user
from saferhub.cases.services.cases import case_break_glass, case_share_with_agency
from saferhub.cases.services.parties import consent_record, party_search
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "same_agency", "sees"),
    [
        ("asb_officer", True, True),
        ("asb_officer", False, False),  # works ASB, but another agency's case
        ("idva", True, False),  # right agency, wrong case type
        ("iom_officer", True, False),
        ("prevent_lead", True, False),
        ("manager", True, False),
        ("analyst", True, False),
        ("viewer", True, False),
        ("lead_officer", True, False),
        ("administrator", True, False),  # only through break-glass
    ],
)
def test_role_by_agency_by_case_type(role: str, same_agency: bool, sees: bool) -> None:
    case = f.asb_case().case
    user = f.user(role, of=f.agency() if same_agency else f.police())
    assert (case in cases_for_user(user=user)) is sees
    if sees:
        assert case_get_for_user(user=user, id=case.pk) == case
    else:
        with pytest.raises(Http404):
            case_get_for_user(user=user, id=case.pk)


def test_an_unseen_case_gets_the_same_404_as_a_missing_one_and_both_are_audited() -> None:
    case = f.asb_case().case
    outsider = f.user("asb_officer", of=f.police())
    messages = []
    for pk in [case.pk, 999_999]:
        with pytest.raises(Http404) as caught:
            case_get_for_user(user=outsider, id=pk)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    refused = AuditEvent.objects.filter(action="case.access_refused", actor=outsider)
    assert sorted(refused.values_list("object_id", flat=True)) == sorted([str(case.pk), "999999"])


def test_an_added_agency_sees_the_case_and_a_view_is_audited() -> None:
    case = f.asb_case().case
    f.victim(AsbCase.objects.get(case=case))
    police_officer = f.user("asb_officer", of=f.police())
    case_share_with_agency(actor=f.T, case=case, agency=f.police())
    assert case_get_for_user(user=police_officer, id=case.pk) == case
    assert AuditEvent.objects.filter(action="case.view", actor=police_officer).count() == 1
    assert list(cases_for_user(user=police_officer)) == [case]  # once, not per agency row


def test_sharing_without_a_recorded_basis_is_refused_saying_why() -> None:
    asb = f.asb_case()
    f.victim(asb, article6_basis="")
    with pytest.raises(ValidationError, match="no lawful basis recorded"):
        case_share_with_agency(actor=f.T, case=asb.case, agency=f.police())
    assert not asb.case.agencies.exists()
    assert AuditEvent.objects.filter(action="case.share_refused").exists()


def test_consent_as_the_basis_needs_consent_to_that_agency() -> None:
    asb = f.asb_case()
    party = f.victim(asb, article6_basis=Party.Article6.CONSENT)
    with pytest.raises(ValidationError, match="not consented to sharing with Derbyshire"):
        case_share_with_agency(actor=f.T, case=asb.case, agency=f.police())
    consent_record(actor=f.T, party=party, agency=f.housing(), given_on=dt.date(2025, 1, 7))
    with pytest.raises(ValidationError):
        case_share_with_agency(actor=f.T, case=asb.case, agency=f.police())
    consent_record(actor=f.T, party=party, agency=f.police(), given_on=dt.date(2025, 1, 7))
    case_share_with_agency(actor=f.T, case=asb.case, agency=f.police())


def test_special_category_data_needs_a_schedule_1_condition() -> None:
    with pytest.raises(ValidationError, match="Schedule 1"):
        f.victim(f.asb_case(), special_category=True)


def test_break_glass_needs_the_permission_and_a_reason_and_tells_the_officer() -> None:
    officer = f.user("asb_officer", email="officer@example.org")
    case = f.asb_case(officer=officer).case
    outsider = f.user("asb_officer", of=f.police())
    with pytest.raises(PermissionDenied):
        case_break_glass(
            actor=outsider, case_id=case.pk, reason="Urgent safeguarding concern tonight"
        )
    admin = f.user("administrator", of=f.police())
    with pytest.raises(ValidationError, match="20 characters"):
        case_break_glass(actor=admin, case_id=case.pk, reason="urgent")
    case_break_glass(actor=admin, case_id=case.pk, reason="Urgent safeguarding concern tonight")
    assert case_get_for_user(user=admin, id=case.pk) == case
    assert AuditEvent.objects.filter(action="case.break_glass", actor=admin).exists()
    assert AuditEvent.objects.filter(action="case.break_glass_view", actor=admin).exists()
    assert (
        mail.outbox[-1].to == ["officer@example.org"] and case.reference in mail.outbox[-1].subject
    )
    assert "safeguarding" not in str(AuditEvent.objects.values_list("detail", "new_values"))


def test_search_by_name_and_date_of_birth_is_exact_scoped_and_audited_without_the_terms() -> None:
    asb = f.asb_case()
    f.victim(asb)
    worker = f.user("asb_officer")
    outsider = f.user("asb_officer", of=f.police())
    born = dt.date(1980, 2, 29)
    assert (
        party_search(user=worker, full_name="alice quenby-marsh", date_of_birth=born).count() == 1
    )
    assert party_search(user=worker, full_name="Alice Quenby", date_of_birth=born).count() == 0
    assert (
        party_search(user=outsider, full_name="Alice Quenby-Marsh", date_of_birth=born).count() == 0
    )
    logged = str(
        list(AuditEvent.objects.filter(action="case.search").values("new_values", "detail"))
    )
    assert "Quenby" not in logged and "1980" not in logged and "full_name" in logged


def test_no_audit_event_holds_a_personal_value() -> None:
    asb = f.asb_case()
    f.victim(asb)
    text = str(list(AuditEvent.objects.values("old_values", "new_values", "detail")))
    assert "Quenby" not in text and "Larch" not in text and "Noise" not in text
    assert Case.objects.count() == 1
