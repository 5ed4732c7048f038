"""Encrypted fields, the blind index, key rotation, and the raw database dump."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from saferhub.cases import crypto
from saferhub.cases.fields import encrypted_fields
from saferhub.cases.models import Person
from tests.cases import factories as f

NAME = "Alice Quenby-Marsh"


def _dump() -> str:
    """Every row of every table, read raw with a cursor, as one string (each row named
    by its table, so that a failure says where the secret was found)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(parts)


def _where(secret: str, dump: str) -> list[str]:
    return [line[:300] for line in dump.splitlines() if secret in line]


@pytest.mark.django_db
def test_a_database_dump_holds_no_plain_text_name_or_personal_field() -> None:
    case = f.asb_case()
    f.victim(case)
    person = Person.objects.get()
    assert person.full_name == NAME and person.date_of_birth == dt.date(1980, 2, 29)
    dump = _dump()
    for secret in [
        NAME,
        # The surname, not "Quenby" alone: a Quenby Lane is in the police.uk files, and
        # public street names held from them are no secret.
        "Quenby-Marsh",
        "quenby-marsh",
        "12 Larch Road",
        "07700 900123",
        "1980-02-29",
        "Prefers phone",
        "Noise and threats",
    ]:
        assert secret not in dump, (secret, _where(secret, dump))
    assert crypto.PREFIX in dump


def test_blind_index_is_keyed_normalised_and_exact() -> None:
    day = dt.date(1990, 5, 1)
    assert crypto.blind_index("  alice  QUENBY-marsh ", day) == crypto.blind_index(NAME, day)
    assert crypto.blind_index(NAME, day) != crypto.blind_index(NAME, dt.date(1990, 5, 2))
    assert crypto.blind_index(NAME, None) == ""
    assert NAME.lower() not in crypto.blind_index(NAME, day)


@pytest.mark.django_db
def test_rotate_keys_re_encrypts_every_value_so_the_old_key_can_go(settings: Any) -> None:
    old = settings.SAFERHUB_CASES_KEYS[0]
    f.victim(f.asb_case())
    new = Fernet.generate_key().decode()
    settings.SAFERHUB_CASES_KEYS = [new, old]
    call_command("cases", "rotate-keys")
    settings.SAFERHUB_CASES_KEYS = [new]  # the old key is gone
    person = Person.objects.get()
    assert person.full_name == NAME and person.address == "12 Larch Road"


@pytest.mark.django_db
def test_a_value_under_a_removed_key_is_refused_with_a_message(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    f.person()
    settings.SAFERHUB_CASES_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="rotate-keys"):
        Person.objects.get()


def test_every_personal_model_is_found_for_rotation_and_erasure() -> None:
    labels = {m._meta.label: names for m, names in encrypted_fields()}
    assert labels["cases.Person"] == ["full_name", "date_of_birth", "address", "phone"]
    assert "notes" in labels["cases.Party"] and "location" in labels["cases.AsbIncident"]


def test_production_refuses_to_start_without_keys() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_CASES")}
    env |= {
        "SAFERHUB_MODE": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "a",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "saferhub.config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "SAFERHUB_CASES_KEYS" in done.stderr
