from __future__ import annotations

from typing import Any

import pytest

# North East Derbyshire's partners, as its plan names them (code = the plan's short form).
NED_PARTNERS = [
    ("ned-csp", "NED Community Safety Partnership", "council"),
    ("police", "Derbyshire Constabulary", "police"),
    ("rykneld", "Rykneld Homes", "housing"),
    ("neddc", "North East Derbyshire District Council", "council"),
    ("dcc", "Derbyshire County Council", "council"),
    ("ndwa", "North Derbyshire Women's Aid", "voluntary"),
    ("pct", "Derbyshire County PCT", "health"),
    ("daat", "Drug and Alcohol Action Team", "health"),
    ("dfrs", "Derbyshire Fire and Rescue Service", "fire"),
    ("probation", "Probation Service", "probation"),
]


@pytest.fixture
def ned_partners(db: Any) -> dict[str, Any]:
    from saferhub.accounts.models import Agency

    return {
        code: Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for code, name, kind in NED_PARTNERS
    }
