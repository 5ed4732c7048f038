from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def derby_performance(django_db_setup: Any, django_db_blocker: Any, data_dir: Path) -> Any:
    """Geography and the 24 Derbyshire police.uk months imported once, then Derby's demo
    indicators set up: shared by every test that reads them (the data stay for the session)."""
    from saferhub.geography.services import geography_import
    from saferhub.incidents.services import police_uk_import
    from saferhub.performance.demo import performance_demo_create

    months = sorted((data_dir / "police_uk" / "derbyshire").glob("202[34]-*"))
    assert len(months) == 24
    with django_db_blocker.unblock():
        geography_import(actor="test", data_dir=data_dir)
        police_uk_import(actor="test", paths=months)
        indicators = performance_demo_create(actor="test", area_code="E06000015")
    return {i.title: i.pk for i in indicators}
