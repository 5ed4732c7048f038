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
    assert cache.generation() > before
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
