from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests judge correctness, not speed: a loaded machine must not fail them.
hypothesis_settings.register_profile(
    "saferhub", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("saferhub")

# Browser fixtures (browser, browser_page) for every app's browser tests.
pytest_plugins = ["tests.browser.helpers", "tests.national"]

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("SAFERHUB_DATA_DIR", REPO.parent / "shared" / "data"))

# Fixtures that read or import the real police.uk months in bulk (a year or all 24).
# A test that asks for one of them is slow, wherever it lives: it is marked here, once,
# so the fast lane (`scripts/test --fast`, which runs `-m "not slow"`) can never forget one.
REAL_MONTHS_FIXTURES = frozenset(
    {
        "derbyshire",  # tests/incidents: all 24 months imported
        "derby_performance",  # tests/performance: all 24 months imported
        "derby",  # tests/assessment: built from the 24 month files
        "derby_q4",  # tests/assessment: built from the month files
        "raw_derby_counts",  # tests/assessment: every street file counted
        "from_files",  # tests/assessment/test_imports.py: built from the month files
        "crimes_2024",  # tests/analysis: the twelve 2024 street files
        "lsoa_counts",  # tests/analysis: counts from crimes_2024
        "two_forces",  # tests/national.py: both forces' 24 months imported
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if REAL_MONTHS_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA_DIR.exists():
        pytest.skip("the shared data folder is not beside the repository")
    return DATA_DIR


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network, except loopback servers they start themselves."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
        ):
            raise RuntimeError(f"Tests may not reach the network ({host}).")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to this run's own folder (one per xdist worker), never to var/."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _var_files_of_this_test(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test anchors the audit chain, and caches report PDFs, in its own folder,
    never in the working copy's ``var/``."""
    folder = tmp_path_factory.mktemp("var")
    settings.SAFERHUB_AUDIT_ANCHOR_FILE = folder / "audit-anchors.jsonl"
    settings.VAR_DIR = folder


@pytest.fixture
def agency(db: Any) -> Any:
    from saferhub.accounts.models import Agency

    return Agency.objects.get_or_create(
        code="derby-city-council", defaults={"name": "Derby City Council", "kind": "council"}
    )[0]


@pytest.fixture
def make_user(db: Any, agency: Any) -> Any:
    from saferhub.accounts.services import user_create

    def make(
        role: str, username: str | None = None, password: str = "a-Long-test-password-1", **kw: Any
    ) -> Any:
        return user_create(
            actor="test",
            username=username or f"user-{role}",
            email=f"{username or role}@example.org",
            agency=kw.pop("agency", agency),
            role=role,
            password=password,
            **kw,
        )

    return make


def verified_client(client: Any, user: Any) -> Any:
    """A test client signed in as ``user``, with two-factor passed where the role needs it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_as(client: Any, make_user: Any) -> Any:
    def signed_in(role: str) -> Any:
        return verified_client(client, make_user(role))

    return signed_in


def api_token_key(user: Any, *, days: int = 30, name: str = "test") -> str:
    """A live API token's key for ``user``, issued as from a session that passed two-factor."""
    from saferhub.accounts.token_services import api_token_issue

    return api_token_issue(
        actor=user, user=user, name=name, days=days, second_factor_verified=True
    ).key
