"""The public site's page cache, and its invalidation when what the pages show changes.

Whole responses are kept in Django's default cache under a key holding the page's path
(which carries its language prefix), its query and a *generation*: invalidating changes
the generation, so every cached page is stale at once, in every process.

Where the generation lives depends on the cache:

* a shared cache (Redis, with ``SAFERHUB_CACHE_URL``): a counter in that cache;
* a cache of one process (the embedded mode's local memory, one per gunicorn worker): a
  small file under ``VAR_DIR`` that every worker on the machine reads (a few microseconds),
  so a save in one worker, or an import in the job runner, reaches the others at once.

Sections name the models their pages read (``PublicSection.depends_on``); a save or
delete of one, or a committed import, invalidates, once the transaction commits (so no
worker can cache the old figures under the new generation).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)
GENERATION_KEY = "public:generation"
TIMEOUT = 60 * 60
LOCAL_BACKENDS = ("LocMemCache", "DummyCache")


def _per_process() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return backend.endswith(LOCAL_BACKENDS)


def generation_file() -> Path:
    return Path(settings.VAR_DIR) / "public-cache-generation"


def generation() -> str:
    """The current generation: any change of it makes every cached page stale."""
    if _per_process():
        try:
            return generation_file().read_text(encoding="ascii").strip() or "0"
        except OSError:
            return "0"
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return str(value)


def page_key(*, language: str, path: str, query: str) -> str:
    return f"public:page:{generation()}:{language}:{path}?{query}"


def _bump() -> None:
    try:
        if _per_process():
            # A token no other process can have written: two invalidations at once both
            # leave a generation no cached page was stored under.
            path = generation_file()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".public-cache.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(8))
            os.replace(tmp, path)
            return
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, None)
    except Exception:  # noqa: BLE001 (Redis or disk down: the write must still succeed)
        log.exception("Could not invalidate the public page cache")


def invalidate(**_: Any) -> None:
    """Make every cached public page stale (a save, a delete, an import), once committed.

    A cache that cannot be reached never stops a save: the failure is logged (and pages
    expire after ``TIMEOUT`` at the latest)."""
    transaction.on_commit(_bump)


def connect(model_labels: set[str]) -> None:
    """Invalidate on every save and delete of the models named ``app_label.ModelName``."""
    for label in sorted(model_labels):
        model = apps.get_model(label)
        uid = f"public-cache-{label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + "-delete", weak=False)
