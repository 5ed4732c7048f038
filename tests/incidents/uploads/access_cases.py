"""Access cases for the upload pages, partner sources and the import API."""

from __future__ import annotations

from typing import Any

from tests.access import ANALYSTS, AccessCase


def _someone_elses_import() -> dict[str, Any]:
    from saferhub.core.models import Job

    job = Job.objects.create(kind="incidents.import_upload", title="Another analyst's import")
    return {"job_id": job.pk}


def _a_source() -> dict[str, Any]:
    from saferhub.incidents.models import PartnerSource, Theme

    source, _ = PartnerSource.objects.get_or_create(
        name="Council ASB",
        defaults={
            "default_theme": Theme.objects.get(key="asb"),
            "date_column": "Date",
            "location_kind": "lsoa",
            "area_column": "LSOA",
        },
    )
    return {"pk": source.pk}


INVALID = frozenset({200, 302, 400})

CASES = [
    AccessCase("incidents:upload", ANALYSTS),
    AccessCase("incidents:upload", ANALYSTS, method="post", ok_statuses=INVALID),
    AccessCase("incidents:partner_sources", ANALYSTS),
    AccessCase("incidents:partner_sources", ANALYSTS, query="format=csv"),
    AccessCase("incidents:partner_sources", ANALYSTS, query="format=xlsx"),
    AccessCase("incidents:partner_source_create", ANALYSTS),
    AccessCase("incidents:partner_source_create", ANALYSTS, method="post", ok_statuses=INVALID),
    AccessCase("incidents:partner_source_edit", ANALYSTS, kwargs=_a_source),
    AccessCase(
        "incidents:partner_source_edit",
        ANALYSTS,
        kwargs=_a_source,
        method="post",
        ok_statuses=INVALID,
    ),
    # An import is seen only by the analyst who started it: everyone else gets "not found".
    AccessCase("incidents:upload_result", frozenset(), kwargs=_someone_elses_import),
    AccessCase("incidents:upload_problems", frozenset(), kwargs=_someone_elses_import),
    AccessCase("api:data_import_start", ANALYSTS, method="post", ok_statuses=INVALID),
    AccessCase("api:data_partner_sources", ANALYSTS),
    AccessCase("api:data_import_result", frozenset(), kwargs=_someone_elses_import),
    AccessCase("api:data_import_problems", frozenset(), kwargs=_someone_elses_import),
]
