"""The one scoping helper every app uses: deny by default, agency and assignment scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from saferhub.accounts.access import get_for_user, has_permission, require_permission, scope_to_user
from saferhub.accounts.models import Agency, AuditEvent, User
from saferhub.core.models import Job


@pytest.fixture
def police(db: Any) -> Agency:
    return Agency.objects.create(
        code="derbyshire-police", name="Derbyshire Constabulary", kind="police"
    )


@pytest.mark.django_db
def test_anonymous_and_inactive_users_hold_no_permission(make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not has_permission(AnonymousUser(), "core.view_own_jobs")
    user = make_user("administrator")
    assert has_permission(user, "accounts.view_audit")
    user.is_active = False
    assert not has_permission(user, "accounts.view_audit")


@pytest.mark.django_db
def test_require_permission_raises_and_audits(make_user: Any) -> None:
    user = make_user("viewer")
    require_permission(user, "core.view_own_jobs")  # held: nothing happens
    with pytest.raises(PermissionDenied):
        require_permission(user, "accounts.view_audit", what="/accounts/audit/")
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_username == "user-viewer"
    assert event.detail == "accounts.view_audit /accounts/audit/"


@pytest.mark.django_db
def test_scope_without_the_permission_is_empty(make_user: Any) -> None:
    user = make_user("viewer")
    assert list(scope_to_user(user, User.objects.all(), perm="accounts.manage_users")) == []


@pytest.mark.django_db
def test_scope_by_agency(make_user: Any, police: Agency) -> None:
    council_user = make_user("administrator", username="council-admin")
    make_user("viewer", username="council-viewer")
    make_user("viewer", username="police-viewer", agency=police)
    seen = scope_to_user(
        council_user, User.objects.all(), perm="accounts.manage_users", agency_field="agency"
    )
    assert sorted(u.username for u in seen) == ["council-admin", "council-viewer"]


@pytest.mark.django_db
def test_scope_by_assignment(make_user: Any) -> None:
    mine = make_user("analyst", username="mine")
    theirs = make_user("analyst", username="theirs")
    Job.objects.create(kind="x", title="Mine", created_by=mine)
    Job.objects.create(kind="x", title="Theirs", created_by=theirs)
    seen = scope_to_user(
        mine, Job.objects.all(), perm="core.view_own_jobs", assigned_field="created_by"
    )
    assert [j.title for j in seen] == ["Mine"]


@pytest.mark.django_db
def test_get_for_user_hides_what_is_out_of_scope(make_user: Any, police: Agency) -> None:
    admin = make_user("administrator", username="council-admin")
    other = make_user("viewer", username="police-viewer", agency=police)
    with pytest.raises(Http404):
        get_for_user(
            admin,
            User.objects.all(),
            id=other.pk,
            perm="accounts.manage_users",
            agency_field="agency",
        )
    with pytest.raises(Http404):
        get_for_user(admin, User.objects.all(), id="not-a-number", perm="accounts.manage_users")
    # Without the permission: refused (and audited) before anything is looked up.
    viewer = make_user("viewer", username="council-viewer")
    with pytest.raises(PermissionDenied):
        get_for_user(viewer, User.objects.all(), id=admin.pk, perm="accounts.manage_users")


@pytest.mark.django_db
def test_get_for_user_audits_views_of_personal_records(make_user: Any) -> None:
    worker = make_user("asb_officer", username="asb-worker")
    person = make_user("viewer", username="council-viewer")
    got = get_for_user(
        worker, User.objects.all(), id=person.pk, perm="accounts.view_personal_data", personal=True
    )
    assert got == person
    event = AuditEvent.objects.get(action="personal.view")
    assert event.actor_username == "asb-worker"
    assert event.object_type == "accounts.User"
    assert event.object_id == str(person.pk)
    # A non-personal fetch is not audited.
    admin = make_user("administrator", username="council-admin")
    get_for_user(admin, User.objects.all(), id=person.pk, perm="accounts.manage_users")
    assert AuditEvent.objects.filter(action="personal.view").count() == 1
