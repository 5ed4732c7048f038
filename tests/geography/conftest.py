"""A module-scoped, committed copy of the real geography (removed again at module end)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def wipe_geography() -> None:
    from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population

    Population.objects.all().delete()
    Imd.objects.all()._raw_delete(Imd.objects.db)
    Lsoa.objects.all()._raw_delete(Lsoa.objects.db)
    Lsoa2011To2021.objects.all()._raw_delete(Lsoa2011To2021.objects.db)
    Area.members.through.objects.all().delete()
    Area.objects.update(parent=None)
    Area.objects.all().delete()


@pytest.fixture(scope="module")
def geography(
    django_db_setup: Any, django_db_blocker: Any, data_dir: Path
) -> Iterator[dict[str, int]]:
    from saferhub.geography.services import geography_import

    with django_db_blocker.unblock():
        summary = geography_import(actor="test", data_dir=data_dir)
    yield summary
    with django_db_blocker.unblock():
        wipe_geography()
