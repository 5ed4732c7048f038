"""The public site's page cache, and its invalidation when what the pages show changes.

Pages are kept in Django's default cache (in-process in the embedded mode; Redis when
``SAFERHUB_CACHE_URL`` is set) under a key holding a *generation*: invalidating bumps the
generation, so every cached page is stale at once, in every process sharing the cache.
Sections name the models their pages read (``PublicSection.depends_on``); a save or
delete of one, or a committed import, invalidates.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)
GENERATION_KEY = "public:generation"
TIMEOUT = 60 * 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def page_key(*, language: str, path: str, query: str) -> str:
    return f"public:page:{generation()}:{language}:{path}?{query}"


def invalidate(**_: Any) -> None:
    """Make every cached public page stale (a save, a delete, an import).

    A cache that cannot be reached never stops a save: the failure is logged (and pages
    expire after ``TIMEOUT`` at the latest)."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, None)
    except Exception:  # noqa: BLE001 (Redis down: the write must still succeed)
        log.exception("Could not invalidate the public page cache")


def connect(model_labels: set[str]) -> None:
    """Invalidate on every save and delete of the models named ``app_label.ModelName``."""
    for label in sorted(model_labels):
        model = apps.get_model(label)
        uid = f"public-cache-{label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + "-delete", weak=False)
