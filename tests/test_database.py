"""The suite runs on the database it was asked for: a PostgreSQL run that silently
used SQLite must fail, not pass."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_expected_database_engine_is_used() -> None:
    expected = os.environ.get("SAFERHUB_EXPECT_DB")
    if not expected:
        pytest.skip("SAFERHUB_EXPECT_DB is not set (scripts/test sets it)")
    assert connection.vendor == expected, (
        f"Expected the tests to run on {expected}, but they ran on {connection.vendor}: "
        "check DATABASE_URL."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_database_url_is_honoured() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.settings_dict["ENGINE"] == "django.db.backends.postgresql"
    elif url.startswith("sqlite") or not url:
        assert connection.settings_dict["ENGINE"] == "django.db.backends.sqlite3"
