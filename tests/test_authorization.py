"""Walk every URL as every role (and signed out): allow or deny, as each app declares."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from saferhub.accounts.roles import ROLES
from tests.access import AccessCase
from tests.conftest import verified_client
from tests.public.access_cases import PUBLIC_URL_NAMES

# Pages open to everyone, signed in or not (and the job pages, tested with their jobs).
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "core:accessibility",
    "core:privacy",
    "core:healthz",
    "api:schema",
    "api:docs",
} | PUBLIC_URL_NAMES


def _collect_cases() -> list[AccessCase]:
    cases: list[AccessCase] = []
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".access_cases"):
            cases.extend(importlib.import_module(module.name).CASES)
    return cases


CASES = _collect_cases()


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _url_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_has_an_access_case() -> None:
    covered = {c.url_name for c in CASES} | PUBLIC
    missing = sorted(n for n in _url_names() if n not in covered and not n.startswith("admin:"))
    assert not missing, f"URLs with no access case (add them to an access_cases.py): {missing}"


def _request(client: Any, case: AccessCase) -> Any:
    url = reverse(case.url_name, kwargs=case.kwargs() if case.kwargs else None)
    if case.query:
        url += "?" + case.query
    if case.method == "post":
        return client.post(url, data=case.data() if case.data else {})
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access_matrix(case: AccessCase, client: Any, make_user: Any) -> None:
    # Signed out: pages send you to sign in; the API says 401/403.
    response = _request(client, case)
    if case.url_name.startswith("api:"):
        assert response.status_code in {401, 403}, f"{case.id} signed out: {response.status_code}"
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], case.id
    for role in ROLES:
        client.logout()
        verified_client(client, make_user(role, username=f"{role}-{abs(hash(case.id)) % 10000}"))
        response = _request(client, case)
        if role in case.roles:
            assert response.status_code in case.ok_statuses, (
                f"{case.id} as {role}: {response.status_code}"
            )
        else:
            assert response.status_code in {403, 404}, (
                f"{case.id} as {role} should be denied: {response.status_code}"
            )
