from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_public_cache() -> Iterator[None]:
    """Each test starts with no cached public page (the database is rolled back; the cache
    is not)."""
    from django.core.cache import cache

    cache.clear()
    yield
    from django.core.cache import caches

    caches["default"].clear() if _reachable() else None


def _reachable() -> bool:
    """False while a test points the cache at a server that is down (the settings fixture
    is restored after this fixture's teardown)."""
    from django.conf import settings

    return "redis://127.0.0.1:1/" not in str(settings.CACHES["default"].get("LOCATION", ""))
