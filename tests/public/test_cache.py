"""Public pages come from the cache until what they show changes."""

from __future__ import annotations

from typing import Any

import pytest

from saferhub.accounts.actors import SystemActor
from saferhub.incidents.hooks import imports_changed
from saferhub.performance import services
from saferhub.public import cache
from tests.public.factories import make_plan, make_published_indicator

pytestmark = pytest.mark.django_db(transaction=True)


def _get(client: Any, url: str) -> tuple[str, bool]:
    response = client.get(url)
    return response.content.decode(), response.get("X-Public-Cache") == "hit"


def test_second_request_is_a_hit_per_language(client: Any) -> None:
    make_plan()
    assert _get(client, "/public/plan/")[1] is False
    assert _get(client, "/public/plan/")[1] is True
    assert _get(client, "/cy/public/plan/")[1] is False  # its own entry per language


def test_a_changed_priority_is_shown_at_once(client: Any) -> None:
    priority = make_plan()
    _get(client, "/public/plan/")
    services.priority_update(actor=SystemActor.TEST, priority=priority, title="Safer streets")
    html, hit = _get(client, "/public/plan/")
    assert not hit and "Safer streets" in html


def test_an_indicator_withdrawn_leaves_the_cached_list(client: Any) -> None:
    indicator = make_published_indicator(title="Feeling safe")
    assert "Feeling safe" in _get(client, "/public/performance/download.csv")[0]
    services.indicator_set_public(actor=SystemActor.TEST, indicator=indicator, public=False)
    assert "Feeling safe" not in _get(client, "/public/performance/download.csv")[0]
    assert client.get(f"/public/performance/{indicator.pk}/").status_code == 404


def test_an_import_invalidates(client: Any) -> None:
    make_plan()
    _get(client, "/public/")
    before = cache.generation()
    imports_changed(actor=SystemActor.TEST)  # runs its followers once the import commits
    assert cache.generation() != before
    assert _get(client, "/public/")[1] is False


def test_a_cache_that_is_down_never_breaks_a_page_or_a_save(client: Any, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    priority = make_plan()  # the save's invalidation fails, and is only logged
    services.priority_update(actor=SystemActor.TEST, priority=priority, title="Still saved")
    response = client.get("/public/plan/")
    assert response.status_code == 200 and "Still saved" in response.content.decode()


def test_a_hit_is_served_before_sessions_with_the_page_headers(client: Any) -> None:
    make_plan()
    first = client.get("/cy/public/plan/")
    hit = client.get("/cy/public/plan/")
    assert hit["X-Public-Cache"] == "hit" and hit.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert hit.get(header) == first.get(header), header
    assert not hit.cookies  # nothing of a session or a CSRF token is replayed


def test_made_up_queries_are_served_but_not_kept(client: Any) -> None:
    make_plan()
    client.get("/public/plan/?x=1")
    assert client.get("/public/plan/?x=1").get("X-Public-Cache") is None
    client.get("/public/plan/?unknown_language=fr")
    assert client.get("/public/plan/?unknown_language=fr")["X-Public-Cache"] == "hit"


def test_not_found_pages_are_not_kept(client: Any) -> None:
    client.get("/public/performance/999999/")
    assert client.get("/public/performance/999999/").get("X-Public-Cache") is None


def test_every_worker_sees_an_invalidation(client: Any) -> None:
    """With a cache of one process, the generation is a file all workers read: a save in
    one worker changes it for all (here: the file changes, and the page is rebuilt)."""
    priority = make_plan()
    _get(client, "/public/plan/")
    before = cache.generation_file().read_text()
    services.priority_update(actor=SystemActor.TEST, priority=priority, title="Changed elsewhere")
    assert cache.generation_file().read_text() != before
    html, hit = _get(client, "/public/plan/")
    assert not hit and "Changed elsewhere" in html
