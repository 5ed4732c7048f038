"""User administration: administrators only; everyone else is refused."""

import itertools

from tests.access import ADMINS, EVERYONE, AccessCase

_n = itertools.count(1)


def _someone() -> dict[str, object]:
    """Another user, a viewer in the test users' agency, with a password."""
    from saferhub.accounts.models import Agency
    from saferhub.accounts.services import user_create

    agency = Agency.objects.get_or_create(
        code="derby-city-council", defaults={"name": "Derby City Council", "kind": "council"}
    )[0]
    n = next(_n)
    user = user_create(
        actor="test",
        username=f"someone-{n}",
        email=f"someone-{n}@example.org",
        agency=agency,
        role="viewer",
        password="a-Long-test-password-1",
    )
    return {"pk": user.pk}


def _deactivated() -> dict[str, object]:
    from saferhub.accounts.models import User
    from saferhub.accounts.services import user_set_active

    kwargs = _someone()
    user_set_active(actor="test", user=User.objects.get(pk=kwargs["pk"]), active=False)
    return kwargs


def _new_user() -> dict[str, object]:
    from saferhub.accounts.models import Agency

    n = next(_n)
    return {
        "username": f"new-{n}",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": f"new-{n}@example.org",
        "agency": Agency.objects.get(code="derby-city-council").pk,
        "role": "viewer",
    }


def _agency() -> dict[str, object]:
    from saferhub.accounts.models import Agency

    fire = Agency.objects.get_or_create(
        code="derbyshire-fire", defaults={"name": "Derbyshire Fire and Rescue", "kind": "fire"}
    )[0]
    return {"agency": fire.pk}


# An allowed action redirects to the user's page (a 200 would mean a refused form).
DONE = frozenset({302})
OK = frozenset({200})

CASES = [
    AccessCase("accounts:users", ADMINS, ok_statuses=OK),
    AccessCase("accounts:users", ADMINS, query="format=csv"),
    AccessCase("accounts:users", ADMINS, query="format=xlsx&role=viewer&q=someone"),
    AccessCase("accounts:user_add", ADMINS, ok_statuses=OK),
    AccessCase("accounts:user_add", ADMINS, method="post", data=_new_user, ok_statuses=DONE),
    AccessCase("accounts:user", ADMINS, kwargs=_someone, ok_statuses=OK),
    AccessCase(
        "accounts:user_role",
        ADMINS,
        kwargs=_someone,
        method="post",
        data=lambda: {"role": "analyst"},
        ok_statuses=DONE,
    ),
    AccessCase(
        "accounts:user_agency",
        ADMINS,
        kwargs=_someone,
        method="post",
        data=_agency,
        ok_statuses=DONE,
    ),
    AccessCase(
        "accounts:user_deactivate", ADMINS, kwargs=_someone, method="post", ok_statuses=DONE
    ),
    AccessCase(
        "accounts:user_reactivate", ADMINS, kwargs=_deactivated, method="post", ok_statuses=DONE
    ),
    AccessCase("accounts:user_unlock", ADMINS, kwargs=_someone, method="post", ok_statuses=DONE),
    AccessCase(
        "accounts:user_two_factor_reset", ADMINS, kwargs=_someone, method="post", ok_statuses=DONE
    ),
    AccessCase(
        "accounts:user_password_email", ADMINS, kwargs=_someone, method="post", ok_statuses=DONE
    ),
]


def _someone_elses_token() -> dict[str, object]:
    """A live API token of another user (a viewer): only administrators may revoke it."""
    from saferhub.accounts.models import ApiToken, User
    from tests.conftest import api_token_key

    api_token_key(User.objects.get(pk=_someone()["pk"]))
    return {"pk": ApiToken.objects.latest("pk").pk}


def _token_form() -> dict[str, object]:
    return {"name": "A script", "days": 7}


# API tokens: everyone has their own; administrators see and revoke anyone's.
CASES += [
    AccessCase("accounts:tokens", EVERYONE, ok_statuses=OK),
    AccessCase("accounts:tokens", EVERYONE, method="post", data=_token_form, ok_statuses=OK),
    AccessCase(
        "accounts:token_revoke",
        ADMINS,
        kwargs=_someone_elses_token,
        method="post",
        ok_statuses=frozenset({302}),
    ),
    AccessCase("api:tokens", EVERYONE, ok_statuses=OK),
    AccessCase("api:tokens", ADMINS, query="everyone=true", ok_statuses=OK),
    AccessCase(
        "api:tokens", EVERYONE, method="post", data=_token_form, ok_statuses=frozenset({201})
    ),
    AccessCase("api:token", ADMINS, kwargs=_someone_elses_token, ok_statuses=OK),
]
