"""The national geography, imported once per test run and restored where a module asks.

``national_geography`` (session scope) runs ``saferhub import geography`` once per run
(per xdist worker) into the test database, keeps a copy of the geography tables' rows in
memory (the template) and empties the tables again. ``restore_geography`` puts the
template back in a few seconds; the module fixtures ``geography`` (tests/geography),
``geography_only`` and ``derbyshire`` (tests/incidents) and ``two_forces`` (below) use it,
and wipe again at the module's end, so other modules see an empty database.

Reuse: ask for ``national_geography`` (the import's summary) and call
``restore_geography(national_geography)`` inside ``django_db_blocker.unblock()`` in a
module fixture, then ``wipe_geography()`` at its end; or ask for ``two_forces``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

GEOGRAPHY_TABLES = (
    "geography_area",
    "geography_area_members",
    "geography_lsoa",
    "geography_lsoa2011to2021",
    "geography_population",
    "geography_imd",
)


@dataclass
class Template:
    summary: dict[str, int]
    seconds: float
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)


def forget_audit_events() -> None:
    """Committed fixtures' own audit events go with the data they made, so that every test
    starts from an empty audit chain (as a test in its own transaction would)."""
    from saferhub.accounts.models import AuditChainHead, AuditEvent

    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditChainHead.objects.all().delete()


def wipe_geography() -> None:
    from saferhub.geography.models import Area, Imd, Lsoa, Lsoa2011To2021, Population

    Population.objects.all()._raw_delete(Population.objects.db)
    Imd.objects.all()._raw_delete(Imd.objects.db)
    Lsoa.objects.all()._raw_delete(Lsoa.objects.db)
    Lsoa2011To2021.objects.all()._raw_delete(Lsoa2011To2021.objects.db)
    Area.members.through.objects.all()._raw_delete(Area.objects.db)
    Area.objects.update(parent=None)
    # One DELETE when no other table refers to an area (the usual case: 31 s of the ORM's
    # cascade collection over 45,000 areas on PostgreSQL, well under a second raw);
    # otherwise the ORM's delete, which refuses as the models say.
    referred = any(
        (
            rel.field.remote_field.through.objects.exists()
            if rel.many_to_many
            else rel.related_model.objects.filter(**{f"{rel.field.name}__isnull": False}).exists()
        )
        for rel in Area._meta.related_objects
        if rel.related_model is not Area
    )
    if referred:
        Area.objects.all().delete()
    else:
        Area.objects.all()._raw_delete(Area.objects.db)


def _snapshot() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in GEOGRAPHY_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            columns = [c[0] for c in cursor.description]
            tables[table] = (columns, list(cursor.fetchall()))
    return tables


def restore_geography(template: Template) -> None:
    """Put the national geography back (rows with their ids), sequences reset after."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        wipe_geography()
        for table in GEOGRAPHY_TABLES:
            columns, rows = template.tables[table]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                continue
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
        models = list(apps.get_app_config("geography").get_models())
        models.append(apps.get_model("geography", "Area").members.through)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture(scope="session")
def national_geography(
    django_db_setup: Any, django_db_blocker: Any, data_dir: Path
) -> Iterator[Template]:
    """The national import, done once per test run; the tables are left empty."""
    from saferhub.geography.services import geography_import

    with django_db_blocker.unblock():
        wipe_geography()
        started = time.perf_counter()
        summary = geography_import(actor="test", data_dir=data_dir)
        template = Template(summary, time.perf_counter() - started, _snapshot())
        wipe_geography()
        forget_audit_events()
    yield template


POLICE_UK_FORCES = ("derbyshire", "nottinghamshire")


@pytest.fixture(scope="module")
def two_forces(
    national_geography: Template, django_db_blocker: Any, data_dir: Path
) -> Iterator[dict[str, Any]]:
    """The national geography and both forces' 24 months (Derbyshire, then
    Nottinghamshire), committed for the module; removed at its end."""
    from saferhub.incidents.services import police_uk_import
    from tests.incidents.conftest import wipe_incidents

    with django_db_blocker.unblock():
        restore_geography(national_geography)
        reports = {}
        for force in POLICE_UK_FORCES:
            reports[force] = police_uk_import(actor="test", paths=[data_dir / "police_uk" / force])
    yield {"reports": reports, "geography": national_geography.summary}
    with django_db_blocker.unblock():
        wipe_incidents()
        wipe_geography()
        forget_audit_events()
