"""User administration pages: the list and its exports, adding a user, a user's actions."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from saferhub.accounts.models import Agency, AuditEvent, User
from saferhub.accounts.roles import ROLES, role_of
from saferhub.accounts.selectors import USER_COLUMNS
from saferhub.accounts.services import user_create, user_set_active
from tests.conftest import verified_client

PASSWORD = "a-Long-test-password-1"
USERS = "/accounts/users/"


@pytest.fixture
def admin_client(client: Any, make_user: Any) -> Any:
    admin = make_user("administrator", username="admin", first_name="Ada", last_name="Admin")
    return verified_client(client, admin)


@pytest.fixture
def fire(db: Any) -> Agency:
    return Agency.objects.create(
        code="derbyshire-fire", name="Derbyshire Fire and Rescue Service", kind="fire"
    )


@pytest.fixture
def people(make_user: Any, fire: Agency) -> dict[str, User]:
    return {
        "board": make_user("viewer", username="board", first_name="Bea", last_name="Board"),
        "ana": make_user("analyst", username="ana", first_name="Ana", last_name="Lyst"),
        "fred": make_user(
            "asb_officer", username="fred", first_name="Fred", last_name="Fire", agency=fire
        ),
    }


def _names(response: Any) -> set[str]:
    return {row.user.username for row in response.context["rows"]}


def _user_url(user: User, action: str = "") -> str:
    return f"{USERS}{user.pk}/{action + '/' if action else ''}"


# ----------------------------------------------------------------------------- the list


@pytest.mark.django_db
def test_the_list_shows_each_users_account(admin_client: Any, people: dict[str, User]) -> None:
    TOTPDevice.objects.create(user=people["fred"], name="app", confirmed=True)
    stranger = Client()
    for _ in range(5):
        stranger.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    user_set_active(actor="admin", user=people["board"], active=False)

    response = admin_client.get(USERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Users –" in html
    assert _names(response) == {"admin", "board", "ana", "fred"}
    assert "4 users</caption>" in html
    for text in [
        "Fred Fire",
        "fred@example.org",
        "Derbyshire Fire and Rescue Service",
        "ASB case worker",
        "Deactivated",
        "Locked out",
        "Set up",
        "Never",
    ]:
        assert text in html, text
    rows = {r.user.username: r for r in response.context["rows"]}
    assert rows["ana"].locked and not rows["fred"].locked
    assert rows["fred"].user.two_factor and not rows["ana"].user.two_factor
    assert rows["admin"].user.last_login is not None  # signed in by the test client
    assert f'href="{_user_url(people["fred"])}"' in html


@pytest.mark.django_db
def test_filter_by_agency_role_status_and_search(
    admin_client: Any, people: dict[str, User], fire: Agency
) -> None:
    assert _names(admin_client.get(USERS, {"agency": fire.pk})) == {"fred"}
    assert _names(admin_client.get(USERS, {"role": "analyst"})) == {"ana"}
    assert _names(admin_client.get(USERS, {"q": "Lyst"})) == {"ana"}
    assert _names(admin_client.get(USERS, {"q": "fred@example"})) == {"fred"}
    assert _names(admin_client.get(USERS, {"q": "bea board"})) == {"board"}  # every word
    assert _names(admin_client.get(USERS, {"q": "nobody"})) == set()
    user_set_active(actor="admin", user=people["board"], active=False)
    assert _names(admin_client.get(USERS, {"status": "inactive"})) == {"board"}
    assert "board" not in _names(admin_client.get(USERS, {"status": "active"}))
    people["ana"].groups.clear()
    assert _names(admin_client.get(USERS, {"role": "none"})) == {"ana"}


@pytest.mark.django_db
def test_a_bad_filter_gets_the_error_summary(admin_client: Any, people: dict[str, User]) -> None:
    html = admin_client.get(USERS, {"role": "chief"}).content.decode()
    assert "<title>Error: Users" in html
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_role"' in html


@pytest.mark.django_db
def test_csv_export_is_the_filtered_list_and_is_audited(
    admin_client: Any, people: dict[str, User], fire: Agency
) -> None:
    response = admin_client.get(USERS, {"agency": fire.pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="users.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == USER_COLUMNS
    assert rows[1:] == [
        [
            "Fred Fire",
            "fred",
            "fred@example.org",
            "Derbyshire Fire and Rescue Service",
            "ASB case worker",
            "Yes",
            "No",
            "No",
            "Never",
        ]
    ]
    event = AuditEvent.objects.get(action="user.export")
    assert event.actor_username == "admin"
    assert event.detail.startswith("csv ")


@pytest.mark.django_db
def test_excel_export(admin_client: Any, people: dict[str, User]) -> None:
    response = admin_client.get(USERS, {"format": "xlsx", "role": "viewer"})
    assert response["Content-Disposition"] == 'attachment; filename="users.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == USER_COLUMNS
    assert [v[1] for v in values[1:]] == ["board"]
    assert values[1][4] == "Viewer"


@pytest.mark.django_db
def test_the_menu_shows_users_only_to_administrators(
    admin_client: Any, client: Any, make_user: Any
) -> None:
    assert f'href="{USERS}">Users</a>' in admin_client.get("/").content.decode()
    client.logout()
    verified_client(client, make_user("manager", username="manager"))
    assert f'href="{USERS}"' not in client.get("/").content.decode()
    assert client.get(USERS).status_code == 403


# ----------------------------------------------------------------------------- adding a user


@pytest.mark.django_db
def test_add_a_user_and_email_them_the_link(admin_client: Any, agency: Agency) -> None:
    page = admin_client.get(f"{USERS}add/").content.decode()
    assert "A new user has no password" in page
    assert "Forgotten your password?" in page
    response = admin_client.post(
        f"{USERS}add/",
        {
            "username": "jsmith",
            "first_name": "Jo",
            "last_name": "Smith",
            "email": "j.smith@example.org",
            "agency": agency.pk,
            "role": "analyst",
            "send_email": "on",
        },
    )
    user = User.objects.get(username="jsmith")
    assert response.status_code == 302
    assert response["Location"] == _user_url(user)
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Smith", "j.smith@example.org")
    assert user.agency == agency
    assert role_of(user) == ROLES["analyst"]
    assert not user.has_usable_password()
    created = AuditEvent.objects.get(action="user.create", actor_username="admin")
    assert created.actor_username == "admin"
    assert created.new_values["role"] == "analyst"
    assert AuditEvent.objects.filter(action="user.password_email", object_id=user.pk).exists()
    assert [m.to for m in mail.outbox] == [["j.smith@example.org"]]
    assert "http://testserver/accounts/password-reset/" in mail.outbox[0].body

    html = admin_client.get(response["Location"]).content.decode()
    assert "Jo Smith’s account was created. We have emailed j.smith@example.org" in html
    assert "Not chosen yet" in html


@pytest.mark.django_db
def test_add_a_user_without_sending_the_email(admin_client: Any, agency: Agency) -> None:
    data = {
        "username": "jsmith",
        "first_name": "Jo",
        "last_name": "Smith",
        "email": "j.smith@example.org",
        "agency": agency.pk,
        "role": "viewer",
    }
    assert admin_client.post(f"{USERS}add/", data).status_code == 302
    assert mail.outbox == []
    user = User.objects.get(username="jsmith")
    html = admin_client.get(_user_url(user)).content.decode()
    assert "Send a link to choose a password" in html


@pytest.mark.django_db
def test_the_add_form_names_each_field_to_correct(admin_client: Any) -> None:
    response = admin_client.post(f"{USERS}add/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a user" in html
    assert 'class="govuk-error-summary"' in html
    for field, message in [
        ("username", "Enter a user name"),
        ("first_name", "Enter their first name"),
        ("last_name", "Enter their last name"),
        ("email", "Enter their email address"),
        ("agency", "Select their agency"),
        ("role", "Select a role"),
    ]:
        assert f'<a href="#id_{field}">{message}</a>' in html, field
        assert f'id="id_{field}-error"' in html, field
    assert not User.objects.filter(username="").exists()


@pytest.mark.django_db
def test_the_add_form_refuses_bad_values(
    admin_client: Any, agency: Agency, people: dict[str, User]
) -> None:
    closed = Agency.objects.create(code="old", name="Old Team", kind="other", active=False)
    response = admin_client.post(
        f"{USERS}add/",
        {
            "username": "jo smith!",
            "first_name": "Jo",
            "last_name": "Smith",
            "email": "not-an-address",
            "agency": closed.pk,
            "role": "chief",
        },
    )
    html = response.content.decode()
    assert (
        '<a href="#id_username">User name must contain only letters, numbers and the '
        "characters @ . + - _</a>" in html
    )
    assert (
        '<a href="#id_email">Enter an email address in the correct format, like '
        "name@example.org</a>" in html
    )
    assert '<a href="#id_agency">Select one of the agencies in the list</a>' in html
    assert '<a href="#id_role">Select one of the roles in the list</a>' in html
    assert "Old Team" not in html  # an agency no longer active is not offered

    taken = admin_client.post(
        f"{USERS}add/",
        {
            "username": "board",
            "first_name": "B",
            "last_name": "B",
            "email": "b@example.org",
            "agency": agency.pk,
            "role": "viewer",
        },
    )
    assert '<a href="#id_username">There is already a user with the user name board</a>' in (
        taken.content.decode()
    )
    capitals = admin_client.post(
        f"{USERS}add/",
        {
            "username": "Board",
            "first_name": "B",
            "last_name": "B",
            "email": "b@example.org",
            "agency": agency.pk,
            "role": "viewer",
        },
    )
    assert "There is already a user with the user name board" in capitals.content.decode()
    assert AuditEvent.objects.filter(action="user.create", actor_username="admin").count() == 0


# ----------------------------------------------------------------------------- a user's page


@pytest.mark.django_db
def test_the_users_page(admin_client: Any, people: dict[str, User]) -> None:
    html = admin_client.get(_user_url(people["fred"])).content.decode()
    assert "<title>Fred Fire –" in html
    for text in [
        "Derbyshire Fire and Rescue Service",
        "ASB case worker",
        "Not set up: they set it up the next time they sign in",
        "They are not locked out.",
        "Deactivate the account",
        'action="/accounts/users/',
        "csrfmiddlewaretoken",
        "?actor=fred",  # their events in the audit log
    ]:
        assert text in html, text
    assert admin_client.get(f"{USERS}999999/").status_code == 404


@pytest.mark.django_db
def test_actions_are_posts_only(admin_client: Any, people: dict[str, User]) -> None:
    for action in ["role", "agency", "deactivate", "reactivate", "unlock", "reset-two-factor"]:
        assert admin_client.get(_user_url(people["board"], action)).status_code == 405, action
    assert admin_client.post(f"{USERS}999999/deactivate/").status_code == 404


@pytest.mark.django_db
def test_change_role_and_agency(admin_client: Any, people: dict[str, User], fire: Agency) -> None:
    board = people["board"]
    response = admin_client.post(_user_url(board, "role"), {"role": "manager"})
    assert response["Location"] == _user_url(board)
    assert role_of(board) == ROLES["manager"]
    assert (
        "Bea Board is now Partnership manager."
        in admin_client.get(_user_url(board)).content.decode()
    )
    response = admin_client.post(_user_url(board, "agency"), {"agency": fire.pk})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.agency == fire
    assert AuditEvent.objects.filter(action="user.role", object_id=board.pk).exists()
    assert AuditEvent.objects.filter(action="user.agency", object_id=board.pk).exists()


@pytest.mark.django_db
def test_a_refused_change_names_the_field(admin_client: Any, people: dict[str, User]) -> None:
    board = people["board"]
    html = admin_client.post(_user_url(board, "role"), {"role": ""}).content.decode()
    assert "<title>Error: Bea Board" in html
    assert '<a href="#id_role">Select a role</a>' in html
    html = admin_client.post(_user_url(board, "agency"), {"agency": "9999"}).content.decode()
    assert '<a href="#id_agency">Select one of the agencies in the list</a>' in html
    assert role_of(board) == ROLES["viewer"]


@pytest.mark.django_db
def test_the_only_administrator_keeps_the_role_and_cannot_deactivate_themself(
    admin_client: Any,
) -> None:
    admin = User.objects.get(username="admin")
    page = admin_client.get(_user_url(admin)).content.decode()
    assert "You cannot deactivate your own account." in page
    assert "is the only active administrator" in page
    html = admin_client.post(_user_url(admin, "role"), {"role": "viewer"}).content.decode()
    assert (
        '<a href="#id_role">Ada Admin is the only active administrator. Give another user '
        "the administrator role first.</a>" in html
    )
    html = admin_client.post(_user_url(admin, "deactivate")).content.decode()
    assert '<a href="#deactivate">You cannot deactivate your own account.</a>' in html
    admin.refresh_from_db()
    assert admin.is_active and role_of(admin) == ROLES["administrator"]


@pytest.mark.django_db
def test_giving_up_your_own_administrator_role_goes_home(admin_client: Any, make_user: Any) -> None:
    make_user("administrator", username="other")
    admin = User.objects.get(username="admin")
    response = admin_client.post(_user_url(admin, "role"), {"role": "analyst"})
    assert response["Location"] == "/"
    assert admin_client.get(USERS).status_code == 403


@pytest.mark.django_db
def test_deactivate_reactivate_unlock_and_reset_two_factor(
    admin_client: Any, people: dict[str, User]
) -> None:
    fred = people["fred"]
    TOTPDevice.objects.create(user=fred, name="app", confirmed=True)
    assert admin_client.post(_user_url(fred, "deactivate")).status_code == 302
    fred.refresh_from_db()
    assert not fred.is_active
    assert "Reactivate the account" in admin_client.get(_user_url(fred)).content.decode()
    assert admin_client.post(_user_url(fred, "reactivate")).status_code == 302
    fred.refresh_from_db()
    assert fred.is_active

    html = admin_client.get(_user_url(fred)).content.decode()
    assert "Reset two-factor authentication" in html
    assert admin_client.post(_user_url(fred, "reset-two-factor")).status_code == 302
    assert not TOTPDevice.objects.filter(user=fred).exists()

    other = Client()
    for _ in range(5):
        other.post("/accounts/login/", {"username": "fred", "password": "wrong"})
    html = admin_client.get(_user_url(fred)).content.decode()
    assert "Locked out after 5 failed sign-ins" in html
    assert admin_client.post(_user_url(fred, "unlock")).status_code == 302
    assert "They are not locked out." in admin_client.get(_user_url(fred)).content.decode()
    assert (
        other.post("/accounts/login/", {"username": "fred", "password": PASSWORD}).status_code
        == 302
    )

    actions = set(
        AuditEvent.objects.filter(object_id=fred.pk, actor_username="admin").values_list(
            "action", flat=True
        )
    )
    assert {"user.active", "user.2fa_reset", "user.unlock"} <= actions


@pytest.mark.django_db
def test_send_the_password_link_from_the_users_page(
    admin_client: Any, people: dict[str, User], settings: Any
) -> None:
    board = people["board"]
    response = admin_client.post(_user_url(board, "password-email"))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["board@example.org"]]
    # When the email cannot be sent the page says so: nothing is claimed, nothing audited.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    html = admin_client.post(_user_url(board, "password-email")).content.decode()
    assert '<a href="#password-email">The email could not be sent.' in html
    assert AuditEvent.objects.filter(action="user.password_email").count() == 1


@pytest.mark.django_db
def test_a_user_with_no_role_or_email(admin_client: Any, agency: Agency) -> None:
    user = user_create(actor="op", username="bare", email="", agency=agency, role="viewer")
    user.groups.clear()
    html = admin_client.get(_user_url(user)).content.decode()
    assert "No role: they can only see their own account" in html
    assert "They have no email address, so no link can be sent." in html
