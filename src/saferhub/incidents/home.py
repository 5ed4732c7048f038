"""Home tiles of the data: the latest month held per source, imports with problems."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from saferhub.core.home import HomeTile, home_tile
from saferhub.incidents.models import ImportBatch
from saferhub.incidents.selectors import batch_list

VIEW = "incidents.view_incident_counts"
ANALYSTS = frozenset({"analyst", "administrator"})


def _latest_months(user: Any) -> str:
    latest = batch_list().values("source").annotate(last=Max("last_month")).order_by("source")
    held = [f"{row['source']}: {row['last']:%B %Y}" for row in latest if row["last"]]
    return "; ".join(held) or "No data imported yet"


def _with_problems(user: Any) -> int:
    return batch_list().filter(status=ImportBatch.Status.LOADED_WITH_PROBLEMS).count()


def register() -> None:
    home_tile(
        HomeTile(
            "latest_month",
            "Latest month held",
            "The latest month of data imported, for each source.",
            "incidents:home",
            VIEW,
            ANALYSTS,
            _latest_months,
            order=10,
        )
    )
    home_tile(
        HomeTile(
            "imports_with_problems",
            "Imports with problems",
            "Files imported with some rows refused (each refused row names its reason).",
            "incidents:home",
            VIEW,
            ANALYSTS,
            _with_problems,
            order=20,
        )
    )
