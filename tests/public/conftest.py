from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_public_cache() -> Iterator[None]:
    """Each test starts with no cached public page (the database is rolled back; the cache
    is not)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
