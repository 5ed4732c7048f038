"""What runs after incident data changes: other apps register here, incidents calls.

The performance app registers its measurement refresh, so data-driven indicators are
re-measured after every import. Callbacks run after the import's transaction commits:
a dry run or a refused import (rolled back) triggers nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

AfterImport = Callable[..., Any]
_AFTER_IMPORT: list[AfterImport] = []


def after_import(fn: AfterImport) -> AfterImport:
    """Register ``fn(*, actor)`` to run after every committed import."""
    if fn not in _AFTER_IMPORT:
        _AFTER_IMPORT.append(fn)
    return fn


def imports_changed(*, actor: Any) -> None:
    """Schedule the registered callbacks for when the current transaction commits."""

    def run() -> None:
        for fn in list(_AFTER_IMPORT):
            try:
                fn(actor=actor)
            except Exception:  # an import is never undone by a follower's failure
                logger.exception("After-import step %s failed", getattr(fn, "__name__", fn))

    transaction.on_commit(run)
