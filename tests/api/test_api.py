"""The REST API: token authentication, the OpenAPI schema, the same permissions as pages."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import api_token_key


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.mark.django_db
def test_token_authentication(api: APIClient, make_user: Any) -> None:
    user = make_user("analyst", username="ana")
    key = api_token_key(user)
    assert api.get("/api/me/").status_code in {401, 403}
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/me/")
    assert response.status_code == 200
    assert response.json() == {"username": "ana", "agency": "derby-city-council", "role": "analyst"}


@pytest.mark.django_db
def test_a_wrong_token_is_refused(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/me/")
    assert response.status_code == 401
    assert "Invalid token" in response.json()["detail"]


@pytest.mark.django_db
def test_a_disabled_user_token_is_refused(api: APIClient, make_user: Any) -> None:
    from saferhub.accounts.services import user_set_active

    user = make_user("viewer", username="board")
    key = api_token_key(user)
    user_set_active(actor="admin", user=user, active=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").status_code == 401


@pytest.mark.django_db
def test_a_user_without_permission_gets_403(api: APIClient, make_user: Any) -> None:
    """A user with no role holds no permission: deny by default, as on the pages."""
    from saferhub.accounts.models import User

    user = make_user("viewer", username="norole")
    user.groups.clear()
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    response = api.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to do this."


@pytest.mark.django_db
def test_someone_elses_job_is_not_found(api: APIClient, make_user: Any) -> None:
    from saferhub.core.models import Job

    owner = make_user("analyst", username="owner")
    other = make_user("analyst", username="other")
    job = Job.objects.create(kind="x", title="An import", created_by=owner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(other)}")
    assert api.get(f"/api/jobs/{job.pk}/").status_code == 404
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(owner)}")
    response = api.get(f"/api/jobs/{job.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "An import"
    assert "traceback" not in str(response.json())


def test_every_api_view_names_a_permission() -> None:
    """Deny by default: an API view with no ``required_permission`` refuses everyone."""
    from django.urls import URLPattern, URLResolver, get_resolver

    open_views = {"SpectacularAPIView", "SpectacularRedocView"}

    def walk(patterns: Any) -> list[Any]:
        out = []
        for p in patterns:
            if isinstance(p, URLResolver):
                out += walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                out.append(p)
        return out

    api = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "api"
    )
    for pattern in walk(api.url_patterns):
        view = getattr(pattern.callback, "view_class", None) or getattr(
            pattern.callback, "cls", None
        )
        if view is None or view.__name__ in open_views:
            continue
        assert getattr(view, "required_permission", None), f"{view.__name__} names no permission"


@pytest.mark.django_db
def test_openapi_schema_is_valid(client: Any) -> None:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    assert "/api/me/" in schema["paths"]
    assert "/api/jobs/{job_id}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]

    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
    assert b"SaferHub API" in response.content
    json_response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert json_response.status_code == 200
    validate_schema(json_response.json())


@pytest.mark.django_db
def test_api_docs_page(client: Any) -> None:
    """Swagger UI from the pinned copy in static/vendor, started by a static script: the
    site's own Content-Security-Policy (no CDN, no inline script) lets it run."""
    import re

    from django.contrib.staticfiles import finders

    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js">' in scripts
    assert '<script src="/static/api/docs.js">' in scripts
    assert all("src=" in tag for tag in scripts)  # no inline script
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html)
    assert "//cdn" not in html and "https://" not in html.split("<main", 1)[-1].split("</main>")[0]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for name in ["vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css"]:
        found = finders.find(name)
        assert found, f"{name} missing: run the front-end build"
        with open(found, encoding="utf-8") as handle:
            assert "sourceMappingURL" not in handle.read()[-2000:]
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "SaferHub API"
