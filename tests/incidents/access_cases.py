from tests.access import ANALYSTS, EVERYONE, AccessCase


def _batch() -> dict[str, object]:
    from saferhub.incidents.models import ImportBatch

    batch, _ = ImportBatch.objects.get_or_create(
        kind="police_uk_street",
        sha256="0" * 64,
        defaults={"file_name": "2024-01-derbyshire-street.csv"},
    )
    return {"pk": batch.pk}


def _category() -> dict[str, object]:
    from saferhub.incidents.models import Category

    return {"pk": Category.objects.get(name="Burglary").pk}


CASES = [
    AccessCase("incidents:home", EVERYONE),
    AccessCase("incidents:home", EVERYONE, query="format=csv"),
    AccessCase("incidents:home", EVERYONE, query="format=xlsx"),
    AccessCase("incidents:problems", EVERYONE, kwargs=_batch),
    AccessCase("incidents:problems", EVERYONE, kwargs=_batch, query="format=csv"),
    AccessCase("incidents:taxonomy", EVERYONE),
    AccessCase("incidents:taxonomy", EVERYONE, query="format=xlsx"),
    AccessCase("incidents:category_edit", ANALYSTS, kwargs=_category),
    AccessCase(
        "incidents:category_edit",
        ANALYSTS,
        kwargs=_category,
        method="post",
        data=lambda: {"themes": ["all-crime", "serious-acquisitive-crime"]},
    ),
    AccessCase("api:data_imports", EVERYONE),
    AccessCase("api:data_monthly_counts", EVERYONE, query="level=lad&theme=asb"),
]
