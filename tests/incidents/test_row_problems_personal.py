"""Nothing personal in the row-problem table (issue 12, item 4).

The probe's partner row, refused as "not a pseudonymous reference", stored the first 40
characters of "Jane Smith born 01/01/1980 of 12 Acacia ..." where every partner role
could read and export it, unaudited.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from saferhub.accounts.models import AuditEvent
from saferhub.incidents.audit_actions import RowProblemAction
from saferhub.incidents.models import ImportBatch, PartnerSource, RowProblem, Theme
from saferhub.incidents.partner import partner_import, partner_source_create
from tests.conftest import verified_client
from tests.incidents.partner_geography import load_test_geography

pytestmark = pytest.mark.django_db

PERSON = "Jane Smith born 01/01/1980 of 12 Acacia Avenue, who told us about her neighbour"


@pytest.fixture
def source(make_user: Any, data_dir: Path) -> PartnerSource:
    load_test_geography(data_dir)
    return partner_source_create(
        actor=make_user("analyst", username="ana"),
        name="Victim service",
        default_theme=Theme.objects.get(key="asb"),
        date_column="Date",
        date_format="%d/%m/%Y",
        category_column="Type",
        location_kind="lsoa",
        area_column="LSOA",
        victim_ref_column="Victim",
    )


def test_a_refused_personal_cell_is_reported_without_its_content(
    source: PartnerSource, make_user: Any, tmp_path: Path
) -> None:
    path = tmp_path / "victims.csv"
    long_ref = PERSON + ", more than a hundred characters of free text in the reference"
    path.write_text(
        "Date,Type,LSOA,Victim\n"
        f'01/06/2024,Noise,,"{long_ref}"\n'
        "02/06/2024,Noise,12 Acacia Avenue,V1\n"
        "03/06/2024,Noise,E09999999,V2\n"
        "Jane Smith,Noise,,V3\n"
        "31/13/2024,Noise,,V4\n"
        "05/06/2024,Noise,,V5\n",
        encoding="utf-8",
    )
    report = partner_import(actor=make_user("analyst", username="ana2"), source=source, path=path)
    assert report.rows_refused == 5 and report.rows_loaded == 1
    stored = {
        p.row_number: (p.column, p.value, p.problem)
        for p in RowProblem.objects.order_by("row_number")
    }
    assert stored[2][:2] == ("Victim", "") and "not a pseudonymous reference" in stored[2][2]
    assert stored[3][:2] == ("LSOA", "")  # an address where a code should be
    assert stored[4][:2] == ("LSOA", "E09999999")  # shaped like a code: shown, to fix it
    assert stored[5][:2] == ("Date", "")
    assert stored[6][:2] == ("Date", "31/13/2024")
    everything = " ".join(" ".join(v) for v in stored.values())
    assert "Jane" not in everything and "Acacia" not in everything


def test_the_migration_cleans_stored_row_problems(source: PartnerSource) -> None:
    migration = importlib.import_module(
        "saferhub.incidents.migrations.0006_row_problems_without_personal_content"
    )
    batch = ImportBatch.objects.create(
        kind="partner", source=source.name, file_name="old.csv", sha256="0" * 64
    )
    old = [
        ("Victim", PERSON[:40] + "…", "longer than 100 characters: not a pseudonymous reference"),
        ("LSOA", "12 Acacia Avenue", "unknown LSOA code (not in the ONS lookup)"),
        ("LSOA", "E09999999", "unknown LSOA code (not in the ONS lookup)"),
        ("Easting", "the garage", "not a number"),
        ("Date", "Jane Smith", "not a date written as %d/%m/%Y (e.g. 31/01/2024)"),
        ("Type", "Fly-tipping", "unknown category: add it to the taxonomy"),
    ]
    for n, (column, value, problem) in enumerate(old, start=2):
        RowProblem.objects.create(
            batch=batch,
            row_number=n,
            column=column,
            value=value,
            problem=problem,
            severity="refused",
        )
    migration.clean(apps, None)
    values = list(RowProblem.objects.order_by("row_number").values_list("value", flat=True))
    assert values == ["", "", "E09999999", "", "", "Fly-tipping"]
    assert "(the content is not stored)" in RowProblem.objects.get(row_number=2).problem


def test_reading_row_problems_is_audited(
    source: PartnerSource, client: Any, make_user: Any
) -> None:
    batch = ImportBatch.objects.create(
        kind="partner", source=source.name, file_name="f.csv", sha256="1" * 64
    )
    verified_client(client, make_user("viewer", username="board"))
    assert client.get(f"/data/imports/{batch.pk}/problems/").status_code == 200
    assert client.get(f"/data/imports/{batch.pk}/problems/?format=csv").status_code == 200
    events = AuditEvent.objects.filter(object_id=str(batch.pk), actor_username="board")
    assert set(events.values_list("action", flat=True)) == {
        RowProblemAction.VIEW,
        RowProblemAction.EXPORT,
    }
