"""Reads: saved assessment versions, scoped to the user, and the comparison of two."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.access import get_for_user, scope_to_user
from saferhub.assessment.build import all_tables
from saferhub.assessment.models import AssessmentVersion

PERM = "assessment.view_assessment"


def version_list(*, user: Any) -> QuerySet[AssessmentVersion]:
    return scope_to_user(user, AssessmentVersion.objects.live(), perm=PERM).defer("data")


def version_get_for_user(*, user: Any, id: Any) -> AssessmentVersion:
    return get_for_user(user, AssessmentVersion.objects.all(), id=id, perm=PERM)


def version_compare(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure that differs between two assessments: table, row, column, old, new."""
    changes: list[dict[str, Any]] = []
    for key in ("area", "period"):
        for field, value in new.get(key, {}).items():
            if old.get(key, {}).get(field) != value:
                changes.append(
                    {
                        "table": key,
                        "row": field,
                        "column": "",
                        "old": old.get(key, {}).get(field),
                        "new": value,
                    }
                )
    old_tables = {t["key"]: t for t in all_tables(old)}
    for t in all_tables(new):
        before = old_tables.pop(t["key"], None)
        if before is None:
            changes.append(
                {
                    "table": t["title"],
                    "row": "",
                    "column": "",
                    "old": "(absent)",
                    "new": "(new table)",
                }
            )
            continue
        old_rows = dict(zip(_row_labels(before["rows"]), before["rows"], strict=True))
        for label, row in zip(_row_labels(t["rows"]), t["rows"], strict=True):
            prior = old_rows.pop(label, None)
            for index, column in enumerate(t["columns"][1:], start=1):
                was = prior[index] if prior is not None and index < len(prior) else None
                now = row[index] if index < len(row) else None
                if was != now:
                    changes.append(
                        {
                            "table": t["title"],
                            "row": label,
                            "column": column,
                            "old": was,
                            "new": now,
                        }
                    )
        for label in old_rows:
            changes.append(
                {
                    "table": t["title"],
                    "row": label,
                    "column": "",
                    "old": "(row)",
                    "new": "(removed)",
                }
            )
    for t in old_tables.values():
        changes.append(
            {"table": t["title"], "row": "", "column": "", "old": "(table)", "new": "(removed)"}
        )
    return changes


def _row_labels(rows: list[list[Any]]) -> list[str]:
    """Each row's first cell; a repeated first cell gets " (2)", " (3)"... in order."""
    seen: dict[str, int] = {}
    labels = []
    for row in rows:
        first = str(row[0])
        seen[first] = seen.get(first, 0) + 1
        labels.append(first if seen[first] == 1 else f"{first} ({seen[first]})")
    return labels
