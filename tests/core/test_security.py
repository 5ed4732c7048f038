"""Security settings: headers, sessions, production settings, ``check --deploy``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SAFERHUB = REPO / ".venv" / "bin" / "saferhub"
PRODUCTION_ENV = {
    "SAFERHUB_MODE": "production",
    "SECRET_KEY": "k3y-" + "production-test-secret-with-enough-variety-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "saferhub.example.org",
    "SAFERHUB_AUDIT_KEY": "prod-test:" + "audit-key-for-the-production-settings-test-0123",
    "SAFERHUB_CASES_KEYS": "cHJvZHVjdGlvbi10ZXN0LWNhc2Uta2V5LTAxMjM0NTY=",
    "SAFERHUB_CASES_INDEX_KEY": "index-key-for-the-production-settings-test-0123",
    "SAFERHUB_PROXY_COUNT": "1",  # production requires it set (check --deploy, E016)
}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DEBUG",
            "SAFERHUB_MODE",
            "SAFERHUB_AUDIT_KEY",
            "SAFERHUB_CASES_KEYS",
            "SAFERHUB_CASES_INDEX_KEY",
            "SAFERHUB_PROXY_COUNT",
        }
        and not k.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(PRODUCTION_ENV)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    env.update(extra)
    return env


def _saferhub() -> list[str]:
    return [str(SAFERHUB)] if SAFERHUB.exists() else [sys.executable, "-m", "saferhub"]


@pytest.mark.django_db
def test_security_headers_on_every_page(client: Any) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client_as: Any) -> None:
    import re

    html = client_as("administrator").get("/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, f"inline script: {tag}"
    assert "<style" not in html
    assert " style=" not in html


def test_session_expiry_settings(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 3600  # one hour idle...
    assert settings.SESSION_SAVE_EVERY_REQUEST  # ...counted from the last request
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_session_cookie_expires_at_browser_close_and_idle_time(client: Any, make_user: Any) -> None:
    make_user("viewer", username="board")
    response = client.post(
        "/accounts/login/", {"username": "board", "password": "a-Long-test-password-1"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["expires"]  # a browser-session cookie: gone when the browser closes
    assert client.session.get_expiry_age() == 3600
    assert client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_an_expired_session_must_sign_in_again(client: Any, make_user: Any) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    make_user("viewer", username="board")
    client.post("/accounts/login/", {"username": "board", "password": "a-Long-test-password-1"})
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _production_probe(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    script = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The hashed static manifest is built by collectstatic at deployment, not in this probe.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="saferhub.example.org")
plain = Client().get("/accounts/login/", HTTP_HOST="saferhub.example.org")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": bool(response.cookies["csrftoken"]["secure"]),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
"""
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="saferhub.config.settings", **extra)
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_are_secure(tmp_path: Path) -> None:
    done = _production_probe(tmp_path)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["DEBUG"] is False
    assert got["SESSION_COOKIE_SECURE"] and got["CSRF_COOKIE_SECURE"]
    assert got["SECURE_SSL_REDIRECT"]
    assert got["SECURE_HSTS_SECONDS"] >= 31536000
    assert got["ALLOWED_HOSTS"] == ["saferhub.example.org"]
    assert got["status"] == 200
    assert got["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in got["hsts"]
    assert got["csrf_cookie_secure"]
    assert got["plain_status"] == 301  # plain HTTP is sent to HTTPS
    assert got["plain_location"].startswith("https://saferhub.example.org/")


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "SAFERHUB_AUDIT_KEY",
        "SAFERHUB_CASES_KEYS",
        "SAFERHUB_CASES_INDEX_KEY",
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path: Path, missing: str) -> None:
    env = _env(tmp_path)
    env.pop(missing)
    done = subprocess.run(
        [*_saferhub(), "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert f"The environment variable {missing} is required in production mode." in done.stderr


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_saferhub(), "check"],
        env=_env(tmp_path, SAFERHUB_MODE="staging"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "SAFERHUB_MODE must be 'embedded' or 'production'" in done.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_saferhub(), "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_fails_while_the_proxy_count_is_unset(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("SAFERHUB_PROXY_COUNT")
    done = subprocess.run(
        [*_saferhub(), "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "saferhub.E016" in done.stdout + done.stderr


def test_check_deploy_would_catch_a_weak_secret(settings: Any) -> None:
    """The check can fail: a short, plain secret key is reported (so the test above means
    something). In-process, with the production values that matter, to keep it quick."""
    from django.core.checks import run_checks

    settings.SECRET_KEY = "short"
    settings.DEBUG = False
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "security.W009" in ids
