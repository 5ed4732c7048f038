"""The real Derbyshire data for the module that asks for it, removed again at its end.

Geography and all 24 police.uk months (219,339 rows) are imported once, committed, shared by
every test of the module, and wiped at the end of the module, so other tests (and other
apps' tests that expect an empty database) see none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def wipe_performance_and_data(agency_codes_before: set[str]) -> None:
    from saferhub.accounts.models import Agency
    from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population
    from saferhub.incidents.models import (
        ImportBatch,
        Incident,
        MonthlyCount,
        Outcome,
        RowProblem,
        StopAndSearch,
    )
    from saferhub.performance.models import (
        Indicator,
        Measurement,
        Milestone,
        Objective,
        Priority,
    )

    for model in (Measurement, Milestone, Indicator, Objective, Priority):
        model.objects.all().delete()
    Agency.objects.exclude(code__in=agency_codes_before).delete()
    for model in (MonthlyCount, RowProblem, Outcome, StopAndSearch, Incident, ImportBatch):
        model.objects.all()._raw_delete(model.objects.db)
    Population.objects.all().delete()
    Imd.objects.all()._raw_delete(Imd.objects.db)
    Lsoa.objects.all()._raw_delete(Lsoa.objects.db)
    Lsoa2011To2021.objects.all()._raw_delete(Lsoa2011To2021.objects.db)
    Area.members.through.objects.all().delete()
    Area.objects.update(parent=None)
    Area.objects.all().delete()


@pytest.fixture(scope="module")
def derby_performance(
    national_geography: Any, django_db_blocker: Any, data_dir: Path
) -> Iterator[dict[str, int]]:
    """Derby's four data-driven indicators on the imported 2023-2024 data: {title: pk}."""
    from saferhub.accounts.models import Agency
    from saferhub.incidents.services import police_uk_import
    from saferhub.performance.demo import performance_demo_create
    from tests.national import restore_geography

    months = sorted((data_dir / "police_uk" / "derbyshire").glob("202[34]-*"))
    assert len(months) == 24
    with django_db_blocker.unblock():
        agencies = set(Agency.objects.values_list("code", flat=True))
        restore_geography(national_geography)
        police_uk_import(actor="test", paths=months)
        indicators = performance_demo_create(actor="test", area_code="E06000015")
    yield {i.title: i.pk for i in indicators}
    with django_db_blocker.unblock():
        wipe_performance_and_data(agencies)
