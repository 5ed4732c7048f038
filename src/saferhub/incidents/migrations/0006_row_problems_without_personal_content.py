"""Remove personal content from row problems already stored (decision record 0011).

Before this, a refused partner cell stored up to 40 characters (references) or 300
characters (places, dates, coordinates) of what the file held, in a table every
partner role reads. The same rules as the reader now applies: a reference, a
coordinate that is not a number, a point inside the UK, an area code or a date that
does not have the expected shape keeps its row, column and reason, not its content.
"""

import re

from django.db import migrations

DATE_LIKE = re.compile(r"[0-9 /.:T+-]{1,30}")
AREA_CODE_LIKE = re.compile(r"[A-Z][0-9]{8}")


def _cleaned(problem: str, value: str) -> str | None:
    """The value to keep, or None when the row is already clean."""
    if not value:
        return None
    if "not a pseudonymous reference" in problem:
        return ""
    if problem.startswith("not a number") or problem.startswith("point outside the LSOA"):
        return ""
    if problem.startswith("unknown LSOA code") or problem.startswith("unknown ward code"):
        return value if AREA_CODE_LIKE.fullmatch(value) else ""
    if problem.startswith("not a date written as"):
        return value if DATE_LIKE.fullmatch(value) else ""
    return None


def clean(apps, schema_editor):
    RowProblem = apps.get_model("incidents", "RowProblem")
    changed = []
    for row in RowProblem.objects.exclude(value="").only("id", "problem", "value").iterator(
        chunk_size=2000
    ):
        value = _cleaned(row.problem, row.value)
        if value is not None and value != row.value:
            row.value = value
            if "not a pseudonymous reference" in row.problem:
                row.problem = (
                    "longer than 100 characters: not a pseudonymous reference "
                    "(the content is not stored)"
                )
            changed.append(row)
        if len(changed) >= 2000:
            RowProblem.objects.bulk_update(changed, ["value", "problem"])
            changed = []
    if changed:
        RowProblem.objects.bulk_update(changed, ["value", "problem"])


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_aggregate_category_unconstrained")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
