"""Records for performance tests, made through the services (no mocks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saferhub.accounts.models import Agency
from saferhub.performance import services
from saferhub.performance.models import Indicator, Priority


def make_priority(title: str = "Reduce violence") -> Priority:
    return Priority.objects.filter(title=title).first() or services.priority_create(
        actor="test", title=title, aim="Fewer violent offences."
    )


def make_survey_indicator(**overrides: Any) -> Indicator:
    agency = Agency.objects.get_or_create(
        code="derby-city-council", defaults={"name": "Derby City Council", "kind": "council"}
    )[0]
    fields: dict[str, Any] = {
        "title": "Residents who feel safe after dark",
        "kind": Indicator.Kind.SURVEY_PERCENTAGE,
        "unit": "%",
        "direction": Indicator.Direction.HIGHER,
        "baseline_period": "2023/24",
        "baseline_value": Decimal("60"),
        "target_kind": Indicator.TargetKind.ABSOLUTE,
        "target_value": Decimal("66"),
        "target_period": "2025/26",
        "lead_agency": agency,
        "data_source": "Residents' survey",
    }
    fields.update(overrides)
    return services.indicator_create(actor="test", priority=make_priority(), **fields)
