"""Give an empty embedded database what the public benchmark reads (not a test).

One priority with its statements and an objective, and one published survey indicator
with two months of values, made through the services:

    SAFERHUB_VAR_DIR=/tmp/bench-var .venv/bin/saferhub migrate
    SAFERHUB_VAR_DIR=/tmp/bench-var .venv/bin/python benchmarks/public_data.py
    SAFERHUB_VAR_DIR=/tmp/bench-var .venv/bin/python benchmarks/load_public.py --users 100
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.config.settings")


def main() -> int:
    import django

    django.setup()
    from saferhub.accounts.actors import SystemActor
    from saferhub.accounts.models import Agency
    from saferhub.performance import services
    from saferhub.performance.models import Indicator, Priority

    if Priority.objects.exists():
        print("The database already has a plan; nothing added.")
        return 0
    agency = Agency.objects.get_or_create(
        code="council", defaults={"name": "The council", "kind": "council"}
    )[0]
    priority = services.priority_create(
        actor=SystemActor.TEST, title="Reduce violence", aim="Fewer violent offences."
    )
    services.priority_update(
        actor=SystemActor.TEST,
        priority=priority,
        matters_because="Violence harms people and places.",
        hope_together="Make streets safer at night.",
        together_we_will="Patrol hotspots and support victims.",
    )
    services.objective_create(actor=SystemActor.TEST, priority=priority, title="Fewer assaults")
    indicator = services.indicator_create(
        actor=SystemActor.TEST,
        priority=priority,
        title="Residents who feel safe after dark",
        kind=Indicator.Kind.SURVEY_PERCENTAGE,
        unit="%",
        direction=Indicator.Direction.HIGHER,
        baseline_period="2023/24",
        baseline_value=Decimal("60"),
        target_kind=Indicator.TargetKind.ABSOLUTE,
        target_value=Decimal("66"),
        target_period="2025/26",
        lead_agency=agency,
        data_source="Residents' survey",
    )
    services.indicator_set_public(actor=SystemActor.TEST, indicator=indicator, public=True)
    print(f"Added a priority and published indicator {indicator.pk}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
