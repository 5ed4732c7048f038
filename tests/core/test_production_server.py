"""The production deploy serves (issue 12, item 2).

Runs the operator guide's deploy steps (section 5) with production settings on a fresh
folder: collect static files (manifest storage, WhiteNoise), migrate, then gunicorn on a
free loopback port; then asks for the sign-in page, a signed-in page, a static file and
a page that does not exist. Before the fix ``collectstatic`` failed on Leaflet's source
map and gunicorn answered 500 to every page.

SQLite in a temporary folder: production settings take any ``DATABASE_URL``, and the
test must not touch the test run's database.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
SAFERHUB = str(Path(sys.executable).with_name("saferhub"))

# The deploy steps, exactly as the operator guide gives them (a test below checks that).
COLLECT = "saferhub collectstatic --no-input"
MIGRATE = "saferhub migrate"
SERVE = "saferhub serve 127.0.0.1:8000 --workers 4"
CHECK = "saferhub check --deploy --fail-level WARNING"

USER = """
from saferhub.accounts.actors import SystemActor
from saferhub.accounts.services import agency_create, user_create
council = agency_create(actor=SystemActor.COMMAND_LINE, code='a-council', name='A Council', kind='council')
user_create(actor=SystemActor.COMMAND_LINE, username='board', email='board@example.org',
            agency=council, role='viewer', password='a-Long-test-password-1')
"""


def test_the_operator_guide_gives_these_deploy_steps() -> None:
    guide = (REPO / "docs" / "operator-guide" / "index.md").read_text()
    for step in (COLLECT, MIGRATE, SERVE, CHECK):
        assert step in guide, f"the operator guide no longer says {step!r}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(command: str, env: dict[str, str], **kw: object) -> subprocess.CompletedProcess[str]:
    args = [SAFERHUB, *command.split()[1:]]
    result = subprocess.run(  # noqa: S603 (our own console script)
        args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300, **kw
    )
    assert result.returncode == 0, f"{command}: {result.stderr[-2000:]}"
    return result


class _Browser:
    """Just enough of a browser behind a TLS proxy: cookies, CSRF, X-Forwarded-Proto."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": origin + path,
            }
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def _wait_until_serving(browser: _Browser, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            if browser.request("GET", "/healthz/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail("gunicorn did not answer within 90 s")


@pytest.mark.slow
def test_production_deploy_serves(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SAFERHUB_"))}
    env |= {
        "SAFERHUB_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'saferhub.sqlite3'}",
        "SAFERHUB_VAR_DIR": str(tmp_path),
        "SAFERHUB_PROXY_COUNT": "1",
        "SAFERHUB_AUDIT_KEY": "deploy-test:" + secrets.token_urlsafe(32),
        "SAFERHUB_CASES_KEYS": Fernet.generate_key().decode(),
        "SAFERHUB_CASES_INDEX_KEY": secrets.token_urlsafe(32),
    }
    env.pop("CELERY_BROKER_URL", None)
    _run(COLLECT, env)
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    assert "vendor/leaflet/leaflet.js" in manifest["paths"]
    _run(CHECK, env)
    _run(MIGRATE, env)
    _run_shell(USER, env)
    port = _free_port()
    serve = SERVE.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace(
        "--workers 4", "--workers 2"
    )
    server = subprocess.Popen(  # noqa: S603
        [SAFERHUB, *serve.split()[1:]],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        browser = _Browser(port)
        _wait_until_serving(browser, server)
        _check_pages(browser, manifest)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run_shell(code: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603
        [SAFERHUB, "shell", "-c", code],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _check_pages(browser: _Browser, manifest: dict[str, dict[str, str]]) -> None:
    status, _, page = browser.request("GET", "/accounts/login/")
    assert status == 200, page[-500:]
    assert "Sign in" in page
    css = manifest["paths"]["vendor/govuk/govuk-frontend.min.css"]
    assert f"/static/{css}" in page  # the page links the hashed file

    status, headers, body = browser.request("GET", f"/static/{css}")
    assert status == 200 and "govuk" in body
    assert "max-age=315360000" in headers.get("cache-control", "")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    status, headers, _ = browser.request(
        "POST",
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": "board",
            "password": "a-Long-test-password-1",
        },
    )
    assert status == 302, status
    status, _, home = browser.request("GET", "/accounts/profile/")
    assert status == 200 and "board" in home

    status, _, missing = browser.request("GET", "/no-such-page/")
    assert status == 404
    assert "Page not found" in missing and f"/static/{css}" in missing  # styled
