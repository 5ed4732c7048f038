"""A module-scoped, committed copy of the national geography (removed at module end).

The import runs once per test run (``national_geography`` in tests/national.py); each
module that asks for ``geography`` gets the template restored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.national import Template, restore_geography, wipe_geography

__all__ = ["wipe_geography"]


@pytest.fixture(scope="module")
def geography(national_geography: Template, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        restore_geography(national_geography)
    yield national_geography.summary
    with django_db_blocker.unblock():
        wipe_geography()
